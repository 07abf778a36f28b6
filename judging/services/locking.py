"""What every judging write does first: lock the contest row and refuse
once the results are published; the round rows judging writes lock."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from contest.models import Contest

from .. import phrases, selectors
from ..models import Round


def contest_locked(*, contest_id: int) -> Contest:
    """The contest row, locked until the end of the transaction
    (`select_for_update`; a no-op on SQLite, whose writers are serialized)."""
    return Contest.objects.select_for_update().get(pk=contest_id)


def refuse_if_published(*, contest: Contest, message=None) -> None:
    """Raise `ValidationError` [published] once the contest's results are
    published, with `message` or the general refusal."""
    if contest.results_published:
        raise ValidationError(message or phrases.PUBLISHED, code="published")


def round_row(*, contest: Contest, number: int) -> Round:
    """The round's row, locked, creating round 1 on first use (it is
    implicit until then; see `judging.models`)."""
    if number == 1:
        return Round.objects.select_for_update().get_or_create(contest=contest, number=1)[0]
    return Round.objects.select_for_update().get(contest=contest, number=number)


def latest_round(*, contest: Contest) -> Round:
    """The contest's latest round (`selectors.round_current`)."""
    return selectors.round_current(contest=contest)
