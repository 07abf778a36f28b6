#!/usr/bin/env bash
# Run a command against real services on loopback: PostgreSQL (5432), Redis
# (6379) and an S3 endpoint (moto's server mode on a free port, with its
# bucket). Starts PostgreSQL and Redis when they are down, always starts its
# own S3 endpoint and stops it on exit, exports the settings' environment
# variables, then runs the command:
#   scripts/with_services.sh .venv/bin/python -m pytest
# Fails (never carries on without a service) when one cannot be reached.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
VAR="$(pwd)/var"
mkdir -p "$VAR"

say() { echo "[services] $*" >&2; }

wait_for() {  # wait_for <what> <seconds> <command...>
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  say "$what is not reachable after ${secs}s"; return 1
}

# PostgreSQL
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
wait_for PostgreSQL 30 pg_isready -q -h 127.0.0.1 -p 5432

# Redis
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for Redis 30 redis-cli -h 127.0.0.1 -p 6379 ping

# S3: moto's server mode, in memory, on a free port; ours alone, stopped on exit.
S3_PORT="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
.venv/bin/moto_server -H 127.0.0.1 -p "$S3_PORT" >"$VAR/moto-$S3_PORT.log" 2>&1 &
MOTO_PID=$!
cleanup() {
  kill "$MOTO_PID" 2>/dev/null || true
  wait "$MOTO_PID" 2>/dev/null || true
}
trap cleanup EXIT
wait_for "S3 endpoint (moto, port $S3_PORT)" 30 $PY -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$S3_PORT/moto-api/', timeout=1)"

export DATABASE_URL="${SERVICES_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/contest}"
export CELERY_BROKER_URL="${SERVICES_BROKER_URL:-redis://127.0.0.1:6379/10}"
export CACHE_URL="${SERVICES_CACHE_URL:-redis://127.0.0.1:6379/11}"
export S3_BUCKET=contest-media
export S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
export S3_REGION=us-east-1
export S3_ACCESS_KEY_ID=testing
export S3_SECRET_ACCESS_KEY=testing
export SERVICES_RUN=1

$PY - <<'PY'
import os

import boto3

s3 = boto3.client(
    "s3", endpoint_url=os.environ["S3_ENDPOINT_URL"], region_name=os.environ["S3_REGION"],
    aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"], aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"],
)
s3.create_bucket(Bucket=os.environ["S3_BUCKET"])
PY
say "PostgreSQL 127.0.0.1:5432, Redis $CELERY_BROKER_URL (broker) $CACHE_URL (cache), S3 $S3_ENDPOINT_URL/$S3_BUCKET"

set +e
"$@"
status=$?
set -e
exit $status
