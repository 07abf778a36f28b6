"""gunicorn's settings for the run command (`scripts/run.sh`, `make run`):
`gunicorn -c config/gunicorn.py config.wsgi:application`.

Threads, so that slow uploads do not hold a whole process each, and a
listen backlog of 256: Django's development server listens with a backlog
of 10, and a burst of parents sending at once got connections reset.
GUNICORN_BIND (HOST:PORT), GUNICORN_WORKERS and GUNICORN_THREADS override
the defaults; static files are served by WhiteNoise (the settings)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
backlog = 256
# Well above the storage budget of a request (S3: 2 s connect, 5 s read, one retry).
timeout = 60
graceful_timeout = 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# gunicorn's control socket lives at one path per user by default: two
# portals on one machine (or a test beside the run command) would share it.
control_socket_disable = True
