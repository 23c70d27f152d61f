package server

// SetReportBatch makes the reports read n rows at a time, so that the small demo organisation
// crosses batch boundaries; the returned func restores the batch size.
func SetReportBatch(n int) (restore func()) {
	old := reportBatch
	reportBatch = n
	return func() { reportBatch = old }
}
