-- Each case's financial figures, kept up to date in the transaction of every write to the
-- rows they are summed from (pkg/casefigures), so that lists read them by key. Filled for the
-- cases that exist; the sort indexes serve lists sorted by a figure.
CREATE TABLE case_figures (
  case_id BIGINT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  revenue BIGINT NOT NULL DEFAULT 0,
  billed BIGINT NOT NULL DEFAULT 0,
  uninvoiced BIGINT NOT NULL DEFAULT 0,
  labor_expenses BIGINT NOT NULL DEFAULT 0,
  other_expenses BIGINT NOT NULL DEFAULT 0
)
--;
CREATE INDEX case_figures_revenue_idx ON case_figures(revenue, case_id)
--;
CREATE INDEX case_figures_billed_idx ON case_figures(billed, case_id)
--;
CREATE INDEX case_figures_uninvoiced_idx ON case_figures(uninvoiced, case_id)
