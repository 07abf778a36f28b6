"""A real Celery worker process renders an entry submitted through the view."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from contest.models import Entry, Rendition
from tests.factories.contest import ContestFactory
from tests.helpers import drawings, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def submission_data(image_file, **overrides):
    data = {
        "child_first_name": "Aigerim",
        "child_last_name": "Workerova",
        "child_birth_date": "2016-03-01",
        "country": "KZ",
        "region": "Almaty",
        "school": "",
        "title": "Guard and his dog",
        "description": "He checks the cars.",
        "image": image_file,
        "guardian_name": "Saule Workerova",
        "guardian_email": "saule@example.org",
        "guardian_relationship": "mother",
        "consent": "on",
        "publish_consent": "on",
    }
    data.update(overrides)
    return data


def test_worker_process_renders_entry_submitted_through_view(client, celery_worker_process):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(2)[1]
    worker = celery_worker_process()

    with drawing.open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), submission_data(fh))

    assert response.status_code == 302
    entry = Entry.objects.get(contest=contest)
    assert entry.processing_status == Entry.Processing.RECEIVED
    wait_until(
        lambda: Entry.objects.filter(pk=entry.pk, processing_status__in=["ready", "failed"]).exists(),
        message=f"the worker to render the entry; worker log:\n{worker.log()}",
    )
    entry.refresh_from_db()
    assert (entry.processing_status, entry.processing_error) == ("ready", "")
    kinds = sorted(Rendition.objects.filter(entry=entry).values_list("kind", "format"))
    assert kinds == sorted([*((k, f) for k in ["card", "card2x", "display"] for f in ["jpeg", "webp"]), ("photo", "jpeg")])
    for rendition in Rendition.objects.filter(entry=entry):
        assert default_storage.exists(rendition.file.name)
        assert default_storage.size(rendition.file.name) == rendition.bytes
    assert "contest.entry_renditions_generate" in worker.log()
