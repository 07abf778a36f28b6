"""Judges cannot compare notes by URL: every judging URL and image URL a
judge sees names an entry by that judge's own token (`entry_token`),
never by its public id, which is the same for every judge and later names
a published winner's public page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judging import services
from judging.models import CalibrationScore, Conflict
from judging.selectors import entry_token
from tests.factories.contest import RenditionFactory
from tests.factories.judging import (
    CalibrationEntryFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    OrganizerFactory,
)
from tests.helpers import judge_entry_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

KINDS = [("card", "jpeg"), ("card2x", "jpeg"), ("card2x", "webp"), ("display", "jpeg"), ("display", "webp")]


@pytest.fixture
def world():
    """An open contest with three drawings and a reference drawing, every
    one with all its renditions; two judges, the first calibrated."""
    now = timezone.now()
    contest = ContestFactory(
        slug="blind-urls", opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1)
    )
    criterion = CriterionFactory(contest=contest, name="Idea", max_points=10)
    entries = [EntryFactory(contest=contest, title=f"Drawing {i}") for i in range(3)]
    reference = EntryFactory(contest=contest, title="The reference")
    CalibrationEntryFactory(contest=contest, entry=reference, order=1)
    for entry in [*entries, reference]:
        for kind, fmt in KINDS:
            RenditionFactory(entry=entry, kind=kind, format=fmt, width=400 if kind == "card" else 800, height=300)
    first, second = (JudgeAssignmentFactory(contest=contest).judge for _ in range(2))
    CalibrationScore.objects.create(judge=first, entry=reference, criterion=criterion, points=Decimal(5), max_points=10)
    return {"contest": contest, "criterion": criterion, "entries": entries, "reference": reference,
            "first": first, "second": second}


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def image_urls(html):
    """The src and srcset values of every <img> and <source>."""
    tags = re.findall(r"<(?:img|source)\b[^>]*>", html)
    return {value for tag in tags for value in re.findall(r'\b(?:src|srcset)="([^"]+)"', tag)}


def test_no_judging_page_a_judge_sees_names_an_entry_by_its_public_id(world):
    contest, first, second = world["contest"], world["first"], world["second"]
    everything = [*world["entries"], world["reference"]]
    pages = []
    client = logged_in(first)
    pages.append(client.get(reverse("judging:home")))
    pages.append(client.get(reverse("judging:entry_list", args=[contest.slug])))
    pages += [client.get(judge_entry_url("judging:entry_score", contest, first, e)) for e in world["entries"]]
    pages.append(client.get(reverse("judging:calibration", args=[contest.slug])))
    pages.append(client.get(judge_entry_url("judging:calibration_score", contest, first, world["reference"])))
    # The second judge has not calibrated: the calibration page leads to the drawing.
    pages.append(logged_in(second).get(reverse("judging:calibration", args=[contest.slug]), follow=True))

    assert [p.status_code for p in pages] == [200] * 8
    html = "".join(p.content.decode() for p in pages)
    for entry in everything:
        assert str(entry.public_id) not in html
        assert entry.public_id.hex not in html
        assert entry.reference not in html
    # Every picture comes from the judges' image view, under the judge's token.
    sources = {src.split(" ")[0] for s in image_urls(html) for src in s.split(", ")}
    assert sources and all(src.startswith(f"/judging/{contest.slug}/images/") for src in sources)
    tokens = {entry_token(judge_id=first.pk, entry_id=e.pk) for e in everything}
    tokens.add(entry_token(judge_id=second.pk, entry_id=world["reference"].pk))
    assert {src.split("/")[4] for src in sources} <= tokens
    assert "/images/" + entry_token(judge_id=first.pk, entry_id=world["entries"][0].pk) + "/card.jpeg" in html


def test_two_judges_get_different_urls_each_valid_only_for_its_judge(world):
    contest, first, second, criterion = world["contest"], world["first"], world["second"], world["criterion"]
    CalibrationScore.objects.create(
        judge=second, entry=world["reference"], criterion=criterion, points=Decimal(5), max_points=10
    )
    entry = world["entries"][0]
    first_client, second_client = logged_in(first), logged_in(second)
    names = ["judging:entry_score", "judging:calibration_score"]
    target = {"judging:entry_score": entry, "judging:calibration_score": world["reference"]}
    first_urls = {n: judge_entry_url(n, contest, first, target[n]) for n in names}
    second_urls = {n: judge_entry_url(n, contest, second, target[n]) for n in names}

    own = [first_client.get(first_urls[n]).status_code for n in names] + [
        second_client.get(second_urls[n]).status_code for n in names
    ]
    crossed = [second_client.get(first_urls[n]).status_code for n in names] + [
        first_client.get(second_urls[n]).status_code for n in names
    ]
    crossed_abstain = second_client.post(
        judge_entry_url("judging:entry_abstain", contest, first, entry), {"reason": "x"}
    )
    listed = first_client.get(reverse("judging:entry_list", args=[contest.slug])).content.decode()

    assert all(first_urls[n] != second_urls[n] for n in names)
    assert own == [200, 200, 200, 200]
    assert crossed == [404, 404, 404, 404]
    assert crossed_abstain.status_code == 404
    assert not Conflict.objects.exists()
    token = entry_token(judge_id=first.pk, entry_id=entry.pk)
    assert len(token) >= 16 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert token == entry_token(judge_id=first.pk, entry_id=entry.pk)  # stable: bookmarks keep working
    assert first_urls["judging:entry_score"] in listed
    assert second_urls["judging:entry_score"] not in listed


def test_save_and_next_and_abstain_lead_to_the_judges_own_urls(world):
    contest, first, criterion = world["contest"], world["first"], world["criterion"]
    client = logged_in(first)
    queue = list(client.get(reverse("judging:entry_list", args=[contest.slug])).context["entries"])

    saved = client.post(judge_entry_url("judging:entry_score", contest, first, _entry(world, queue[0])),
                        {f"criterion_{criterion.pk}": "4"})
    abstained = client.post(judge_entry_url("judging:entry_abstain", contest, first, _entry(world, queue[1])),
                            {"reason": "My neighbour"})

    assert saved["Location"] == reverse("judging:entry_score", args=[contest.slug, queue[1].token])
    assert abstained["Location"] == reverse("judging:entry_score", args=[contest.slug, queue[2].token])
    assert queue[1].token == entry_token(judge_id=first.pk, entry_id=queue[1].id)


def _entry(world, blind):
    return next(e for e in [*world["entries"], world["reference"]] if e.pk == blind.id)


def test_image_view_serves_only_the_judge_holding_the_token(world):
    contest, first, second = world["contest"], world["first"], world["second"]
    entry = world["entries"][0]
    url = judge_entry_url("judging:entry_image", contest, first, entry, "display", "jpeg")
    reference_url = judge_entry_url("judging:entry_image", contest, first, world["reference"], "card", "jpeg")
    outsider = JudgeAssignmentFactory().judge  # judges another contest
    others_token = judge_entry_url("judging:entry_image", contest, second, entry, "display", "jpeg")
    no_such_format = judge_entry_url("judging:entry_image", contest, first, entry, "display", "png")

    own = logged_in(first).get(url)
    reference = logged_in(first).get(reference_url)
    others = [
        logged_in(second).get(url).status_code,
        logged_in(outsider).get(url).status_code,
        logged_in(OrganizerFactory(contests=[contest])).get(url).status_code,
        logged_in(first).get(others_token).status_code,
        logged_in(first).get(no_such_format).status_code,
        Client().get(url).status_code,
    ]

    assert own.status_code == 200
    assert b"".join(own.streaming_content) == entry.renditions.get(kind="display", format="jpeg").file.open().read()
    assert "private" in own["Cache-Control"] and "public" not in own["Cache-Control"]
    assert reference.status_code == 200
    assert others == [404, 404, 404, 404, 404, 302]


def test_image_view_follows_the_judges_queue(world):
    contest, first, criterion = world["contest"], world["first"], world["criterion"]
    abstained, dropped, advanced = world["entries"]
    Conflict.objects.create(judge=first, entry=abstained, reason="My niece")
    client = logged_in(first)

    def status(entry):
        return client.get(judge_entry_url("judging:entry_image", contest, first, entry, "card", "jpeg")).status_code

    before = [status(abstained), status(dropped), status(advanced)]
    for entry in (dropped, advanced):
        services.score_sheet_submit(judge=first, entry=entry, points={criterion.pk: 5})
    services.round_advance(contest=contest, actor=None, judges=[first], entry_ids=[advanced.pk])
    after = [status(abstained), status(dropped), status(advanced)]

    assert before == [404, 200, 200]
    assert after == [404, 404, 200]  # round 2 holds only the advanced entry
