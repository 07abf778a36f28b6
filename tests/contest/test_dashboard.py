"""The organizers' dashboard: entries per day, country and age category, and
the judging progress per category, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contest import charts, selectors
from contest.models import Entry
from judging.models import Conflict, JudgingSettings, Score
from judging.selectors import judging_progress_by_category
from tests.factories.judging import (
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    OrganizerFactory,
)

pytestmark = [pytest.mark.django_db]


def scored_contest(*, slug, entries):
    """3 categories, 2 criteria, 3 judges, K = 2; judge 1 scores every entry
    completely, judge 2 every second entry, judge 3 only one criterion."""
    contest = ContestFactory(slug=slug)
    JudgingSettings.objects.create(contest=contest, min_judges=2)
    criteria = [CriterionFactory(contest=contest) for _ in range(2)]
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(3)]
    categories = list(contest.age_categories.order_by("min_age"))
    batch = [
        EntryFactory(contest=contest, age_category=categories[i % 3], child_age=categories[i % 3].min_age,
                     country=["KG", "KZ"][i % 2])
        for i in range(entries)
    ]
    Score.objects.bulk_create(
        [Score(judge=judges[0], entry=e, criterion=c, points=Decimal(5), max_points=10) for e in batch for c in criteria]
        + [Score(judge=judges[1], entry=e, criterion=c, points=Decimal(6), max_points=10)
           for e in batch[::2] for c in criteria]
        + [Score(judge=judges[2], entry=e, criterion=criteria[0], points=Decimal(7), max_points=10) for e in batch]
    )
    return contest, judges, batch


def test_dashboard_same_queries_for_10_and_100_entries(client):
    small, _judges, _batch = scored_contest(slug="small", entries=10)
    large, _judges, _batch = scored_contest(slug="large", entries=100)
    client.force_login(OrganizerFactory(contests=[small, large]))
    counts = []

    for slug in ("small", "large"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("contest:dashboard", args=[slug]))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))

    assert counts[0] == counts[1]


def test_dashboard_counts_per_country_and_category():
    contest, _judges, _batch = scored_contest(slug="counted", entries=7)

    dashboard = selectors.dashboard_for_organizer(contest=contest)

    assert [(b.label, b.value) for b in dashboard.per_country.bars] == [
        ("Kazakhstan", 3), ("Kyrgyzstan", 4), ("Tajikistan", 0), ("Turkmenistan", 0), ("Uzbekistan", 0),
    ]
    assert [(b.label, b.value) for b in dashboard.per_category.bars] == [("6-9", 3), ("10-13", 2), ("14-17", 2)]
    assert dashboard.entries == 7


def test_dashboard_per_day_fills_days_without_entries():
    contest = ContestFactory(timezone="Asia/Bishkek")
    first, second = EntryFactory(contest=contest), EntryFactory(contest=contest)
    now = timezone.now()
    Entry.objects.filter(pk=first.pk).update(created_at=now - dt.timedelta(days=2))
    Entry.objects.filter(pk=second.pk).update(created_at=now)

    dashboard = selectors.dashboard_for_organizer(contest=contest)

    today = timezone.localtime(now, contest.tzinfo).date()
    assert [(b.label, b.value) for b in dashboard.per_day.bars] == [
        ((today - dt.timedelta(days=2)).isoformat(), 1), ((today - dt.timedelta(days=1)).isoformat(), 0),
        (today.isoformat(), 1),
    ]


def test_judging_progress_counts_complete_sheets_up_to_k():
    contest, judges, batch = scored_contest(slug="progress", entries=6)
    Conflict.objects.create(judge=judges[1], entry=batch[0])

    _round, rows = judging_progress_by_category(contest=contest)

    # Category 6-9 holds entries 0 and 3: judge 1 on both, judge 2 on entry 0
    # (abstained), judge 3 never complete. 10-13: entries 1 and 4, judge 2 on 4.
    assert [(r.category.name, r.entries, r.complete, r.needed) for r in rows] == [
        ("6-9", 2, 2, 4), ("10-13", 2, 3, 4), ("14-17", 2, 3, 4),
    ]
    assert [r.percent for r in rows] == [50, 75, 75]


def test_dashboard_page_has_accessible_charts(client):
    contest, _judges, _batch = scored_contest(slug="drawn", entries=4)
    client.force_login(OrganizerFactory(contests=[contest]))

    response = client.get(reverse("contest:dashboard", args=[contest.slug]))

    html = response.content.decode()
    assert html.count('role="img"') == 4
    assert html.count("<title id=") == 4
    assert html.count("<desc id=") == 4
    assert html.count("<table>") == 4
    assert "6-9: 3 of 4 score sheets (75 %)" in html


def test_dashboard_not_found_for_judges(client):
    contest, judges, _batch = scored_contest(slug="hidden", entries=1)
    client.force_login(judges[0])

    response = client.get(reverse("contest:dashboard", args=[contest.slug]))

    assert response.status_code == 404


def test_horizontal_bars_progress_share_of_total():
    chart = charts.horizontal_bars([("a", 1), ("b", 4)], totals=[4, 4])

    assert [(b.width, b.percent) for b in chart.bars] == [(round(charts.BAR_TRACK_WIDTH / 4), 25), (charts.BAR_TRACK_WIDTH, 100)]


def test_organizer_pages_link_the_dashboard(client):
    contest = ContestFactory()
    client.force_login(OrganizerFactory(contests=[contest]))
    url = reverse("contest:dashboard", args=[contest.slug])

    pages = [reverse("contest:moderation", args=[contest.slug]), reverse("contest:audit_log", args=[contest.slug]),
             reverse("judging:results", args=[contest.slug])]

    assert [url in client.get(page).content.decode() for page in pages] == [True, True, True]
