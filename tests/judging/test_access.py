"""Every judging URL against every kind of visitor (404, never 403, for
what one may not know of), and blindness: no judging page and no response
format shows the child's last name, school, guardian e-mail or the
original file name."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from judging import services
from judging.models import CalibrationScore, JudgingSettings
from tests.helpers import judge_entry_url
from tests.factories.judging import (
    CalibrationEntryFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    OrganizerFactory,
    UserFactory,
)
from tests.factories.contest import PRIVATE_CHILD_DATA as PRIVATE

pytestmark = [pytest.mark.django_db]



@pytest.fixture
def world():
    """A closed contest with one judge who calibrated and scored, a second
    judge, a conflict, awards saved, peer scores visible and a reference
    drawing; plus a judge of another contest."""
    contest = ContestFactory(
        slug="border-2025", opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    JudgingSettings.objects.create(contest=contest, peer_scores=JudgingSettings.PeerScores.AFTER_OWN, min_judges=2)
    idea = CriterionFactory(contest=contest, name="Idea", max_points=10)
    entry = EntryFactory(contest=contest, title="Camels at Torugart", **PRIVATE)
    spare = EntryFactory(contest=contest, title="Spare drawing", **PRIVATE)
    judge = JudgeAssignmentFactory(contest=contest).judge
    second = JudgeAssignmentFactory(contest=contest).judge
    reference = CalibrationEntryFactory(entry=entry)
    for j in (judge, second):
        CalibrationScore.objects.create(judge=j, entry=reference.entry, criterion=idea, points=Decimal(5), max_points=10)
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 8}, comment="Lovely colours")
    services.score_sheet_submit(judge=second, entry=entry, points={idea.pk: 6})
    services.conflict_declare(judge=second, entry=spare, reason="My neighbour")
    young = entry.age_category
    services.awards_set(contest=contest, awards={(young.pk, 1): entry.pk})
    other = JudgeAssignmentFactory()
    return {
        "contest": contest, "entry": entry, "spare": spare, "judge": judge, "organizer": OrganizerFactory(contests=[contest]),
        "parent": UserFactory(username="parent"), "other_judge": other.judge,
    }


def judge_urls(w):
    # As the assigned judge knows the entries: by their own tokens.
    contest, judge, entry, spare = w["contest"], w["judge"], w["entry"], w["spare"]
    return [
        ("GET", reverse("judging:entry_list", args=[contest.slug])),
        ("GET", judge_entry_url("judging:entry_score", contest, judge, entry)),
        ("GET", reverse("judging:calibration", args=[contest.slug])),
        ("GET", judge_entry_url("judging:calibration_score", contest, judge, entry)),
        ("POST", judge_entry_url("judging:entry_abstain", contest, judge, spare)),
    ]


def organizer_urls(w):
    slug = w["contest"].slug
    return [
        ("GET", reverse("judging:results", args=[slug])),
        ("GET", reverse("judging:results_publish", args=[slug])),
        ("GET", reverse("exports:exports", args=[slug])),
        ("GET", reverse("judging:panel", args=[slug])),
        ("GET", reverse("judging:rounds", args=[slug])),
        ("GET", reverse("judging:calibration_report", args=[slug])),
        ("GET", reverse("judging:audit", args=[slug])),
    ]


def fetch(client, method, url):
    return client.post(url, {"reason": ""}) if method == "POST" else client.get(url)


def statuses(client, urls):
    return [fetch(client, method, url).status_code for method, url in urls]


def test_anonymous_redirected_to_login_everywhere(client, world):
    urls = [("GET", reverse("judging:home"))] + judge_urls(world) + organizer_urls(world)

    responses = [fetch(client, m, u) for m, u in urls]

    assert [r.status_code for r in responses] == [302] * len(urls)
    assert {r["Location"].split("?")[0] for r in responses} == {reverse("login")}


@pytest.mark.parametrize("who", ["parent", "other_judge"])
def test_user_without_role_in_contest_gets_404_everywhere(client, world, who):
    client.force_login(world[who])

    home = client.get(reverse("judging:home"))

    assert home.status_code == 200
    assert statuses(client, judge_urls(world) + organizer_urls(world)) == [404] * 12


def test_assigned_judge_sees_judge_pages_only(client, world):
    client.force_login(world["judge"])

    assert statuses(client, judge_urls(world)) == [200, 200, 200, 200, 302]
    assert statuses(client, organizer_urls(world)) == [404] * 7


def test_organizer_sees_organizer_pages_only(client, world):
    client.force_login(world["organizer"])

    assert statuses(client, organizer_urls(world)) == [200] * 7
    assert statuses(client, judge_urls(world)) == [404] * 5


def test_judge_entry_of_other_contest_through_own_contest_404(client, world):
    foreign = EntryFactory()
    contest, judge = world["contest"], world["judge"]
    client.force_login(judge)

    responses = [
        client.get(judge_entry_url("judging:entry_score", contest, judge, foreign)),
        client.get(judge_entry_url("judging:calibration_score", contest, judge, foreign)),
        client.post(judge_entry_url("judging:entry_abstain", contest, judge, foreign)),
        client.get(judge_entry_url("judging:entry_image", contest, judge, foreign, "card", "jpeg")),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def assert_blind(text, entries):
    for entry in entries:
        for value in (entry.child_last_name, entry.school, entry.guardian_email, entry.original.name):
            assert value not in text
    assert "upload.jpg" not in text  # the parent's file name (never stored)
    assert "upload" not in text


def test_every_judging_page_and_format_is_blind(client, world):
    pages = []
    client.force_login(world["judge"])
    for method, url in [("GET", reverse("judging:home"))] + judge_urls(world)[:4]:
        pages.append(fetch(client, method, url))
    client.force_login(world["organizer"])
    for method, url in [("GET", reverse("judging:home"))] + organizer_urls(world):
        pages.append(fetch(client, method, url))

    assert [r.status_code for r in pages] == [200] * 13
    assert {r["Content-Type"].split(";")[0] for r in pages} == {"text/html"}
    texts = [body(r) for r in pages]
    for text in texts:
        assert_blind(text, [world["entry"], world["spare"]])
    assert "Camels at Torugart" in texts[2]
    assert "Toktogulovaqx" not in "".join(texts)


def test_scoring_page_shows_label_not_reference_and_peer_totals_after_own_score(client, world):
    client.force_login(world["judge"])

    response = client.get(judge_entry_url("judging:entry_score", world["contest"], world["judge"], world["entry"]))

    html = response.content.decode()
    assert response.context["entry"].label in html
    assert world["entry"].reference not in html
    assert [(p.label, p.total) for p in response.context["peer_scores"]] == [("Judge 1", Decimal("60.00"))]


def test_old_scores_csv_address_leads_organizers_to_the_exports_page(client, world):
    url = reverse("judging:results_csv", args=[world["contest"].slug])
    client.force_login(world["judge"])
    judge_status = client.get(url).status_code
    client.force_login(world["organizer"])

    response = client.get(url)

    assert judge_status == 404
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:exports", args=[world["contest"].slug])
