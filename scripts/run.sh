#!/usr/bin/env bash
# Runs the portal on this machine: migrate, seed the demo once, then the web
# server and a real Celery worker until Ctrl-C (or SIGINT/SIGTERM to this
# script). Safe to run again: data in var/ and media/ is kept.
# HOST and PORT choose the address (default 127.0.0.1:8000: this machine
# only); the links in the demo e-mails follow them (SITE_URL). The secret key
# is made on the first run and kept in var/secret_key (config/settings/local.py).
# The web server is gunicorn with threads and a deep listen backlog
# (config/gunicorn.py), static files from WhiteNoise; `scripts/run.sh --reload`
# (`make run ARGS=--reload`) uses Django's development server instead, which
# reloads on code changes but takes few connections at once.
# `--web-only` starts a further web node beside a running one (another
# PORT, the same var/ and media/): no migration, no seeding and no worker,
# so the periodic jobs still run once.
set -euo pipefail
RELOAD=""
WEB_ONLY=""
for arg in "$@"; do
  case "$arg" in
    --reload) RELOAD=1 ;;
    --web-only) WEB_ONLY=1 ;;
    *) echo "usage: scripts/run.sh [--reload] [--web-only]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# Links in the demo e-mails (var/mail/) point at this server, whatever the port.
if [ "$HOST" = "0.0.0.0" ] || [ "$HOST" = "::" ]; then LINK_HOST=127.0.0.1; else LINK_HOST="$HOST"; fi
case "$LINK_HOST" in *:*) LINK_HOST="[$LINK_HOST]" ;; esac
export SITE_URL="${SITE_URL:-http://$LINK_HOST:$PORT}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
mkdir -p var/mail var/broker/queue var/broker/processed var/broker/control media
if [ "$HOST" != "127.0.0.1" ] && [ "$HOST" != "localhost" ] && [ "$HOST" != "::1" ]; then
  echo "Warning: HOST=$HOST makes the demo (with its demo accounts) reachable from other machines."
fi

if [ -z "$WEB_ONLY" ]; then
  $PY manage.py migrate --no-input
  IMAGES="${DEMO_IMAGES:-../shared/corpus/drawings}"
  if [ -d "$IMAGES" ]; then
    $PY manage.py seed_demo --images "$IMAGES"
  else
    echo "No demo drawings at $IMAGES: seeding the demo contests without entries."
    $PY manage.py seed_demo
  fi
fi

WORKER=""
SERVER=""
stopped=""
cleanup() {
  [ -n "$stopped" ] && return
  stopped=1
  for pid in $SERVER $WORKER; do kill -TERM "$pid" 2>/dev/null || true; done
  # A warm shutdown finishes the task in hand; a worker that got the signal
  # twice (Ctrl-C reaches the whole process group) can hang: after 15 s it
  # and its children are killed, so the script always ends.
  for _ in $(seq 1 150); do
    alive=""
    for pid in $SERVER $WORKER; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  for pid in $SERVER $WORKER; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "Process $pid did not stop in 15 s: killed."
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  echo "Stopped."
}
trap cleanup EXIT
# A stop that was asked for (Ctrl-C, SIGTERM) is a clean end: exit 0, so
# `make run` does not report it as an error.
trap 'exit 0' INT TERM

# -B: the periodic sweeper and deletion rules run inside this worker (one process only).
if [ -z "$WEB_ONLY" ]; then
  $PY -m celery -A config worker -B -s var/celerybeat-schedule --loglevel=INFO --concurrency=2 >var/worker.log 2>&1 &
  WORKER=$!
fi
# In the background too, so that a signal to this script is handled at once.
if [ -n "$RELOAD" ]; then
  # The developer's mode: Django's debug pages.
  DJANGO_DEBUG="${DJANGO_DEBUG:-true}" $PY manage.py runserver "$HOST:$PORT" &
else
  case "$HOST" in *:*) BIND="[$HOST]:$PORT" ;; *) BIND="$HOST:$PORT" ;; esac
  GUNICORN_BIND="$BIND" GUNICORN_ACCESS_LOG="${GUNICORN_ACCESS_LOG:-var/access.log}" \
    $PY -m gunicorn -c config/gunicorn.py config.wsgi:application &
fi
SERVER=$!

for _ in $(seq 1 120); do
  if $PY -c "import socket,sys; socket.create_connection(('$HOST', $PORT), 0.5)" 2>/dev/null; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "The web server did not start."; exit 1; fi
  sleep 0.5
done

echo
echo "Portal:        http://$HOST:$PORT/"
echo "Judging:       http://$HOST:$PORT/judging/"
echo "Organizers:    http://$HOST:$PORT/organize/   (a new contest: /organize/contests/new/)"
echo "Health:        http://$HOST:$PORT/healthz"
echo "Worker log:    var/worker.log   E-mails: var/mail/   Requests: var/access.log"
cat var/demo-accounts.txt 2>/dev/null || true
echo "Press Ctrl-C to stop."
# Unquoted: with --web-only there is no worker.
wait -n $SERVER $WORKER || true
