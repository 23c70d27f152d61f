-- The rights epoch: a change counter for what a request's rights subject is built from
-- (users, business units, profiles, overrides, case members, settings, invoice statuses).
-- Every write to those tables moves it in the same transaction (access.Bump), so that a
-- replica's cached subjects go stale on the very next request after a change (RIGHTS.md
-- PRF-6), on every replica sharing the database.
CREATE TABLE rights_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value BIGINT NOT NULL
)
--;
INSERT INTO rights_epoch (id, value) VALUES (1, 0)
