"""Nothing lost when a part fails: real worker processes, Redis as the
broker, S3 (moto's server) as storage, PostgreSQL as the database.

Recovery paths, stated once:
- With Redis, `acks_late` keeps a killed worker's task unacknowledged, and
  Redis hands it out again only after `visibility_timeout` (an hour). The
  sweeper (`entries_requeue_stuck`, run by beat every minute and by the
  `sweep_stuck_entries` command) is what brings such an entry back in
  minutes; the tests run it with `older_than_seconds=0` instead of waiting.
- A submission while the broker is down is saved with its original; the
  sweeper queues it once the broker is back.
- Storage trouble during rendering is retried by the task, then recorded as
  a failure with a reason; an organizer retries from the admin.
"""

import datetime as dt
import json
import os
import re
import time
from collections import Counter
from urllib.parse import urlparse

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contest import imaging
from contest.models import Entry, Rendition, SweepRun
from contest.tasks import task_entries_requeue_stuck
from tests.factories.contest import ContestFactory
from tests.helpers import corpus_dir, drawings

from tests.helpers import reset_broker_pools
from .support import RedisServer, TcpProxy, s3_keys, submit_through_view, wait_for

pytestmark = [pytest.mark.services, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

STORAGE_RETRYING = "The image could not be stored; it is tried again automatically."


def kinds_for(entry) -> list[tuple[str, str]]:
    """One rendition set: a row and a file per (kind, format) the renderer
    makes, the public set and, for an original larger than the display
    rendition, the judges' zoom."""
    size = (entry.original_width, entry.original_height)
    return sorted((spec.kind, spec.format) for spec in imaging.WORKER_SPECS if spec.wanted_for(size))


def contest_open():
    return ContestFactory(age_reference_date=dt.date(2026, 6, 15))


def assert_one_rendition_set(entry):
    """Exactly one row per (kind, format), and in the bucket exactly those
    files for the entry, plus its one clean original."""
    entry.refresh_from_db()
    assert (entry.processing_status, entry.processing_error) == ("ready", "")
    rows = list(Rendition.objects.filter(entry=entry))
    assert sorted((r.kind, r.format) for r in rows) == kinds_for(entry)
    assert s3_keys(f"renditions/{entry.public_id}/") == sorted(r.file.name for r in rows)
    for r in rows:
        assert default_storage.size(r.file.name) == r.bytes
    assert entry.original.name.startswith(f"originals/{entry.contest_id}/{entry.public_id}.")
    # The raw upload is deleted just after the commit that marks the entry ready.
    wait_for(
        lambda: [k for k in s3_keys(f"originals/{entry.contest_id}/") if entry_owns(entry, k)] == [entry.original.name],
        timeout=10, message=lambda: f"one original for {entry.reference}",
    )


def entry_owns(entry, key):
    return key.startswith(f"originals/{entry.contest_id}/{entry.public_id}") or key == entry_raw_names.get(entry.pk)


# The raw upload's random name, remembered at submission time, per entry id.
entry_raw_names: dict[int, str] = {}


def remember_raw(entries):
    for pk, name in entries.values_list("pk", "original"):
        entry_raw_names[pk] = name


def queued_task_names(broker) -> dict[str, int]:
    """How many messages of each task name wait in the default queue."""
    return dict(Counter(json.loads(raw)["headers"]["task"] for raw in broker.lrange("celery", 0, -1)))


def all_settled(entries, n):
    statuses = list(entries.values_list("processing_status", flat=True))
    return len(statuses) == n and all(s in ("ready", "failed") for s in statuses)


def test_worker_down_thirty_submissions_all_ready_once_a_worker_starts(worker):
    contest = contest_open()
    files = drawings(30)
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])

    references = [submit_through_view(contest=contest, path=path, title=f"Drawing {i}") for i, path in enumerate(files)]

    entries = Entry.objects.filter(contest=contest)
    remember_raw(entries)
    assert sorted(entries.values_list("reference", flat=True)) == sorted(references)
    assert set(entries.values_list("processing_status", flat=True)) == {"received"}
    # Waiting in Redis, not lost: each entry's renditions and its receipt e-mail.
    assert queued_task_names(broker) == {"contest.entry_renditions_generate": 30, "contest.guardian_mail_send": 30}
    for entry in entries:
        assert default_storage.exists(entry.original.name)

    w = worker()
    wait_for(lambda: all_settled(entries, 30), timeout=240, message=lambda: f"30 entries to settle; worker log:\n{w.log()}")

    assert sorted(entries.values_list("processing_status", flat=True)) == ["ready"] * 30
    for entry in entries:
        assert_one_rendition_set(entry)
    assert Rendition.objects.filter(entry__contest=contest).count() == sum(len(kinds_for(e)) for e in entries)
    assert len(s3_keys(f"originals/{contest.pk}/")) == 30


def test_worker_killed_mid_task_new_worker_completes_without_duplicates(worker):
    contest = contest_open()
    # Large phone photos: rendering one takes long enough to be caught at it.
    photos = [corpus_dir() / "real" / name for name in (
        "exifsamples_iphone_hdr_YES.jpg", "pillow_xmp_test_serial.jpg", "exifsamples_DSCN0010_gps.jpg")]
    caught = None
    first = worker().wait_ready()

    for i, photo in enumerate(photos):
        submit_through_view(contest=contest, path=photo, title=f"Photo {i}")
        entry = Entry.objects.get(contest=contest, title=f"Photo {i}")
        remember_raw(Entry.objects.filter(pk=entry.pk))
        # Caught between "processing" (the service started) and "ready".
        state = wait_for(
            lambda: Entry.objects.filter(pk=entry.pk).exclude(processing_status="received").values_list(
                "processing_status", flat=True).first(),
            timeout=60, interval=0.005, message="the worker to start rendering",
        )
        if state == "processing":
            first.kill()
            entry.refresh_from_db()
            if entry.processing_status == "processing":
                caught = entry
                break
            first = worker().wait_ready()
    assert caught is not None, "the worker always finished before it could be killed"
    assert first.proc.returncode == -9

    second = worker().wait_ready()
    time.sleep(2)
    # Redis keeps the killed task unacknowledged until visibility_timeout.
    caught.refresh_from_db()
    assert caught.processing_status == "processing"
    # The killed run still holds its lease: the sweeper leaves the entry alone...
    call_command("sweep_stuck_entries", "--older-than", "0")
    assert SweepRun.objects.get().requeued == 0
    # ...until the lease (the task's time limit and a minute) runs out.
    Entry.objects.filter(pk=caught.pk).update(render_lease_until=timezone.now() - dt.timedelta(seconds=1))
    call_command("sweep_stuck_entries", "--older-than", "0")
    wait_for(
        lambda: Entry.objects.filter(pk=caught.pk, processing_status__in=["ready", "failed"]).exists(),
        timeout=90, message=lambda: f"the new worker to finish; log:\n{second.log()}",
    )

    assert_one_rendition_set(caught)
    assert SweepRun.objects.filter(older_than_seconds=0).values_list("requeued", flat=True).first() >= 1
    assert Entry.objects.filter(contest=contest).exclude(processing_status="ready").count() == 0


def test_broker_down_at_submission_entry_kept_and_sweeper_requeues_it(worker, tmp_path, monkeypatch):
    broker = RedisServer(workdir=tmp_path / "redis").start()
    monkeypatch.setenv("CELERY_BROKER_URL", broker.url)  # Celery reads it before its settings
    reset_broker_pools()
    w = worker(CELERY_BROKER_URL=broker.url).wait_ready()
    contest = contest_open()
    drawing = drawings(3)[2]

    broker.kill()
    started = time.monotonic()
    reference = submit_through_view(contest=contest, path=drawing, title="While the broker was down")
    took = time.monotonic() - started

    entry = Entry.objects.get(reference=reference)
    assert took < 10, f"the parent waited {took:.1f}s for a dead broker"
    assert entry.processing_status == "received"
    assert default_storage.exists(entry.original.name)
    remember_raw(Entry.objects.filter(pk=entry.pk))

    broker.start()
    reset_broker_pools()
    # The beat task, run by the worker once the broker is back.
    task_entries_requeue_stuck.apply_async(kwargs={"older_than_seconds": 0})
    wait_for(
        lambda: Entry.objects.filter(pk=entry.pk, processing_status__in=["ready", "failed"]).exists(),
        timeout=120, message=lambda: f"the entry to be rendered after the broker came back; worker log:\n{w.log()}",
    )

    assert_one_rendition_set(entry)
    assert list(SweepRun.objects.values_list("requeued", "older_than_seconds")) == [(1, 0)]
    broker.kill()


def test_storage_down_while_rendering_fails_with_reason_then_organizer_retry_makes_it_ready(worker):
    endpoint = urlparse(os.environ["S3_ENDPOINT_URL"])
    # The worker reaches S3 through a proxy; closing it is an outage on the
    # worker's road to storage (connections refused), while the bucket and
    # the uploaded original survive for after the outage.
    proxy = TcpProxy(upstream=(endpoint.hostname, endpoint.port)).up()
    w = worker(S3_ENDPOINT_URL=proxy.url).wait_ready()
    contest = contest_open()
    User = get_user_model()
    organizer = User.objects.create_user("organizer", password="x", is_staff=True, is_superuser=True)

    proxy.down()
    reference = submit_through_view(contest=contest, path=drawings(4)[3], title="While storage was down")
    entry = Entry.objects.get(reference=reference)
    remember_raw(Entry.objects.filter(pk=entry.pk))
    wait_for(
        lambda: Entry.objects.filter(pk=entry.pk, processing_status="failed").exists(),
        timeout=120, message=lambda: f"the entry to fail after the retries; worker log:\n{w.log()}",
    )

    entry.refresh_from_db()
    assert entry.processing_error == STORAGE_RETRYING
    assert entry.render_retry_at is not None
    assert Rendition.objects.filter(entry=entry).count() == 0
    assert len(re.findall(r"contest\.entry_renditions_generate\[[^\]]+\] retry:", w.log())) == 3

    proxy.up()
    organizer_client = Client(enforce_csrf_checks=True)
    organizer_client.force_login(organizer)
    changelist = reverse("admin:contest_entry_changelist")
    page = organizer_client.get(changelist).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = organizer_client.post(changelist, {
        "csrfmiddlewaretoken": token, "action": "retry_rendering", "_selected_action": [entry.pk],
    })
    assert response.status_code == 302
    wait_for(
        lambda: Entry.objects.filter(pk=entry.pk, processing_status__in=["ready", "failed"]).exists(),
        timeout=60, message=lambda: f"the retried entry to be rendered; worker log:\n{w.log()}",
    )

    assert_one_rendition_set(entry)
    proxy.down()
