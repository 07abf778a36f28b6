"""Judges invited by e-mail: the organizers' judges page, the one-time link
that sets a password, and joining the panel."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.urls import reverse

from judging import selectors, services
from judging.invitations import Invitation
from judging.models import JudgeAssignment
from contest.models import Entry
from tests.factories.contest import AgeCategoryFactory, EntryFactory
from tests.factories.judging import (
    ConflictFactory, JudgeAssignmentFactory, OrganizerFactory, ScoreFactory, UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a drawing of a horse 42"


@pytest.fixture
def organizer_client(client, contest):
    client.force_login(OrganizerFactory(contests=[contest]))
    return client


def invite(client, contest, django_capture_on_commit_callbacks, **data):
    fields = {"email": "Aigul@Example.org", "name": "Aigul", "language": "ru", **data}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("judging:judges", kwargs={"slug": contest.slug}), fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def link_in(message) -> str:
    return re.search(r"http://\S+/accounts/invitation/\S+/", message.body).group(0).split("://", 1)[1].split("/", 1)[1]


def accept(client, link, password=PASSWORD):
    response = client.get("/" + link)
    assert response.status_code == 302
    return client.post(response["Location"], {"new_password1": password, "new_password2": password})


def test_invite_then_set_password_signs_in_and_joins_the_panel(
    organizer_client, contest, django_capture_on_commit_callbacks,
):
    category = contest.age_categories.order_by("min_age").first()
    invite(organizer_client, contest, django_capture_on_commit_callbacks, categories=[category.pk])

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aigul@example.org"]
    assert "Aigul" in message.body and "Здравствуйте" in message.body  # in the judge's language

    judge_client = Client()
    response = accept(judge_client, link_in(message))
    assert response.status_code == 302
    assert response["Location"] == reverse("judging:entry_list", kwargs={"slug": contest.slug})
    user = get_user_model().objects.get(email="aigul@example.org")
    assert user.check_password(PASSWORD)
    assignment = JudgeAssignment.objects.get(contest=contest, judge=user)
    assert list(assignment.categories.all()) == [category]
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None and invitation.accepted_user == user
    # Signed in: the queue answers.
    assert judge_client.get(response["Location"]).status_code == 200


def test_the_link_works_once(organizer_client, contest, django_capture_on_commit_callbacks):
    invite(organizer_client, contest, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    accept(Client(), link)
    again = Client().get("/" + link)
    assert again.status_code == 200
    assert "expired or was used already" in again.content.decode()


def test_an_expired_link_is_refused(organizer_client, contest, django_capture_on_commit_callbacks, settings):
    invite(organizer_client, contest, django_capture_on_commit_callbacks)
    settings.JUDGE_INVITATION_TIMEOUT = -1
    response = Client().get("/" + link_in(mail.outbox[0]))
    assert "expired or was used already" in response.content.decode()
    assert not get_user_model().objects.filter(email="aigul@example.org").exists()


def test_inviting_again_sends_a_new_link_and_the_old_one_dies(
    organizer_client, contest, django_capture_on_commit_callbacks,
):
    invite(organizer_client, contest, django_capture_on_commit_callbacks)
    invite(organizer_client, contest, django_capture_on_commit_callbacks, name="Aigul B.")
    assert Invitation.objects.count() == 1  # one open invitation per contest and address
    old, new = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert old != new
    assert "expired or was used already" in Client().get("/" + old).content.decode()
    assert accept(Client(), new).status_code == 302


def test_an_existing_user_keeps_the_account_and_joins_the_panel(
    organizer_client, contest, django_capture_on_commit_callbacks,
):
    existing = UserFactory(username="aigul", email="aigul@example.org")
    invite(organizer_client, contest, django_capture_on_commit_callbacks)
    response = accept(Client(), link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert get_user_model().objects.filter(email__iexact="aigul@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    assert JudgeAssignment.objects.filter(contest=contest, judge=existing).exists()


def test_a_user_with_an_authenticator_still_signs_in_with_the_code(
    organizer_client, contest, django_capture_on_commit_callbacks,
):
    existing = UserFactory(username="aigul", email="aigul@example.org")
    TOTPDevice.objects.create(user=existing, name="phone", confirmed=True)
    invite(organizer_client, contest, django_capture_on_commit_callbacks)
    judge_client = Client()
    response = accept(judge_client, link_in(mail.outbox[0]))
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in judge_client.session
    assert JudgeAssignment.objects.filter(contest=contest, judge=existing).exists()


def test_a_weak_password_is_refused(organizer_client, contest, django_capture_on_commit_callbacks):
    invite(organizer_client, contest, django_capture_on_commit_callbacks)
    response = accept(Client(), link_in(mail.outbox[0]), password="123")
    assert response.status_code == 200
    assert Invitation.objects.get().accepted_at is None


def test_nobody_but_organizers_reaches_the_judges_page(client, contest, judge):
    url = reverse("judging:judges", kwargs={"slug": contest.slug})
    client.force_login(judge)
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "x@example.org", "name": "X", "language": "en"}).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert not Invitation.objects.exists()


def test_the_link_opens_in_the_invitations_language_not_the_browsers(
    organizer_client, contest, django_capture_on_commit_callbacks, settings,
):
    invite(organizer_client, contest, django_capture_on_commit_callbacks, language="ru")
    judge_client = Client(headers={"accept-language": "en"})

    response = judge_client.get("/" + link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert judge_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = judge_client.get(response["Location"])
    assert page.status_code == 200 and page["Content-Language"] == "ru"
    html = page.content.decode()
    assert '<html lang="ru">' in html and "<h1>Вступить в жюри</h1>" in html

    done = judge_client.post(response["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("judging:entry_list", kwargs={"slug": contest.slug})
    queue = judge_client.get(done["Location"])
    assert queue.status_code == 200 and queue["Content-Language"] == "ru"
    assert "Добро пожаловать в жюри. Ниже — рисунки, которые вам нужно оценить." in queue.content.decode()


def test_a_category_of_another_contest_is_refused(organizer_client, contest, django_capture_on_commit_callbacks):
    other = AgeCategoryFactory(name="elsewhere", min_age=30, max_age=40)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            reverse("judging:judges", kwargs={"slug": contest.slug}),
            {"email": "x@example.org", "name": "X", "language": "en", "categories": [other.pk]},
        )
    assert response.status_code == 200
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_progress_table_counts_the_drawings_in_each_judges_queue(organizer_client, contest):
    # No entries were assigned one by one: a queue is the judge's age
    # categories (every category when none is named), without the drawings
    # they abstained from, judgeable drawings only.
    younger, older, _ = contest.age_categories.order_by("min_age")
    first = EntryFactory.create_batch(3, contest=contest, age_category=younger)
    EntryFactory.create_batch(2, contest=contest, age_category=older)
    EntryFactory(contest=contest, age_category=younger, moderation_status=Entry.Moderation.REJECTED)
    by_category = JudgeAssignmentFactory(contest=contest, judge=UserFactory(username="by-category"))
    by_category.categories.set([younger])
    JudgeAssignmentFactory(contest=contest, judge=UserFactory(username="everything"))
    abstained = JudgeAssignmentFactory(contest=contest, judge=UserFactory(username="abstained"))
    abstained.categories.set([younger])
    ConflictFactory(judge=abstained.judge, entry=first[0])

    response = organizer_client.get(reverse("judging:judges", kwargs={"slug": contest.slug}))

    assert response.status_code == 200
    counts = {judge.name: judge.assigned_entries for judge in response.context["panel"]}
    assert counts == {"abstained": 2, "by-category": 3, "everything": 5}
    rows = re.findall(r"<tr><td>([\w-]+)</td><td>1</td>.*?<td>(\d+)</td></tr>", response.content.decode())
    assert sorted(rows) == [("abstained", "2"), ("by-category", "3"), ("everything", "5")]
    # The very queue each judge works through.
    assert {a.judge.username: len(selectors.judge_queue(contest=contest, user=a.judge).entries)
            for a in (by_category, abstained)} == {"by-category": 3, "abstained": 2}


def test_once_entries_are_assigned_the_table_counts_each_judges_own(organizer_client, contest):
    organizer = OrganizerFactory(contests=[contest])
    for name in ("first", "second"):
        JudgeAssignmentFactory(contest=contest, judge=UserFactory(username=name))
    EntryFactory.create_batch(6, contest=contest)
    services.entries_assign(contest=contest, actor=organizer, min_judges=1)

    response = organizer_client.get(reverse("judging:judges", kwargs={"slug": contest.slug}))

    assert {judge.name: judge.assigned_entries for judge in response.context["panel"]} == {"first": 3, "second": 3}


@pytest.mark.parametrize("judges", [1, 3])
def test_the_judges_page_issues_a_constant_number_of_queries(
    organizer_client, contest, criteria, judges, django_assert_num_queries,
):
    for n in range(judges):
        judge = JudgeAssignmentFactory(contest=contest).judge
        ScoreFactory(judge=judge, criterion=criteria[0])
        Invitation.objects.create(
            contest=contest, email=f"j{n}@example.org", name=f"J{n}", language="en",
            accepted_user=judge, accepted_at=judge.date_joined,
        )
    response = organizer_client.get(reverse("judging:judges", kwargs={"slug": contest.slug}))  # warm up
    assert response.status_code == 200
    with django_assert_num_queries(QUERIES):
        response = organizer_client.get(reverse("judging:judges", kwargs={"slug": contest.slug}))
    assert response.status_code == 200
    assert response.content.decode().count("example.org") >= judges


# session, user, contest and its translations, the user's roles, categories, invitations (2), panel (5:
# assignments, their categories, rounds, the queues' sizes, scores), navigation
QUERIES = 14
