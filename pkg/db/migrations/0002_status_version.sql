-- Invoice statuses get optimistic concurrency like every other editable row.
ALTER TABLE invoice_statuses ADD COLUMN version BIGINT NOT NULL DEFAULT 1
