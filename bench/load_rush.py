#!/usr/bin/env python
"""The deadline rush, simulated (a measurement, not a test).

Two web nodes (gunicorn sync workers, production settings, each with its
own local upload folder) behind a round-robin proxy (bench/load_proxy.py),
two Celery workers, PostgreSQL, Redis and S3 (moto's server). Parents'
browsers arrive at a steady rate (20 per second by default, 200 uploads)
and send their drawing as a resumable upload straight to S3
(`contest.direct_uploads`, production's path), each step to the other node:
the form, open the upload, every further part after asking the other node
which parts S3 holds, complete, submit, the receipt.

    make bench-rush
    S3_UPLOAD_PART_MIN_SIZE=65536 scripts/with_services.sh .venv/bin/python bench/load_rush.py

The corpus drawings weigh 0.1-0.3 MB, so parts are `--part-bytes` (64 KiB)
for every drawing to come in several parts; moto's server must accept
parts that small (`S3_UPLOAD_PART_MIN_SIZE`, as `make bench-rush` sets; S3
itself wants 5 MiB, the portal's default). Prints `name=value` lines: errors
(any upload not answered with a receipt), receipts and rows, upload time
(opening the upload to the submit's answer) p50/p95, time from submission
to rendered, the CPU seconds the web nodes and the workers spent (from
/proc), and per-core rates for the extrapolation in the README. Writes the
lines to `--out` as well. Uses its own database (`<name>_bench`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_client import Gunicorn, collectstatic, free_port, percentile, production_env, run_paced  # noqa: E402
from bench.load_upload import (  # noqa: E402
    REQUIRED,
    bench_database_url,
    contest_create,
    drawings,
    drop_database,
    machine,
    recreate_database,
    start_worker,
    stop,
)

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and every live descendant (/proc)."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        times[child] = (int(fields[11]) + int(fields[12])) / TICKS
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo.extend(c for c, p in parents.items() if p == current)
    return total


def moto_pid() -> int | None:
    """The pid of the moto server at `S3_ENDPOINT_URL` (scripts/with_services.sh starts it), or None."""
    port = os.environ.get("S3_ENDPOINT_URL", "").rsplit(":", 1)[-1]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(a.endswith(b"moto_server") for a in args) and port.encode() in args:
            return int(cmdline.parent.name)
    return None


def wait_listening(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def rush(*, base_url: str, uploads: int, rate: float, timeout: float, procs: dict, run: int = 0) -> dict:
    """One rush on a fresh contest; the figures as `{name: value}`."""
    from contest.models import Entry, GuardianMail

    contest = contest_create(run)
    before = {name: cpu_seconds(proc.pid) for name, proc in procs.items()}
    results, wall = run_paced(base_url=base_url, slug=contest.slug, files=drawings(uploads, offset=run * 200), rate=rate)
    entries = Entry.objects.filter(contest=contest)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and entries.exclude(processing_status__in=["ready", "failed"]).exists():
        time.sleep(0.2)
    after = {name: cpu_seconds(proc.pid) for name, proc in procs.items()}
    ok = [u for u in results if u.status == 302 and u.reference and not u.error]
    done = dict(entries.values_list("reference", "processed_at"))
    statuses = list(entries.values_list("processing_status", flat=True))
    to_ready = [done[u.reference].timestamp() - u.submitted for u in ok if done.get(u.reference)]
    latencies = [u.latency for u in ok]
    web_cpu = sum(after[n] - before[n] for n in procs if n.startswith("web"))
    worker_cpu = sum(after[n] - before[n] for n in procs if n.startswith("worker"))
    other_cpu = {n: round(after[n] - before[n], 1) for n in procs if n in ("proxy", "s3")}
    steps = [node for u in results for node in u.nodes]
    figures = {
        "uploads": uploads,
        "rate_per_s": rate,
        "arrival_s": round(wall, 2),
        "errors": len(results) - len(ok),
        "server_errors": sum(1 for u in results if u.status >= 500),
        "receipts": len(ok),
        "rows": len(statuses),
        "receipts_match_rows": int(sorted(u.reference for u in ok) == sorted(done)),
        "parts_per_upload_mean": round(sum(u.parts for u in results) / len(results), 2),
        "uploads_on_both_nodes": sum(1 for u in ok if {"0", "1"} <= set(u.nodes)),
        "steps_node0": steps.count("0"),
        "steps_node1": steps.count("1"),
        "upload_p50_s": round(percentile(latencies, 50), 3),
        "upload_p95_s": round(percentile(latencies, 95), 3),
        "upload_max_s": round(max(latencies, default=float("nan")), 3),
        "ready": statuses.count("ready"),
        "failed": statuses.count("failed"),
        "submit_to_ready_p50_s": round(percentile(to_ready, 50), 2),
        "submit_to_ready_p95_s": round(percentile(to_ready, 95), 2),
        "submit_to_ready_max_s": round(max(to_ready, default=float("nan")), 2),
        "rendered_within_60s": sum(1 for t in to_ready if t <= 60),
        "receipt_mails_sent": GuardianMail.objects.filter(entry__contest=contest, kind="receipt",
                                                          sent_at__isnull=False).count(),
        "web_cpu_s": round(web_cpu, 1),
        "worker_cpu_s": round(worker_cpu, 1),
        "proxy_cpu_s": other_cpu.get("proxy", float("nan")),
        "s3_cpu_s": other_cpu.get("s3", float("nan")),
        "web_uploads_per_core_s": round(len(ok) / web_cpu, 1) if web_cpu else float("nan"),
        "worker_entries_per_core_s": round(statuses.count("ready") / worker_cpu, 2) if worker_cpu else float("nan"),
    }
    figures["first_errors"] = "; ".join(f"{u.status} {u.error[:120]}" for u in results if u not in ok)[:600] or "-"
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20, help="uploads started per second")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn sync workers per node")
    parser.add_argument("--worker-concurrency", type=int, default=1, help="prefork children per Celery worker")
    parser.add_argument("--part-bytes", type=int, default=64 * 1024)
    parser.add_argument("--warmup", type=int, default=12, help="uploads sent (slowly) before the measured rush")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for rendering")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "rush.txt")
    args = parser.parse_args()

    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise SystemExit(f"set {', '.join(missing)} (run `make bench-rush`)")
    workdir = ROOT / "var" / "bench-rush"
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = bench_database_url(os.environ["DATABASE_URL"])
    recreate_database(database_url)
    env = production_env(database_url=database_url, static_root=workdir / "static", mail_dir=workdir / "mail",
                         extra={"UPLOAD_DIRECT_S3": "true", "UPLOAD_PART_BYTES": str(args.part_bytes)})
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    collectstatic(env)
    os.environ.update(env)
    import django

    django.setup()

    procs, nodes = {}, []
    proxy = None
    try:
        for n in (0, 1):
            procs[f"worker{n}"] = start_worker(env, workdir / f"worker{n}.log", args.worker_concurrency, name=f"rush{n}")
        for n in (0, 1):
            # Each node its own local upload folder: nothing may need another node's disk.
            node_env = {**env, "CHUNKED_UPLOAD_DIR": str(workdir / f"node{n}-chunks")}
            nodes.append(Gunicorn(env=node_env, log_path=workdir / f"node{n}.log", workers=args.web_workers))
        for n, node in enumerate(nodes):
            procs[f"web{n}"] = node.wait_ready().proc
        port = free_port()
        proxy = subprocess.Popen([sys.executable, str(ROOT / "bench" / "load_proxy.py"), "--port", str(port),
                                  *(f"127.0.0.1:{node.port}" for node in nodes)], cwd=ROOT)
        wait_listening(port)
        procs["proxy"] = proxy
        found = moto_pid()
        if found:
            procs["s3"] = SimpleNamespace(pid=found)  # measured, not ours to stop
        # Every gunicorn and Celery process warmed (imports, first queries,
        # first decode) before anything is measured.
        rush(base_url=f"http://127.0.0.1:{port}", uploads=args.warmup, rate=2, timeout=args.timeout, procs=procs, run=1)
        figures = rush(base_url=f"http://127.0.0.1:{port}", uploads=args.uploads, rate=args.rate,
                       timeout=args.timeout, procs=procs)
    finally:
        if proxy is not None:
            stop(proxy)
        for node in nodes:
            node.stop()
        for name, proc in procs.items():
            if name.startswith("worker"):
                stop(proc)
        from django.db import connections

        connections.close_all()
        drop_database(database_url)

    m = machine()
    lines = [f"cpu={m.get('cpu', '?')}", f"cores={m['cores']}", f"load_average_1m={os.getloadavg()[0]:.2f}",
             f"web_nodes=2", f"gunicorn_workers_per_node={args.web_workers}", "celery_workers=2",
             f"celery_concurrency_per_worker={args.worker_concurrency}", f"part_bytes={args.part_bytes}",
             *(f"{k}={v}" for k, v in figures.items())]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    good = (figures["errors"] == 0 and figures["receipts_match_rows"] and figures["ready"] == args.uploads
            and figures["rendered_within_60s"] == args.uploads)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
