"""Faults, one at a time, against PostgreSQL, Redis, the S3 test server and
real worker processes: a file store refusing, hung or full at submission;
Redis stopped and frozen; a worker's pool child killed mid-render; a
drawing that kills the renderer every time; storage down while rendering,
retried automatically; and 50 parents at once against the run command's
server. Each says what the parent gets and what is left behind."""

import datetime as dt
import hashlib
import os
import re
import signal
import socket
import subprocess
import threading
import time
from urllib.parse import urlparse

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.load_client import collectstatic, production_env, run_uploads
from config.cache import redis_cache_config
from contest.models import Contest, Entry, GuardianMail, SweepRun
from contest.services import jobs
from tests.factories.contest import ContestFactory, published_winner
from tests.helpers import ROOT, drawings, process_stop, reset_broker_pools, worker_database_url

from .support import FIELDS, RedisServer, TcpProxy, free_port, s3_keys, submit_through_view, wait_for, wait_for_port
from .test_fault_tolerance import assert_one_rendition_set

pytestmark = [pytest.mark.services, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SORRY = "We could not save your drawing. Please try again in a few minutes."


def contest_open():
    return ContestFactory(age_reference_date=dt.date(2026, 6, 15))


def gallery_contest():
    contest = ContestFactory(title="Published")
    published_winner(contest, place=1)
    Contest.objects.filter(pk=contest.pk).update(results_published_at=timezone.now())
    return contest


class SilentServer:
    """Accepts TCP connections and never answers: a hung S3 endpoint."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def s3_at(settings, endpoint: str):
    default = settings.STORAGES["default"]
    settings.STORAGES = {
        **settings.STORAGES, "default": {**default, "OPTIONS": {**default["OPTIONS"], "endpoint_url": endpoint}},
    }


def post_drawing(contest, path, *, title="A drawing"):
    client = Client()
    with path.open("rb") as fh:
        started = time.monotonic()
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), {
            **FIELDS, "title": title, "image": fh,
        })
    return response, time.monotonic() - started


@pytest.mark.parametrize("fault", ["refusing", "hung", "full"])
def test_a_store_refusing_hung_or_full_at_submission_answers_503_soon_and_keeps_nothing(settings, fault):
    contest, published = contest_open(), gallery_contest()
    before = s3_keys("originals/")
    real = settings.STORAGES
    silent = SilentServer()
    if fault == "refusing":
        s3_at(settings, f"http://127.0.0.1:{free_port()}")  # nothing listens: connection refused
    elif fault == "hung":
        s3_at(settings, f"http://127.0.0.1:{silent.port}")
    else:
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.contest.refusing_storage.FullDiskStorage"}}

    response, took = post_drawing(contest, drawings(1)[0])
    home = Client().get("/")
    gallery = Client().get(reverse("contest:gallery", args=[published.slug]))
    silent.close()
    settings.STORAGES = real  # to look into the real bucket

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert SORRY in response.content.decode()
    # The web's S3 budget (a 2 s connect, a 5 s read, one retry: about 12 s
    # for a silent store) plus reading the photo: well under gunicorn's 60 s.
    assert took < 30, f"the parent waited {took:.1f}s"
    assert Entry.objects.filter(contest=contest).count() == 0
    assert GuardianMail.objects.count() == 0
    assert s3_keys("originals/") == before
    assert (home.status_code, gallery.status_code) == (200, 200)


def test_redis_stopped_then_frozen_submissions_accepted_gallery_answers_rendered_once_it_is_back(
    worker, settings, tmp_path, monkeypatch,
):
    own = RedisServer(workdir=tmp_path / "redis").start()
    monkeypatch.setenv("CELERY_BROKER_URL", own.url)
    settings.CACHES = {"default": redis_cache_config(url=own.url.replace("/0", "/1"), socket_timeout=0.5)}
    settings.RATELIMIT_SUBMIT_IP = "1000/h"
    reset_broker_pools()
    jobs.broker_mark(down=False)
    w = worker(CELERY_BROKER_URL=own.url).wait_ready()
    contest, published = contest_open(), gallery_contest()
    files = drawings(3)

    own.kill()
    stopped_ref = submit_through_view(contest=contest, path=files[1], title="While Redis was stopped")
    stopped_gallery = Client().get(reverse("contest:gallery", args=[published.slug])).status_code

    own.start()
    jobs.broker_mark(down=False)
    reset_broker_pools()
    own.proc.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        frozen_ref = submit_through_view(contest=contest, path=files[2], title="While Redis was frozen")
        took = time.monotonic() - started
        frozen_gallery = Client().get(reverse("contest:gallery", args=[published.slug])).status_code
    finally:
        own.proc.send_signal(signal.SIGCONT)

    assert (stopped_gallery, frozen_gallery) == (200, 200)
    assert took < 20, f"the parent waited {took:.1f}s for a frozen Redis"
    entries = Entry.objects.filter(reference__in=[stopped_ref, frozen_ref])
    assert sorted(entries.values_list("processing_status", flat=True)) == ["received", "received"]
    # Redis is back: the sweeper (beat, every minute) publishes what was owed.
    jobs.broker_mark(down=False)
    reset_broker_pools()
    Entry.objects.filter(pk__in=entries).update(updated_at=timezone.now() - dt.timedelta(minutes=10))
    assert call_command("sweep_stuck_entries") is None
    wait_for(lambda: entries.filter(processing_status="ready").count() == 2, timeout=90,
             message=lambda: f"both entries rendered; worker log:\n{w.log()[-3000:]}")
    for entry in entries:
        assert_one_rendition_set(entry)
    own.kill()


def crash_marker(tmp_path, path, kind):
    folder = tmp_path / "crash"
    folder.mkdir(exist_ok=True)
    (folder / f"{hashlib.sha256(path.read_bytes()).hexdigest()}.{kind}").touch()
    return folder


def renders_of(log, entry):
    return len(re.findall(rf"rendering entry {entry.pk} \(", log))


def test_pool_child_killed_mid_render_redelivered_once_without_a_second_task_chain(worker, tmp_path):
    contest = contest_open()
    drawing = drawings(5)[4]
    folder = crash_marker(tmp_path, drawing, "once")
    w = worker(pool="prefork", concurrency=1, app="tests.services.crashing_app", CRASH_DIR=str(folder)).wait_ready()
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])

    reference = submit_through_view(contest=contest, path=drawing, title="Killed mid-render")
    entry = Entry.objects.get(reference=reference)
    wait_for(lambda: Entry.objects.filter(pk=entry.pk, processing_status__in=["ready", "failed"]).exists(),
             timeout=90, message=lambda: f"the redelivered task to finish; log:\n{w.log()[-3000:]}")
    # The beat sweeper now finds nothing to queue, and nothing else waits.
    call_command("sweep_stuck_entries", "--older-than", "0")

    entry.refresh_from_db()
    assert "exited with 'signal 9 (SIGKILL)'" in w.log()
    assert (entry.processing_status, entry.render_attempts, entry.render_lease_until) == ("ready", 0, None)
    assert renders_of(w.log(), entry) == 2  # the killed run and its redelivery, no third
    assert SweepRun.objects.get().requeued == 0
    assert broker.llen("celery") == 0
    assert_one_rendition_set(entry)


def test_a_drawing_that_kills_the_renderer_every_time_fails_after_three_attempts(worker, tmp_path):
    contest = contest_open()
    drawing = drawings(6)[5]
    folder = crash_marker(tmp_path, drawing, "always")
    w = worker(pool="prefork", concurrency=1, app="tests.services.crashing_app", CRASH_DIR=str(folder)).wait_ready()

    reference = submit_through_view(contest=contest, path=drawing, title="Poison")
    entry = Entry.objects.get(reference=reference)
    wait_for(lambda: Entry.objects.filter(pk=entry.pk, processing_status="failed").exists(), timeout=120,
             message=lambda: f"the poison drawing to be failed; log:\n{w.log()[-3000:]}")
    call_command("sweep_stuck_entries", "--older-than", "0")

    entry.refresh_from_db()
    assert entry.processing_error.startswith("The rendering stopped 3 times on this drawing without finishing")
    assert entry.render_retry_at is None  # not retried automatically: a permanent failure
    assert renders_of(w.log(), entry) == 4  # three killed, the fourth refused
    assert SweepRun.objects.get().requeued == 0
    page = organizer_home()
    assert "Failed, not tried again (retry them from the admin): 1" in " ".join(page.split())


def organizer_home():
    user = get_user_model().objects.create_user("organizer", password="x", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client.get(reverse("organize:home")).content.decode()


def test_storage_down_while_rendering_is_retried_automatically_once_it_is_back(worker):
    endpoint = urlparse(os.environ["S3_ENDPOINT_URL"])
    proxy = TcpProxy(upstream=(endpoint.hostname, endpoint.port)).up()
    w = worker(S3_ENDPOINT_URL=proxy.url).wait_ready()
    contest = contest_open()

    proxy.down()
    reference = submit_through_view(contest=contest, path=drawings(7)[6], title="Storage down")
    entry = Entry.objects.get(reference=reference)
    wait_for(lambda: Entry.objects.filter(pk=entry.pk, processing_status="failed").exists(), timeout=120,
             message=lambda: f"the entry to fail after the task's retries; log:\n{w.log()[-3000:]}")
    entry.refresh_from_db()
    planned = (entry.render_retry_at - entry.processed_at).total_seconds()
    retrying_page = " ".join(organizer_home().split())

    proxy.up()
    # A minute later the beat sweeper finds the retry due.
    Entry.objects.filter(pk=entry.pk).update(render_retry_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("sweep_stuck_entries")
    wait_for(lambda: Entry.objects.filter(pk=entry.pk, processing_status="ready").exists(), timeout=90,
             message=lambda: f"the automatic retry to render it; log:\n{w.log()[-3000:]}")

    assert entry.processing_error == "The image could not be stored; it is tried again automatically."
    assert 55 <= planned <= 60
    assert "Failed for now, tried again automatically: 1" in retrying_page
    assert_one_rendition_set(entry)
    proxy.down()


def test_fifty_parents_at_once_against_the_run_commands_server_all_answered_receipts_are_rows(tmp_path):
    contest = contest_open()
    port = free_port()
    env = production_env(database_url=worker_database_url(), static_root=tmp_path / "static", mail_dir=tmp_path / "mail",
                         extra={"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log")})
    collectstatic(env)
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, what="the run command's gunicorn")
        uploads, _wall = run_uploads(base_url=f"http://127.0.0.1:{port}", slug=contest.slug, files=drawings(50),
                                     concurrency=50)
    finally:
        process_stop(server)
        log.close()

    assert [(u.status, u.error[:80]) for u in uploads if u.status != 302] == []
    assert sorted(Entry.objects.filter(contest=contest).values_list("reference", flat=True)) == sorted(
        u.reference for u in uploads)
    assert len(s3_keys(f"originals/{contest.pk}/")) == 50
    assert default_storage.exists(Entry.objects.filter(contest=contest).first().original.name)
