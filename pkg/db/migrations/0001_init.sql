-- Caseroom schema, version 1. One file for both dialects: {{.PK}}, {{.TS}} and {{.Date}}
-- are filled in per dialect by migrations.go. Money is always BIGINT minor units (cents).
-- Statements are separated by lines that hold only "--;".

CREATE TABLE settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  organization_name TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'EUR',
  work_hour_approval BOOLEAN NOT NULL DEFAULT FALSE,
  travel_enabled BOOLEAN NOT NULL DEFAULT TRUE,
  temp_password_hours INTEGER NOT NULL DEFAULT 72,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE TABLE business_units (
  id {{.PK}},
  name TEXT NOT NULL,
  parent_id BIGINT REFERENCES business_units(id),
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX business_units_parent_idx ON business_units(parent_id)
--;
CREATE TABLE invoice_statuses (
  id {{.PK}},
  name TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL UNIQUE,
  active BOOLEAN NOT NULL DEFAULT TRUE
)
--;
CREATE TABLE profiles (
  id {{.PK}},
  key TEXT UNIQUE,
  name TEXT NOT NULL UNIQUE,
  accounts TEXT NOT NULL,
  delete_accounts BOOLEAN NOT NULL DEFAULT FALSE,
  cases TEXT NOT NULL,
  delete_cases BOOLEAN NOT NULL DEFAULT FALSE,
  own_resource_allocations BOOLEAN NOT NULL DEFAULT FALSE,
  join_cases TEXT NOT NULL,
  users TEXT NOT NULL,
  invoice_status TEXT NOT NULL,
  scheduled_invoicing BOOLEAN NOT NULL DEFAULT FALSE,
  approval TEXT NOT NULL,
  approve_own_cases BOOLEAN NOT NULL DEFAULT FALSE,
  travel TEXT NOT NULL,
  sharing BOOLEAN NOT NULL DEFAULT FALSE,
  admin TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE TABLE users (
  id {{.PK}},
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES business_units(id),
  supervisor_id BIGINT REFERENCES users(id),
  profile_id BIGINT NOT NULL REFERENCES profiles(id),
  api_access BOOLEAN NOT NULL DEFAULT FALSE,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  hourly_price BIGINT NOT NULL DEFAULT 0,
  hourly_cost BIGINT NOT NULL DEFAULT 0,
  token_version BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX users_supervisor_idx ON users(supervisor_id)
--;
CREATE INDEX users_unit_idx ON users(unit_id)
--;
CREATE TABLE user_right_overrides (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  right_name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (user_id, right_name)
)
--;
CREATE TABLE api_keys (
  id {{.PK}},
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  created_at {{.TS}} NOT NULL,
  last_used_at {{.TS}},
  revoked_at {{.TS}}
)
--;
CREATE TABLE accounts (
  id {{.PK}},
  name TEXT NOT NULL,
  business_id TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE TABLE contacts (
  id {{.PK}},
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  active BOOLEAN NOT NULL DEFAULT TRUE,
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX contacts_account_idx ON contacts(account_id)
--;
CREATE INDEX contacts_email_idx ON contacts(email)
--;
CREATE TABLE addresses (
  id {{.PK}},
  account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind TEXT NOT NULL DEFAULT 'visiting',
  street TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE TABLE cases (
  id {{.PK}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  owner_id BIGINT NOT NULL REFERENCES users(id),
  unit_id BIGINT NOT NULL REFERENCES business_units(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  billing_forecast BIGINT NOT NULL DEFAULT 0,
  expense_forecast BIGINT NOT NULL DEFAULT 0,
  expected_value BIGINT NOT NULL DEFAULT 0,
  probability INTEGER NOT NULL DEFAULT 100,
  expected_order_date {{.Date}},
  starts_on {{.Date}},
  ends_on {{.Date}},
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX cases_owner_idx ON cases(owner_id)
--;
CREATE INDEX cases_unit_idx ON cases(unit_id)
--;
CREATE INDEX cases_account_idx ON cases(account_id)
--;
CREATE TABLE case_members (
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at {{.TS}} NOT NULL,
  PRIMARY KEY (case_id, user_id)
)
--;
CREATE INDEX case_members_user_idx ON case_members(user_id)
--;
CREATE TABLE phases (
  id {{.PK}},
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  starts_on {{.Date}},
  ends_on {{.Date}},
  approval_status TEXT NOT NULL DEFAULT 'pending',
  approved_by_user_id BIGINT REFERENCES users(id),
  approved_by_contact_id BIGINT REFERENCES contacts(id),
  approved_at {{.TS}},
  approval_comment TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX phases_case_idx ON phases(case_id)
--;
CREATE TABLE invoices (
  id {{.PK}},
  case_id BIGINT NOT NULL REFERENCES cases(id),
  number TEXT NOT NULL UNIQUE,
  status_id BIGINT NOT NULL REFERENCES invoice_statuses(id),
  issue_date {{.Date}},
  due_date {{.Date}},
  total BIGINT NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'EUR',
  credit_of_id BIGINT REFERENCES invoices(id),
  reminder_count INTEGER NOT NULL DEFAULT 0,
  scheduled BOOLEAN NOT NULL DEFAULT FALSE,
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX invoices_case_idx ON invoices(case_id)
--;
CREATE TABLE work_hours (
  id {{.PK}},
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  phase_id BIGINT REFERENCES phases(id) ON DELETE SET NULL,
  user_id BIGINT NOT NULL REFERENCES users(id),
  work_date {{.Date}} NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
  description TEXT NOT NULL DEFAULT '',
  billable BOOLEAN NOT NULL DEFAULT TRUE,
  unit_price BIGINT NOT NULL DEFAULT 0,
  unit_cost BIGINT NOT NULL DEFAULT 0,
  approval_status TEXT NOT NULL DEFAULT 'pending',
  approved_by_user_id BIGINT REFERENCES users(id),
  approved_by_contact_id BIGINT REFERENCES contacts(id),
  approved_at {{.TS}},
  reject_comment TEXT NOT NULL DEFAULT '',
  invoice_id BIGINT REFERENCES invoices(id),
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX work_hours_case_idx ON work_hours(case_id)
--;
CREATE INDEX work_hours_user_idx ON work_hours(user_id, work_date)
--;
CREATE TABLE invoice_rows (
  id {{.PK}},
  invoice_id BIGINT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  work_hour_id BIGINT REFERENCES work_hours(id),
  description TEXT NOT NULL,
  quantity_minutes INTEGER NOT NULL DEFAULT 0,
  unit_price BIGINT NOT NULL DEFAULT 0,
  total BIGINT NOT NULL DEFAULT 0
)
--;
CREATE TABLE travel_reimbursements (
  id {{.PK}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  case_id BIGINT REFERENCES cases(id),
  travel_date {{.Date}} NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  amount BIGINT NOT NULL CHECK (amount >= 0),
  status TEXT NOT NULL DEFAULT 'pending',
  approved_by_user_id BIGINT REFERENCES users(id),
  approved_at {{.TS}},
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX travel_user_idx ON travel_reimbursements(user_id)
--;
CREATE TABLE activities (
  id {{.PK}},
  owner_id BIGINT NOT NULL REFERENCES users(id),
  category TEXT NOT NULL CHECK (category IN ('work', 'todo', 'out_of_office', 'personal')),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  starts_at {{.TS}} NOT NULL,
  ends_at {{.TS}} NOT NULL,
  case_id BIGINT REFERENCES cases(id) ON DELETE CASCADE,
  account_id BIGINT REFERENCES accounts(id) ON DELETE CASCADE,
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE INDEX activities_owner_idx ON activities(owner_id)
--;
CREATE TABLE activity_participants (
  activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  PRIMARY KEY (activity_id, user_id)
)
--;
CREATE TABLE files (
  id {{.PK}},
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  phase_id BIGINT REFERENCES phases(id) ON DELETE SET NULL,
  kind TEXT NOT NULL CHECK (kind IN ('file', 'link')),
  name TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  storage_key TEXT UNIQUE,
  content_type TEXT NOT NULL DEFAULT '',
  size_bytes BIGINT NOT NULL DEFAULT 0,
  sha256 TEXT NOT NULL DEFAULT '',
  uploaded_by_user_id BIGINT REFERENCES users(id),
  uploaded_by_contact_id BIGINT REFERENCES contacts(id),
  created_at {{.TS}} NOT NULL
)
--;
CREATE INDEX files_case_idx ON files(case_id)
--;
CREATE TABLE comments (
  id {{.PK}},
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  target_type TEXT NOT NULL CHECK (target_type IN ('case', 'phase', 'file')),
  target_id BIGINT NOT NULL,
  body TEXT NOT NULL,
  author_user_id BIGINT REFERENCES users(id),
  author_contact_id BIGINT REFERENCES contacts(id),
  created_at {{.TS}} NOT NULL
)
--;
CREATE INDEX comments_case_idx ON comments(case_id)
--;
CREATE TABLE extranet_shares (
  id {{.PK}},
  case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id) ON DELETE CASCADE,
  show_financials BOOLEAN NOT NULL DEFAULT FALSE,
  show_phases BOOLEAN NOT NULL DEFAULT FALSE,
  show_other BOOLEAN NOT NULL DEFAULT FALSE,
  created_by_user_id BIGINT NOT NULL REFERENCES users(id),
  version BIGINT NOT NULL DEFAULT 1,
  created_at {{.TS}} NOT NULL,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE TABLE share_contacts (
  id {{.PK}},
  share_id BIGINT NOT NULL REFERENCES extranet_shares(id) ON DELETE CASCADE,
  contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  can_approve BOOLEAN NOT NULL DEFAULT FALSE,
  can_comment BOOLEAN NOT NULL DEFAULT FALSE,
  can_upload BOOLEAN NOT NULL DEFAULT FALSE,
  can_change_status BOOLEAN NOT NULL DEFAULT FALSE,
  expires_at {{.TS}},
  invited_at {{.TS}} NOT NULL,
  UNIQUE (share_id, contact_id)
)
--;
CREATE INDEX share_contacts_contact_idx ON share_contacts(contact_id)
--;
CREATE TABLE contact_credentials (
  contact_id BIGINT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
  password_hash TEXT NOT NULL,
  password_temporary BOOLEAN NOT NULL DEFAULT TRUE,
  password_expires_at {{.TS}},
  token_version BIGINT NOT NULL DEFAULT 0,
  invite_token_hash TEXT UNIQUE,
  invite_expires_at {{.TS}},
  invite_used_at {{.TS}},
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at {{.TS}} NOT NULL
)
--;
CREATE TABLE outbox_emails (
  id {{.PK}},
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at {{.TS}} NOT NULL,
  locked_until {{.TS}},
  locked_by TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  created_at {{.TS}} NOT NULL,
  sent_at {{.TS}}
)
--;
CREATE INDEX outbox_due_idx ON outbox_emails(status, next_attempt_at)
--;
CREATE TABLE change_history (
  id {{.PK}},
  occurred_at {{.TS}} NOT NULL,
  actor_user_id BIGINT REFERENCES users(id),
  actor_contact_id BIGINT REFERENCES contacts(id),
  action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  resource_type TEXT NOT NULL,
  resource_id BIGINT NOT NULL,
  case_id BIGINT,
  subject_user_id BIGINT,
  changes TEXT NOT NULL DEFAULT '{}'
)
--;
CREATE INDEX change_history_resource_idx ON change_history(resource_type, resource_id)
--;
CREATE INDEX change_history_case_idx ON change_history(case_id)
--;
CREATE TABLE login_attempts (
  id {{.PK}},
  bucket TEXT NOT NULL,
  attempted_at {{.TS}} NOT NULL
)
--;
CREATE INDEX login_attempts_bucket_idx ON login_attempts(bucket, attempted_at)
