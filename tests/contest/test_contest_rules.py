"""A contest's rules and questions page (`contest:contest_rules`), and the
age categories' names in the visitor's language on the public pages."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from contest.models import AgeCategory, ContestTranslation
from tests.factories.contest import ContestFactory, published_winner

pytestmark = [pytest.mark.django_db]

CLOSES = dt.datetime(2031, 5, 20, 18, 59, tzinfo=dt.UTC)  # 00:59 on 21 May in Bishkek (UTC+6)


def get(client, url, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def contest():
    contest = ContestFactory(
        slug="borders", title="Borders", rules="One drawing, on paper.", countries=["KG", "UZ"],
        upload_max_megabytes=10, max_entries_per_guardian=3, opens_at=CLOSES - dt.timedelta(days=3650),
        closes_at=CLOSES, categories=[],
    )
    AgeCategory.objects.create(contest=contest, name="Younger", names={"ru": "Младшие"}, min_age=6, max_age=9)
    AgeCategory.objects.create(contest=contest, name="Older", names={"ru": "Старшие"}, min_age=10, max_age=14)
    ContestTranslation.objects.create(contest=contest, language="ru", title="Границы", rules="Один рисунок, на бумаге.")
    return contest


def test_rules_page_states_the_contest_own_facts(client, contest):
    html = get(client, reverse("contest:contest_rules", args=[contest.slug]))

    with translation.override("en"):
        closes = formats.date_format(timezone.localtime(CLOSES, contest.tzinfo), "DATETIME_FORMAT")
    assert closes.startswith("May 21, 2031")
    assert [
        "Children of these countries: Kyrgyzstan, Uzbekistan." in html,
        "<li>Younger: 6 to 9 years</li>" in html,
        "<li>Older: 10 to 14 years</li>" in html,
        "One drawing per child, drawn by the child alone." in html,
        "Entries from one guardian's e-mail address, at most: 3 (for brothers and sisters)." in html,
        "JPEG, PNG, WebP or HEIC, up to 10 MB and 40 megapixels." in html,
        f"until {closes} (Bishkek time)" in html,
        "One drawing, on paper." in html,
        f'href="{reverse("contest:guardian_link_request")}"' in html,
        f'<a href="mailto:{settings.CONTACT_EMAIL}">{settings.CONTACT_EMAIL}</a>' in html,
        "never published" in html,
    ] == [True] * 11


def test_rules_page_reads_the_site_limits_when_the_contest_sets_none(client, contest, settings):
    settings.UPLOAD_MAX_BYTES = 5_000_000
    settings.UPLOAD_MAX_PIXELS = 12_000_000
    contest.upload_max_megabytes = None
    contest.max_entries_per_child = 2
    contest.save()

    html = get(client, reverse("contest:contest_rules", args=[contest.slug]))

    assert "JPEG, PNG, WebP or HEIC, up to 5 MB and 12 megapixels." in html
    assert "Drawings per child, at most: 2." in html
    assert "One drawing per child" not in html


def test_rules_page_in_russian_shows_the_russian_content(client, contest):
    html = get(client, reverse("contest:contest_rules", args=[contest.slug]), "ru")

    assert ["Границы" in html, "Один рисунок, на бумаге." in html, "<li>Младшие:" in html, "<li>Старшие:" in html,
            "One drawing, on paper." in html, "Younger" in html] == [True, True, True, True, False, False]


def test_rules_page_of_an_unknown_contest_is_404(client):
    assert client.get(reverse("contest:contest_rules", args=["no-such-contest"])).status_code == 404


@pytest.mark.parametrize("n_categories", [1, 3])
def test_rules_page_queries_do_not_grow_with_categories(client, django_assert_num_queries, n_categories):
    contest = ContestFactory(categories=[(f"Band {i}", 6 + 3 * i, 8 + 3 * i) for i in range(n_categories)])

    with django_assert_num_queries(3):  # the contest, its categories, its translations
        html = get(client, reverse("contest:contest_rules", args=[contest.slug]))

    assert html.count("<li>Band ") == n_categories


@pytest.mark.parametrize("n_categories", [1, 3])
def test_contest_page_reads_at_most_3_queries(client, django_assert_num_queries, n_categories):
    contest = ContestFactory(categories=[(f"Band {i}", 6 + 3 * i, 8 + 3 * i) for i in range(n_categories)])
    ContestTranslation.objects.create(contest=contest, language="ru", title="Рисуем мир")

    with django_assert_num_queries(3):  # the contest, its categories, its translations
        html = get(client, reverse("contest:contest_detail", args=[contest.slug]), "ru")

    assert "Рисуем мир" in html


def test_contest_page_and_submission_form_link_the_rules(client, contest):
    contest.closes_at = timezone.now() + dt.timedelta(days=5)
    contest.save()
    link = f'href="{reverse("contest:contest_rules", args=[contest.slug])}"'

    pages = [get(client, reverse(name, args=[contest.slug])) for name in ("contest:contest_detail", "contest:entry_submit")]

    assert [link in page for page in pages] == [True, True]


def test_category_name_falls_back_to_the_default_language_name():
    category = AgeCategory(name="Younger", names={"ru": "Младшие", "kk": ""})

    assert [category.name_in(code) for code in ("ru", "kk", "uz-cyrl", "en")] == ["Младшие", "Younger", "Younger", "Younger"]


def test_public_pages_name_categories_in_the_visitor_language(client, contest):
    winner = published_winner(contest, place=1, category=contest.age_categories.first())
    contest.results_published_at = timezone.now()
    contest.save()

    gallery = get(client, reverse("contest:gallery", args=[contest.slug]), "ru")
    detail = get(client, reverse("contest:contest_detail", args=[contest.slug]), "ru")
    winner_page = get(client, reverse("contest:entry_detail", args=[winner.public_id]), "ru")

    assert [gallery.count("Младшие"), gallery.count("Старшие"), "Younger" in gallery, "Older" in gallery] == [2, 2, False, False]
    assert ["<li>Младшие:" in detail, "Younger" in detail] == [True, False]
    assert ["Младшие" in winner_page, "Younger" in winner_page] == [True, False]
