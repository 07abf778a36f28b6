"""Who may do what in judging: django-rules predicates and the permissions
built from them, the one home of these rules.

Views ask through `judging.views.access`, which answers 404, never 403,
when a permission is refused, so nobody learns that a contest or a child's
entry exists. Who organizes a contest is contest's rule
(`contest.rules.is_contest_organizer`: the contest's organizer role, or a
superuser); which entries are in a judge's queue is
`judging.selectors.queue`'s. Moderators hold none of these.

Permissions (object in brackets):
- `judging.judge_contest` [contest]: on a panel of the contest; the judge's pages;
- `judging.score_contest` [contest]: a judge, until the results are published
  (rounds lock their own scores on top of this, `judging.services`);
- `judging.manage_contest` [contest or none]: an organizer of the contest
  (none: of any contest); the organizers' judging pages;
- `judging.view_results` [contest or none]: the same;
- `judging.set_awards` [contest]: an organizer of the contest, until publication;
- `judging.export_contest` [contest]: an organizer of the contest; exports
  and their files;
- `judging.promote_entries` [contest]: an organizer (its coordinator, or
  an organizer of the regional final) of a national round; sending its
  best entries to the final;
- `judging.view_entry_image` [entry]: the entry's judge (`can_see_entry_image`),
  while their round is open;
- `judging.view_judging_images` [contest]: a judge whose own round is open
  (`judge_round_is_open`): the judges' image URLs work only then.
"""

import rules

from contest.rules import is_contest_organizer

from .models import JudgeAssignment
from .selectors import judge_round, judge_sees_entry

__all__ = [
    "can_score", "can_see_entry_image", "can_set_awards", "images_open_in", "is_assigned_judge", "is_national_round",
    "is_contest_organizer", "judge_round_is_open", "results_are_published",
]


@rules.predicate
def is_assigned_judge(user, contest):
    """The user is on the panel of some round of `contest` (one query)."""
    if not (user and user.is_authenticated and user.is_active) or contest is None:
        return False
    return JudgeAssignment.objects.filter(contest=contest, judge=user).exists()


@rules.predicate
def results_are_published(user, contest):
    """The contest's results are published: judging is locked."""
    return contest is not None and contest.results_published_at is not None


def images_open_in(*, contest, round) -> bool:
    """Whether the drawings of `round` (a judge's own round, see
    `judging.selectors.judge_round`) may still be shown to its judges: the
    round is open and the contest's results are not published (publication
    closes every round; an unsaved round 1 stays "open")."""
    return bool(round.is_open) and contest.results_published_at is None


@rules.predicate
def judge_round_is_open(user, contest) -> bool:
    """The judge's own round of `contest` (the latest whose panel they are
    on) is open and the results unpublished (`images_open_in`; two or
    three queries)."""
    if not (user and user.is_authenticated) or contest is None or contest.results_published_at is not None:
        return False
    rnd, assignment = judge_round(contest=contest, user=user)
    return assignment is not None and images_open_in(contest=contest, round=rnd)


@rules.predicate
def can_see_entry_image(user, entry) -> bool:
    """A judge may load an entry's images when the entry is judgeable and in
    their queue (categories, entry assignments and conflicts respected) or
    is one of the contest's reference drawings, and only while their own
    round is open (`judge_round_is_open`): after the round closes or the
    results are published, a judge sees no drawing any more. Registered
    with `contest.rules.ENTRY_IMAGE_VIEWERS` at start-up."""
    if not entry.is_judgeable or not is_assigned_judge(user, entry.contest):
        return False
    if not judge_round_is_open(user, entry.contest):
        return False
    return judge_sees_entry(contest=entry.contest, user=user, entry_id=entry.pk)


@rules.predicate
def is_national_round(user, contest) -> bool:
    """`contest` is a national round of a regional final (no query)."""
    return contest is not None and contest.parent_id is not None


# Scores may be written and changed by the contest's judges until the
# results are published; after that every score is locked.
can_score = is_assigned_judge & ~results_are_published
# Organizers change awards, rounds, panels and settings until publication.
can_set_awards = is_contest_organizer & ~results_are_published

rules.add_perm("judging.judge_contest", is_assigned_judge)
rules.add_perm("judging.score_contest", can_score)
rules.add_perm("judging.manage_contest", is_contest_organizer)
rules.add_perm("judging.view_results", is_contest_organizer)
rules.add_perm("judging.set_awards", can_set_awards)
rules.add_perm("judging.export_contest", is_contest_organizer)
rules.add_perm("judging.promote_entries", is_contest_organizer & is_national_round)
rules.add_perm("judging.view_entry_image", can_see_entry_image)
rules.add_perm("judging.view_judging_images", is_assigned_judge & judge_round_is_open)
