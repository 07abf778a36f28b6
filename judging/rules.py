"""Who may do what in judging (django-rules predicates).

Views answer 404, never 403, when a predicate fails, so nobody learns that
a contest or a child's entry exists (see `judging/views.py`).
"""

import rules

from .models import JudgeAssignment


@rules.predicate
def is_organizer(user):
    """Organizers are active Django staff users."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_assigned_judge(user, contest):
    """The user is on the panel of some round of `contest` (one query)."""
    if not (user and user.is_authenticated and user.is_active) or contest is None:
        return False
    return JudgeAssignment.objects.filter(contest=contest, judge=user).exists()


@rules.predicate
def results_are_published(user, contest):
    return contest is not None and contest.results_published_at is not None


# Scores may be written and changed by the contest's judges until the
# results are published; after that every score is locked. Rounds lock
# their own scores on top of this (checked in `judging.services`).
can_score = is_assigned_judge & ~results_are_published
# Organizers change awards, rounds, panels and settings until publication.
can_set_awards = is_organizer & ~results_are_published

rules.add_perm("judging.score_contest", can_score)
rules.add_perm("judging.view_results", is_organizer)
rules.add_perm("judging.set_awards", can_set_awards)


def can_see_entry_image(user, entry) -> bool:
    """A judge may load an entry's images when the entry is in their queue
    (categories, entry assignments and conflicts respected) or is one of the
    contest's reference drawings. Registered with `contest.rules` at start-up."""
    from .models import CalibrationEntry
    from .selectors import entry_in_judge_queue

    if not entry.is_judgeable or not is_assigned_judge(user, entry.contest):
        return False
    if CalibrationEntry.objects.filter(contest_id=entry.contest_id, entry_id=entry.pk).exists():
        return True
    return entry_in_judge_queue(contest=entry.contest, user=user, entry_id=entry.pk)
