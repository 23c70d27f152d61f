package server

import "github.com/caseroom/caseroom/pkg/reports"

// SetReportBatch makes the reports read n rows at a time, so that the small demo organisation
// crosses batch boundaries; the returned func restores the batch size.
func SetReportBatch(n int) (restore func()) {
	old := reports.BatchSize
	reports.BatchSize = n
	return func() { reports.BatchSize = old }
}
