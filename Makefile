# Caseroom: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
MODULES := ./pkg/... ./services/api/... ./services/extranet/... ./openapi/... ./deploy/kubernetes/...
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run build test test-sqlite test-postgres vet bench bench-smoke fuzz lint-openapi demo clean docs

## run: build both services, load the demo organisation (printing logins) and serve both
##      on the embedded defaults: SQLite under ./data, files on local disk, mail in the outbox.
run: build
	$(BIN)/caseroom-api demo
	@trap 'kill 0' EXIT INT TERM; export CASEROOM_ENV=development; \
	  $(BIN)/caseroom-extranet & \
	  $(BIN)/caseroom-api & \
	  wait

build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/caseroom-api ./services/api/cmd/caseroom-api
	$(GO) build -o $(BIN)/caseroom-extranet ./services/extranet/cmd/caseroom-extranet

## test: vet and run every test of every module. The database is SQLite unless
##       CASEROOM_TEST_DATABASE_URL names a PostgreSQL database (see test-postgres).
test: vet
	$(GO) test -count=1 -timeout 20m $(MODULES)

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

## fuzz-short: every fuzz target for 10 s (CI runs it): the JSON:API parsers, list filters
##             and date ranges, multipart uploads and the portal's forms; none may answer 5xx.
##             Minimising a new input is capped so that it does not eat the 10 s.
.PHONY: fuzz-short
FUZZ_SHORT := -run '^$$' -fuzztime 10s -fuzzminimizetime 100x
fuzz-short:
	$(GO) test $(FUZZ_SHORT) -fuzz '^FuzzParseQuery$$' ./pkg/jsonapi/
	$(GO) test $(FUZZ_SHORT) -fuzz '^FuzzParseResource$$' ./pkg/jsonapi/
	$(GO) test $(FUZZ_SHORT) -fuzz '^FuzzFilterValue$$' ./pkg/listing/
	$(GO) test $(FUZZ_SHORT) -fuzz '^FuzzListFilters$$' ./pkg/listing/
	$(GO) test $(FUZZ_SHORT) -fuzz '^FuzzOpenUpload$$' ./pkg/httpx/
	$(GO) test $(FUZZ_SHORT) -fuzz '^FuzzPortalForms$$' ./services/extranet/internal/portal/

lint-openapi:
	cd openapi && npm ci --no-audit --no-fund --silent && npx --no-install redocly lint api.yaml extranet.yaml

clean:
	rm -rf $(BIN) data

## docs: refresh the API reference served at /docs by both services: Swagger UI from npm
##       (swagger-ui-dist, pinned in openapi/package.json), vendored into openapi/docs/ and
##       embedded in the binaries, so that nothing needs Node or a CDN at run time.
docs:
	cd openapi && npm ci --no-audit --no-fund --silent && npm run -s docs

## soak: the multi-replica soak harness (services/extranet/soak): two replicas of each service
##       behind HAProxy on one PostgreSQL database, MinIO and SMTP server; sessions, files and
##       invitations across replicas, a mixed load through a rolling restart of every replica
##       (SOAK_DURATION, default 2m; SOAK_RATE requests/s, default 30), MinIO and PostgreSQL
##       faults. Needs PostgreSQL (SOAK_DATABASE_URL, default the local server), MinIO and
##       haproxy (deploy/install-test-deps.sh). soak-short is the same with a 30 s load.
.PHONY: soak soak-short
SOAK_DURATION ?= 2m
soak:
	SOAK=1 SOAK_DURATION=$(SOAK_DURATION) $(GO) test -count=1 -timeout 30m -v -run TestSoak ./services/extranet/soak/

soak-short:
	$(MAKE) soak SOAK_DURATION=30s
