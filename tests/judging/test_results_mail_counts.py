"""The organizers' results page says how the results e-mails to families
stand once the results are published, in a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contest import services as contest_services
from contest.models import GuardianMail
from judging import services
from tests.factories.contest import ContestFactory, EntryFactory
from tests.factories.judging import OrganizerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def published_with_families(slug, families, capture):
    now = timezone.now()
    contest = ContestFactory(slug=slug, opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1))
    EntryFactory.create_batch(families, contest=contest)
    with capture(execute=False):
        services.results_publish(contest=contest, override=True, reason="Published early for this test")
    first = GuardianMail.objects.filter(entry__contest=contest).order_by("pk").values_list("pk", flat=True)[:1]
    contest_services.results_mails_send(mail_ids=list(first))
    return contest


def results_page(client, contest):
    client.force_login(OrganizerFactory(contests=[contest]))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("judging:results", args=[contest.slug]))
    assert page.status_code == 200
    return " ".join(page.content.decode().split()), len(queries)


def test_results_page_counts_the_results_mails_in_constant_queries(client, django_capture_on_commit_callbacks):
    small = published_with_families("counted-small", 1, django_capture_on_commit_callbacks)
    large = published_with_families("counted-large", 6, django_capture_on_commit_callbacks)

    small_text, small_queries = results_page(client, small)
    large_text, large_queries = results_page(client, large)

    assert "Results e-mails to families: 1 of 1 sent, 0 waiting, 0 failed." in small_text
    assert "Results e-mails to families: 1 of 6 sent, 5 waiting, 0 failed." in large_text
    assert small_queries == large_queries


def test_results_page_before_publication_shows_no_mail_count(client):
    contest = ContestFactory(slug="unpublished")
    EntryFactory(contest=contest)

    text, _queries = results_page(client, contest)

    assert "Results e-mails" not in text
