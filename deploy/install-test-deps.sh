#!/usr/bin/env bash
# Installs what the test suite needs and that Go modules do not bring: a MinIO server
# (built from source through the Go module proxy, pinned), and Debian's Chromium with its
# driver for the portal's browser test. Idempotent; safe to run on a developer machine.
set -euo pipefail
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
GOBIN_DIR="$(go env GOPATH)/bin"

if [ ! -x "$GOBIN_DIR/minio" ]; then
  echo "building minio $MINIO_VERSION (a few minutes, once)"
  go install "github.com/minio/minio@$MINIO_VERSION"
fi

if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
