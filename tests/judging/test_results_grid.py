"""The organizers' results as a ranked grid of drawings per age category:
each card's picture, rank, score, spread, sheets, agreement and outlier
flags, exact ties highlighted, the card's award form, and a constant
number of queries."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging import scoring, services
from tests.factories.judging import (
    EntryFactory,
    JudgeAssignmentFactory,
    JudgingSettingsFactory,
    OrganizerFactory,
)

pytestmark = [pytest.mark.django_db]


class Cards(HTMLParser):
    """The results grid's cards: id -> their classes and text."""

    def __init__(self, text):
        super().__init__()
        self.cards, self.current, self.depth = {}, None, 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "result-card" in (attrs.get("class") or ""):
            self.current, self.depth = attrs["id"], 0
            self.cards[self.current] = {"class": attrs["class"].split(), "text": "", "img": []}
        if self.current:
            self.depth += tag == "li"
            if tag == "img":
                self.cards[self.current]["img"].append(attrs["src"])

    def handle_endtag(self, tag):
        if self.current and tag == "li":
            self.depth -= 1
            if self.depth == 0:
                self.current = None

    def handle_data(self, data):
        if self.current:
            self.cards[self.current]["text"] += " ".join(data.split()) + " "


def sheet(judge, entry, criteria, idea, colour):
    services.score_sheet_submit(
        judge=judge, entry=entry, points={criteria[0].pk: Decimal(idea), criteria[1].pk: Decimal(colour)}
    )


@pytest.fixture
def judged(contest, criteria):
    """Two judges. A: both give 10/5 (total 100). B and C: exactly tied
    (the same sheets: 60). D: one judge 10/5, the other 0/0 (totals 100 and
    0: they disagree)."""
    JudgingSettingsFactory(contest=contest, min_judges=2)
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(2)]
    entries = {name: EntryFactory(contest=contest, reference=f"GRID-000{i}", title=f"Drawing {name}")
               for i, name in enumerate("ABCD")}
    for judge in judges:
        sheet(judge, entries["A"], criteria, 10, 5)
        sheet(judge, entries["B"], criteria, 6, 3)
        sheet(judge, entries["C"], criteria, 6, 3)
    sheet(judges[0], entries["D"], criteria, 10, 5)
    sheet(judges[1], entries["D"], criteria, 0, 0)
    return entries


def cards_of(client, contest):
    response = client.get(reverse("judging:results", args=[contest.slug]))
    assert response.status_code == 200
    return Cards(response.content.decode()).cards


def test_cards_show_picture_rank_score_spread_sheets_and_flags(client, contest, judged):
    client.force_login(OrganizerFactory(contests=[contest]))

    cards = cards_of(client, contest)

    a, b, c, d = (cards[f"entry-{judged[n].pk}"] for n in "ABCD")
    assert list(cards) == [f"entry-{judged[n].pk}" for n in "ABCD"]
    assert a["img"] == [reverse("contest:rendition", args=[judged["A"].public_id, "card", "jpeg"])]
    assert "Rank 1" in a["text"] and "Score 100.00" in a["text"] and "Spread ± 0.00" in a["text"]
    assert "Sheets 2" in a["text"] and "Suggested: 1st place" in a["text"]
    assert "Rank 2" in b["text"] and "Rank 2" in c["text"] and "Rank 4" in d["text"]
    assert "tie" in b["class"] and "tie" in c["class"] and "tie" not in a["class"]
    assert "tie: you decide" in b["text"] and "tie: you decide" not in d["text"]
    assert "Score 50.00" in d["text"] and "Spread ± 50.00" in d["text"]
    assert "judges disagree" in d["text"] and "2 sheets far from the others" in d["text"]
    assert "judges disagree" not in a["text"]


def test_card_form_shows_current_place_and_special_awards(client, contest, judged):
    jury = services.special_award_create(contest=contest, name="Jury prize", names={"ru": "Приз жюри"})
    services.entry_awards_set(contest=contest, entry_id=judged["D"].pk, place=4, special_award_ids=[jury.pk])
    client.force_login(OrganizerFactory(contests=[contest]))

    client.cookies["django_language"] = "ru"
    response = client.get(reverse("judging:results", args=[contest.slug]))
    html = response.content.decode()

    d = Cards(html).cards[f"entry-{judged['D'].pk}"]
    assert "awarded" in d["class"]
    assert f'id="place-{judged["D"].pk}" name="place" min="1" inputmode="numeric" value="4"' in html
    assert f'name="special_awards" value="{jury.pk}" checked' in html
    assert f'<label class="result-picture" for="place-{judged["D"].pk}">' in html
    assert '<span class="badge badge-special">Приз жюри</span>' in html


def test_published_results_show_the_grid_without_forms(client, contest, judged):
    contest.results_published_at = timezone.now()
    contest.save()
    client.force_login(OrganizerFactory(contests=[contest]))

    html = client.get(reverse("judging:results", args=[contest.slug])).content.decode()

    assert len(Cards(html).cards) == 4
    assert 'class="award-form"' not in html
    assert reverse("judging:special_award_create", args=[contest.slug]) not in html


def test_results_page_asks_the_worker_for_the_score_sheets(client, contest, judged):
    client.force_login(OrganizerFactory(contests=[contest]))

    html = client.get(reverse("judging:results", args=[contest.slug])).content.decode()

    assert f'action="{reverse("exports:exports", args=[contest.slug])}"' in html
    assert 'name="kind" value="scores_csv"' in html
    assert "scores.csv" not in html


def results_queries(client, contest):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("judging:results", args=[contest.slug]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_results_grid_same_queries_for_one_and_many_entries(client, contest, criteria):
    JudgingSettingsFactory(contest=contest, min_judges=1)
    judge = JudgeAssignmentFactory(contest=contest).judge
    jury = services.special_award_create(contest=contest, name="Jury prize")
    first = EntryFactory(contest=contest)
    sheet(judge, first, criteria, 5, 2)
    services.entry_awards_set(contest=contest, entry_id=first.pk, place=4, special_award_ids=[jury.pk])
    client.force_login(OrganizerFactory(contests=[contest]))
    one = results_queries(client, contest)

    for i in range(12):
        entry = EntryFactory(contest=contest)
        sheet(judge, entry, criteria, i % 10, 1)
        services.entry_awards_set(contest=contest, entry_id=entry.pk, place=10 + i, special_award_ids=[jury.pk])
    many = results_queries(client, contest)

    assert one == many


def test_entry_spreads_sd_range_and_outlying_sheets():
    sheets = [
        scoring.Sheet(judge=j, entry="x", total=Decimal(t)) for j, t in enumerate([60, 62, 58, 10])
    ] + [scoring.Sheet(judge=0, entry="y", total=Decimal(40))]

    spreads = scoring.entry_spreads(sheets)

    x = spreads["x"]
    assert (x.low, x.high, x.outliers, x.disagreement) == (Decimal(10), Decimal(62), 1, True)
    assert scoring.mean_display(x.sd) == Decimal("21.70")
    assert spreads["y"] == scoring.EntrySpread(sd=Decimal(0), low=Decimal(40), high=Decimal(40), outliers=0)
