"""Concurrent duplicate writes on PostgreSQL, where locks and unique
constraints are real (SQLite ignores `select_for_update`)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from judging.models import Criterion, JudgeAssignment, Score
from tests.factories.contest import EntryFactory
from tests.helpers import csrf_token

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
    url = reverse("judging:entry_score", args=[contest.slug, entry.public_id])
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
