"""The home page: the open contest with a winner's drawing, its deadline in
its own time zone, the winners' strip; the last results and the next
opening when nothing is open; constant queries; only public data."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contest import selectors
from contest.models import ContestTranslation, SpecialAward
from tests.factories.contest import PRIVATE_CHILD_DATA, ContestFactory, EntryFactory, published_winner
from tests.helpers import corpus_dir

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

NOW = timezone.now()


def published_contest(n_winners=3, **kwargs):
    contest = ContestFactory(
        title="Borders 2025", slug="borders-2025", opens_at=NOW - dt.timedelta(days=400),
        closes_at=NOW - dt.timedelta(days=300), **kwargs,
    )
    categories = list(contest.age_categories.all())
    winners = [
        published_winner(contest, place=i // len(categories) + 1, category=categories[i % len(categories)],
                         title=f"Winner {i}")
        for i in range(n_winners)
    ]
    contest.results_published_at = NOW - dt.timedelta(days=200)
    contest.save()
    return contest, winners


def home(client, language="en"):
    client.cookies["django_language"] = language
    return client.get(reverse("contest:home"))


def test_home_shows_the_open_contest_with_a_winner_drawing_and_the_submit_link(client):
    ContestFactory(title="Borders 2026", slug="borders-2026", timezone="Asia/Tashkent",
                   closes_at=dt.datetime(2030, 3, 15, 18, 59, tzinfo=dt.UTC))
    _contest, winners = published_contest()

    html = home(client).content.decode()

    first = winners[0]
    assert "Borders 2026" in html
    assert f'href="{reverse("contest:entry_submit", args=["borders-2026"])}"' in html
    # 18:59 UTC is 23:59 in Tashkent (UTC+5).
    assert "March 15, 2030, 11:59 p.m. (Tashkent time)" in html
    assert 'data-deadline="2030-03-15T18:59:00+00:00"' in html
    card = reverse("contest:rendition", args=[first.public_id, "card", "jpeg"])
    assert html.count(f'src="{card}"') == 2  # the featured drawing and its card in the strip
    assert f'href="{reverse("contest:gallery", args=["borders-2025"])}"' in html
    assert [f'href="{reverse("contest:entry_detail", args=[w.public_id])}"' in html for w in winners] == [True] * 3


def test_home_deadline_in_the_visitor_language(client):
    ContestFactory(timezone="Asia/Bishkek", closes_at=dt.datetime(2030, 3, 15, 17, 0, tzinfo=dt.UTC))

    html = home(client, "ru").content.decode()

    assert "15 марта 2030 г. 23:00" in html


def test_home_shows_only_public_data_of_winners(client):
    ContestFactory()
    contest, _winners = published_contest(n_winners=0)
    winner = published_winner(contest, place=1, title="Public title", description="Secret words qx", **PRIVATE_CHILD_DATA)

    html = home(client).content.decode()

    assert "Public title" in html
    assert PRIVATE_CHILD_DATA["child_first_name"] in html
    assert 'alt="Public title"' in html
    for private in ("Secret words qx", winner.child_last_name, winner.school, winner.guardian_name, winner.guardian_email,
                    winner.region, winner.reference):
        assert private not in html


def test_home_strip_has_published_consented_winners_only_places_first(client):
    contest, winners = published_contest(n_winners=4)
    hidden = published_winner(contest, place=3, title="No consent", publish_consent=False)
    EntryFactory(contest=contest, title="Not a winner")
    special = published_winner(contest, place=None, title="Jury pick")
    SpecialAward.objects.create(contest=contest, name="Jury prize").entries.add(special)
    unpublished = ContestFactory(opens_at=NOW - dt.timedelta(days=100), closes_at=NOW - dt.timedelta(days=50))
    published_winner(unpublished, place=1, title="Not yet published")

    page = selectors.home_page(language="en")

    assert [e.title for e in page.winners] == ["Winner 0", "Winner 1", "Winner 2", "Winner 3", "Jury pick"]
    assert page.drawing == winners[0]
    assert hidden not in page.winners


def test_home_when_nothing_is_open_shows_last_results_and_next_opening(client):
    published_contest()
    ContestFactory(title="Borders 2027", slug="borders-2027", timezone="Asia/Bishkek",
                   opens_at=dt.datetime(2031, 2, 1, 3, 0, tzinfo=dt.UTC), closes_at=dt.datetime(2031, 5, 1, tzinfo=dt.UTC))
    ContestFactory(title="Borders 2028", opens_at=dt.datetime(2032, 2, 1, tzinfo=dt.UTC),
                   closes_at=dt.datetime(2032, 5, 1, tzinfo=dt.UTC))

    html = home(client).content.decode()

    assert "No contest is open right now." in html
    assert "The next contest, “Borders 2027”, opens on Feb. 1, 2031, 9 a.m. (Bishkek time)." in html
    assert "Borders 2028" not in html
    assert "The results of “Borders 2025” are published." in html
    assert f'href="{reverse("contest:gallery", args=["borders-2025"])}"' in html
    assert "data-countdown" not in html


def test_home_without_any_winner_shows_the_fallback_and_no_broken_image(client):
    ContestFactory(title="Borders 2026")

    response = home(client)
    html = response.content.decode()

    assert response.status_code == 200
    assert "The winners' drawings will be shown here." in html
    assert "/static/icons/icon.svg" in html
    assert "/images/" not in html


def test_home_titles_in_the_visitor_language(client):
    open_contest = ContestFactory(title="Borders 2026")
    ContestTranslation.objects.create(contest=open_contest, language="ru", title="Границы 2026", theme="Нарисуй.")
    results, _winners = published_contest()
    ContestTranslation.objects.create(contest=results, language="ru", title="Границы 2025")

    html = home(client, "ru").content.decode()

    assert ["Границы 2026" in html, "Нарисуй." in html, "Границы 2025" in html, "Borders 2025" in html] == [
        True, True, True, False,
    ]


def count_home_queries(client, django_assert_num_queries, expected):
    # SQLite's JSON support is probed once per connection (three statements), not per page.
    assert connection.features.supports_json_field
    with django_assert_num_queries(expected):
        response = home(client, "ru")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("n", [1, 6])
def test_home_queries_open_contest_and_published_winners(client, django_assert_num_queries, n):
    for i in range(2):
        ContestTranslation.objects.create(contest=ContestFactory(), language="ru", title=f"Открыт {i}")
    contest, winners = published_contest(n_winners=n)
    SpecialAward.objects.create(contest=contest, name="Jury prize").entries.add(winners[0])

    # Contests, their translations; the winners with their renditions and special awards.
    response = count_home_queries(client, django_assert_num_queries, 3)

    html = response.content.decode()
    assert html.count('class="card"') == n
    assert html.count("<span class=\"badge badge-special\">Jury prize</span>") == 2  # the featured drawing, the strip


def test_home_queries_nothing_open(client, django_assert_num_queries):
    ContestFactory(opens_at=NOW + dt.timedelta(days=30), closes_at=NOW + dt.timedelta(days=60))
    ContestFactory(opens_at=NOW - dt.timedelta(days=60), closes_at=NOW - dt.timedelta(days=30))

    response = count_home_queries(client, django_assert_num_queries, 2)

    html = response.content.decode()
    assert ["data-countdown" in html, "/winners/" in html, "/images/" in html] == [False, False, False]


@pytest.mark.corpus
def test_home_of_the_seeded_demo_shows_a_winner_drawing(client, tmp_path, settings):
    settings.BASE_DIR = tmp_path  # the demo accounts' file goes there
    images = tmp_path / "drawings"
    images.mkdir()
    for path in sorted((corpus_dir() / "drawings").glob("drawing-00[1-6].*")):
        (images / path.name).write_bytes(path.read_bytes())
    call_command("seed_demo", images=images, per_contest=3, stdout=io.StringIO())

    page = selectors.home_page(language="en")
    html = home(client).content.decode()
    drawing = reverse("contest:rendition", args=[page.drawing.public_id, "card", "jpeg"])
    image = client.get(drawing)

    # The regional contest is open too; its national rounds are reached from its page.
    assert [contest.slug for contest, _content in page.open_contests] == ["borders-2026", "borders-region-2026"]
    assert page.results[0].slug == "borders-2025"
    assert f'src="{drawing}"' in html
    assert (image.status_code, image["Content-Type"]) == (200, "image/jpeg")
