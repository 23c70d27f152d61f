module github.com/caseroom/caseroom/openapi

go 1.26.8
