#!/usr/bin/env python
"""Container health checks (see docker-compose.yml).

    python scripts/healthcheck.py web    the portal answers its home page
    python scripts/healthcheck.py beat   beat has written its schedule lately

Exit status 0 when healthy, 1 otherwise. Standard library only.
"""

import os
import sys
import time
import urllib.error
import urllib.request


def web() -> bool:
    # Ask as the TLS proxy would: a configured host name, HTTPS forwarded
    # (production settings redirect plain HTTP).
    hosts = [h.strip().lstrip(".") for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = next((h for h in hosts if h != "*"), "localhost")
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


def beat(max_age: float = 600) -> bool:
    # Beat rewrites its schedule file at least every few minutes.
    path = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", "var/celerybeat-schedule")
    candidates = [p for p in (path, path + ".db", path + ".dat") if os.path.exists(p)]
    return bool(candidates) and time.time() - max(os.path.getmtime(p) for p in candidates) < max_age


if __name__ == "__main__":
    checks = {"web": web, "beat": beat}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(checks)}}}")
    sys.exit(0 if checks[sys.argv[1]]() else 1)
