#!/usr/bin/env bash
# The production stack on this machine (what `make prod-up` runs): gunicorn + a Huey worker on PostgreSQL
# and Redis, DEBUG off, HTTPS-only settings (put a TLS-terminating proxy in front), static files served by
# WhiteNoise from a manifest collected into the data directory, migrations applied first.
# Ctrl-C (or `make prod-down`, or SIGTERM) stops both processes.
#
# Environment (README, section "Production"): MICROREACH_SECRET_KEY is required; DATABASE_URL and
# REDIS_URL default to the local servers; ENV_FILE=path reads variables from a file first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${MICROREACH_BIN:-$root/.venv/bin}"

if [ -n "${ENV_FILE:-}" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
fi
export DJANGO_SETTINGS_MODULE=microreach.web.settings_prod
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/microreach}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export MICROREACH_DATA_DIR="${MICROREACH_DATA_DIR:-$root/data}"
export MICROREACH_LOG_FORMAT="${MICROREACH_LOG_FORMAT:-json}"
export MICROREACH_BIND="${MICROREACH_BIND:-127.0.0.1:8000}"

if [ -z "${MICROREACH_SECRET_KEY:-}" ]; then
  echo "prod-up: MICROREACH_SECRET_KEY is not set; the production server does not start without it." >&2
  echo '         generate one: python3 -c "import secrets; print(secrets.token_urlsafe(50))"' >&2
  exit 2
fi
mkdir -p "$MICROREACH_DATA_DIR"
pids="$MICROREACH_DATA_DIR/prod.pids"

echo "prod-up: checking the deployment settings, migrating, collecting static files" >&2
"$bin/microreach" manage check --deploy --fail-level WARNING
"$bin/microreach" manage migrate --no-input
"$bin/microreach" manage collectstatic --no-input -v0

# Only the web server shares /metrics between its processes (the variable's presence turns it on).
metrics_dir="$MICROREACH_DATA_DIR/prometheus"
rm -rf "$metrics_dir" && mkdir -p "$metrics_dir"

"$bin/microreach" worker --workers "${MICROREACH_WORKER_THREADS:-2}" &
worker=$!
PROMETHEUS_MULTIPROC_DIR="$metrics_dir" "$bin/gunicorn" -c python:microreach.web.ops.gunicorn_conf &
web=$!
echo "$web $worker" >"$pids"

stop() {
  trap - INT TERM EXIT
  echo "prod-up: stopping" >&2
  kill -TERM "$web" "$worker" 2>/dev/null || true
  wait "$web" "$worker" 2>/dev/null || true
  rm -f "$pids"
}
trap stop INT TERM EXIT
echo "prod-up: gunicorn on http://$MICROREACH_BIND (pid $web), worker pid $worker; Ctrl-C stops" >&2
# Either process ending ends the stack: a half-running production is worse than a stopped one.
wait -n "$web" "$worker" || true
