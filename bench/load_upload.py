#!/usr/bin/env python
"""Upload load benchmark (a measurement, not a test).

N parents upload real drawings at the same moment to gunicorn (sync
workers, production settings, behind an assumed TLS proxy) on loopback; a
Celery worker renders every entry from Redis; originals and renditions go to
S3. Reports uploads per second, p50/p95 upload latency, and the time from
submission to ready, with the machine's figures.

    make bench-load                      # starts the services, then runs this
    scripts/with_services.sh .venv/bin/python bench/load_upload.py --uploads 50 --runs 3

Uses its own database (`<name>_bench`, dropped and created) so the portal's
data is never touched. The S3 endpoint of `make bench-load` is moto's
server, in memory: slower than MinIO or S3 per request, so the figures are
for this stack, on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_client import (  # noqa: E402
    Gunicorn,
    collectstatic,
    latency_summary,
    percentile,
    production_env,
    run_uploads,
)

REQUIRED = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "S3_BUCKET")


def bench_database_url(url: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + "_bench"))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        info["memory_gb"] = round(int(meminfo[0].split()[1]) / 1024 / 1024, 1)
    except (OSError, IndexError, ValueError):
        pass
    return info


def service_versions() -> dict:
    import celery
    import django
    import gunicorn
    import redis

    from django.db import connection

    versions = {"django": django.get_version(), "celery": celery.__version__, "gunicorn": gunicorn.__version__}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        versions["postgresql"] = cursor.fetchone()[0]
    versions["redis"] = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).info("server")["redis_version"]
    endpoint = os.environ.get("S3_ENDPOINT_URL", "")
    versions["s3"] = f"{endpoint} (moto server)" if endpoint.startswith("http://127.0.0.1") else endpoint or "AWS S3"
    return versions


def start_worker(env: dict, log_path: Path, concurrency: int, name: str = "bench") -> subprocess.Popen:
    log = log_path.open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", f"--concurrency={concurrency}",
         "--without-gossip", "--without-mingle", "--without-heartbeat", f"--hostname={name}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if " ready." in log_path.read_text(errors="replace"):
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit(f"the worker did not start:\n{log_path.read_text(errors='replace')[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def drawings(n: int, offset: int) -> list[Path]:
    corpus = Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus")) / "drawings"
    files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"})
    if len(files) < n:
        raise SystemExit(f"only {len(files)} drawings in {corpus}")
    return [files[(offset + i) % len(files)] for i in range(n)]


def contest_create(run: int):
    import datetime as dt

    from django.utils import timezone

    from contest.models import AgeCategory, Contest

    now = timezone.now()
    contest = Contest.objects.create(
        title=f"Load run {run}", slug=f"load-{run}-{int(time.time())}", theme="Borders", rules="One drawing.",
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1),
        age_reference_date=dt.date(2026, 6, 15),
    )
    for name, lo, hi in (("6-9", 6, 9), ("10-13", 10, 13), ("14-17", 14, 17)):
        AgeCategory.objects.create(contest=contest, name=name, min_age=lo, max_age=hi)
    return contest


def one_run(*, run: int, base_url: str, uploads: int, concurrency: int, timeout: float) -> dict:
    from contest.models import Entry

    contest = contest_create(run)
    results, wall = run_uploads(
        base_url=base_url, slug=contest.slug, files=drawings(uploads, offset=run * uploads), concurrency=concurrency
    )
    ok = [u for u in results if u.status == 302 and u.reference]
    errors = [u for u in results if u not in ok]
    first_submit = min(u.started for u in results)
    deadline = time.monotonic() + timeout
    entries = Entry.objects.filter(contest=contest)
    while time.monotonic() < deadline and entries.exclude(processing_status__in=["ready", "failed"]).exists():
        time.sleep(0.2)
    done = dict(entries.values_list("reference", "processed_at"))
    statuses = list(entries.values_list("processing_status", flat=True))
    to_ready = [done[u.reference].timestamp() - u.submitted for u in ok if done.get(u.reference)]
    last_ready = max((t.timestamp() for t in done.values() if t), default=float("nan"))
    latencies = [u.latency for u in ok]
    return {
        "uploads": uploads,
        "concurrency": concurrency,
        "accepted": len(ok),
        "errors": [(u.status, u.error[:200]) for u in errors],
        "server_errors": sum(1 for u in results if u.status >= 500),
        "wall_seconds": wall,
        "uploads_per_second": len(ok) / wall if wall else float("nan"),
        "upload_latency": latency_summary(latencies),
        "submit_to_ready": latency_summary(to_ready),
        "first_submit_to_all_ready_seconds": last_ready - first_submit,
        "ready": statuses.count("ready"),
        "failed": statuses.count("failed"),
        "entries": len(statuses),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for rendering per run")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench-load.json")
    args = parser.parse_args()

    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise SystemExit(f"set {', '.join(missing)} (run `make bench-load`)")
    workdir = ROOT / "var" / "bench-load"
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = bench_database_url(os.environ["DATABASE_URL"])
    recreate_database(database_url)
    env = production_env(database_url=database_url, static_root=workdir / "static", mail_dir=workdir / "mail",
                         extra={"EMAIL_FILE_PATH": str(workdir / "mail")})
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    collectstatic(env)
    os.environ.update(env)
    import django

    django.setup()

    worker = start_worker(env, workdir / "worker.log", args.worker_concurrency)
    web = Gunicorn(env=env, log_path=workdir / "gunicorn.log", workers=args.web_workers)
    runs = []
    try:
        web.wait_ready()
        for run in range(args.runs):
            runs.append(one_run(run=run, base_url=web.base_url, uploads=args.uploads, concurrency=args.concurrency,
                                timeout=args.timeout))
    finally:
        web.stop()
        stop(worker)
        versions = service_versions()
        from django.db import connections

        connections.close_all()
        if not args.keep_database:
            drop_database(database_url)

    report = {"machine": machine(), "versions": versions, "web_workers": args.web_workers,
              "worker_concurrency": args.worker_concurrency, "runs": runs}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, default=str))

    m = report["machine"]
    print(f"\nMachine: {m.get('cpu', '?')}, {m['cores']} cores, {m.get('memory_gb', '?')} GB; Python {m['python']}")
    print("Stack: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"gunicorn {args.web_workers} sync workers; Celery worker prefork x{args.worker_concurrency}; "
          f"{args.uploads} uploads, {args.concurrency} at once, {args.runs} run(s)\n")
    header = f"{'run':>3} {'ok':>4} {'5xx':>4} {'uploads/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} " \
             f"{'ready p50 s':>11} {'ready p95 s':>11} {'all ready s':>11}"
    print(header)
    for i, r in enumerate(runs):
        lat, ready = r["upload_latency"], r["submit_to_ready"]
        print(f"{i:>3} {r['accepted']:>4} {r['server_errors']:>4} {r['uploads_per_second']:>9.1f} "
              f"{lat['p50'] * 1000:>7.0f} {lat['p95'] * 1000:>7.0f} {lat['max'] * 1000:>7.0f} "
              f"{ready['p50']:>11.2f} {ready['p95']:>11.2f} {r['first_submit_to_all_ready_seconds']:>11.2f}")
    if len(runs) > 1:
        ups = [r["uploads_per_second"] for r in runs]
        print(f"\nmedian of runs: {percentile(ups, 50):.1f} uploads/s")
    print(f"\nJSON: {args.json}")
    bad = [r for r in runs if r["server_errors"] or r["accepted"] != r["uploads"] or r["ready"] != r["uploads"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
