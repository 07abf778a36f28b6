"""Who may see and do what (django-rules predicates), the one home of the
roles' rules.

Roles are per contest (`ContestRole`): an organizer runs everything of
the contest, a moderator only its moderation (organizers moderate too);
a judge is on the contest's panel (`judging.rules.is_assigned_judge`).
Active superusers (the regional organizers) organize every contest.
A person may organize one contest and judge another.

National rounds (`Contest.parent`): the organizer role of a round is its
national coordinator's, who sees and acts on that round alone; an
organizer of the regional final organizes each of its rounds too (read
from `contest.parent_id`, no query more). A moderator of the final does not
moderate its rounds: each round has its own moderators.

A user's roles are read in one query, the first time a rule asks in a
request, and kept on the user object (`_contest_roles`): the view's
check, the navigation and the header then cost nothing more.

Permissions (object in brackets):
- `contest.organize_contest` [contest]: an organizer; dashboard, audit log;
- `contest.moderate_contest` [contest]: an organizer or moderator; the
  moderation queue and its decisions;
- `contest.manage_roles` [contest]: an organizer; the contest's team page;
- `contest.manage_votes` [contest]: an organizer of a contest with a
  people's choice; its burst report and the voiding of votes;
- `contest.create_contest` [none]: a superuser, or the model permission
  `contest.add_contest`;
- `contest.open_workspace` [none]: any organizer or moderator role, or
  `contest.create_contest`; the organizers' home (`/organize/`);
- `contest.view_entry_image` [entry]: the entry contest's organizers and
  moderators, its judges (`ENTRY_IMAGE_VIEWERS`), anyone for a published
  winner or an entry on the people's choice ballot (`is_on_ballot`), the
  teacher who sent it (`is_entry_teacher`);
- `contest.view_entry_public` [entry]: a published winner;
- `contest.view_entry_zoom` [entry]: the entry contest's organizers (the
  judges' large rendition; judges get it under their own token);
- `contest.view_entry_photo` [entry]: the entry contest's organizers and
  moderators: the `photo` rendition, the photo as it was sent (a face, a
  written name may show on it), never judges, the guardian's browser or
  the public. Everyone else, organizers too, sees the drawing's other
  renditions with the hidden regions hidden.
- `contest.submit_as_teacher` [contest]: a teacher whose address is
  verified and whose account an organizer approved (the window and the
  caps are the service's); the batch page, the class page;
- `contest.approve_teachers` [none]: an organizer of any contest
  (superusers too); the list of teachers waiting for approval;
  [teacher]: approving that teacher: every one for superusers and the
  organizers of an ordinary contest or a regional final, only those of
  their rounds' countries for national coordinators
  (`teacher_countries_approved_by`);
- `contest.view_consent_scan` [entry]: the entry contest's organizers and
  moderators: the scan of a signed paper consent form.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from .models import Contest, ContestRole, Teacher

# Other apps register here who else may see an entry's images (judging adds
# "the entry is in this judge's queue or is one of the contest's reference
# drawings"); contest never imports them. Each is called as check(user, entry).
ENTRY_IMAGE_VIEWERS: list = []

ORGANIZER = ContestRole.Role.ORGANIZER
MODERATOR = ContestRole.Role.MODERATOR


def contest_roles_of(user) -> dict[int, frozenset[str]]:
    """contest id -> the roles ("organizer", "moderator") `user` holds
    there; {} for anonymous or inactive users. One query, then kept on the
    user object for the rest of its life (a request)."""
    if not (user and user.is_authenticated and user.is_active):
        return {}
    cached = getattr(user, "_contest_roles", None)
    if cached is None:
        found: dict[int, set[str]] = {}
        for contest_id, role in ContestRole.objects.filter(user=user).values_list("contest_id", "role"):
            found.setdefault(contest_id, set()).add(role)
        cached = {contest_id: frozenset(held) for contest_id, held in found.items()}
        user._contest_roles = cached
    return cached


def contest_roles_forget(user) -> None:
    """Drop the roles kept on `user` (after they changed)."""
    if user is not None and hasattr(user, "_contest_roles"):
        del user._contest_roles


def is_regional_organizer(user) -> bool:
    """An active superuser: organizer of every contest."""
    return bool(user and user.is_active and user.is_superuser)


def contest_role(user, contest) -> str | None:
    """The strongest role of `user` in `contest`: "organizer" (superusers
    too, and the organizers of the regional final `contest.parent`),
    "moderator", or None. No query once the user's roles are read."""
    if is_regional_organizer(user):
        return ORGANIZER
    roles = contest_roles_of(user)
    held = roles.get(contest.pk, frozenset())
    if ORGANIZER in held:
        return ORGANIZER
    # The regional final's organizers organize its national rounds.
    if contest.parent_id is not None and ORGANIZER in roles.get(contest.parent_id, frozenset()):
        return ORGANIZER
    return MODERATOR if MODERATOR in held else None


@rules.predicate
def is_contest_organizer(user, contest) -> bool:
    """`user` organizes `contest` (a superuser organizes every one). With
    no contest (None): whether `user` organizes any contest."""
    if is_regional_organizer(user):
        return True
    if contest is None:
        return any(ORGANIZER in held for held in contest_roles_of(user).values())
    return contest_role(user, contest) == ORGANIZER


@rules.predicate
def is_contest_moderator(user, contest) -> bool:
    """`user` moderates `contest`: a moderator or an organizer of it."""
    if contest is None:
        return False
    return contest_role(user, contest) is not None


@rules.predicate
def has_contest_role(user) -> bool:
    """`user` organizes or moderates some contest (superusers: all)."""
    return is_regional_organizer(user) or bool(contest_roles_of(user))


@rules.predicate
def can_create_contest(user) -> bool:
    """A superuser, or an active user with the model permission
    `contest.add_contest` (directly or through a group)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return is_regional_organizer(user) or user.has_perm("contest.add_contest")


@rules.predicate
def moderates_entry_contest(user, entry) -> bool:
    """`user` organizes or moderates the contest of `entry`."""
    return is_contest_moderator(user, entry.contest)


@rules.predicate
def organizes_entry_contest(user, entry) -> bool:
    """`user` organizes the contest of `entry`."""
    return is_contest_organizer(user, entry.contest)


@rules.predicate
def is_published_winner(user, entry):
    return (
        entry.contest.results_published_at is not None
        and entry.publish_consent
        and entry.is_judgeable
        and entry.is_winner
    )


@rules.predicate
def is_on_ballot(user, entry):
    """`entry` is on its contest's people's choice ballot (the rule of
    `EntryQuerySet.on_ballot`): its public renditions are public from the
    opening of the vote."""
    contest = entry.contest
    return (
        contest.peoples_choice
        and contest.vote_opens_at is not None
        and contest.vote_opens_at <= timezone.now()
        and entry.shortlisted
        and entry.publish_consent
        and entry.is_judgeable
    )


@rules.predicate
def has_peoples_choice(user, contest) -> bool:
    """`contest` holds a people's choice vote."""
    return contest is not None and contest.peoples_choice


@rules.predicate
def is_registered_viewer(user, entry):
    return user.is_authenticated and any(check(user, entry) for check in ENTRY_IMAGE_VIEWERS)


def teacher_of(user) -> Teacher | None:
    """The teacher profile of `user`, or None (anonymous, inactive, none)."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    try:
        return user.teacher
    except Teacher.DoesNotExist:
        return None


@rules.predicate
def is_teacher(user) -> bool:
    """`user` registered as a teacher (verified and approved or not)."""
    return teacher_of(user) is not None


@rules.predicate
def is_approved_teacher(user, contest=None) -> bool:
    """`user` is a teacher with a verified address and an approved account;
    with a `contest`, one that takes the teacher's drawings: not a regional
    final with rounds (one query), and a national round only of the
    teacher's own country, as for families."""
    teacher = teacher_of(user)
    if teacher is None or not teacher.is_approved:
        return False
    if contest is None:
        return True
    if contest.parent_id is not None:
        return contest.country == teacher.country
    return not contest.national_rounds.exists()


def teacher_countries_approved_by(user) -> frozenset[str] | None:
    """The countries whose teachers `user` approves: None for every one (a
    superuser, or an organizer of a contest that is not a national round),
    else the countries of the national rounds `user` organizes by a role of
    their own (empty for anyone else). One query, kept on the user."""
    if is_regional_organizer(user):
        return None
    cached = getattr(user, "_teacher_countries", False)
    if cached is not False:
        return cached
    ids = [contest_id for contest_id, held in contest_roles_of(user).items() if ORGANIZER in held]
    rows = list(Contest.objects.filter(pk__in=ids).values_list("parent_id", "country")) if ids else []
    found = None if any(parent_id is None for parent_id, _country in rows) else frozenset(c for _p, c in rows if c)
    user._teacher_countries = found
    return found


@rules.predicate
def approves_teachers(user, teacher=None) -> bool:
    """`user` approves teachers (organizes a contest); with a `teacher`,
    that one (`teacher_countries_approved_by`)."""
    if not is_contest_organizer(user, None):
        return False
    countries = teacher_countries_approved_by(user)
    return teacher is None or countries is None or teacher.country in countries


@rules.predicate
def is_entry_teacher(user, entry) -> bool:
    """`user` is the teacher who sent `entry`."""
    teacher = teacher_of(user)
    return teacher is not None and entry.teacher_id == teacher.pk


rules.add_perm(
    "contest.view_entry_image",
    moderates_entry_contest | is_published_winner | is_on_ballot | is_registered_viewer | is_entry_teacher,
)
rules.add_perm("contest.view_entry_public", is_published_winner)
# The judges' large `zoom` rendition: never public. Judges get it under their
# own token (`judging:entry_image`); here, by public id, the entry's
# contest's organizers only.
rules.add_perm("contest.view_entry_zoom", organizes_entry_contest)
# The moderators' `photo` rendition: the photo as sent, unmasked. Never
# judges (not even under their token: `judging.selectors.rendition_for_judge`),
# never public, never a published winner's.
rules.add_perm("contest.view_entry_photo", moderates_entry_contest)
# The organizers' pages of a contest (dashboard, audit log, settings).
rules.add_perm("contest.organize_contest", is_contest_organizer)
rules.add_perm("contest.moderate_contest", is_contest_moderator)
rules.add_perm("contest.manage_roles", is_contest_organizer)
# The people's choice report and the voiding of votes: organizers of a contest that has one.
rules.add_perm("contest.manage_votes", is_contest_organizer & has_peoples_choice)
# Setting up a new contest (/organize/contests/new/).
rules.add_perm("contest.create_contest", can_create_contest)
rules.add_perm("contest.open_workspace", has_contest_role | can_create_contest)
rules.add_perm("contest.submit_as_teacher", is_approved_teacher)
rules.add_perm("contest.approve_teachers", approves_teachers)
rules.add_perm("contest.view_consent_scan", moderates_entry_contest)
