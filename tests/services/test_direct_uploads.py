"""Resumable uploads straight to S3 (contest/direct_uploads.py): parts
PUT to presigned URLs, the upload's state in the database so that two web
nodes can answer alternate steps, the object checked from its head and
taken by the entry without a write from the request."""

import datetime as dt
import hashlib
import io
import os

import pytest
import requests
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contest import direct_uploads, renditions, services
from contest.models import Entry, GuardianMail, StagedUpload
from tests.contest.test_submission import form_data
from tests.factories.contest import ContestFactory
from tests.helpers import drawings

from .support import s3_keys, s3_multipart_uploads

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _direct_to_s3(settings):
    # Production's path with a bucket; the suite's default is the chunked one.
    settings.UPLOAD_DIRECT_S3 = True


def noise_png() -> bytes:
    """A real PNG over 5 MiB (random pixels do not compress): two parts."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1500, 1500), os.urandom(1500 * 1500 * 3)).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def two_nodes(contest):
    """Two web nodes behind a load balancer: separate clients (no shared
    Python state between their requests but the database and S3) carrying
    the same browser's session cookie."""
    node_a, node_b = Client(), Client()
    node_a.get(reverse("contest:entry_submit", args=[contest.slug]))
    node_b.cookies = node_a.cookies
    return node_a, node_b


def put_part(data: bytes, part: dict, part_size: int) -> int:
    start = (part["number"] - 1) * part_size
    return requests.put(part["url"], data=data[start : start + part_size], timeout=30).status_code


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, len(captured)


def test_resumed_upload_alternates_between_two_web_nodes_and_completes_on_s3(settings, saves, monkeypatch):
    assert direct_uploads.enabled()
    queued = []  # the worker is not asked here: the entry keeps the raw object
    monkeypatch.setattr("contest.services.submission.renditions_enqueue", lambda **kw: queued.append(kw))
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    data = noise_png()
    node_a, node_b = two_nodes(contest)
    create_url = reverse("contest:upload_create", args=[contest.slug])

    created, create_queries = queries(lambda: node_a.post(create_url, {"size": len(data), "type": "image/png"}))
    started = created.json()
    url = reverse("contest:upload_chunk", args=[contest.slug, started["id"]])
    first_put = put_part(data, started["parts"][0], started["part_size"])
    # The connection drops; the browser asks again, and the other node answers.
    resumed, status_queries = queries(lambda: node_b.get(url))
    second_put = put_part(data, resumed.json()["parts"][0], started["part_size"])
    completed, complete_queries = queries(lambda: node_a.post(url))
    again, again_queries = queries(lambda: node_b.get(url))
    response = node_b.post(reverse("contest:entry_submit", args=[contest.slug]), form_data("", upload_id=started["id"]))

    assert created.status_code == 201
    assert (started["mode"], started["size"], started["done"]) == ("s3", len(data), [])
    assert [p["number"] for p in started["parts"]] == [1, 2]
    assert "X-Amz-Signature=" in started["parts"][0]["url"] and "partNumber=1" in started["parts"][0]["url"]
    assert (first_put, second_put) == (200, 200)
    assert resumed.json()["done"] == [1] and [p["number"] for p in resumed.json()["parts"]] == [2]
    assert completed.status_code == 200 and completed.json()["complete"] is True
    assert again.json()["complete"] is True
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get()
    assert entry.original.name.startswith(f"originals/{contest.pk}/")
    assert entry.original.read() == data
    assert (entry.original_format, entry.original_width, entry.original_height) == ("PNG", 1500, 1500)
    assert entry.original_sha256 == hashlib.sha256(data).hexdigest()
    assert queued == [{"entry_id": entry.pk}]
    # Nothing was written whole by a request, nothing kept on a node's disk.
    assert saves == []
    assert not settings.CHUNKED_UPLOAD_DIR.exists() or list(settings.CHUNKED_UPLOAD_DIR.iterdir()) == []
    assert StagedUpload.objects.count() == 0
    assert s3_multipart_uploads(f"originals/{contest.pk}/") == []
    # A constant number of queries whatever the photo's size: the session
    # (read; on a change, saved in a savepoint), the contest, the upload's row;
    # starting also asks whether the contest is a regional final (its
    # national rounds take the entries).
    assert (create_queries, status_queries, complete_queries, again_queries) == (7, 3, 4, 3)


def test_damaged_file_is_refused_at_completion_and_nothing_is_left(client):
    contest = ContestFactory()
    data = b"this is not a picture at all" * 1000
    node_a, node_b = two_nodes(contest)
    started = node_a.post(reverse("contest:upload_create", args=[contest.slug]), {"size": len(data), "type": "image/jpeg"}).json()
    url = reverse("contest:upload_chunk", args=[contest.slug, started["id"]])
    put_part(data, started["parts"][0], started["part_size"])

    refused = node_b.post(url)
    after = node_a.get(url)

    assert refused.status_code == 422
    assert refused.json()["reason"] == "NOT_IMAGE"
    assert refused.json()["message"]
    assert after.status_code == 404
    assert StagedUpload.objects.count() == 0
    assert s3_keys(f"originals/{contest.pk}/") == []
    assert s3_multipart_uploads(f"originals/{contest.pk}/") == []


def test_truncated_photo_passes_the_head_check_and_the_worker_fails_the_entry_and_tells_the_family(mailoutbox):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    data = drawings(1)[0].read_bytes()
    data = data[: len(data) // 2]
    node_a, node_b = two_nodes(contest)
    started = node_a.post(reverse("contest:upload_create", args=[contest.slug]), {"size": len(data), "type": "image/jpeg"}).json()
    url = reverse("contest:upload_chunk", args=[contest.slug, started["id"]])
    put_part(data, started["parts"][0], started["part_size"])

    completed = node_b.post(url)
    submitted = node_a.post(reverse("contest:entry_submit", args=[contest.slug]), form_data("", upload_id=started["id"]),
                            HTTP_ACCEPT_LANGUAGE="ru")
    entry = Entry.objects.get()
    renditions.entry_renditions_generate(entry_id=entry.pk)
    entry.refresh_from_db()

    assert (completed.status_code, submitted.status_code) == (200, 302)
    assert entry.processing_status == Entry.Processing.FAILED
    assert entry.processing_error
    assert entry.renditions.count() == 0
    # The family hears, in the entry's language, from the worker's mail task.
    assert entry.language == "ru"
    mail = GuardianMail.objects.get(entry=entry, kind="unreadable")
    assert mail.language == "ru" and mail.sent_at is not None
    [message] = [m for m in mailoutbox if entry.reference in m.subject and m.body.count("/drawing/") == 1]
    assert message.to == ["gulnara@example.org"]
    assert message.body.startswith("Здравствуйте, Gulnara Secretlastname!")
    assert entry.reference in message.body


def test_sweeper_aborts_stale_multipart_uploads_and_deletes_unused_objects(client):
    contest = ContestFactory()
    data = drawings(1)[0].read_bytes()
    node_a, _node_b = two_nodes(contest)
    create_url = reverse("contest:upload_create", args=[contest.slug])
    unfinished = node_a.post(create_url, {"size": len(data), "type": "image/jpeg"}).json()
    finished = node_a.post(create_url, {"size": len(data), "type": "image/jpeg"}).json()
    put_part(data, finished["parts"][0], finished["part_size"])
    assert node_a.post(reverse("contest:upload_chunk", args=[contest.slug, finished["id"]])).status_code == 200

    finished_name = StagedUpload.objects.get(pk=finished["id"]).name
    # The storage check leaves a finished upload alone while its row waits for the form.
    services.storage_orphans_purge(min_age=dt.timedelta(0))
    kept = direct_uploads.staged_uploads_sweep(now=timezone.now())
    held = s3_keys(f"originals/{contest.pk}/")
    swept = direct_uploads.staged_uploads_sweep(now=timezone.now() + dt.timedelta(days=2))

    assert (kept, swept) == (0, 2)
    assert held == [finished_name]
    assert unfinished["id"] != finished["id"]
    assert StagedUpload.objects.count() == 0
    assert s3_multipart_uploads(f"originals/{contest.pk}/") == []
    assert s3_keys(f"originals/{contest.pk}/") == []
