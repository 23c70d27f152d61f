# Caseroom: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
MODULES := ./pkg/... ./services/api/... ./services/extranet/... ./openapi/... ./deploy/kubernetes/...
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

STUB_DIST := services/api/internal/spa/dist

.PHONY: run build stub stub-check test test-sqlite test-postgres vet bench bench-smoke fuzz lint-openapi demo clean docs docs-check

## run: build the firm's app (stub) and both services, load the demo organisation (printing
##      logins) and serve both on the embedded defaults: SQLite under ./data, files on local
##      disk, mail in the outbox. The app is at http://127.0.0.1:8080/app/.
run: stub
	$(MAKE) --no-print-directory build
	$(BIN)/caseroom-api demo
	@bash deploy/run-local.sh $(BIN)

## build: both binaries. The API embeds the committed build of the app ($(STUB_DIST)),
##        so this needs no Node (CI's static build and the Dockerfiles use it).
build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/caseroom-api ./services/api/cmd/caseroom-api
	$(GO) build -o $(BIN)/caseroom-extranet ./services/extranet/cmd/caseroom-extranet

## test: vet, check the committed app build, and run every test of every module, ending with
##       every skipped test and what installs its parts. The database is SQLite unless
##       CASEROOM_TEST_DATABASE_URL names a PostgreSQL database (see test-postgres).
test: vet stub-check
	@set -o pipefail; $(GO) test -count=1 -timeout 20m -json $(MODULES) | $(GO) run ./pkg/tools/testreport

## stub: build the firm's app (frontend-stub/: generate the API client from openapi/api.yaml,
##       type-check, bundle with Vite) and copy it into the API's embedded files.
stub:
	cd frontend-stub && npm ci --no-audit --no-fund --silent && npm run --silent build
	rm -rf $(STUB_DIST) && cp -R frontend-stub/dist $(STUB_DIST)

## stub-check: make stub, then fail when the committed build differs from the fresh one: the app
##             or openapi/api.yaml changed without a rebuild (or broke the app's build). Without
##             npm it is skipped, except in CI.
stub-check:
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$${CI:-}" = true ]; then echo "stub-check: npm is required in CI"; exit 1; fi; \
	  echo "stub-check: skipped, npm is not installed (CI checks the app)"; exit 0; \
	fi; \
	$(MAKE) --no-print-directory stub || exit 1; \
	if ! git diff --exit-code --stat -- $(STUB_DIST) || [ -n "$$(git ls-files --others --exclude-standard -- $(STUB_DIST))" ]; then \
	  echo "stub-check: the committed $(STUB_DIST) is stale; commit the output of make stub"; \
	  git status --short -- $(STUB_DIST); exit 1; \
	fi

test-sqlite:
	CASEROOM_TEST_DATABASE_URL= $(MAKE) test

test-postgres:
	CASEROOM_TEST_DATABASE_URL='$(PG_TEST_URL)' $(MAKE) test

vet:
	$(GO) vet $(MODULES)
	@unformatted=$$(gofmt -l pkg services openapi deploy); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

## bench: the rights and subject micro-benchmarks, then caseroom-bench: firm-scale data sets
##        (10k, 100k and 1M cases; generated once into data/bench and PostgreSQL databases
##        caseroom_bench_*, then reused) loaded with vegeta at 1 and 8 callers on PostgreSQL
##        and SQLite, beside a bare Fiber handler. BENCH_ARGS narrows it, e.g.
##        BENCH_ARGS='-sizes 100k -dbs postgres -only "cases page 1"'.
PG_BENCH_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./pkg/rights/... ./pkg/access/...
	$(GO) run ./services/api/cmd/caseroom-bench -pg '$(PG_BENCH_URL)' -dir data/bench $(BENCH_ARGS)

## bench-smoke: caseroom-bench on freshly generated 10k-case data sets, briefly (CI runs it).
bench-smoke:
	@dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	  $(GO) run ./services/api/cmd/caseroom-bench -pg '$(PG_BENCH_URL)' -dir "$$dir" -sizes 10k -duration 200ms

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseQuery -fuzztime 30s ./pkg/jsonapi/
	$(GO) test -run '^$$' -fuzz FuzzParseResource -fuzztime 30s ./pkg/jsonapi/

## fuzz-short: a short run of every fuzz target (CI runs it): the JSON:API parsers, list
##             filters and date ranges, multipart uploads and the portal's forms; none may
##             answer 5xx. Bounded by a count of inputs, not by time: with -fuzztime as a
##             duration, Go 1.26's coordinator can fail a run with a bare "context deadline
##             exceeded" and no input when a loaded machine delays a worker at the deadline
##             (golang/go#75804, fixed in Go 1.27). The counts are about 10 s each here.
.PHONY: fuzz-short
FUZZ_SHORT := -run '^$$' -fuzzminimizetime 100x
fuzz-short:
	$(GO) test $(FUZZ_SHORT) -fuzztime 300000x -fuzz '^FuzzParseQuery$$' ./pkg/jsonapi/
	$(GO) test $(FUZZ_SHORT) -fuzztime 300000x -fuzz '^FuzzParseResource$$' ./pkg/jsonapi/
	$(GO) test $(FUZZ_SHORT) -fuzztime 80000x -fuzz '^FuzzFilterValue$$' ./pkg/listing/
	$(GO) test $(FUZZ_SHORT) -fuzztime 2000x -fuzz '^FuzzListFilters$$' ./pkg/listing/
	$(GO) test $(FUZZ_SHORT) -fuzztime 3000x -fuzz '^FuzzOpenUpload$$' ./pkg/httpx/
	$(GO) test $(FUZZ_SHORT) -fuzztime 1500x -fuzz '^FuzzPortalForms$$' ./services/extranet/internal/portal/

lint-openapi:
	cd openapi && npm ci --no-audit --no-fund --silent && npx --no-install redocly lint api.yaml extranet.yaml

clean:
	rm -rf $(BIN) data

## docs: refresh the API reference served at /docs by both services: Swagger UI from npm
##       (swagger-ui-dist, pinned in openapi/package.json), vendored into openapi/docs/ and
##       embedded in the binaries, so that nothing needs Node or a CDN at run time.
docs:
	cd openapi && npm ci --no-audit --no-fund --silent && npm run -s docs

## docs-check: the vendored Swagger UI is the one openapi/package.json pins (CI runs it).
docs-check: docs
	@git diff --quiet --exit-code -- openapi/docs || { echo "openapi/docs is not the pinned swagger-ui-dist: run make docs and commit"; exit 1; }

## soak: the multi-replica soak harness (services/extranet/soak): two replicas of each service
##       behind HAProxy on one PostgreSQL database, MinIO and SMTP server; sessions, files and
##       invitations across replicas, a mixed load through a rolling restart of every replica
##       (SOAK_DURATION, default 2m; SOAK_RATE requests/s, default 30) with the SMTP server
##       down, MinIO and PostgreSQL faults (a restart of the harness's own cluster among them),
##       each replica's goroutines and heap before and after. Needs PostgreSQL's server
##       binaries, MinIO and haproxy (deploy/install-test-deps.sh). soak-short is the same
##       with a 30 s load.
.PHONY: soak soak-short
SOAK_DURATION ?= 2m
soak:
	SOAK=1 SOAK_DURATION=$(SOAK_DURATION) $(GO) test -count=1 -timeout 30m -v -run TestSoak ./services/extranet/soak/

soak-short:
	$(MAKE) soak SOAK_DURATION=30s
