"""Roles per contest (`ContestRole`): the model's constraints, the data
migration that keeps existing deployments working, the rules of
`contest.rules`, the team page (`/organize/<slug>/team/`) and the
organizers' home listing only the user's contests, in constant queries."""

import importlib

import pytest
import rules
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest import services
from contest.models import AuditLog, ContestRole
from contest.rules import contest_role
from tests.factories.contest import ContestFactory, EntryFactory
from tests.factories.judging import JudgeAssignmentFactory, ModeratorFactory, OrganizerFactory, UserFactory

pytestmark = [pytest.mark.django_db]

ORGANIZER, MODERATOR = ContestRole.Role.ORGANIZER, ContestRole.Role.MODERATOR


# ---------------------------------------------------------------- the model


def test_a_role_is_held_once_per_contest_and_person():
    contest = ContestFactory()
    user = UserFactory()
    ContestRole.objects.create(contest=contest, user=user, role=ORGANIZER)

    with pytest.raises(IntegrityError), transaction.atomic():
        ContestRole.objects.create(contest=contest, user=user, role=ORGANIZER)
    ContestRole.objects.create(contest=ContestFactory(), user=user, role=ORGANIZER)

    assert ContestRole.objects.filter(user=user).count() == 2


def test_only_the_known_roles_can_be_stored():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContestRole.objects.create(contest=ContestFactory(), user=UserFactory(), role="judge")

    assert ContestRole.objects.count() == 0


def test_existing_staff_organize_every_existing_contest_after_the_migration():
    migration = importlib.import_module("contest.migrations.0013_contest_roles")
    first, second = ContestFactory(), ContestFactory()
    User = get_user_model()
    staff = User.objects.create_user("old-staff", is_staff=True)
    User.objects.create_user("old-inactive-staff", is_staff=True, is_active=False)
    User.objects.create_user("old-judge")
    ContestRole.objects.create(contest=first, user=staff, role=ORGANIZER)  # already there: kept once

    migration.staff_organize_every_contest(apps, None)

    assert sorted(ContestRole.objects.values_list("contest_id", "user__username", "role")) == [
        (first.pk, "old-staff", "organizer"), (second.pk, "old-staff", "organizer"),
    ]


# ---------------------------------------------------------------- the rules


def test_roles_hold_in_their_own_contest_only():
    mine, other = ContestFactory(), ContestFactory()
    organizer = OrganizerFactory(contests=[mine])
    moderator = ModeratorFactory(contests=[mine])
    root = get_user_model().objects.create_superuser("root-roles", "root@example.org", "x")
    staff = get_user_model().objects.create_user("staff-roles", is_staff=True)

    def perms(user, contest):
        return [rules.has_perm(p, user, contest) for p in (
            "contest.organize_contest", "contest.moderate_contest", "contest.manage_roles",
            "judging.manage_contest", "judging.view_results", "judging.export_contest", "judging.set_awards",
        )]

    assert perms(organizer, mine) == [True] * 7
    assert perms(organizer, other) == [False] * 7
    assert perms(moderator, mine) == [False, True, False, False, False, False, False]
    assert perms(moderator, other) == [False] * 7
    assert perms(root, other) == [True] * 7
    assert perms(staff, mine) == [False] * 7
    assert [contest_role(u, mine) for u in (organizer, moderator, root, staff)] == [
        "organizer", "moderator", "organizer", None,
    ]


def test_entry_images_for_the_contests_organizers_and_moderators():
    entry = EntryFactory()
    viewers = [OrganizerFactory(contests=[entry.contest]), ModeratorFactory(contests=[entry.contest])]
    strangers = [OrganizerFactory(contests=[ContestFactory()]), ModeratorFactory(contests=[ContestFactory()])]

    assert [rules.has_perm("contest.view_entry_image", u, entry) for u in viewers + strangers] == [
        True, True, False, False,
    ]


def test_creating_contests_takes_the_add_contest_permission_or_a_superuser():
    creator, plain = UserFactory(), UserFactory()
    creator.user_permissions.add(Permission.objects.get(content_type__app_label="contest", codename="add_contest"))
    creator = get_user_model().objects.get(pk=creator.pk)  # no cached permissions
    root = get_user_model().objects.create_superuser("root-create", "root@example.org", "x")
    inactive = get_user_model().objects.create_superuser("root-gone", "gone@example.org", "x", is_active=False)

    assert [rules.has_perm("contest.create_contest", u) for u in (creator, plain, root, inactive)] == [
        True, False, True, False,
    ]
    assert [rules.has_perm("contest.open_workspace", u) for u in (creator, plain, root, inactive)] == [
        True, False, True, False,
    ]


# ---------------------------------------------------------------- the team page


@pytest.fixture
def contest():
    return ContestFactory(slug="team-contest")


@pytest.fixture
def organizer(client, contest):
    user = OrganizerFactory(username="aida", email="aida@example.org", contests=[contest])
    client.force_login(user)
    return user


def team_url(contest):
    return reverse("contest:team", args=[contest.slug])


def held(contest):
    return sorted(ContestRole.objects.filter(contest=contest).values_list("user__username", "role"))


def audit(contest):
    return list(
        AuditLog.objects.filter(contest=contest, action__startswith="role_").order_by("id")
        .values_list("action", "actor_label", "detail")
    )


def test_team_page_lists_the_roles_and_points_to_the_judges_page(client, contest, organizer):
    ModeratorFactory(username="bek", email="bek@example.org", contests=[contest])
    OrganizerFactory(username="elsewhere", contests=[ContestFactory()])

    response = client.get(team_url(contest))

    html = response.content.decode()
    assert response.status_code == 200
    assert [(r.user.username, r.role) for r in response.context["team"]] == [("aida", ORGANIZER), ("bek", MODERATOR)]
    assert "bek@example.org" in html and "elsewhere" not in html
    assert reverse("judging:judges", args=[contest.slug]) in html


@pytest.mark.parametrize("person", ["Bek@Example.org", " bek ", "BEK"])
def test_organizer_gives_the_moderator_role_by_email_or_username(client, contest, organizer, person):
    UserFactory(username="bek", email="bek@example.org")

    response = client.post(team_url(contest), {"person": person, "role": MODERATOR})

    assert response.status_code == 302
    assert held(contest) == [("aida", ORGANIZER), ("bek", MODERATOR)]
    assert ContestRole.objects.get(user__username="bek").granted_by == organizer
    assert audit(contest) == [("role_granted", "aida", {"person": "bek", "role": "moderator"})]
    assert "bek is now a moderator of this contest." in client.get(team_url(contest)).content.decode()


def test_a_moderator_made_organizer_holds_the_organizer_role_only(client, contest, organizer):
    ModeratorFactory(username="bek", contests=[contest])

    client.post(team_url(contest), {"person": "bek", "role": ORGANIZER})

    assert held(contest) == [("aida", ORGANIZER), ("bek", ORGANIZER)]


@pytest.mark.parametrize(("person", "role", "message"), [
    ("nobody@example.org", MODERATOR, "There is no account with this username or e-mail address."),
    ("aida", MODERATOR, "aida already organizes this contest, and organizers moderate too."),
    ("aida", ORGANIZER, "aida already has this role in this contest."),
    ("bek", "judge", "Select a valid choice."),
    ("twin@example.org", MODERATOR, "Several accounts use this e-mail address: give the username instead."),
    ("gone", MODERATOR, "There is no account with this username or e-mail address."),
])
def test_a_refused_grant_says_why_and_saves_nothing(client, contest, organizer, person, role, message):
    UserFactory(username="bek")
    UserFactory(username="twin1", email="twin@example.org")
    UserFactory(username="twin2", email="TWIN@example.org")
    UserFactory(username="gone", is_active=False)

    response = client.post(team_url(contest), {"person": person, "role": role})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert held(contest) == [("aida", ORGANIZER)]
    assert audit(contest) == []


def test_organizer_takes_a_role_away(client, contest, organizer):
    role = ContestRole.objects.create(contest=contest, user=UserFactory(username="bek"), role=MODERATOR)

    response = client.post(team_url(contest), {"revoke": role.pk})

    assert response.status_code == 302
    assert held(contest) == [("aida", ORGANIZER)]
    assert audit(contest) == [("role_revoked", "aida", {"person": "bek", "role": "moderator"})]


def test_the_last_organizer_cannot_be_taken_away_not_even_by_themself(client, contest, organizer):
    own = ContestRole.objects.get(contest=contest, user=organizer)

    response = client.post(team_url(contest), {"revoke": own.pk}, follow=True)

    assert "A contest keeps at least one organizer" in response.content.decode()
    assert held(contest) == [("aida", ORGANIZER)]
    assert audit(contest) == []


def test_an_organizer_may_leave_when_another_stays(client, contest, organizer):
    OrganizerFactory(username="bek", contests=[contest])
    own = ContestRole.objects.get(contest=contest, user=organizer)

    client.post(team_url(contest), {"revoke": own.pk})
    after = client.get(team_url(contest))

    assert held(contest) == [("bek", ORGANIZER)]
    assert after.status_code == 404  # no longer on the team
    assert audit(contest) == [("role_revoked", "aida", {"person": "aida", "role": "organizer"})]


def test_the_last_organizer_guard_holds_in_the_service_too(contest):
    first = OrganizerFactory(contests=[contest])
    second = OrganizerFactory(contests=[contest])
    roles = list(ContestRole.objects.filter(contest=contest).order_by("id"))

    services.role_revoke(contest=contest, role_id=roles[0].pk, actor=second)
    with pytest.raises(ValidationError) as refused:
        services.role_revoke(contest=contest, role_id=roles[1].pk, actor=second)

    assert refused.value.code == "last"
    assert roles[0].user == first
    assert list(ContestRole.objects.filter(contest=contest).values_list("user", flat=True)) == [second.pk]


def test_roles_of_another_contest_cannot_be_taken_through_this_page(client, contest, organizer):
    other = ContestFactory()
    theirs = ContestRole.objects.create(contest=other, user=UserFactory(username="bek"), role=MODERATOR)

    response = client.post(team_url(contest), {"revoke": theirs.pk}, follow=True)

    assert "This role is no longer held" in response.content.decode()
    assert ContestRole.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("who", ["moderator", "other_organizer", "judge", "staff"])
def test_nobody_else_reaches_or_changes_the_team(client, contest, who):
    own = ContestRole.objects.create(contest=contest, user=UserFactory(username="aida"), role=ORGANIZER)
    user = {
        "moderator": lambda: ModeratorFactory(contests=[contest]),
        "other_organizer": lambda: OrganizerFactory(contests=[ContestFactory()]),
        "judge": lambda: JudgeAssignmentFactory(contest=contest).judge,
        "staff": lambda: UserFactory(is_staff=True),
    }[who]()
    client.force_login(user)

    answers = [
        client.get(team_url(contest)).status_code,
        client.post(team_url(contest), {"person": user.username, "role": ORGANIZER}).status_code,
        client.post(team_url(contest), {"revoke": own.pk}).status_code,
    ]

    assert answers == [404, 404, 404]
    assert ContestRole.objects.filter(contest=contest, role=ORGANIZER).count() == 1
    assert not ContestRole.objects.filter(contest=contest, user=user, role=ORGANIZER).exists()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_team_page_queries_do_not_grow_with_the_team(client, contest, organizer):
    small = count_queries(client, team_url(contest))
    for _ in range(4):
        ModeratorFactory(contests=[contest])
    large = count_queries(client, team_url(contest))

    assert small == large


# ---------------------------------------------------------------- the organizers' home


@pytest.mark.parametrize("maker", [OrganizerFactory, ModeratorFactory])
def test_organizers_home_queries_are_the_same_for_one_and_three_contests(client, maker):
    counts = []
    for n in (1, 3):
        contests = [ContestFactory() for _ in range(n)]
        EntryFactory(contest=contests[0])
        user = maker(contests=contests)
        client.force_login(user)
        counts.append(count_queries(client, reverse("organize:home")))

    assert counts[0] == counts[1]


def test_organizers_home_lists_only_my_contests_with_my_role(client):
    organized, moderated, foreign = (ContestFactory(title=t) for t in ("Mine", "Watched", "Theirs"))
    user = OrganizerFactory(contests=[organized])
    ContestRole.objects.create(contest=moderated, user=user, role=MODERATOR)
    client.force_login(user)

    response = client.get(reverse("organize:home"))

    html = response.content.decode()
    rows = {item.contest.title: role.value for item, role in response.context["rows"]}
    assert rows == {"Mine": "organizer", "Watched": "moderator"}
    assert "Theirs" not in html
    assert reverse("judging:results", args=[moderated.slug]) not in html
    assert reverse("contest:moderation", args=[moderated.slug]) in html
    assert reverse("contest:team", args=[organized.slug]) in html
    assert foreign.slug not in html


def test_a_superuser_sees_every_contest_as_organizer(client):
    ContestFactory(title="One"), ContestFactory(title="Two")
    client.force_login(get_user_model().objects.create_superuser("root-home", "root@example.org", "x"))

    rows = client.get(reverse("organize:home")).context["rows"]

    assert sorted((item.contest.title, role.value) for item, role in rows) == [
        ("One", "organizer"), ("Two", "organizer"),
    ]


# ---------------------------------------------------------------- navigation and sign-in


def nav_links(html):
    """The contest's navigation (`components/organizer_nav.html`)."""
    return html.split('class="subnav"')[1].split("</nav>")[0]


def test_a_moderator_is_shown_the_moderation_room_only(client, contest):
    client.force_login(ModeratorFactory(contests=[contest]))

    html = client.get(reverse("contest:moderation", args=[contest.slug])).content.decode()

    nav = nav_links(html)
    assert reverse("contest:moderation", args=[contest.slug]) in nav
    for name in ("contest:dashboard", "contest:audit_log", "contest:team", "judging:results", "judging:audit",
                 "exports:exports"):
        assert reverse(name, args=[contest.slug]) not in nav, name
    assert f'href="{reverse("organize:home")}"' in html
    assert reverse("admin:index") not in html


def test_an_organizer_is_shown_every_room_and_the_team(client, contest, organizer):
    html = client.get(reverse("contest:moderation", args=[contest.slug])).content.decode()

    nav = nav_links(html)
    for name in ("contest:dashboard", "contest:moderation", "contest:audit_log", "contest:team", "judging:results",
                 "judging:audit", "exports:exports"):
        assert reverse(name, args=[contest.slug]) in nav, name


@pytest.mark.parametrize(("role", "landing"), [(ORGANIZER, "/organize/"), (MODERATOR, "/organize/"), (None, "/judging/")])
def test_sign_in_lands_on_the_organizers_home_with_any_role(client, contest, role, landing):
    user = UserFactory(username="signing-in")
    if role:
        ContestRole.objects.create(contest=contest, user=user, role=role)
    else:
        JudgeAssignmentFactory(contest=contest, judge=user)

    response = client.post(reverse("login"), {"username": "signing-in", "password": "judge-password"})

    assert response["Location"] == landing


def test_an_exact_username_wins_over_one_differing_by_case():
    UserFactory(username="Bek")
    exact = UserFactory(username="bek")

    assert services.role_person_find(person="bek") == exact
    assert services.role_person_find(person="BEK").username == "Bek"
