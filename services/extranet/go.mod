module github.com/caseroom/caseroom/services/extranet

go 1.26.8

require github.com/caseroom/caseroom/pkg v0.0.0

// The shared library lives in this repository; go.work picks it up for local builds and
// this replace keeps `go mod tidy` and the Docker build working without a published version.
replace github.com/caseroom/caseroom/pkg => ../../pkg

require github.com/caseroom/caseroom/openapi v0.0.0

replace github.com/caseroom/caseroom/openapi => ../../openapi

// chromedp drives Debian's Chromium in the end-to-end test (e2e/) over the DevTools
// protocol: pure Go, no driver process and no browser download. Only tests import it,
// so it is not linked into caseroom-extranet.
require github.com/chromedp/chromedp v0.23.0

require (
	github.com/chromedp/cdproto v0.159.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
)
