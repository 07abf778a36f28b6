"""Calibration: the organizer's choice of reference drawings and the
judges' sheets for them (which never count in a ranking)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from contest.models import Contest, Entry

from .. import phrases, selectors
from ..models import CalibrationEntry, CalibrationScore, Criterion, JudgeAssignment
from .audit import Action, audit_record
from .locking import contest_locked, refuse_if_published
from .sheets import clean_sheet


def calibration_set(*, contest: Contest, actor, entry_ids: Iterable[int]) -> list[CalibrationEntry]:
    """Choose the reference drawings (entries of the contest, approved and
    ready) in the given order; replaces the earlier choice. Judges' earlier
    calibration scores on drawings that stay are kept."""
    entry_ids = list(dict.fromkeys(entry_ids))
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
        refuse_if_published(contest=contest)
        valid = set(selectors.judgeable_entries(contest=contest).filter(pk__in=entry_ids).values_list("id", flat=True))
        if set(entry_ids) - valid:
            raise ValidationError(phrases.REFERENCE_NOT_JUDGEABLE, code="entry")
        CalibrationEntry.objects.filter(contest=contest).exclude(entry_id__in=entry_ids).delete()
        for order, entry_id in enumerate(entry_ids):
            CalibrationEntry.objects.update_or_create(contest=contest, entry_id=entry_id, defaults={"order": order})
        audit_record(contest=contest, actor=actor, action=Action.CALIBRATION_SET, detail={"entries": entry_ids})
        return list(CalibrationEntry.objects.filter(contest=contest))


def calibration_sheet_submit(*, judge, entry: Entry, points: Mapping[int, Decimal | int]) -> list[CalibrationScore]:
    """Save a judge's points for a reference drawing on every round-1
    criterion (same rules as `score_sheet_submit`); they never count in a
    ranking."""
    with transaction.atomic():
        entry = Entry.objects.only("id", "contest_id").get(pk=entry.pk)
        contest = contest_locked(contest_id=entry.contest_id)
        if not JudgeAssignment.objects.filter(contest=contest, judge=judge).exists():
            raise ValidationError(phrases.NOT_A_JUDGE, code="not_assigned")
        if not CalibrationEntry.objects.filter(contest=contest, entry=entry).exists():
            raise ValidationError(phrases.NOT_A_REFERENCE, code="not_reference")
        refuse_if_published(contest=contest)
        settings = selectors.judging_settings_get(contest=contest)
        criteria = list(Criterion.objects.filter(contest=contest, round_number=1).order_by("order", "id"))
        cleaned = clean_sheet(points=points, criteria=criteria, half_points=settings.half_points)
        return [
            CalibrationScore.objects.update_or_create(
                judge=judge, entry=entry, criterion=c,
                defaults={"points": cleaned[c.pk], "max_points": c.max_points},
            )[0]
            for c in criteria
        ]
