"""The judge's queue (a filtered grid of thumbnails with progress per age
category) and score sheet (drawing beside the criteria, previous/next, the
zoom image, kept drafts): blind, and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.models import Entry
from judging import services
from judging.models import Score
from tests.factories.contest import PRIVATE_CHILD_DATA as PRIVATE
from tests.factories.contest import RenditionFactory
from tests.factories.judging import ConflictFactory, EntryFactory, OrganizerFactory
from tests.helpers import judge_entry_url

pytestmark = [pytest.mark.django_db]


def score_url(contest, judge, entry):
    return judge_entry_url("judging:entry_score", contest, judge, entry)


def queue_url(contest, show=""):
    return reverse("judging:entry_list", args=[contest.slug]) + (f"?show={show}" if show else "")


def get_counted(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def score(judge, entry, criteria, idea=7, colour=3):
    services.score_sheet_submit(judge=judge, entry=Entry(pk=entry.pk),
                                points={criteria[0].pk: idea, criteria[1].pk: colour})


def spread(contest, n):
    """`n` entries over the contest's three age categories, with renditions."""
    categories = list(contest.age_categories.order_by("min_age"))
    entries = []
    for i in range(n):
        category = categories[i % 3]
        entry = EntryFactory(contest=contest, age_category=category, child_age=category.min_age, **PRIVATE)
        for kind in ("card", "display"):
            RenditionFactory(entry=entry, kind=kind)
        entries.append(entry)
    return entries


def test_queue_filters_progress_per_category_and_blind_abstentions(client, contest, criteria, judge):
    entries = spread(contest, 6)
    score(judge, entries[0], criteria)
    score(judge, entries[1], criteria)
    ConflictFactory(judge=judge, entry=entries[5], reason="My pupil qz-reason.")
    client.force_login(judge)

    pages = {show: client.get(queue_url(contest, show)).content.decode()
             for show in ("", "to_score", "scored", "abstained", "flagged", "nonsense")}

    def titles(page):
        return sorted(e.title for e in entries if f"<p>{e.title}</p>" in page)

    assert titles(pages[""]) == sorted(e.title for e in entries[:5])
    assert titles(pages["to_score"]) == sorted(e.title for e in entries[2:5])
    assert titles(pages["scored"]) == sorted(e.title for e in entries[:2])
    assert titles(pages["abstained"]) == [entries[5].title]
    assert "My pupil qz-reason." in pages["abstained"] and "/images/" not in pages["abstained"]
    assert titles(pages["nonsense"]) == titles(pages[""])
    assert "No drawings here." in pages["flagged"]
    for label in ("All (5)", "To score (3)", "Scored (2)", "For discussion (0)", "Abstained (1)"):
        assert label in pages[""]
    assert re.search(r'aria-current="page">Scored \(2\)', pages["scored"])
    # Two entries per category; the first two scored are of the first two categories.
    assert "6-9: 1 of 2" in pages[""] and "10-13: 1 of 2" in pages[""] and "14-17: 0 of 1" in pages[""]
    for page in pages.values():
        for value in PRIVATE.values():
            assert value not in page
        assert not any(str(e.public_id) in page for e in entries)


def test_queue_shows_a_card_thumbnail_per_entry_under_the_judges_token(client, contest, criteria, judge):
    entries = spread(contest, 3)
    client.force_login(judge)

    page = client.get(queue_url(contest)).content.decode()

    thumbnails = re.findall(r'<img src="([^"]+)" alt="Drawing [^"]+" loading="lazy">', page)
    assert sorted(thumbnails) == sorted(judge_entry_url("judging:entry_image", contest, judge, e, "card", "jpeg")
                                        for e in entries)


def test_queue_queries_constant_for_one_and_many_entries(client, contest, criteria, judge):
    first = spread(contest, 1)
    client.force_login(judge)
    one, _page = get_counted(client, queue_url(contest))
    more = spread(contest, 14)
    score(judge, more[0], criteria)
    services.discussion_flag_set(judge=judge, entry=Entry(pk=more[1].pk), note="?")
    ConflictFactory(judge=judge, entry=more[2])
    many, page = get_counted(client, queue_url(contest))

    assert many == one
    assert page.count('class="card') == 14 and first[0].title in page


def test_sheet_queries_constant_for_one_and_many_entries(client, contest, criteria, judge):
    first = spread(contest, 1)[0]
    client.force_login(judge)
    one, _page = get_counted(client, score_url(contest, judge, first))
    spread(contest, 20)
    many, page = get_counted(client, score_url(contest, judge, first))

    assert many == one
    assert "of 21 in your list" in page


def test_sheet_previous_and_next_follow_the_judges_order(client, contest, criteria, judge):
    spread(contest, 3)
    client.force_login(judge)
    order = re.findall(r'href="(/judging/[^"]+/entries/[^"/]+/)">\d\. ', client.get(queue_url(contest)).content.decode())

    pages = [client.get(url).content.decode() for url in order]

    def link(page, rel):
        found = re.search(rf'<a rel="{rel}" data-key-\w+ href="([^"]+)"', page)
        return found.group(1) if found else None

    assert [link(p, "prev") for p in pages] == [None, order[0], order[1]]
    assert [link(p, "next") for p in pages] == [order[1], order[2], None]


def test_sheet_zoom_uses_the_zoom_rendition_when_there_is_one(client, contest, criteria, judge):
    large, small = spread(contest, 2)
    RenditionFactory(entry=large, kind="zoom", width=2048, height=1536)
    client.force_login(judge)

    large_page = client.get(score_url(contest, judge, large)).content.decode()
    small_page = client.get(score_url(contest, judge, small)).content.decode()

    zoom = judge_entry_url("judging:entry_image", contest, judge, large, "zoom", "jpeg")
    display = judge_entry_url("judging:entry_image", contest, judge, small, "display", "jpeg")
    assert f'data-zoom href="{zoom}" data-zoom-width="2048" data-zoom-height="1536"' in large_page
    assert f'data-zoom href="{display}" data-zoom-width="400" data-zoom-height="300"' in small_page
    assert str(large.public_id) not in large_page
    assert 'sizes="(min-width: 60em) calc(100vw - 26rem), calc(100vw - 2rem)"' in large_page


def test_sheet_keeps_drafts_per_judge_contest_and_entry_and_clears_after_saving(client, contest, criteria, judge):
    first, second = spread(contest, 2)
    client.force_login(judge)
    token = score_url(contest, judge, first).rstrip("/").rsplit("/", 1)[1]
    key = f"judging-sheet:{judge.pk}:{contest.slug}:{token}"

    before = client.get(score_url(contest, judge, first)).content.decode()
    saved = client.post(score_url(contest, judge, first),
                        {f"criterion_{criteria[0].pk}": "8", f"criterion_{criteria[1].pk}": "2", "then": "next"},
                        follow=True).content.decode()
    later = client.get(score_url(contest, judge, first)).content.decode()

    assert f'data-draft-key="{key}"' in before and "data-clear-draft" not in before
    assert f'data-clear-draft="{key}"' in saved
    assert "data-clear-draft" not in later  # once only
    assert "You scored this drawing. You can change your scores until the round closes." in later


def test_judge_reopens_and_changes_a_sheet_until_the_round_closes(client, contest, criteria, judge):
    entry = spread(contest, 1)[0]
    score(judge, entry, criteria, idea=4, colour=1)
    client.force_login(judge)
    url = score_url(contest, judge, entry)

    changed = client.post(url, {f"criterion_{criteria[0].pk}": "9", f"criterion_{criteria[1].pk}": "5",
                                "then": "list"})
    services.round_close(contest=contest, actor=OrganizerFactory())
    refused = client.post(url, {f"criterion_{criteria[0].pk}": "1", f"criterion_{criteria[1].pk}": "1"})
    page = client.get(url).content.decode()

    assert changed.status_code == 302 and changed["Location"] == queue_url(contest)
    assert refused.status_code == 302
    assert sorted(Score.objects.filter(judge=judge).values_list("points", flat=True)) == [5, 9]
    assert "This round is closed; your scores are shown read-only." in page
    assert "data-draft-key" not in page
