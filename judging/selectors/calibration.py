"""Calibration: the reference drawings every judge scores before judging
(their queue and sheets), and the organizer's comparison of the judges'
mean and spread on them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef

from contest.models import Contest, Entry

from .. import scoring
from ..models import CalibrationEntry, CalibrationScore, Criterion
from .blind import BLIND_FIELDS, BlindEntry, blind_entry
from .rounds import scoring_criteria


def calibration_pending_count(*, contest: Contest, user, criteria_total: int | None = None) -> tuple[int, int]:
    """(reference drawings the judge has not fully scored, all of them):
    one query without reference drawings, three with (two if the number of
    round-1 criteria is given)."""
    entries = list(CalibrationEntry.objects.filter(contest=contest).values_list("entry_id", flat=True))
    if not entries:
        return 0, 0
    if criteria_total is None:
        criteria_total = Criterion.objects.filter(contest=contest, round_number=1).count()
    done = (
        CalibrationScore.objects.filter(judge=user, entry_id__in=entries, criterion__contest=contest,
                                        criterion__round_number=1)
        .values("entry_id")
        .annotate(n=Count("criterion_id", distinct=True))
        .filter(n__gte=criteria_total)
        .count()
    )
    return len(entries) - done, len(entries)


def calibration_queue_for_judge(*, contest: Contest, user) -> list[BlindEntry]:
    """The reference drawings in the organizer's order, blind, each marked
    scored once the judge gave points on every round-1 criterion."""
    criteria_total = Criterion.objects.filter(contest=contest, round_number=1).count()
    rows = (
        Entry.objects.filter(Exists(CalibrationEntry.objects.filter(contest=contest, entry=OuterRef("pk"))))
        .values(*BLIND_FIELDS)
    )
    order = dict(CalibrationEntry.objects.filter(contest=contest).values_list("entry_id", "order"))
    scored = dict(
        CalibrationScore.objects.filter(judge=user, criterion__contest=contest, criterion__round_number=1)
        .values("entry_id")
        .annotate(n=Count("criterion_id", distinct=True))
        .values_list("entry_id", "n")
    )
    result = []
    for row in sorted(rows, key=lambda r: (order.get(r["id"], 0), r["id"])):
        row = {**row, "scored_criteria": scored.get(row["id"], 0)}
        result.append(blind_entry(row=row, judge_id=user.pk, criteria_total=criteria_total))
    return [replace(e, position=i) for i, e in enumerate(result, start=1)]


def calibration_sheet_for_judge(*, judge, entry_id: int) -> dict[int, Decimal]:
    """The judge's saved points for one reference drawing: criterion id -> points."""
    return dict(
        CalibrationScore.objects.filter(judge=judge, entry_id=entry_id).values_list("criterion_id", "points")
    )


@dataclass(frozen=True)
class CalibrationRow:
    judge_id: int
    name: str
    scored: int
    mean: Decimal | None
    sd: Decimal | None
    totals: list[Decimal | None]  # per reference drawing, in order


@dataclass(frozen=True)
class CalibrationReport:
    references: list[dict]  # id, reference, title
    rows: list[CalibrationRow]
    overall_mean: Decimal | None


def calibration_report(*, contest: Contest) -> CalibrationReport:
    """For organizers: each judge's totals on the reference drawings, their
    mean and (population) standard deviation, next to the panel's mean. A
    judge far below the others is strict, one with a small spread does not
    tell drawings apart. Five queries."""
    criteria = scoring_criteria(contest=contest, round_number=1)
    references = list(
        CalibrationEntry.objects.filter(contest=contest)
        .order_by("order", "id")
        .values("entry_id", "entry__reference", "entry__title")
    )
    judges = list(
        get_user_model()
        .objects.filter(judge_assignments__contest=contest)
        .distinct()
        .order_by("username")
        .values("id", "username")
    )
    sheets: dict[tuple[int, int], dict] = defaultdict(dict)
    for judge_id, entry_id, criterion_id, points in CalibrationScore.objects.filter(
        criterion__contest=contest, criterion__round_number=1
    ).values_list("judge_id", "entry_id", "criterion_id", "points"):
        sheets[(judge_id, entry_id)][criterion_id] = points
    rows = []
    every = []
    for judge in judges:
        totals = [
            scoring.sheet_total(criteria=criteria, points=sheets.get((judge["id"], r["entry_id"]), {}))
            for r in references
        ]
        present = [t for t in totals if t is not None]
        every.extend(present)
        rows.append(
            CalibrationRow(
                judge_id=judge["id"],
                name=judge["username"],
                scored=len(present),
                mean=scoring.mean_display(scoring.mean(present)),
                sd=scoring.mean_display(scoring.population_sd(present)) if present else None,
                totals=[scoring.mean_display(t) for t in totals],
            )
        )
    refs = [{"id": r["entry_id"], "reference": r["entry__reference"], "title": r["entry__title"]} for r in references]
    return CalibrationReport(references=refs, rows=rows, overall_mean=scoring.mean_display(scoring.mean(every)))
