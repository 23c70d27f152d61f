#!/usr/bin/env bash
# Installs what the test suite needs and that Go modules do not bring: a MinIO server
# (built from source through the Go module proxy, pinned), Debian's Chromium with its
# driver for the portal's browser test, Debian's docker-compose to check the compose
# file, and Debian's HAProxy for the soak harness (make soak). Idempotent; safe to run on a
# developer machine.
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
if [ ${#packages[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${packages[@]}" >/dev/null
fi
