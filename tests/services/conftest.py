"""Fixtures for the tests against real services (PostgreSQL, Redis, S3).

`make test-services` (scripts/with_services.sh) starts what is down and
exports the environment. Without it these tests fail, never skip: a CI run
that silently skipped them would claim a fault tolerance nobody checked.
"""

import os

import boto3
import pytest
import redis
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from storages.backends.s3 import S3Storage

from config.celery import app as celery_app
from tests.helpers import reset_broker_pools

from .support import REQUIRED_ENV, Worker


def _fail(message: str):
    pytest.fail(f"{message}\nRun these tests with `make test-services` (scripts/with_services.sh).", pytrace=False)


@pytest.fixture(scope="session")
def _services_checked():
    missing = [name for name in REQUIRED_ENV if not os.environ.get(name)]
    if missing:
        _fail(f"The services tests need {', '.join(missing)} in the environment.")
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        _fail(f"DATABASE_URL must name PostgreSQL, not {settings.DATABASES['default']['ENGINE']}.")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        _fail(f"CELERY_BROKER_URL must name Redis, not {settings.CELERY_BROKER_URL}.")
    for name in ("CELERY_BROKER_URL", "CACHE_URL"):
        try:
            redis.Redis.from_url(os.environ[name], socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            _fail(f"Redis at {name}={os.environ[name]} cannot be reached: {exc}")
    backend = type(storages["default"]).__name__
    if backend != "S3Storage":
        _fail(f"The default storage is {backend}, not S3Storage (S3_BUCKET).")
    try:
        boto3.client(
            "s3", endpoint_url=os.environ["S3_ENDPOINT_URL"], region_name=os.environ.get("S3_REGION", "us-east-1"),
            aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID", "x"),
            aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY", "x"),
        ).head_bucket(Bucket=os.environ["S3_BUCKET"])
    except Exception as exc:  # noqa: BLE001 - any failure means no S3
        _fail(f"The bucket {os.environ['S3_BUCKET']} at {os.environ['S3_ENDPOINT_URL']} cannot be reached: {exc}")


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Load and fault tests send many drawings from one address on purpose.
    settings.RATELIMIT_SUBMIT_IP = settings.RATELIMIT_SUBMIT_GUARDIAN = "100000/h"


@pytest.fixture(autouse=True)
def _services(_services_checked, request):
    if request.node.get_closest_marker("django_db"):
        # The database the test really uses, not just the settings.
        assert connection.vendor == "postgresql"


@pytest.fixture
def broker_clean():
    """An empty broker queue before and after the test: a message left over
    by another test must not reach this test's worker."""
    client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture
def services_broker(real_broker, broker_clean):
    """Publish to the services' Redis (not eagerly) from the test process."""
    reset_broker_pools()
    yield celery_app
    reset_broker_pools()


@pytest.fixture
def worker(services_broker, tmp_path):
    """Start real worker processes: `worker(pool=..., concurrency=..., **env)`;
    all are stopped after the test."""
    started = []

    def start(*, pool="solo", concurrency=1, app="config", **extra_env):
        w = Worker(log_path=tmp_path / f"worker{len(started)}.log", pool=pool, concurrency=concurrency,
                   extra_env=extra_env, app=app)
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


@pytest.fixture
def saves(monkeypatch):
    """The names of every whole file written through the S3 storage
    (`S3Storage._save`), in order: a direct upload must leave it empty."""
    written = []
    original = S3Storage._save

    def spy(self, name, content):
        written.append(name)
        return original(self, name, content)

    monkeypatch.setattr(S3Storage, "_save", spy)
    return written
