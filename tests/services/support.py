"""Helpers for the tests against real services: worker processes, a Redis
broker of a test's own, a TCP proxy that can cut the road to storage, and
S3 listings."""

from __future__ import annotations

import hashlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from tests.helpers import ROOT, process_stop, worker_database_url
from tests.helpers import wait_until as wait_for  # noqa: F401 - the services tests import it from here

# What `scripts/with_services.sh` exports; the services tests fail without them.
REQUIRED_ENV = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "S3_BUCKET", "S3_ENDPOINT_URL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for_port(port: int, *, timeout: float = 30, what: str = "a server") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not listen on 127.0.0.1:{port} within {timeout}s")


class Worker:
    """A real `celery worker` process on the test database, the services'
    broker and S3 (the environment), with the test settings."""

    def __init__(self, *, log_path: Path, pool: str = "solo", concurrency: int = 1, extra_env: dict | None = None,
                 app: str = "config"):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            CELERY_TASK_ALWAYS_EAGER="false",
            DATABASE_URL=worker_database_url(),
        )
        env.update(extra_env or {})
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", app, "worker", f"--pool={pool}",
             f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat", f"--hostname=test-{log_path.stem}-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> "Worker":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return self
            if self.proc.poll() is not None:
                pytest.fail(f"the worker exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.1)
        pytest.fail(f"the worker was not ready within {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, nothing flushed."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        process_stop(self.proc)
        self._log.close()


class RedisServer:
    """A Redis of the test's own (no persistence), so that taking the broker
    down does not take the shared one (and the cache) with it."""

    def __init__(self, *, workdir: Path, port: int | None = None):
        self.port = port or free_port()
        self.workdir = workdir
        self.proc = None
        workdir.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed")
        self.proc = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=(self.workdir / "redis.log").open("ab"), stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, what="the test's Redis")
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to an upstream address. `down()` closes the
    listening socket and every open connection (clients get "connection
    refused", as from a dead store); `up()` listens again on the same port."""

    def __init__(self, *, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self._listener = None
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> "TcpProxy":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        self._thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._thread.start()
        return self

    def down(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            conns, self._conns = self._conns, set()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def _accept(self, listener):
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns.update({client, upstream})
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a, b):
        try:
            while True:
                readable, _w, _x = select.select([a, b], [], [], 1)
                for src in readable:
                    data = src.recv(65536)
                    if not data:
                        return
                    (b if src is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass
            with self._lock:
                self._conns.difference_update({a, b})


def s3_keys(prefix: str) -> list[str]:
    """Every object key under `prefix` (a storage name, without the
    storage's location), straight from the bucket: suffixed duplicates
    included."""
    location = default_storage.location.strip("/")
    full = f"{location}/{prefix}" if location else prefix
    return sorted(obj.key[len(location) + 1 if location else 0:] for obj in default_storage.bucket.objects.filter(Prefix=full))


def s3_multipart_uploads(prefix: str) -> list[str]:
    """The keys of the unfinished multipart uploads under `prefix` (a
    storage name, as for `s3_keys`): the bucket is shared by the whole run,
    so a test asks only about its own names."""
    location = default_storage.location.strip("/")
    full = f"{location}/{prefix}" if location else prefix
    answer = default_storage.connection.meta.client.list_multipart_uploads(Bucket=default_storage.bucket_name, Prefix=full)
    return [upload["Key"] for upload in answer.get("Uploads", [])]


FIELDS = {
    "child_first_name": "Aigerim",
    "child_last_name": "Servicesova",
    "child_birth_date": "2016-03-01",
    "country": "KZ",
    "region": "Almaty",
    "school": "",
    "description": "He checks the cars.",
    "guardian_name": "Saule Servicesova",
    "guardian_email": "saule@example.org",
    "guardian_relationship": "mother",
    "consent": "on",
    "publish_consent": "on",
}


def submit_through_view(*, contest, path: Path, title: str) -> str:
    """A parent's browser: GET the form (CSRF cookie and token), POST the
    drawing, follow to the receipt. Returns the reference on the receipt."""
    client = Client(enforce_csrf_checks=True)
    url = reverse("contest:entry_submit", args=[contest.slug])
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    with path.open("rb") as fh:
        response = client.post(url, {
            **FIELDS, "title": title, "image": fh, "csrfmiddlewaretoken": token,
            # One child and one guardian per drawing: the entry caps count
            # the same child and the same address. The name never appears
            # in the title (that would ask the parent to check the title).
            "child_first_name": f"Aigerim {hashlib.sha1(title.encode()).hexdigest()[:8]}",
            "guardian_email": f"saule+{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')}@example.org",
            "submission_token": found.group(1) if found else "",
        })
    assert response.status_code == 302, (response.status_code, response.content.decode()[:2000])
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    match = re.search(r"data-reference>([A-Z0-9-]+)<", receipt.content.decode())
    assert match, "no reference on the receipt"
    return match.group(1)
