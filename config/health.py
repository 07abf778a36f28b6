"""`/healthz` for the load balancer: the database, the cache, the broker
and the file store, each checked at once in its own thread with a short
budget (`HEALTHZ_TIMEOUT_SECONDS`), answered as JSON with each one's state
and latency in milliseconds: 200 when all are up, 503 otherwise. No
session, no cookies, never cached."""

from __future__ import annotations

import concurrent.futures
import logging
import time
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

_pool = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="healthz")


def check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # This thread's own connection: no request cycle closes it.
        connection.close()


def check_cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()  # Redis: the real state, past the fail-open wrapper
        return
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("the cache did not keep a value")


def check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem"):
        folder = Path((current_app.conf.broker_transport_options or {}).get("data_folder_in", ""))
        # The filesystem transport: its folder must be there and writable.
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".healthz"
        probe.write_bytes(b"")
        probe.unlink()
        return
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.HEALTHZ_TIMEOUT_SECONDS)
        client = getattr(conn.default_channel, "client", None)
        if client is not None:
            client.ping()  # Redis: a hung server accepts connections but never answers


def check_storage() -> None:
    default_storage.exists("healthz/probe")


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker, "storage": check_storage}


def _timed(check) -> tuple[bool, float, str]:
    started = time.monotonic()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return False, (time.monotonic() - started) * 1000, f"{type(exc).__name__}: {exc}"[:200]
    return True, (time.monotonic() - started) * 1000, ""


def health_report(*, timeout: float) -> dict[str, dict]:
    """{name: {"ok": bool, "ms": float, "error": str}} for every check in
    `CHECKS`, run in parallel; a check still running after `timeout`
    seconds counts as down."""
    futures = {name: _pool.submit(_timed, check) for name, check in CHECKS.items()}
    concurrent.futures.wait(futures.values(), timeout=timeout)
    report = {}
    for name, future in futures.items():
        if future.done():
            ok, ms, error = future.result()
        else:
            ok, ms, error = False, timeout * 1000, f"no answer within {timeout:g} s"
        report[name] = {"ok": ok, "ms": round(ms, 1), **({"error": error} if error else {})}
    return report


@never_cache
@require_GET
def healthz(request):
    """200 {"status": "ok", "checks": {...}} when every part answers, 503
    {"status": "down", ...} otherwise (logged)."""
    report = health_report(timeout=settings.HEALTHZ_TIMEOUT_SECONDS)
    healthy = all(item["ok"] for item in report.values())
    if not healthy:
        logger.warning("health check failed: %s", {k: v for k, v in report.items() if not v["ok"]})
    return JsonResponse({"status": "ok" if healthy else "down", "checks": report}, status=200 if healthy else 503)
