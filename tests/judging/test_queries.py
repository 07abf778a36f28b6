"""The judge's list and the organizer's ranking cost a fixed number of
queries, whatever the number of entries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging import selectors, services
from judging.models import Score
from tests.factories.judging import (
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    OrganizerFactory,
)

pytestmark = [pytest.mark.django_db]

RESULTS_PAGE_QUERIES = 13  # the organizer's results page, figures cached


def judged_contest(*, slug, entries):
    """A closed contest with 3 criteria and 2 judges; the first judge scored
    every entry completely, the second only the first criterion of each."""
    contest = ContestFactory(
        slug=slug, opens_at=timezone.now() - dt.timedelta(days=30), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    criteria = [CriterionFactory(contest=contest, max_points=10) for _ in range(3)]
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(2)]
    categories = list(contest.age_categories.order_by("min_age"))
    batch = [
        EntryFactory(contest=contest, age_category=categories[i % 3], child_age=categories[i % 3].min_age)
        for i in range(entries)
    ]
    Score.objects.bulk_create(
        [
            Score(judge=judges[0], entry=e, criterion=c, points=Decimal(i % 11), max_points=10)
            for i, e in enumerate(batch)
            for c in criteria
        ]
        + [Score(judge=judges[1], entry=e, criterion=criteria[0], points=Decimal(5), max_points=10) for e in batch]
    )
    return contest, judges[0]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_entry_list_for_judge_same_queries_for_5_and_50_entries(client):
    small, small_judge = judged_contest(slug="small", entries=5)
    large, large_judge = judged_contest(slug="large", entries=50)

    client.force_login(small_judge)
    small_count = count_queries(client, reverse("judging:entry_list", kwargs={"slug": "small"}))
    client.force_login(large_judge)
    large_count = count_queries(client, reverse("judging:entry_list", kwargs={"slug": "large"}))

    assert small_count == large_count
    assert [e.is_scored for e in selectors.entry_list_for_judge(contest=large, user=large_judge)] == [True] * 50


def test_home_for_judge_same_queries_for_5_and_50_entries(client):
    _small, small_judge = judged_contest(slug="small", entries=5)
    _large, large_judge = judged_contest(slug="large", entries=50)

    client.force_login(small_judge)
    small_count = count_queries(client, reverse("judging:home"))
    client.force_login(large_judge)
    large_count = count_queries(client, reverse("judging:home"))

    assert small_count == large_count


def test_results_ranking_same_queries_for_5_and_50_entries(client):
    small, _ = judged_contest(slug="small", entries=5)
    large, _ = judged_contest(slug="large", entries=50)
    client.force_login(OrganizerFactory(contests=[small, large]))

    small_count = count_queries(client, reverse("judging:results", kwargs={"slug": "small"}))
    large_count = count_queries(client, reverse("judging:results", kwargs={"slug": "large"}))

    assert small_count == large_count
    ranking = selectors.contest_ranking(contest=large)
    assert [sum(len(b.rows) for b in ranking), {r.judges for b in ranking for r in b.rows}] == [50, {1}]


def test_contest_ranking_six_queries(django_assert_num_queries):
    # settings, rounds, categories, criteria, entries, scores
    contest, _ = judged_contest(slug="ranked", entries=6)

    with django_assert_num_queries(6):
        selectors.contest_ranking(contest=contest)


def test_entry_list_for_judge_six_queries(django_assert_num_queries):
    # rounds, assignments, their categories, criteria, entries, reference drawings
    contest, judge = judged_contest(slug="listed", entries=6)

    with django_assert_num_queries(6):
        selectors.entry_list_for_judge(contest=contest, user=judge)


def busy_contest(*, slug, entries):
    """`judged_contest` with z-score ranking, K = 2, a conflict, entries
    spread over the judges automatically, and a reference drawing."""
    from judging.models import CalibrationEntry, Conflict, JudgingSettings

    contest, judge = judged_contest(slug=slug, entries=entries)
    JudgingSettings.objects.create(contest=contest, normalization="zscore", min_judges=2)
    first = contest.entries.order_by("id").first()
    Conflict.objects.create(judge=judge, entry=first, reason="Neighbour")
    services.entries_assign(contest=contest, actor=None, min_judges=2)
    CalibrationEntry.objects.create(contest=contest, entry=first)
    return contest, judge


@pytest.mark.parametrize("name", ["judging:entry_list", "judging:results", "judging:home"])
def test_queue_and_results_same_queries_for_10_and_100_entries(client, name):
    small, small_judge = busy_contest(slug="small", entries=10)
    large, large_judge = busy_contest(slug="large", entries=100)
    organizer = OrganizerFactory(contests=[small, large])
    counts = []
    for slug, judge in (("small", small_judge), ("large", large_judge)):
        client.force_login(organizer if name == "judging:results" else judge)
        url = reverse(name) if name == "judging:home" else reverse(name, kwargs={"slug": slug})
        counts.append(count_queries(client, url))

    assert counts[0] == counts[1]


def test_results_page_for_100_entries_is_bounded(client):
    large, _ = busy_contest(slug="large", entries=100)
    client.force_login(OrganizerFactory(contests=[large]))

    assert count_queries(client, reverse("judging:results", kwargs={"slug": "large"})) <= 15


def test_results_show_one_page_of_each_category_with_the_same_queries(client, settings):
    # 25 entries: 9, 8 and 8 in the three categories; pages of 4 rows.
    settings.JUDGING_RESULTS_PAGE_SIZE = 4
    contest, _ = judged_contest(slug="paged", entries=25)
    client.force_login(OrganizerFactory(contests=[contest]))
    url = reverse("judging:results", kwargs={"slug": "paged"})
    first_category = contest.age_categories.order_by("min_age").first()
    full = [row.reference for row in selectors.contest_ranking(contest=contest)[0].rows]

    first = client.get(url)
    third = client.get(url, {"page_%d" % first_category.pk: 3, "round": 1})
    pages = [first.context["ranking_pages"][0], third.context["ranking_pages"][0]]
    first_count = count_queries(client, url)
    third_count = count_queries(client, f"{url}?page_{first_category.pk}=3")

    assert len(full) == 9
    assert [[row.reference for row in p.page.object_list] for p in pages] == [full[:4], full[8:]]
    assert [len(p.page.object_list) for p in first.context["ranking_pages"]] == [4, 4, 4]
    assert (pages[0].previous_query, pages[0].next_query) == ("", f"page_{first_category.pk}=2")
    assert (pages[1].previous_query, pages[1].next_query) == (f"page_{first_category.pk}=2&round=1", "")
    html = third.content.decode()
    start = html.index(f'<section aria-labelledby="category-{first_category.pk}">')
    section = html[start:html.index("</section>", start)]
    assert "Drawings 9–9 of 9" in section
    assert [ref for ref in full if ref in section] == [full[8]]
    assert f'href="?page_{first_category.pk}=2&amp;round=1#category-{first_category.pk}" rel="prev"' in html
    assert first_count == third_count


@pytest.mark.parametrize("entries", [36, 90])
def test_results_page_of_a_long_ranking_reads_a_fixed_number_of_queries(client, settings, entries):
    # Pages of 4 cards; 36 entries make 12 per category (3 pages), 90 make 30 (8 pages).
    settings.JUDGING_RESULTS_PAGE_SIZE = 4
    contest, _ = judged_contest(slug="long", entries=entries)
    client.force_login(OrganizerFactory(contests=[contest]))
    url = reverse("judging:results", kwargs={"slug": "long"})
    first_category = contest.age_categories.order_by("min_age").first()
    full = [row.reference for row in selectors.contest_ranking(contest=contest)[0].rows]
    client.get(url)  # the figures computed and cached

    counts = [count_queries(client, f"{url}?page_{first_category.pk}={page}") for page in (1, 2, 3)]
    second = client.get(url, {f"page_{first_category.pk}": 2})

    # The session, the user, the contest, its translations and the organizer's roles; the settings,
    # rounds, categories and criteria; the rows read (the page, the winners' form's choices, the
    # awarded rows: one query), the judges' names, the special awards held and the special awards.
    assert counts == [RESULTS_PAGE_QUERIES] * 3
    rows = second.context["ranking_pages"][0].page.object_list
    assert [row.reference for row in rows] == full[4:8]
