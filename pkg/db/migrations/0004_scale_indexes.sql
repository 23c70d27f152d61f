-- Indexes that lists, reports and logins at firm scale (100k cases, 1M hours) need:
-- per-case travel sums, hours by date (month lists, reports), keyset pages of hours, and
-- the case-insensitive email lookups of both logins.
CREATE INDEX travel_case_idx ON travel_reimbursements(case_id)
--;
CREATE INDEX work_hours_date_idx ON work_hours(work_date, id)
--;
CREATE INDEX users_email_lower_idx ON users(lower(email))
--;
CREATE INDEX contacts_email_lower_idx ON contacts(lower(email))
--;
CREATE INDEX cases_name_idx ON cases(name, id)
