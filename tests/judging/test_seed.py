"""The judging half of the demo seeding (`seed_demo`): two judges score,
the top three (all consented here) win as suggested, results publish."""

import datetime as dt
import random
import re

import pytest
from django.utils import timezone

from contest.models import Entry, GuardianMail, SpecialAward
from judging.management.commands.seed_demo import CRITERIA, Command
from judging.models import AuditEvent, Criterion, Score
from tests.factories.judging import ContestFactory, EntryFactory, OrganizerFactory, UserFactory
from tests.helpers import corpus_dir

pytestmark = [pytest.mark.django_db]


def finished_contest_judged(n_entries):
    """A closed contest with the demo criteria and `n_entries` consented
    entries, judged and published by the demo seeding."""
    contest = ContestFactory(opens_at=timezone.now() - dt.timedelta(days=60), closes_at=timezone.now() - dt.timedelta(days=30))
    for order, (name, weight, max_points) in enumerate(CRITERIA):
        Criterion.objects.create(contest=contest, name=name, weight=weight, max_points=max_points, order=order)
    entries = EntryFactory.create_batch(n_entries, contest=contest, publish_consent=True)
    accounts = {"judge": UserFactory(username="judge"), "organizer": OrganizerFactory(username="organizer")}
    Command()._judge_and_publish(contest, entries, accounts, random.Random(1))
    return contest, accounts


def test_seed_demo_judges_awards_and_publishes():
    contest, accounts = finished_contest_judged(6)

    contest.refresh_from_db()
    assert contest.results_published_at is not None
    assert Score.objects.filter(entry__contest=contest).count() == 2 * 6 * 3
    winners = Entry.objects.filter(contest=contest, award__isnull=False)
    assert {e.publish_consent for e in winners} == {True}
    assert list(
        AuditEvent.objects.filter(contest=contest, actor=accounts["organizer"]).values_list("action", flat=True)
    ) == ["results_published", "awards_confirmed"]


def test_seed_demo_ranking_is_complete_and_free_of_ties():
    from judging import selectors

    contest, _accounts = finished_contest_judged(8)

    rows = [row for block in selectors.contest_ranking(contest=contest) for row in block.rows]
    assert [row.rank for row in rows] == list(range(1, 9))
    assert {(row.complete, row.tie, row.judges) for row in rows} == {(True, False, 2)}
    assert [row.award for row in rows] == [1, 2, 3, 4, None, None, None, None]
    jury = SpecialAward.objects.get(contest=contest)
    assert (jury.name, jury.name_in("ru")) == ("Jury prize", "Приз жюри")
    assert list(jury.entries.values_list("pk", flat=True)) == [rows[4].entry_id]


@pytest.mark.corpus
def test_seed_demo_entries_owe_no_receipt_email(django_capture_on_commit_callbacks, mailoutbox):
    contest = ContestFactory(opens_at=timezone.now() - dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=30))
    files = sorted((corpus_dir() / "drawings").glob("drawing-00[1-3].*"))

    with django_capture_on_commit_callbacks(execute=True):
        entries = Command()._enter(contest, files, random.Random(1), render_now=False)

    assert len(entries) == 3
    assert GuardianMail.objects.filter(entry__contest=contest).count() == 0
    assert mailoutbox == []


def test_seed_demo_vote_puts_the_best_on_an_open_ballot(client):
    from judging import selectors
    from judging.management.demo_votes import BALLOT_PER_CATEGORY, seed_peoples_choice

    contest, _accounts = finished_contest_judged(6)
    ranked = [row.entry_id for block in selectors.contest_ranking(contest=contest) for row in block.rows]
    Entry.objects.filter(pk=ranked[1]).update(publish_consent=False)

    on_ballot = seed_peoples_choice(contest=contest, entry_ids_by_rank=ranked, now=timezone.now())
    again = seed_peoples_choice(contest=contest, entry_ids_by_rank=ranked, now=timezone.now())

    contest.refresh_from_db()
    assert contest.voting_open()
    # One age category: the best four, the one without publication consent left off.
    assert BALLOT_PER_CATEGORY == 4
    assert on_ballot == 3
    assert set(Entry.objects.filter(contest=contest, shortlisted=True).values_list("pk", flat=True)) == {
        ranked[0], ranked[2], ranked[3]
    }
    assert again == 0
    page = client.get(f"/contests/{contest.slug}/vote/")
    assert page.status_code == 200
    radios = re.findall(r'name="c\d+-entry"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="c\d+-entry"', page.content.decode())
    assert {int(a or b) for a, b in radios} == {ranked[0], ranked[2], ranked[3]}
