"""The ranking's figures are computed once per change and cached
(`judging.selectors.ranking_core`): the results page and the organizers'
home read them in a fixed number of queries, and a saved score, conflict
or setting shows at once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging import selectors
from judging.models import JudgingSettings, Score
from tests.factories.judging import (
    ConflictFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    OrganizerFactory,
    ScoreFactory,
)

pytestmark = [pytest.mark.django_db]


def scored_contest(*, slug, entries):
    """A closed contest, 2 criteria, 3 judges who scored every entry (the
    third judge's points are the entry's index, so entries rank apart)."""
    contest = ContestFactory(
        slug=slug, opens_at=timezone.now() - dt.timedelta(days=30), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    JudgingSettings.objects.create(contest=contest, min_judges=3)
    criteria = [CriterionFactory(contest=contest, max_points=10) for _ in range(2)]
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(3)]
    category = contest.age_categories.order_by("min_age").first()
    batch = [EntryFactory(contest=contest, age_category=category, child_age=category.min_age) for _ in range(entries)]
    Score.objects.bulk_create([
        Score(judge=judge, entry=entry, criterion=criterion, points=Decimal(i % 11 if k == 2 else 5), max_points=10)
        for i, entry in enumerate(batch) for k, judge in enumerate(judges) for criterion in criteria
    ])
    return contest, criteria, judges, batch


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_results_page_reads_cached_figures_in_the_same_queries_for_5_and_60_entries(client):
    small, *_ = scored_contest(slug="small", entries=5)
    large, *_ = scored_contest(slug="large", entries=60)
    client.force_login(OrganizerFactory(contests=[small, large]))
    counts = {}
    for slug in ("small", "large"):
        url = reverse("judging:results", kwargs={"slug": slug})
        counts[slug] = (queries(client, url), queries(client, url))

    assert counts["small"] == counts["large"]
    first, second = counts["large"]
    # The round's entries and the sheet totals: read once to compute the figures, then the cache.
    assert second == first - 2


def test_a_saved_score_shows_at_once(client):
    contest, criteria, judges, entries = scored_contest(slug="live", entries=3)
    top = selectors.contest_ranking(contest=contest)[0].rows[0]
    assert (top.entry_id, top.mean) == (entries[2].pk, Decimal("40.00"))

    Score.objects.filter(entry=entries[0]).delete()  # signals per row: deleting through the collector
    for criterion in criteria:
        ScoreFactory(judge=judges[0], entry=entries[0], criterion=criterion, points=Decimal(10))
    rows = {row.entry_id: row for row in selectors.contest_ranking(contest=contest)[0].rows}

    assert (rows[entries[0].pk].judges, rows[entries[0].pk].mean, rows[entries[0].pk].rank) == (1, Decimal("100.00"), 1)
    assert rows[entries[0].pk].complete is False


def test_a_conflict_and_a_setting_show_at_once():
    contest, _criteria, judges, entries = scored_contest(slug="live", entries=3)
    assert selectors.contest_ranking(contest=contest)[0].rows[0].judges == 3

    ConflictFactory(judge=judges[2], entry=entries[2])
    rows = {row.entry_id: row for row in selectors.contest_ranking(contest=contest)[0].rows}
    assert (rows[entries[2].pk].judges, rows[entries[2].pk].mean) == (2, Decimal("50.00"))

    assert rows[entries[2].pk].complete is False
    settings = JudgingSettings.objects.get(contest=contest)
    settings.min_judges = 2
    settings.save()
    assert all(row.complete for row in selectors.contest_ranking(contest=contest)[0].rows)


def test_services_compute_afresh_what_the_cache_may_not_have_seen_yet():
    contest, _criteria, _judges, entries = scored_contest(slug="fresh", entries=3)
    selectors.contest_ranking(contest=contest)
    Score.objects.filter(entry=entries[0], judge__in=_judges[:1]).update(points=Decimal(10))  # no signal

    assert selectors.contest_ranking(contest=contest)[0].rows[-1].mean == Decimal("33.33")  # cached
    fresh = {row.entry_id: row.mean for row in selectors.contest_ranking(contest=contest, cached=False)[0].rows}
    assert fresh[entries[0].pk] == Decimal("50.00")


def test_organizers_home_reads_cached_rankings_in_the_same_queries_for_5_and_60_entries(client):
    small, *_ = scored_contest(slug="small", entries=5)
    large, *_ = scored_contest(slug="large", entries=60)
    counts = []
    for contest in (small, large):
        client.force_login(OrganizerFactory(contests=[contest]))
        counts.append((queries(client, reverse("organize:home")), queries(client, reverse("organize:home"))))

    assert counts[0] == counts[1]
    assert counts[1][1] == counts[1][0] - 1
    [overview] = selectors.contest_overviews(contests=type(large).objects.filter(pk=large.pk))
    # Five entries share the top figures (the third judge's 10 points): places 1-3 are the organizer's.
    assert (overview.unscored_sheets, overview.unresolved_ties) == (0, 3)
