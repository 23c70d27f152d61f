#!/usr/bin/env bash
# Installs what the test suite needs and that Go modules do not bring: a MinIO server
# (built from source through the Go module proxy, pinned), Debian's Chromium with its
# driver for the portal's browser test, Debian's docker-compose to check the compose
# file, Debian's HAProxy for the soak harness (make soak), and Debian's PostgreSQL server
# when its binaries are missing (the suite's database in CI, and the soak harness's own
# throwaway cluster). Idempotent; safe to run on a developer machine.
set -euo pipefail
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
GOBIN_DIR="$(go env GOPATH)/bin"

if [ ! -x "$GOBIN_DIR/minio" ]; then
  echo "building minio $MINIO_VERSION (a few minutes, once)"
  go install "github.com/minio/minio@$MINIO_VERSION"
fi

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium chromium-driver)
# Debian's docker-compose (1.29) for `docker-compose config -q` in .ci/run: it checks
# docker-compose.yml without a Docker engine, which CI machines cannot run.
command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
# HAProxy balances the two replicas of each service in the soak harness (make soak).
command -v haproxy >/dev/null 2>&1 || packages+=(haproxy)
# PostgreSQL's server binaries: .ci/run starts the Debian cluster for the suite, and the soak
# harness runs initdb and postgres from /usr/lib/postgresql/*/bin for a cluster of its own,
# which it restarts under load (the machine's shared server is never restarted).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || packages+=(postgresql)
if [ ${#packages[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${packages[@]}" >/dev/null
fi
