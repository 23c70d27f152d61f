module github.com/caseroom/caseroom/services/extranet

go 1.26.8

require github.com/caseroom/caseroom/pkg v0.0.0

// The shared library lives in this repository; go.work picks it up for local builds and
// this replace keeps `go mod tidy` and the Docker build working without a published version.
replace github.com/caseroom/caseroom/pkg => ../../pkg

require github.com/caseroom/caseroom/openapi v0.0.0

replace github.com/caseroom/caseroom/openapi => ../../openapi
