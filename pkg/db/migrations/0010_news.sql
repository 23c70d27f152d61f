-- News of what happened on shared cases, waiting to go out in a digest mail: one row per
-- recipient (an employee, or a contact who opted in) per event, written in the transaction
-- of the event, and marked sent in the transaction that queues the digest.
CREATE TABLE news_items (
  id {{.PK}},
  recipient_user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
  recipient_contact_id BIGINT REFERENCES contacts(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  object_id BIGINT NOT NULL,
  actor_user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
  actor_contact_id BIGINT REFERENCES contacts(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  excerpt TEXT NOT NULL DEFAULT '',
  minutes INTEGER NOT NULL DEFAULT 0,
  created_at {{.TS}} NOT NULL,
  sent_at {{.TS}},
  CHECK ((recipient_user_id IS NULL) <> (recipient_contact_id IS NULL))
)
--;
CREATE INDEX news_items_user_idx ON news_items(recipient_user_id, created_at) WHERE sent_at IS NULL
--;
CREATE INDEX news_items_contact_idx ON news_items(recipient_contact_id, created_at) WHERE sent_at IS NULL
--;
CREATE INDEX news_items_sent_idx ON news_items(sent_at)
--;
-- The links that stop optional mails: one per mail sent, stored as a hash, so that the
-- database alone cannot unsubscribe anyone.
CREATE TABLE unsubscribe_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
  contact_id BIGINT REFERENCES contacts(id) ON DELETE CASCADE,
  created_at {{.TS}} NOT NULL,
  CHECK ((user_id IS NULL) <> (contact_id IS NULL))
)
--;
CREATE INDEX unsubscribe_tokens_created_idx ON unsubscribe_tokens(created_at)
--;
-- Employees get the digest of their customers' actions unless they stopped it. (A table of
-- its own rather than a users column: code that reads whole users rows stays as it is.)
CREATE TABLE digest_opt_outs (
  user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  stopped_at {{.TS}} NOT NULL
)
