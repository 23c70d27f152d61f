-- Login attempts say whether they failed: the limits count failures, and attempts still in
-- progress only up to a slack (pkg/throttle), so that parallel right logins are not refused.
ALTER TABLE login_attempts ADD COLUMN failed BOOLEAN NOT NULL DEFAULT FALSE
