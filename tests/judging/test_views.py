"""Judging pages: access (404, never 403), blindness, scoring, results."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contest.models import Contest, ContestRole, Entry
from judging import services
from judging.models import Round, Score
from tests.helpers import judge_entry_url
from tests.factories.judging import (
    ContestFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    OrganizerFactory,
    UserFactory,
)
from tests.factories.contest import PRIVATE_CHILD_DATA as PRIVATE

pytestmark = [pytest.mark.django_db]



@pytest.fixture
def entry(contest):
    return EntryFactory(
        contest=contest, title="Camels at Torugart", description="My uncle drives a truck.", **PRIVATE
    )


@pytest.fixture
def judge_client(client, judge):
    client.force_login(judge)
    return client


@pytest.fixture
def organizer(contest):
    return OrganizerFactory(contests=[contest])


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


def score_url(entry, judge):
    """The scoring page of `entry` as `judge` knows it (their own token)."""
    return judge_entry_url("judging:entry_score", entry.contest, judge, entry)


def assert_blind(html, entry):
    for value in PRIVATE.values():
        assert value not in html
    birth = entry.child_birth_date
    for shown in (birth.isoformat(), birth.strftime("%d.%m.%Y"), f"{birth:%b}. {birth.day}, {birth.year}"):
        assert shown not in html
    assert "upload" not in html  # the original file's name


@pytest.mark.parametrize("name", ["judging:home"])
def test_anonymous_redirected_to_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"


def test_anonymous_scoring_page_redirected_to_login(client, entry, judge):
    response = client.get(score_url(entry, judge))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_lists_assigned_contests_with_progress(judge_client, judge, contest, entry, criteria):
    EntryFactory(contest=contest)
    ContestFactory(title="Not mine")
    services.score_sheet_submit(judge=judge, entry=entry, points={criteria[0].pk: 3, criteria[1].pk: 3})

    response = judge_client.get(reverse("judging:home"))

    assert response.status_code == 200
    assert [(c.contest, c.progress.scored, c.progress.total) for c in response.context["assigned"]] == [
        (contest, 1, 2)
    ]
    assert response.context["organized"] is None
    html = response.content.decode()
    assert "Scored 1 of 2" in html
    assert "Not mine" not in html


def test_home_organizer_sees_results_links(organizer_client, contest):
    response = organizer_client.get(reverse("judging:home"))

    assert response.status_code == 200
    assert list(response.context["organized"]) == [contest]
    assert reverse("judging:results", kwargs={"slug": contest.slug}) in response.content.decode()


def test_entry_list_shows_cards_status_and_progress(judge_client, judge, contest, entry, criteria):
    other = EntryFactory(contest=contest, title="Customs post in snow")
    EntryFactory(contest=contest, title="Pending drawing", moderation_status=Entry.Moderation.PENDING)
    EntryFactory(contest=contest, title="Still processing", processing_status=Entry.Processing.PROCESSING)
    services.score_sheet_submit(judge=judge, entry=entry, points={criteria[0].pk: 3, criteria[1].pk: 3})

    response = judge_client.get(reverse("judging:entry_list", kwargs={"slug": contest.slug}))

    assert response.status_code == 200
    # Sorted: the queue's own order is the judge's stable random order, a
    # function of primary keys that differ between databases.
    assert sorted((e.title, e.scored_criteria, e.is_scored) for e in response.context["entries"]) == [
        ("Camels at Torugart", 2, True),
        ("Customs post in snow", 0, False),
    ]
    html = response.content.decode()
    assert "Scored 1 of 2" in html
    assert '<progress id="judge-progress" max="2" value="1">' in html
    card = judge_entry_url("judging:entry_image", contest, judge, other, "card", "jpeg")
    assert card in html
    assert str(other.public_id) not in html and str(entry.public_id) not in html
    assert "Pending drawing" not in html
    assert "Still processing" not in html
    assert_blind(html, entry)


def test_scoring_page_shows_drawing_without_child_data(judge_client, entry, criteria, judge):
    response = judge_client.get(score_url(entry, judge))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Camels at Torugart" in html
    assert "My uncle drives a truck." in html
    assert entry.age_category.name in html
    display = judge_entry_url("judging:entry_image", entry.contest, judge, entry, "display", "jpeg")
    assert display in html
    assert str(entry.public_id) not in html
    assert "Idea (0 to 10 points)" in html
    assert "Colour (0 to 5 points)" in html
    assert_blind(html, entry)


def test_scoring_page_context_holds_no_model_instance_of_entry(judge_client, entry, criteria, judge):
    response = judge_client.get(score_url(entry, judge))

    assert not isinstance(response.context["entry"], Entry)
    assert not hasattr(response.context["entry"], "child_last_name")


def test_scoring_post_saves_and_shows_own_values(judge_client, judge, entry, criteria):
    idea, colour = criteria

    response = judge_client.post(score_url(entry, judge), {f"criterion_{idea.pk}": "8", f"criterion_{colour.pk}": "4"})

    assert response.status_code == 302
    assert response["Location"] == reverse("judging:entry_list", kwargs={"slug": entry.contest.slug})
    assert dict(Score.objects.filter(judge=judge).values_list("criterion_id", "points")) == {
        idea.pk: Decimal("8.0"),
        colour.pk: Decimal("4.0"),
    }
    page = judge_client.get(score_url(entry, judge))
    assert page.context["form"][f"criterion_{idea.pk}"].value() == 8


def test_scoring_post_judge_changes_own_score(judge_client, judge, entry, criteria):
    idea, colour = criteria
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 8, colour.pk: 4})

    judge_client.post(score_url(entry, judge), {f"criterion_{idea.pk}": "2", f"criterion_{colour.pk}": "1"})

    assert dict(Score.objects.filter(judge=judge).values_list("criterion_id", "points")) == {
        idea.pk: Decimal("2.0"),
        colour.pk: Decimal("1.0"),
    }


def test_scoring_post_out_of_range_shows_error(judge_client, entry, criteria, judge):
    idea, colour = criteria

    response = judge_client.post(score_url(entry, judge), {f"criterion_{idea.pk}": "11", f"criterion_{colour.pk}": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"criterion_{idea.pk}": ["Ensure this value is less than or equal to 10."]
    }
    assert Score.objects.count() == 0


def test_scoring_after_publication_read_only_and_refused(judge_client, judge, contest, entry, criteria):
    idea, colour = criteria
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 8, colour.pk: 4})
    services.results_publish(contest=contest, override=True, reason="Published early for this test")

    page = judge_client.get(score_url(entry, judge))
    response = judge_client.post(score_url(entry, judge), {f"criterion_{idea.pk}": "1", f"criterion_{colour.pk}": "1"})

    assert page.status_code == 200
    assert page.context["read_only"] is True
    assert "disabled" in page.content.decode()
    assert ">Save</button>" not in page.content.decode()
    assert response.status_code == 302
    assert dict(Score.objects.filter(judge=judge).values_list("criterion_id", "points")) == {
        idea.pk: Decimal("8.0"),
        colour.pk: Decimal("4.0"),
    }


def test_judge_not_assigned_gets_404_everywhere(client, contest, entry, criteria):
    outsider = UserFactory()
    client.force_login(outsider)

    responses = [
        client.get(reverse("judging:entry_list", kwargs={"slug": contest.slug})),
        client.get(score_url(entry, outsider)),
        client.post(
            score_url(entry, outsider), {f"criterion_{criteria[0].pk}": "1", f"criterion_{criteria[1].pk}": "1"}
        ),
        client.get(reverse("judging:results", kwargs={"slug": contest.slug})),
        client.get(reverse("judging:results_publish", kwargs={"slug": contest.slug})),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404, 404]
    assert Score.objects.count() == 0


def test_judge_of_other_contest_gets_404_for_entry(client, entry):
    other = JudgeAssignmentFactory()
    client.force_login(other.judge)
    through_own_contest = judge_entry_url("judging:entry_score", other.contest, other.judge, entry)

    responses = [client.get(score_url(entry, other.judge)), client.get(through_own_contest)]

    assert [r.status_code for r in responses] == [404, 404]


@pytest.mark.parametrize(
    "status", [{"moderation_status": Entry.Moderation.PENDING}, {"processing_status": Entry.Processing.FAILED}]
)
def test_entry_not_judgeable_404(judge_client, contest, status, judge):
    entry = EntryFactory(contest=contest, **status)

    assert judge_client.get(score_url(entry, judge)).status_code == 404


def test_judge_gets_404_on_results(judge_client, contest):
    responses = [
        judge_client.get(reverse("judging:results", kwargs={"slug": contest.slug})),
        judge_client.post(reverse("judging:results_publish", kwargs={"slug": contest.slug}), {"confirm": "on"}),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert Contest.objects.get(pk=contest.pk).results_published_at is None


def test_results_ranking_per_category(organizer_client, contest, entry, criteria):
    idea, colour = criteria
    second = EntryFactory(contest=contest, title="Second drawing")
    unscored = EntryFactory(contest=contest, title="Nobody scored")
    j1, j2 = JudgeAssignmentFactory(contest=contest).judge, JudgeAssignmentFactory(contest=contest).judge
    # total = 100 * (2*idea/10 + colour/5) / 3
    services.score_sheet_submit(judge=j1, entry=entry, points={idea.pk: 10, colour.pk: 5})  # 100
    services.score_sheet_submit(judge=j2, entry=entry, points={idea.pk: 5, colour.pk: 5})  # 100*2/3 = 66.67
    services.score_sheet_submit(judge=j1, entry=second, points={idea.pk: 5, colour.pk: 0})  # 100*1/3 = 33.33

    response = organizer_client.get(reverse("judging:results", kwargs={"slug": contest.slug}))

    assert response.status_code == 200
    young = response.context["ranking"][0]
    assert [(r.title, r.rank, r.mean, r.judges) for r in young.rows] == [
        ("Camels at Torugart", 1, Decimal("83.33"), 2),  # (100 + 66.67) / 2
        ("Second drawing", 2, Decimal("33.33"), 1),
        ("Nobody scored", None, None, 0),
    ]
    assert [block.rows for block in response.context["ranking"][1:]] == [[], []]
    html = response.content.decode()
    assert entry.reference in html and unscored.reference in html
    assert "83.33" in html


def test_results_organizer_marks_winners_and_publishes(organizer_client, contest, entry):
    second = EntryFactory(contest=contest)
    young = entry.age_category
    url = reverse("judging:results", kwargs={"slug": contest.slug})

    saved = organizer_client.post(
        url, {f"award_{young.pk}_1": str(entry.pk), f"award_{young.pk}_2": str(second.pk), "reason": "Nobody scored"}
    )
    unconfirmed = organizer_client.post(reverse("judging:results_publish", kwargs={"slug": contest.slug}), {})
    published = organizer_client.post(
        reverse("judging:results_publish", kwargs={"slug": contest.slug}),
        {"confirm": "on", "override": "on", "reason": "Published early for this test"},
    )

    assert saved.status_code == 302
    assert dict(Entry.objects.filter(contest=contest).values_list("pk", "award")) == {entry.pk: 1, second.pk: 2}
    assert unconfirmed.status_code == 200
    assert published.status_code == 302
    assert Contest.objects.get(pk=contest.pk).results_published_at is not None
    page = organizer_client.get(url).content.decode()
    assert "Round 1: closed." in " ".join(page.split())


def test_results_same_entry_two_places_shows_error(organizer_client, contest, entry):
    young = entry.age_category

    response = organizer_client.post(
        reverse("judging:results", kwargs={"slug": contest.slug}),
        {f"award_{young.pk}_1": str(entry.pk), f"award_{young.pk}_2": str(entry.pk)},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [f"In {young.name} one entry was chosen for two places."]
    assert Entry.objects.get(pk=entry.pk).award is None


def test_results_after_publication_locked(organizer_client, contest, entry):
    services.results_publish(contest=contest, override=True, reason="Published early for this test")
    young = entry.age_category

    page = organizer_client.get(reverse("judging:results", kwargs={"slug": contest.slug}))
    response = organizer_client.post(
        reverse("judging:results", kwargs={"slug": contest.slug}), {f"award_{young.pk}_1": str(entry.pk)}
    )

    assert page.context["read_only"] is True
    assert "Save winners" not in page.content.decode()
    assert response.status_code == 302
    assert Entry.objects.get(pk=entry.pk).award is None


def test_results_publish_while_open_shows_error(organizer_client, organizer):
    contest = ContestFactory()
    ContestRole.objects.create(contest=contest, user=organizer, role=ContestRole.Role.ORGANIZER)

    response = organizer_client.post(
        reverse("judging:results_publish", kwargs={"slug": contest.slug}), {"confirm": "on"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Submissions are still open; publish the results after they close."
    ]
    assert Contest.objects.get(pk=contest.pk).results_published_at is None


def test_scoring_page_draws_the_picture_as_the_public_pages(judge_client, entry, criteria, judge):
    from tests.factories.contest import RenditionFactory

    for kind, fmt, width, height in [
        ("card", "jpeg", 400, 300), ("card2x", "jpeg", 800, 600), ("card2x", "webp", 800, 600),
        ("display", "jpeg", 1200, 900), ("display", "webp", 1200, 900),
    ]:
        RenditionFactory(entry=entry, kind=kind, format=fmt, width=width, height=height)
    Entry.objects.filter(pk=entry.pk).update(dominant_color="#a05020")

    response = judge_client.get(score_url(entry, judge))
    html = response.content.decode()

    label = response.context["entry"].label
    picture = response.context["picture"]
    assert picture["webp_srcset"] == (
        judge_entry_url("judging:entry_image", entry.contest, judge, entry, "card2x", "webp") + " 800w, "
        + judge_entry_url("judging:entry_image", entry.contest, judge, entry, "display", "webp") + " 1200w"
    )
    assert (picture["width"], picture["height"], picture["alt"]) == (1200, 900, f"Drawing {label}")
    assert '<source type="image/webp"' in html and 'width="1200" height="900"' in html
    assert "background-color:#a05020" in html


def test_rounds_of_published_results_read_closed_as_on_the_results_page(organizer_client, contest):
    Round.objects.create(contest=contest, number=1, is_open=True)  # a row first made after publication
    contest.results_published_at = timezone.now()
    contest.save(update_fields=["results_published_at"])

    rounds_page = organizer_client.get(reverse("judging:rounds", kwargs={"slug": contest.slug})).content.decode()
    results_page = organizer_client.get(reverse("judging:results", kwargs={"slug": contest.slug})).content.decode()

    assert re.findall(r"<li>Round 1: (\w+)</li>", rounds_page) == ["closed"]
    assert "Round 1: closed." in results_page
