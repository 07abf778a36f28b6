"""The organizers' home (`/organize/`): every contest with its phase
(`judging.phases`) and what is left to do (`judging.selectors.contest_overviews`),
in a fixed number of queries; organizers land there after signing in."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import rules
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contest.models import Entry
from judging import selectors, services
from judging.phases import Phase, contest_phase
from tests.factories.judging import (
    ConflictFactory,
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    JudgingSettingsFactory,
    OrganizerFactory,
    UserFactory,
)

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
OPENS, CLOSES = NOW - dt.timedelta(days=10), NOW + dt.timedelta(days=10)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("now", "published", "awaiting", "started", "phase"),
    [
        (OPENS - dt.timedelta(seconds=1), False, 0, False, Phase.DRAFT),
        (OPENS, False, 5, True, Phase.OPEN),
        (CLOSES, False, 0, False, Phase.CLOSED),
        (CLOSES, False, 2, False, Phase.MODERATION),
        (CLOSES, False, 2, True, Phase.JUDGING),
        (CLOSES, True, 2, True, Phase.RESULTS),
        (OPENS, True, 0, False, Phase.RESULTS),
    ],
)
def test_contest_phase(now, published, awaiting, started, phase):
    assert contest_phase(
        now=now, opens_at=OPENS, closes_at=CLOSES, published=published, awaiting_moderation=awaiting,
        judging_started=started,
    ) == phase


def busy_contest(slug):
    """A closed contest in judging: 1 unconfirmed entry, 1 waiting for
    moderation, 1 failed and 1 pending rendition, 2 judgeable entries scored
    equally by one judge (a tie, 1 judge per entry), 1 unscored with a
    declared conflict (1 sheet missing, an open conflict)."""
    contest = ContestFactory(
        slug=slug, opens_at=timezone.now() - dt.timedelta(days=30), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    JudgingSettingsFactory(contest=contest, min_judges=1)
    criterion = CriterionFactory(contest=contest, max_points=10)
    judge = JudgeAssignmentFactory(contest=contest).judge
    EntryFactory(contest=contest, guardian_confirmed_at=None, moderation_status=Entry.Moderation.PENDING)
    EntryFactory(contest=contest, moderation_status=Entry.Moderation.PENDING)
    EntryFactory(contest=contest, processing_status=Entry.Processing.FAILED)
    EntryFactory(contest=contest, processing_status=Entry.Processing.RECEIVED)
    for entry in EntryFactory.create_batch(2, contest=contest):
        services.score_sheet_submit(judge=judge, entry=entry, points={criterion.pk: Decimal(7)})
    ConflictFactory(entry=EntryFactory(contest=contest), judge=UserFactory())
    return contest


@pytest.mark.django_db
def test_overview_counts_what_is_left_to_do():
    contest = busy_contest("busy")

    [overview] = selectors.contest_overviews()

    assert overview.contest == contest
    assert overview.phase == Phase.JUDGING
    assert (
        overview.unconfirmed, overview.awaiting_moderation, overview.renditions_failed, overview.renditions_pending,
        overview.unscored_sheets, overview.unresolved_ties, overview.open_conflicts, overview.winners_without_consent,
    ) == (1, 1, 1, 1, 1, 2, 1, 0)


@pytest.mark.django_db
def test_overview_phases_of_several_contests():
    now = timezone.now()
    draft = ContestFactory(opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9))
    running = ContestFactory(opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9))
    closed = ContestFactory(opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1))
    moderation = ContestFactory(opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1))
    EntryFactory(contest=moderation, moderation_status=Entry.Moderation.PENDING)
    published = ContestFactory(
        opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1), results_published_at=now
    )

    phases = {o.contest: o.phase for o in selectors.contest_overviews()}

    assert phases == {
        draft: Phase.DRAFT, running: Phase.OPEN, closed: Phase.CLOSED, moderation: Phase.MODERATION,
        published: Phase.RESULTS,
    }


@pytest.mark.django_db
def test_home_lists_every_contest_with_phase_and_counts(client):
    contest = busy_contest("busy")
    other = ContestFactory(title="Rivers of the valley")
    client.force_login(OrganizerFactory(contests=[contest, other]))

    page = client.get(reverse("organize:home")).content.decode()

    assert contest.title in page and other.title in page
    assert 'data-phase="judging"' in page and 'data-phase="open"' in page
    for todo, count in [
        ("unconfirmed", 1), ("awaiting_moderation", 1), ("unscored_sheets", 1), ("unresolved_ties", 2),
        ("open_conflicts", 1), ("renditions_failed", 1), ("renditions_pending", 1),
    ]:
        item = page.split(f'data-todo="{todo}"')[1].split("</li>")[0]
        assert f": {count}" in item, todo
    assert reverse("contest:moderation", args=[contest.slug]) in page


@pytest.mark.django_db
@pytest.mark.parametrize("contests", [1, 3])
def test_home_queries_do_not_grow_with_contests(client, django_assert_num_queries, contests):
    organized = [busy_contest(f"busy-{i}") for i in range(contests)]
    busy_contest("not-mine")
    client.force_login(OrganizerFactory(contests=organized))

    # Session and user (2), the user's roles (1), contests and their
    # translations (2), the entry counts (1), settings, rounds, criteria,
    # advanced entries, judgeable entries, scores and conflicts (7), the
    # user's and their groups' permissions (2: may they create a contest?),
    # the image processing of their contests (1).
    with django_assert_num_queries(16):
        response = client.get(reverse("organize:home"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == contests


@pytest.mark.django_db
def test_home_refused_to_judges_and_asks_strangers_to_sign_in(client):
    contest = busy_contest("busy")
    judge = JudgeAssignmentFactory(contest=contest).judge

    anonymous = client.get(reverse("organize:home"))
    client.force_login(judge)
    refused = client.get(reverse("organize:home"))

    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert refused.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "next_page", "landing"),
    [
        ("organizer", "", "/organize/"),
        ("judge", "", "/judging/"),
        ("organizer", "/judging/", "/judging/"),
    ],
)
def test_sign_in_lands_by_role_unless_next_is_given(client, who, next_page, landing):
    contest = ContestFactory()
    if who == "organizer":
        user = OrganizerFactory(username="org", contests=[contest])
    else:
        user = JudgeAssignmentFactory(contest=contest, judge=UserFactory(username="jud")).judge
    data = {"username": user.username, "password": "judge-password"}
    url = reverse("login") + (f"?next={next_page}" if next_page else "")

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == landing


@pytest.mark.django_db
def test_organizer_navigation_links_the_home(client, contest):
    client.force_login(OrganizerFactory(contests=[contest]))

    page = client.get(reverse("judging:results", args=[contest.slug])).content.decode()

    assert f'<a href="{reverse("organize:home")}">All contests</a>' in page


@pytest.mark.django_db
def test_demo_organizer_sees_the_demo_contests(client, settings, tmp_path):
    settings.BASE_DIR = tmp_path  # the demo accounts' file goes there
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="organizer"))

    page = client.get(reverse("organize:home")).content.decode()

    assert "People of the border 2025" in page and "People of the border 2026" in page
    assert 'data-phase="results"' in page and 'data-phase="open"' in page
    organizer = get_user_model().objects.get(username="organizer")
    assert (organizer.is_superuser, organizer.is_staff) == (False, False)
    assert rules.has_perm("contest.create_contest", organizer)
    # The two contests, the regional final and its five national rounds.
    assert page.count('data-role="organizer"') == 8


@pytest.mark.django_db
def test_demo_organizer_may_create_contests(client, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    organizer = get_user_model().objects.get(username="organizer")
    client.force_login(organizer)

    page = client.get(reverse("organize:home")).content.decode()

    assert organizer.has_perm("contest.add_contest")
    assert organizer.user_permissions.filter(codename="add_contest", content_type__app_label="contest").exists()
    assert f'href="{reverse("organize:contest_new")}"' in page
    assert client.get(reverse("organize:contest_new")).status_code == 200


@pytest.mark.django_db
def test_home_shows_image_processing_waiting_retrying_failed_and_the_queue(client, monkeypatch):
    contest = ContestFactory(title="Images")
    old = timezone.now() - dt.timedelta(hours=2)
    waiting = EntryFactory(contest=contest, processing_status=Entry.Processing.RECEIVED)
    Entry.objects.filter(pk=waiting.pk).update(created_at=old)
    EntryFactory(contest=contest, processing_status=Entry.Processing.PROCESSING)
    EntryFactory(contest=contest, processing_status=Entry.Processing.FAILED,
                 render_retry_at=timezone.now() + dt.timedelta(minutes=10))
    EntryFactory(contest=contest, processing_status=Entry.Processing.FAILED)
    EntryFactory(contest=ContestFactory(title="Not mine"), processing_status=Entry.Processing.FAILED)
    monkeypatch.setattr("judging.selectors.overview.broker_queue_depth", lambda: 7)
    client.force_login(OrganizerFactory(contests=[contest]))

    page = client.get(reverse("organize:home")).content.decode()

    def item(name):
        return " ".join(page.split(f'data-rendering="{name}">')[1].split("</li>")[0].split())

    assert item("waiting") == "Drawings waiting for their images: 2 (the oldest has waited: 120 min)"
    assert item("retrying") == "Failed for now, tried again automatically: 1 (next try in: 10 min)"
    assert "Failed, not tried again (retry them from the admin): 1" in item("failed")
    assert item("queue") == "Tasks waiting in the queue: 7"


@pytest.mark.django_db
def test_home_says_when_the_queue_cannot_be_reached(client, monkeypatch):
    monkeypatch.setattr("judging.selectors.overview.broker_queue_depth", lambda: None)
    client.force_login(OrganizerFactory(contests=[ContestFactory()]))

    page = client.get(reverse("organize:home")).content.decode()

    assert "Tasks waiting in the queue: unknown (the queue cannot be reached)" in page
