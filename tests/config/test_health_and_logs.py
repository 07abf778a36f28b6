"""/healthz, the request id from the request to the worker's task, JSON
logs, the cache that fails open, and Sentry staying off without a DSN."""

import datetime as dt
import json
import logging
import socket
import time

import pytest
from django.test import Client
from django.urls import reverse

from config import logs, request_id
from config.cache import FailOpenRedisCache, redis_cache_config
from config import health
from contest.models import Entry
from tests.contest.test_submission import form_data
from tests.factories.contest import ContestFactory
from tests.helpers import drawings

pytestmark = [pytest.mark.django_db]


def test_healthz_answers_200_with_every_check_and_its_latency(real_broker):
    response = Client().get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert sorted(body["checks"]) == ["broker", "cache", "database", "storage"]
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_part_that_is_down(real_broker, monkeypatch):
    def broken():
        raise OSError("No space left on device")

    monkeypatch.setitem(health.CHECKS, "storage", broken)
    response = Client().get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["storage"]["error"] == "OSError: No space left on device"
    assert body["checks"]["database"]["ok"] is True


def test_healthz_gives_up_on_a_hung_part_within_its_budget(real_broker, monkeypatch, settings):
    settings.HEALTHZ_TIMEOUT_SECONDS = 0.3
    monkeypatch.setitem(health.CHECKS, "storage", lambda: time.sleep(2))

    body = Client().get("/healthz").json()

    assert body["checks"]["storage"] == {"ok": False, "ms": 300.0, "error": "no answer within 0.3 s"}


def test_every_response_names_its_request_and_keeps_a_sane_given_id():
    client = Client()
    made = client.get("/healthz")["X-Request-ID"]
    given = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234")["X-Request-ID"]
    refused = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]

    assert len(made) == 32 and given == "lb-1234"
    assert refused != "bad id\nwith newline" and len(refused) == 32


def test_tasks_published_during_a_request_carry_its_id_to_the_worker():
    headers = {}
    request_id.use("upload-42")
    request_id._publish_with_request_id(headers=headers)

    class Task:
        class request:  # noqa: N801 - Celery's shape
            request_id = "upload-42"

    request_id.use("-")
    request_id._task_with_request_id(task=Task)

    assert headers == {"request_id": "upload-42"}
    assert request_id.current() == "upload-42"
    request_id._task_done()
    assert request_id.current() == "-"


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("contest.tasks", logging.INFO, __file__, 1, "rendering entry %s", (7,), None)
    request_id.use("upload-42")
    request_id.RequestIdFilter().filter(record)

    line = json.loads(logs.JsonFormatter().format(record))

    assert (line["request_id"], line["message"], line["level"]) == ("upload-42", "rendering entry 7", "INFO")
    request_id.use("-")


def test_sentry_stays_off_without_a_dsn():
    assert logs.sentry_init(dsn="", environment="test") is False


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_cache_on_a_dead_redis_fails_open_with_a_log_line(caplog):
    config = redis_cache_config(url=f"redis://127.0.0.1:{closed_port()}/0", socket_timeout=0.5, retry_after=0)
    cache = FailOpenRedisCache(config["LOCATION"], {k: v for k, v in config.items() if k not in ("BACKEND", "LOCATION")})

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        answers = (cache.get("k", "default"), cache.set("k", 1), cache.add("k", 1), cache.incr("k"),
                   cache.get_many(["k"]), cache.delete("k"))

    assert answers == ("default", None, True, 1, {}, False)
    assert "cache unavailable" in caplog.text


def test_rate_limits_let_a_submission_through_when_the_cache_is_down(settings):
    port = closed_port()
    settings.CACHES = {"default": redis_cache_config(url=f"redis://127.0.0.1:{port}/0", socket_timeout=0.5)}
    settings.RATELIMIT_SUBMIT_IP = "1/h"
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))

    with drawings(1)[0].open("rb") as fh:
        response = Client().post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 302
    assert Entry.objects.filter(contest=contest).count() == 1
