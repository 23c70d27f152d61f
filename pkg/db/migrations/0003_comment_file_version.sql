-- Comments and files become editable (a comment's text; a file's name and phase), with
-- optimistic concurrency like every other editable row.
ALTER TABLE comments ADD COLUMN version BIGINT NOT NULL DEFAULT 1
--;
ALTER TABLE files ADD COLUMN version BIGINT NOT NULL DEFAULT 1
--;
ALTER TABLE comments ADD COLUMN updated_at {{.TS}}
