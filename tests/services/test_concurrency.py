"""Concurrent duplicate writes on PostgreSQL, where locks and unique
constraints are real (SQLite ignores `select_for_update`)."""

import datetime as dt
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from contest import imaging, services
from contest.models import Entry
from judging.models import Criterion, JudgeAssignment, Score
from tests.factories.contest import ContestFactory, EntryFactory, jpeg_bytes
from tests.helpers import csrf_token, judge_entry_url

from .support import FIELDS, s3_keys

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def test_same_judge_score_sent_twice_at_once_leaves_one_row_per_criterion():
    judge = get_user_model().objects.create_user("judge", password="x")
    entry = EntryFactory()
    contest = entry.contest
    criteria = [
        Criterion.objects.create(contest=contest, name=name, max_points=10, order=i)
        for i, name in enumerate(["Idea", "Technique", "Originality"])
    ]
    JudgeAssignment.objects.create(contest=contest, judge=judge)
    url = judge_entry_url("judging:entry_score", contest, judge, entry)
    clients = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for client in clients:
        client.force_login(judge)

    for round_ in range(ROUNDS):
        tokens = [csrf_token(client, url) for client in clients]
        data = {f"criterion_{c.pk}": (round_ + i) % 11 for i, c in enumerate(criteria)}
        barrier = threading.Barrier(2)

        def send(client, token):
            # Each thread has its own PostgreSQL connection.
            try:
                assert connection.vendor == "postgresql"
                barrier.wait(timeout=10)
                return client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=2) as pool:
            statuses = list(pool.map(send, clients, tokens))

        assert statuses == [302, 302]
        rows = Score.objects.filter(judge=judge, entry=entry)
        assert rows.count() == len(criteria)
        assert sorted(rows.values_list("criterion_id", "points")) == sorted(
            (c.pk, data[f"criterion_{c.pk}"]) for c in criteria
        )


def test_same_child_submitted_twice_at_once_leaves_one_entry():
    """The per-child cap (default 1) holds when both submissions pass the
    first check together: the second waits for the first's insert."""
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    policy = services.upload_policy(contest=contest)

    for round_ in range(ROUNDS):
        data = services.Submission(
            child_first_name="Aigerim", child_last_name=f"Racova{round_}", child_birth_date=dt.date(2016, 3, 1),
            country="KZ", region="", school="", title="Two at once", description="", guardian_name="Saule",
            guardian_email=f"race{round_}@example.org", consent=True, publish_consent=False,
        )
        # Two different photos: only the cap, not the duplicate-image rule, can refuse one.
        images = [SimpleUploadedFile("d.jpg", jpeg_bytes(color=(round_ * 20, i * 120, 40))) for i in range(2)]
        infos = [imaging.inspect(image, policy) for image in images]
        barrier = threading.Barrier(2)

        def submit(image, info):
            # Each thread has its own PostgreSQL connection.
            try:
                assert connection.vendor == "postgresql"
                barrier.wait(timeout=10)
                try:
                    return services.entry_submit(contest=contest, data=data, image=image, image_info=info, language="en")
                except ValidationError as exc:
                    return exc
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(submit, images, infos))

        saved = [r for r in results if isinstance(r, Entry)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(saved) == 1 and len(refused) == 1, results
        assert refused[0].code == "cap_child"
        assert "already sent 1 drawing(s)" in refused[0].messages[0]
        assert list(Entry.objects.filter(guardian_email=data.guardian_email).values_list("pk", flat=True)) == [
            saved[0].pk
        ]
    # The refused submissions' originals were removed from the bucket.
    assert s3_keys(f"originals/{contest.pk}/") == sorted(
        Entry.objects.filter(contest=contest).values_list("original", flat=True)
    )


def test_same_form_sent_twice_at_once_leaves_one_entry_behind_one_receipt():
    """A double click: one browser posts the same form (one-time token, the
    same drawing) twice at the same moment. Exactly one entry is kept, and
    both answers lead to its receipt; the twin's upload is not kept."""
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    url = reverse("contest:entry_submit", args=[contest.slug])

    for round_ in range(ROUNDS):
        browser = Client(enforce_csrf_checks=True)
        page = browser.get(url).content.decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
        email = f"double{round_}@example.org"
        photo = jpeg_bytes(color=(round_ * 30, 90, 200))
        # Two connections of the same browser: the same cookies.
        clicks = [browser, Client(enforce_csrf_checks=True)]
        for name, morsel in browser.cookies.items():
            clicks[1].cookies[name] = morsel.value
        barrier = threading.Barrier(2)

        def post(client):
            # Each thread has its own PostgreSQL connection.
            try:
                assert connection.vendor == "postgresql"
                data = {
                    **FIELDS, "child_last_name": f"Doubleclickova{round_}", "guardian_email": email,
                    "title": "Twice", "csrfmiddlewaretoken": csrf, "submission_token": token,
                    "image": SimpleUploadedFile("d.jpg", photo, content_type="image/jpeg"),
                }
                barrier.wait(timeout=10)
                response = client.post(url, data)
                receipt = client.get(response["Location"]) if response.status_code == 302 else None
                return response.status_code, receipt and re.search(r"data-reference>([A-Z0-9-]+)<", receipt.content.decode())
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(post, clicks))

        entries = list(Entry.objects.filter(contest=contest, guardian_email=email).values_list("reference", flat=True))
        assert len(entries) == 1, entries
        assert [status for status, _match in answers] == [302, 302], answers
        assert [match.group(1) if match else None for _status, match in answers] == entries * 2
    # The twins' uploads were removed from the bucket: one original per entry.
    assert s3_keys(f"originals/{contest.pk}/") == sorted(
        Entry.objects.filter(contest=contest).values_list("original", flat=True)
    )
