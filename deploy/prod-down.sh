#!/usr/bin/env bash
# Stops what `make prod-up` started (the pids it wrote into the data directory).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${ENV_FILE:-}" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
fi
pids="${MICROREACH_DATA_DIR:-$root/data}/prod.pids"
if [ ! -f "$pids" ]; then
  echo "prod-down: nothing to stop ($pids not found)" >&2
  exit 0
fi
# shellcheck disable=SC2046
kill -TERM $(cat "$pids") 2>/dev/null || true
for _ in $(seq 1 30); do
  # shellcheck disable=SC2046
  kill -0 $(cat "$pids") 2>/dev/null || break
  sleep 1
done
rm -f "$pids"
echo "prod-down: stopped" >&2
