-- The portal speaks the contact's language and the firm's brand, and shares data at the
-- granularity of each section.
--
-- The firm's brand and portal choices. New firms send invitations as a link only (no
-- temporary password in the mail); firms that exist keep sending both, as they did.
ALTER TABLE settings ADD COLUMN brand_logo_url TEXT NOT NULL DEFAULT ''
--;
ALTER TABLE settings ADD COLUMN brand_accent TEXT NOT NULL DEFAULT '#1f3a5f'
--;
ALTER TABLE settings ADD COLUMN invite_sends_password BOOLEAN NOT NULL DEFAULT FALSE
--;
UPDATE settings SET invite_sends_password = TRUE
--;
ALTER TABLE settings ADD COLUMN locale TEXT NOT NULL DEFAULT 'en'
--;
ALTER TABLE settings ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC'
--;
ALTER TABLE settings ADD COLUMN digest_minutes INTEGER NOT NULL DEFAULT 15
--;
-- A contact's own language, time zone and mail choices; empty means the firm's default.
ALTER TABLE contacts ADD COLUMN locale TEXT NOT NULL DEFAULT ''
--;
ALTER TABLE contacts ADD COLUMN time_zone TEXT NOT NULL DEFAULT ''
--;
ALTER TABLE contacts ADD COLUMN notify_pending_hours BOOLEAN NOT NULL DEFAULT FALSE
--;
ALTER TABLE contacts ADD COLUMN notify_new_files BOOLEAN NOT NULL DEFAULT FALSE
--;
-- Password reset: one live single-use link per contact, stored as a hash.
ALTER TABLE contact_credentials ADD COLUMN reset_token_hash TEXT
--;
ALTER TABLE contact_credentials ADD COLUMN reset_expires_at {{.TS}}
--;
CREATE UNIQUE INDEX contact_credentials_reset_idx ON contact_credentials(reset_token_hash)
--;
-- The kinds of data within each shared section a firm may hide. A kind shows when its
-- section is shared and the kind is not hidden, so every existing share stays as it was.
ALTER TABLE extranet_shares ADD COLUMN hide_billing BOOLEAN NOT NULL DEFAULT FALSE
--;
ALTER TABLE extranet_shares ADD COLUMN hide_hour_prices BOOLEAN NOT NULL DEFAULT FALSE
--;
ALTER TABLE extranet_shares ADD COLUMN hide_status BOOLEAN NOT NULL DEFAULT FALSE
--;
ALTER TABLE extranet_shares ADD COLUMN hide_hours BOOLEAN NOT NULL DEFAULT FALSE
--;
ALTER TABLE extranet_shares ADD COLUMN hide_files BOOLEAN NOT NULL DEFAULT FALSE
