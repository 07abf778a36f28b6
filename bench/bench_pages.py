"""Benchmark: the public pages under gunicorn's sync workers, and the
embedded worker's broker.

    .venv/bin/python bench/bench_pages.py               # 5 s a measure
    .venv/bin/python bench/bench_pages.py --seconds 10

It builds a throwaway SQLite database in a temporary folder with one
contest whose results are published: 48 winners in 3 age categories, every
rendition in both formats (`tests.factories.contest.gallery_contest`).
Then, in the same run, against gunicorn (sync workers, one per core, the
test settings: local-memory cache, Debug off):
- the gallery with the page cache off (PUBLIC_PAGE_CACHE_SECONDS=0), in
  turns of a second with the reference gallery (bench/pages_wsgi.py: the
  same 48 winners the plain Django way), then with the page cache on; the
  home page likewise;
- a bare Django view ("ok" behind the same middleware, bench/pages_wsgi.py),
  the floor; `gallery_cached_vs_bare` is the share of it the cached gallery
  reaches (the goal: at least 0.4);
- the gallery's HTML: bytes as sent and gzipped (as the portal sends it to a
  browser that accepts gzip);
- the embedded default worker's broker (kombu's filesystem transport): the
  time for a Celery worker of 2 processes to drain 48 queued tasks that do
  nothing (`celery.accumulate`), with the settings of config/settings/worker.py
  and with kombu's defaults (polling every second, one task ahead); the
  demo's drawings take about 0.15 s each to render on top of that.

Requests come from `--clients` threads of this process, a new connection
each (sync workers close it), so the figures are the machine's, client
included: compare them within one run. Prints `name=value` lines.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_client import Gunicorn, free_port  # noqa: E402


def build(env: dict) -> str:
    """Migrate the database and load the 48 winners; the contest's slug."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.factories.contest import gallery_contest

    return gallery_contest().slug


def rate(port: int, path: str, *, seconds: float, clients: int) -> float:
    """Requests per second that `clients` threads get answered (200) in `seconds`."""
    done = [0] * clients
    errors = []
    stop = time.monotonic() + seconds

    def run(i):
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers={"Accept-Language": "ru"})
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                errors.append(response.status)
                return
            done[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{path}: status {errors[0]}")
    return sum(done) / (time.monotonic() - start)


def fetch(port: int, path: str, **headers) -> tuple[bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept-Language": "ru", **headers})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return body, dict(response.getheaders())


class Server(Gunicorn):
    """bench/pages_wsgi.py (the portal and the bare view) under gunicorn's
    sync workers, one per core."""

    def __init__(self, *, env: dict, log_path: Path):
        self.port = free_port()
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "bench.pages_wsgi:application",
             "--workers", str(os.cpu_count() or 2), "--bind", f"127.0.0.1:{self.port}", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )


def pages(env: dict, tmp: Path, slug: str, args) -> None:
    gallery, home, reference = f"/contests/{slug}/winners/", "/", f"/bench/reference-gallery/{slug}/"
    results = {}
    for cached in (False, True):
        run_env = {**env, "PUBLIC_PAGE_CACHE_SECONDS": "300" if cached else "0"}
        server = Server(env=run_env, log_path=tmp / "gunicorn.log").wait_ready()
        try:
            label = "cached" if cached else "uncached"
            for path in (gallery, home, "/bench/bare/", reference):
                for _ in range(4 * (os.cpu_count() or 2)):  # each worker's first requests, and its cache
                    fetch(server.port, path)
            if cached:
                results["gallery_cached"] = rate(server.port, gallery, seconds=args.seconds, clients=args.clients)
            else:
                # The gallery and the reference in turns, one second each, so
                # that a change in the machine's load falls on both alike.
                turns = max(1, round(args.seconds))
                both = [(rate(server.port, gallery, seconds=1, clients=args.clients),
                         rate(server.port, reference, seconds=1, clients=args.clients)) for _ in range(turns)]
                results["gallery_uncached"] = sum(g for g, _ in both) / turns
                results["reference_gallery"] = sum(r for _, r in both) / turns
            results[f"home_{label}"] = rate(server.port, home, seconds=args.seconds, clients=args.clients)
            if cached:
                results["bare_view"] = rate(server.port, "/bench/bare/", seconds=args.seconds, clients=args.clients)
                raw, _ = fetch(server.port, gallery)
                sent, headers = fetch(server.port, gallery, **{"Accept-Encoding": "gzip"})
        finally:
            server.stop()
    for name, value in results.items():
        print(f"{name}_per_s={value:.0f}")
    print(f"gallery_uncached_vs_reference={results['gallery_uncached'] / results['reference_gallery']:.2f}")
    print(f"gallery_cached_vs_reference={results['gallery_cached'] / results['reference_gallery']:.2f}")
    print(f"gallery_cached_vs_uncached={results['gallery_cached'] / results['gallery_uncached']:.2f}")
    print(f"gallery_cached_vs_bare={results['gallery_cached'] / results['bare_view']:.2f}")
    cards = raw.count(b'class="card gallery-card')
    print(f"gallery_cards={cards}")
    print(f"gallery_html_bytes={len(raw)}")
    print(f"gallery_html_gzip_bytes={len(sent)}  # Content-Encoding: {headers.get('Content-Encoding', 'none')}")
    print(f"gallery_html_gzip9_bytes={len(gzip.compress(raw, 9))}")


def drain(env: dict, tmp: Path, *, polling: str | None, prefetch: str | None, tasks: int = 48) -> float:
    """Seconds for a Celery worker (2 processes, filesystem broker under
    `tmp`) to run `tasks` queued no-op tasks, from the first one queued."""
    broker = tmp / f"broker-{polling or 'default'}"
    for sub in ("queue", "processed", "control"):
        (broker / sub).mkdir(parents=True, exist_ok=True)
    run_env = {**env, "CELERY_BROKER_DIR": str(broker), "CELERY_TASK_ALWAYS_EAGER": "false"}
    run_env.pop("CELERY_BROKER_URL", None)
    if polling is not None:
        run_env["CELERY_BROKER_POLLING_SECONDS"] = polling
    if prefetch is not None:
        run_env["CELERY_WORKER_PREFETCH_MULTIPLIER"] = prefetch
    log = tmp / f"worker-{polling or 'default'}.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=run_env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while b"ready." not in log.read_bytes():
            if time.monotonic() > deadline or worker.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace"))
            time.sleep(0.2)
        queue = (
            "import sys; from config.celery import app\n"
            f"for i in range({tasks}): app.send_task('celery.accumulate', args=(i,))\n"
        )
        start = time.monotonic()
        subprocess.run([sys.executable, "-c", queue], cwd=ROOT, env=run_env, check=True)
        while len(re.findall(rb"succeeded in", log.read_bytes())) < tasks:
            if time.monotonic() - start > 300:
                raise RuntimeError("the worker did not drain the queue in 300 s")
            time.sleep(0.05)
        return time.monotonic() - start
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each rate measure")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--skip-worker", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }
    try:
        slug = build(env)
        print(f"cpus={os.cpu_count()}  # gunicorn sync workers, one per core; {args.clients} client threads")
        pages(env, tmp, slug, args)
        if not args.skip_worker:
            tuned = drain(env, tmp, polling=None, prefetch=None)
            kombu = drain(env, tmp, polling="1.0", prefetch="1")
            print(f"worker_drain_48_tasks_s={tuned:.1f}  # polling 0.1 s, 4 tasks ahead (config/settings/worker.py)")
            print(f"worker_drain_48_tasks_kombu_defaults_s={kombu:.1f}  # polling 1 s, 1 task ahead")
            print(f"worker_drain_48_drawings_estimate_s={tuned + 48 * 0.15 / 2:.1f}  # + 0.15 s a rendition on 2 processes")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
