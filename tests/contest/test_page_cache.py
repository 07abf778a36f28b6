"""Whole public pages from the cache (contest.views.page_cache): one copy
per language and address, never a signed-in user's page, never another
visitor's CSRF token, gone on every change of what the pages show; and
compressed on the wire when the browser accepts gzip."""

import datetime as dt
import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contest import services
from contest.models import ContestTranslation
from contest.views import page_cache
from judging.services import results_publish
from tests.factories.contest import ContestFactory, published_winner
from tests.factories.judging import OrganizerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

HOME = reverse("contest:home")


def published(**kwargs):
    contest = ContestFactory(
        opens_at=timezone.now() - dt.timedelta(days=60), closes_at=timezone.now() - dt.timedelta(days=30), **kwargs
    )
    contest.results_published_at = timezone.now()
    contest.save()
    return contest


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def titles(text):
    return re.findall(r'<span class="title">([^<]*)</span>', text)


def h1(text):
    return re.search(r"<h1[^>]*>([^<]*)</h1>", text).group(1)


def csrf_value(text):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)


def test_contest_page_is_cached_per_language(client, django_assert_num_queries):
    contest = ContestFactory(title="People of the border")
    ContestTranslation.objects.create(contest=contest, language="ru", title="Люди границы")
    url = reverse("contest:contest_detail", args=[contest.slug])

    # The contest, its age categories, its translations.
    with django_assert_num_queries(3):
        english = page(client, url)
    client.cookies["django_language"] = "ru"
    russian = page(client, url)
    with django_assert_num_queries(0):
        russian_again = page(client, url)
    del client.cookies["django_language"]
    with django_assert_num_queries(0):
        english_again = page(client, url)

    assert (h1(english), h1(russian)) == ("People of the border", "Люди границы")
    assert (h1(english_again), h1(russian_again)) == ("People of the border", "Люди границы")
    assert '<html lang="ru">' in russian_again and '<html lang="en">' in english_again


def test_home_and_entry_page_come_from_the_cache_without_a_query(client, django_assert_num_queries):
    contest = published(title="Winners 2025")
    entry = published_winner(contest, title="Night shift")
    entry_url = reverse("contest:entry_detail", args=[entry.public_id])
    first_home, first_entry = page(client, HOME), page(client, entry_url)

    with django_assert_num_queries(0):
        home, entry_page = page(client, HOME), page(client, entry_url)

    assert home == first_home.replace(csrf_value(first_home), csrf_value(home))
    assert "Night shift" in home and "Night shift" in entry_page


def test_each_visitor_gets_a_csrf_token_of_its_own_that_works():
    url = reverse("contest:contest_detail", args=[ContestFactory().slug])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = page(first, url)

    second_page = page(second, url)
    switched = second.post(reverse("set_language"), {"language": "ru", "next": url, "csrfmiddlewaretoken": csrf_value(second_page)})

    assert csrf_value(second_page) != csrf_value(first_page)
    assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value
    assert switched.status_code == 302
    assert "\x00" not in second_page


def test_a_signed_in_users_page_is_neither_served_from_nor_put_in_the_cache(client):
    contest = ContestFactory()
    url = reverse("contest:contest_detail", args=[contest.slug])
    anonymous_before = page(client, url)
    organizer = Client()
    organizer.force_login(OrganizerFactory())

    staff_page = page(organizer, url)
    anonymous_after = page(Client(), url)

    assert "Sign out" in staff_page
    assert "Sign out" not in anonymous_before and "Sign out" not in anonymous_after


def test_gallery_address_with_a_foreign_query_is_rendered_never_stored(client, django_assert_num_queries):
    contest = published()
    published_winner(contest, title="Only one")
    url = reverse("contest:gallery", args=[contest.slug])

    odd = page(client, url, QUERY_STRING="country=KG&utm=x")
    with django_assert_num_queries(6):
        again = page(client, url, QUERY_STRING="country=KG&utm=x")

    assert titles(odd) == titles(again) == ["Only one"]


def test_contest_settings_saved_replace_its_cached_page(client, django_capture_on_commit_callbacks):
    contest = ContestFactory(title="Old title")
    url = reverse("contest:contest_detail", args=[contest.slug])
    before = page(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        services.contest_update(contest=contest, user=None, fields={"title": "New title"})
    after = page(client, url)

    assert (h1(before), h1(after)) == ("Old title", "New title")


def test_results_publication_replaces_the_cached_home_page(client, django_capture_on_commit_callbacks):
    contest = ContestFactory(
        title="Borders 2025", opens_at=timezone.now() - dt.timedelta(days=60),
        closes_at=timezone.now() - dt.timedelta(days=30),
    )
    published_winner(contest, title="The customs post")
    before = page(client, HOME)

    with django_capture_on_commit_callbacks(execute=True):
        results_publish(contest=contest, override=True, reason="Published for the cache test.")
    after = page(client, HOME)

    assert "The customs post" not in before
    assert "The customs post" in after


@pytest.mark.parametrize("change", ["withdraw", "no_publication", "purge"])
def test_a_winner_withdrawn_unpublished_or_purged_leaves_the_cached_gallery(
    client, django_capture_on_commit_callbacks, change,
):
    contest = published()
    kept = published_winner(contest, place=1, title="Kept")
    gone = published_winner(contest, place=2, title="Gone")
    url = reverse("contest:gallery", args=[contest.slug])
    gone_url = reverse("contest:entry_detail", args=[gone.public_id])
    before, gone_before = page(client, url), client.get(gone_url)

    with django_capture_on_commit_callbacks(execute=True):
        if change == "withdraw":
            services.entry_withdraw(entry=gone)
        elif change == "no_publication":
            services.entry_publication_update(entry=gone, publish=False, publish_region=False)
        else:
            services.entry_erase(entry=gone, reason="deleted")
    after = page(client, url)

    assert titles(before) == ["Kept", "Gone"] and gone_before.status_code == 200
    assert titles(after) == ["Kept"] and kept.pk
    assert client.get(gone_url).status_code == 404


def test_a_page_is_kept_no_longer_than_until_the_next_opening_or_closing(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    now = timezone.now()
    soon, later, past = now + dt.timedelta(seconds=90), now + dt.timedelta(hours=2), now - dt.timedelta(days=1)

    assert page_cache.next_change(past, later, soon, None) == soon
    assert page_cache.next_change(past, None) is None
    assert 88 <= page_cache.seconds_to_keep(soon) <= 90
    assert page_cache.seconds_to_keep(later) == page_cache.seconds_to_keep(None) == 300
    assert page_cache.seconds_to_keep(past) == 0


def test_public_page_is_gzipped_when_the_browser_accepts_it(client):
    contest = published()
    published_winner(contest, title="Night shift")

    response = client.get(reverse("contest:gallery", args=[contest.slug]), HTTP_ACCEPT_ENCODING="gzip, br")
    plain = client.get(reverse("contest:gallery", args=[contest.slug]))

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Night shift" in gzip.decompress(response.content).decode()
    assert not plain.has_header("Content-Encoding")


def test_private_page_is_never_gzipped(client):
    client.force_login(OrganizerFactory())

    response = client.get(reverse("judging:home"), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert not response.has_header("Content-Encoding")
