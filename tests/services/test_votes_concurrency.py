"""The people's choice on PostgreSQL: one counted vote per mailbox and age
category holds when two confirmations of the same mailbox arrive at once
(the partial unique index, not a check in Python, refuses the second)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from contest import services
from contest.models import Entry, Vote
from tests.factories.contest import VoteFactory, ballot_contest

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def test_two_confirmations_of_one_mailbox_at_once_count_once():
    contest = ballot_contest(per_category=2)
    category = contest.age_categories.order_by("min_age").first()
    entries = list(Entry.objects.filter(age_category=category, shortlisted=True).order_by("id"))

    for round_ in range(ROUNDS):
        key = f"race{round_}@gmail.com"
        pending = [VoteFactory(entry=entry, email=key, email_key=key) for entry in entries]
        barrier = threading.Barrier(2)

        def confirm(vote):
            try:
                assert connection.vendor == "postgresql"
                barrier.wait(timeout=10)
                try:
                    return services.vote_confirm(vote=Vote.objects.select_related("contest").get(pk=vote.pk))
                except ValidationError as exc:
                    return exc
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(confirm, pending))

        refused = [r for r in results if isinstance(r, ValidationError)]
        assert [r.code for r in refused] == ["already_voted"], results
        assert Vote.objects.counted().filter(email_key=key).count() == 1
