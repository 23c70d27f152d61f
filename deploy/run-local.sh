#!/usr/bin/env bash
# Serves both services on the embedded defaults for `make run`, until Ctrl-C: then each gets
# SIGTERM once, finishes what it is doing (it drains and closes its database), and the script
# waits for both and exits 0, so that stopping is quiet and nothing is left running.
set -uo pipefail
bin="${1:?usage: run-local.sh BIN_DIR}"
export CASEROOM_ENV=development
# The services run in their own process group: Ctrl-C reaches this script only, which stops
# them once, in order, instead of each getting the terminal's signal at its own moment.
setsid "$bin/caseroom-extranet" & extranet=$!
setsid "$bin/caseroom-api" & api=$!
stop() {
  trap '' INT TERM
  echo "stopping caseroom-api and caseroom-extranet…"
  kill -TERM "$api" "$extranet" 2>/dev/null
  wait "$api" "$extranet" 2>/dev/null
  exit 0
}
trap stop INT TERM
# If one service ends by itself (a port in use, say), stop the other and say so.
wait -n "$api" "$extranet"
status=$?
echo "a service stopped (exit status $status); stopping the other" >&2
kill -TERM "$api" "$extranet" 2>/dev/null
wait "$api" "$extranet" 2>/dev/null
exit "$status"
