"""A drawing with only a special award is a winner everywhere a place
makes one: the guardian's page says so, the retention purge keeps it as a
winner, and the printing ZIP names its original."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contest import services
from contest.models import Entry, SpecialAward
from judging.services import winner_file_name
from judging.selectors import winner_originals
from tests.factories.contest import ContestFactory, EntryFactory, published_winner
from tests.helpers import guardian_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def honoured_in(contest, **kwargs):
    entry = published_winner(contest, place=None, **kwargs)
    SpecialAward.objects.create(contest=contest, name="Jury prize", names={"ru": "Приз жюри"}).entries.add(entry)
    return entry


def test_guardian_page_names_the_special_award_in_the_guardians_language(client):
    contest = ContestFactory()
    entry = honoured_in(contest)
    contest.results_published_at = timezone.now()
    contest.save()
    client.cookies["django_language"] = "ru"

    page = client.get(reverse("contest:guardian_entry", args=[
        guardian_token(entry)
    ])).content.decode()

    assert "Приз жюри" in page


def test_retention_keeps_a_special_award_winner_and_erases_the_rest(django_capture_on_commit_callbacks):
    contest = ContestFactory(retention_days=90)
    honoured = honoured_in(contest, title="Honoured", child_first_name="Aidai")
    other = EntryFactory(contest=contest)
    contest.results_published_at = timezone.now() - dt.timedelta(days=91)
    contest.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.entries_purge_retention() == 2

    assert list(Entry.objects.values_list("pk", "title")) == [(honoured.pk, "Honoured")]
    assert not Entry.objects.filter(pk=other.pk).exists()


def test_printing_zip_lists_special_award_winners_after_the_places():
    contest = ContestFactory()
    honoured = honoured_in(contest)
    fourth = published_winner(contest, place=4)

    rows = winner_originals(contest=contest)

    assert [(row.reference, row.place) for row in rows] == [(fourth.reference, 4), (honoured.reference, None)]
    assert winner_file_name(category="6-9", place=None, reference="ABCD-EFGH", original_format="JPEG") == (
        "6-9/special-ABCD-EFGH.jpg"
    )
