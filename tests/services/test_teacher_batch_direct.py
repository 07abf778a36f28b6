"""A teacher's batch with uploads straight to S3 (contest/teacher_batch.py,
contest/direct_uploads.py): each photo's parts PUT to presigned URLs, the
rows' entries take the staged objects as they are (no write of the whole
file in the request), and a refused row's object is deleted."""

import datetime as dt

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contest import direct_uploads
from contest.models import Entry, StagedUpload
from tests.contest.test_teacher_batch import born, csv_of, teacher_client
from tests.factories.contest import ContestFactory, TeacherFactory, jpeg_bytes

from .support import s3_keys, s3_multipart_uploads

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _direct_to_s3(settings):
    settings.UPLOAD_DIRECT_S3 = True


def direct_upload(client, contest, *, name: str, data: bytes) -> str:
    """Start, PUT every part with `requests`, complete; the upload's id."""
    created = client.post(
        reverse("contest:teacher_upload_create", args=[contest.slug]),
        {"size": len(data), "name": name, "type": "image/jpeg"},
    )
    assert created.status_code == 201, created.content
    started = created.json()
    assert started["mode"] == "s3"
    size = started["part_size"]
    for part in started["parts"]:
        start = (part["number"] - 1) * size
        assert requests.put(part["url"], data=data[start : start + size], timeout=30).status_code == 200
    completed = client.post(reverse("contest:upload_chunk", args=[contest.slug, started["id"]]))
    assert completed.status_code == 200 and completed.json()["complete"] is True, completed.content
    return started["id"]


def test_teacher_batch_rows_take_their_direct_uploads_and_a_refused_rows_object_is_deleted(saves, monkeypatch):
    assert direct_uploads.enabled()
    monkeypatch.setattr("contest.services.submission.renditions_enqueue", lambda **kw: None)
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    teacher = TeacherFactory()
    client = teacher_client(teacher, language="en")
    photos = {f"a{i}.jpg": jpeg_bytes(color=c) for i, c in enumerate([(200, 80, 40), (40, 200, 80), (80, 40, 200)], 1)}
    ids = [direct_upload(client, contest, name=name, data=data) for name, data in photos.items()]
    staged = dict(StagedUpload.objects.values_list("file_name", "name"))
    good = born(contest, 8).isoformat()
    rows = [
        ["Aigerim", "Tokonova", good, "Mountains", "mother1@example.org", "a1.jpg", ""],
        ["Bakyt", "Usenov", good, "My cat", "father2@example.org", "a2.jpg", ""],
        ["Ilim", "Zhumabaev", born(contest, 3).isoformat(), "Sun", "guardian3@example.org", "a3.jpg", ""],
    ]

    response = client.post(
        reverse("contest:teacher_batch", args=[contest.slug]),
        {"sheet": SimpleUploadedFile("class.csv", csv_of(rows)), "upload_ids": ",".join(ids)},
    )

    assert response.status_code == 200
    results = response.context["results"]
    assert [(r.line, r.saved) for r in results] == [(2, True), (3, True), (4, False)]
    assert results[2].reason == (
        "On 15.06.2026 the child will be 3 years old; this contest is for ages 6–9, 10–13, 14–17.")
    entries = {e.child_first_name: e for e in Entry.objects.all()}
    assert sorted(entries) == ["Aigerim", "Bakyt"]
    assert entries["Aigerim"].original.name == staged["a1.jpg"]
    assert entries["Bakyt"].original.name == staged["a2.jpg"]
    assert entries["Aigerim"].original.read() == photos["a1.jpg"]
    assert entries["Bakyt"].original.read() == photos["a2.jpg"]
    assert {e.teacher_id for e in entries.values()} == {teacher.pk}
    # Nothing written whole by the request; nothing staged or unfinished left;
    # the refused row's object is gone, only the entries' originals remain.
    assert saves == []
    assert StagedUpload.objects.count() == 0
    assert s3_multipart_uploads(f"originals/{contest.pk}/") == []
    assert s3_keys(f"originals/{contest.pk}/") == sorted([staged["a1.jpg"], staged["a2.jpg"]])


def test_teacher_batch_keeps_a_photo_no_row_named_and_a_photo_a_saved_row_shares_with_a_refused_one(monkeypatch):
    monkeypatch.setattr("contest.services.submission.renditions_enqueue", lambda **kw: None)
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    client = teacher_client(TeacherFactory(), language="en")
    photos = {"a1.jpg": jpeg_bytes(color=(200, 80, 40)), "later.jpg": jpeg_bytes(color=(40, 200, 80))}
    ids = [direct_upload(client, contest, name=name, data=data) for name, data in photos.items()]
    staged = dict(StagedUpload.objects.values_list("file_name", "name"))
    good = born(contest, 8).isoformat()
    rows = [
        ["Aigerim", "Tokonova", good, "Mountains", "mother1@example.org", "a1.jpg", ""],
        ["Bakyt", "Usenov", good, "My cat", "father2@example.org", "a1.jpg", ""],
    ]

    response = client.post(
        reverse("contest:teacher_batch", args=[contest.slug]),
        {"sheet": SimpleUploadedFile("class.csv", csv_of(rows)), "upload_ids": ",".join(ids)},
    )

    assert [(r.line, r.saved) for r in response.context["results"]] == [(2, True), (3, False)]
    entry = Entry.objects.get()
    # The second row was refused (the same image): the first row's object stays.
    assert entry.original.name == staged["a1.jpg"] and entry.original.read() == photos["a1.jpg"]
    # The photo no row named waits for a later post (or the sweeper).
    assert list(StagedUpload.objects.values_list("file_name", flat=True)) == ["later.jpg"]
    assert s3_keys(f"originals/{contest.pk}/") == sorted(staged.values())
    assert direct_uploads.staged_uploads_sweep(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2)) == 1
    assert s3_keys(f"originals/{contest.pk}/") == [staged["a1.jpg"]]
