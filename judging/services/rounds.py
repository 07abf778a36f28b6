"""Rounds: closing, reopening and advancing entries to a new round."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contest.models import Contest

from .. import phrases, selectors
from ..models import Criterion, Round, RoundEntry
from .assignment import judge_assign
from .audit import Action, audit_record
from .locking import contest_locked, latest_round, refuse_if_published, round_row


def round_close(*, contest: Contest, actor, round_number: int | None = None) -> Round:
    """Close a round: its scores are locked from now on."""
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
        refuse_if_published(contest=contest)
        rnd = round_row(contest=contest, number=round_number or latest_round(contest=contest).number)
        if not rnd.is_open:
            raise ValidationError(phrases.ROUND_ALREADY_CLOSED, code="round_closed")
        rnd.is_open = False
        rnd.closed_at = timezone.now()
        rnd.save(update_fields=["is_open", "closed_at", "updated_at"])
        audit_record(contest=contest, actor=actor, action=Action.ROUND_CLOSED, round_number=rnd.number)
        return rnd


def round_open(*, contest: Contest, actor) -> Round:
    """Open the latest round again (only the latest: an earlier round's
    ranking already decided who advanced)."""
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
        refuse_if_published(contest=contest)
        rnd = round_row(contest=contest, number=latest_round(contest=contest).number)
        if rnd.is_open:
            raise ValidationError(phrases.ROUND_ALREADY_OPEN, code="round_open")
        rnd.is_open = True
        rnd.closed_at = None
        rnd.save(update_fields=["is_open", "closed_at", "updated_at"])
        audit_record(contest=contest, actor=actor, action=Action.ROUND_OPENED, round_number=rnd.number)
        return rnd


def round_advance(
    *, contest: Contest, actor, judges: Iterable, top_n: int | None = None, entry_ids: Iterable[int] | None = None,
    name: str = "",
) -> Round:
    """Start the next round with the top `top_n` entries of each category
    of the latest round (entries tied at place N all go through) or with a
    hand-picked list `entry_ids` of its entries. The latest round is closed;
    the new one is open, copies its criteria (edit them in the admin before
    judging starts) and has `judges` as its panel."""
    judges = list(judges)
    if not judges:
        raise ValidationError(phrases.NO_NEW_JUDGES, code="no_judges")
    if (top_n is None) == (entry_ids is None):
        raise ValidationError(phrases.ADVANCE_CHOICE, code="choice")
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
        refuse_if_published(contest=contest)
        previous = round_row(contest=contest, number=latest_round(contest=contest).number)
        ranking = selectors.contest_ranking(contest=contest, round_number=previous.number, cached=False)
        in_round = {row.entry_id for block in ranking for row in block.rows}
        if top_n is not None:
            if top_n < 1:
                raise ValidationError(phrases.ADVANCE_TOP_N, code="top_n")
            advanced = [row.entry_id for block in ranking for row in block.rows if row.rank and row.rank <= top_n]
        else:
            advanced = list(dict.fromkeys(entry_ids))
            if not set(advanced) <= in_round:
                raise ValidationError(phrases.ADVANCE_NOT_IN_ROUND, code="not_in_round")
        if not advanced:
            raise ValidationError(phrases.ADVANCE_EMPTY, code="empty")
        if previous.is_open:
            previous.is_open = False
            previous.closed_at = timezone.now()
            previous.save(update_fields=["is_open", "closed_at", "updated_at"])
            audit_record(contest=contest, actor=actor, action=Action.ROUND_CLOSED, round_number=previous.number)
        new = Round.objects.create(contest=contest, number=previous.number + 1, name=name)
        RoundEntry.objects.bulk_create([RoundEntry(round=new, entry_id=e) for e in advanced])
        Criterion.objects.bulk_create(
            [
                Criterion(
                    contest=contest, round_number=new.number, name=c.name, description=c.description,
                    weight=c.weight, max_points=c.max_points, order=c.order,
                )
                for c in Criterion.objects.filter(contest=contest, round_number=previous.number)
            ]
        )
        selectors.ranking_version_bump(contest_id=contest.pk)
        for judge in judges:
            judge_assign(contest=contest, judge=judge, round_number=new.number)
        audit_record(
            contest=contest, actor=actor, action=Action.ROUND_ADVANCED, round_number=new.number,
            detail={"entries": sorted(advanced), "top_n": top_n, "judges": sorted(j.pk for j in judges)},
        )
        return new
