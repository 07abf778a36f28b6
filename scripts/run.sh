#!/usr/bin/env bash
# Runs the portal on this machine: migrate, seed the demo once, then the web
# server and a real Celery worker until Ctrl-C. Safe to run again: data in
# var/ and media/ is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
mkdir -p var/mail var/broker/queue var/broker/processed var/broker/control media

$PY manage.py migrate --no-input
IMAGES="${DEMO_IMAGES:-../shared/corpus/drawings}"
if [ -d "$IMAGES" ]; then
  $PY manage.py seed_demo --images "$IMAGES"
else
  echo "No demo drawings at $IMAGES: seeding the demo contests without entries."
  $PY manage.py seed_demo
fi

# -B: the periodic sweeper and deletion rules run inside this worker (one process only).
$PY -m celery -A config worker -B -s var/celerybeat-schedule --loglevel=INFO --concurrency=2 >var/worker.log 2>&1 &
WORKER=$!
cleanup() {
  kill -TERM "$WORKER" 2>/dev/null || true
  wait "$WORKER" 2>/dev/null || true
  echo "Stopped."
}
trap cleanup EXIT INT TERM

echo
echo "Portal:        http://$HOST:$PORT/"
echo "Judging:       http://$HOST:$PORT/judging/"
echo "Organizers:    http://$HOST:$PORT/admin/"
echo "Worker log:    var/worker.log   E-mails: var/mail/"
cat var/demo-accounts.txt 2>/dev/null || true
echo "Press Ctrl-C to stop."
$PY manage.py runserver "$HOST:$PORT" --noreload
