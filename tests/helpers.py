"""Shared test helpers: the corpus, CSRF-aware form posts, a real worker."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from config.celery import app as celery_app
from contest import links
from contest.models import Entry

ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    """The shared image corpus; fails (never skips) when it is missing."""
    path = Path(settings.CORPUS_DIR)
    if not (path / "MANIFEST.md").is_file():
        pytest.fail(f"The image corpus is missing at {path} (set CORPUS_DIR).", pytrace=False)
    return path


def drawings(n: int) -> list[Path]:
    """`n` real drawings, always including the PNG ones first."""
    files = sorted(p for p in (corpus_dir() / "drawings").iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"})
    pngs = [p for p in files if p.suffix.lower() == ".png"]
    jpegs = [p for p in files if p.suffix.lower() != ".png"]
    chosen = pngs + jpegs[: max(0, n - len(pngs))]
    assert len(chosen) == n
    return chosen


def stored_files(root) -> list[str]:
    """Every file below `root` (a local storage's folder), as sorted paths
    relative to it with forward slashes; [] when the folder does not exist."""
    root = Path(root)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def csrf_token(client, url: str) -> str:
    """GET `url` and return the CSRF token of the form on it."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def worker_database_url() -> str:
    """A DATABASE_URL naming the database the current test uses."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or "postgres"
    auth = f"{user}:{s['PASSWORD']}" if s.get("PASSWORD") else user
    return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


class WorkerProcess:
    """A real `celery worker` process on the test's database, media and broker."""

    def __init__(self, *, media_root: Path, log_path: Path, extra_env: dict | None = None):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            CELERY_TASK_ALWAYS_EAGER="false",
            DATABASE_URL=worker_database_url(),
            DJANGO_MEDIA_ROOT=str(media_root),
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            CELERY_BROKER_DIR=str(settings.BROKER_DIR),
        )
        env.update(extra_env or {})
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig=None):
        process_stop(self.proc, sig=sig)
        self._log.close()


def process_stop(proc: subprocess.Popen, *, sig=None, timeout: float = 20) -> None:
    """Send `sig` (default SIGTERM) to a running child, wait up to `timeout`
    seconds for it to end, then SIGKILL it."""
    if proc.poll() is not None:
        return
    if sig is None:
        proc.terminate()
    else:
        proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_until(predicate, *, timeout: float = 90, interval: float = 0.25, message="condition"):
    """Poll `predicate` until it returns a truthy value and return it; fail
    after `timeout` seconds with `message` (a string, or a callable so that
    logs are read late)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message() if callable(message) else message}")


def judge_entry_url(name: str, contest, judge, entry, *extra) -> str:
    """A judging URL (`judging:entry_score`, `entry_abstain`,
    `calibration_score`, `entry_image` with kind and format as `extra`)
    that names `entry` as `judge` knows it: by the judge's own token."""
    from django.urls import reverse

    from judging.selectors import entry_token

    return reverse(name, args=[contest.slug, entry_token(judge_id=judge.pk, entry_id=entry.pk), *extra])


def reset_broker_pools():
    """Drop pooled broker connections so the next publish uses the broker
    settings (and environment) in force now."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps pools per broker URL, closed ones too: with one Redis URL
    # for every test, the next test would be handed the pool closed above.
    kombu.pools.reset()


def guardian_token(entry, purpose=links.Purpose.MANAGE) -> str:
    """A working guardian link token for `entry`: gives the entry a known
    link secret (the same one on every call, so a confirmation and a
    management token of one entry both work) and signs it for `purpose`."""
    secret = f"test-link-secret-{entry.public_id}"
    Entry.objects.filter(pk=entry.pk).update(link_secret_hash=links.secret_hash(secret))
    entry.link_secret_hash = links.secret_hash(secret)
    return links.token_make(public_id=entry.public_id, secret=secret, purpose=purpose)


def mailed_guardian_links(body: str) -> dict[str, str]:
    """The guardian links in an e-mail's `body`: {"confirm": url, "manage": url}
    (only those present), as `contest.services.guardian_links` names them."""
    found = {}
    for url in re.findall(r"https?://\S+/guardian/(?:confirm|entry)/[^/\s]+/", body):
        found["confirm" if "/guardian/confirm/" in url else "manage"] = url
    return found


def organizer_room_urls(contest, entry, export_id):
    """Every organizers' room of `contest`, by name."""
    slug = contest.slug
    rooms = {
        name: reverse(name, args=[slug]) for name in (
            "contest:moderation", "contest:dashboard", "contest:audit_log", "contest:team", "judging:results",
            "judging:results_publish", "judging:results_csv", "judging:panel", "judging:rounds",
            "judging:calibration_report", "judging:audit", "judging:judges", "exports:exports", "exports:status",
        )
    }
    rooms["exports:download"] = reverse("exports:download", args=[slug, export_id])
    rooms["contest:rendition"] = reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"])
    return rooms
