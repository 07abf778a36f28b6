"""Reads for the exports: the organizer's list of exports, one export, and
the rows each kind of export is made of (streamed, a fixed number of
queries whatever the size of the contest).

Rows hold values and codes; the words (headings, labels) are chosen by
`judging.services.exports` in the export's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import F

from contest.models import Contest, Entry, SpecialAward, SpecialAwardHolder

from .. import scoring
from ..models import Criterion, Export, Score
from .organizer import contest_scores, sheet_comments

EXPORT_LIST_SIZE = 30
CHUNK = 2000


def export_list(*, contest: Contest, limit: int = EXPORT_LIST_SIZE) -> list[Export]:
    """The contest's latest exports, newest first, with who asked (one query)."""
    exports = Export.objects.filter(contest=contest).select_related("requested_by").order_by("-created_at", "-id")
    return list(exports[:limit])


def export_get(*, contest: Contest, export_id: int) -> Export | None:
    """Export `export_id` if it is one of `contest`'s, else None (one query)."""
    return Export.objects.filter(contest=contest, pk=export_id).first()


def export_for_build(*, export_id: int) -> Export | None:
    """Export `export_id` with its contest, for the worker (one query)."""
    return Export.objects.select_related("contest").filter(pk=export_id).first()


@dataclass(frozen=True)
class EntryRow:
    """One entry as the entries export lists it. Personal data: the child's
    first name and age only (organizers may see them); never the guardian's
    e-mail or the child's last name."""

    reference: str
    title: str
    category: str
    country: str
    processing_status: str
    moderation_status: str
    confirmed: bool
    award: int | None
    child_first_name: str
    child_age: int | None
    entry_id: int = 0


def entry_export_count(*, contest: Contest) -> int:
    """How many entries the entries export will list (one query)."""
    return Entry.objects.filter(contest=contest).count()


def entry_export_rows(*, contest: Contest) -> Iterator[EntryRow]:
    """Every entry of the contest by age category and reference code (one
    query, streamed)."""
    rows = (
        Entry.objects.filter(contest=contest)
        .order_by("age_category__min_age", "reference")
        .values_list(
            "reference", "title", "age_category__name", "country", "processing_status", "moderation_status",
            "guardian_confirmed_at", "award", "child_first_name", "child_age", "id",
        )
    )
    for (reference, title, category, country, processing, moderation, confirmed_at, award, first_name,
         age, entry_id) in rows.iterator(chunk_size=CHUNK):
        yield EntryRow(
            reference=reference, title=title, category=category, country=country, processing_status=processing,
            moderation_status=moderation, confirmed=confirmed_at is not None, award=award,
            child_first_name=first_name, child_age=age, entry_id=entry_id,
        )


def entry_special_awards(*, contest: Contest) -> dict[int, list[SpecialAward]]:
    """Entry id -> the special awards it holds, in the awards' order (two
    queries: the awards and their holders)."""
    awards = {a.pk: a for a in SpecialAward.objects.filter(contest=contest)}
    held: dict[int, list[SpecialAward]] = {}
    rows = SpecialAwardHolder.objects.filter(award__contest=contest).order_by("award__order", "award_id")
    for entry_id, award_id in rows.values_list("entry_id", "award_id"):
        held.setdefault(entry_id, []).append(awards[award_id])
    return held


@dataclass(frozen=True)
class SheetRow:
    """One judge's score sheet of one entry in one round: points by
    criterion id, the total (0-100) when the sheet is complete."""

    round_number: int
    category: str
    reference: str
    title: str
    judge: str
    points: dict = field(default_factory=dict)
    total: Decimal | None = None
    conflict: bool = False
    comment: str = ""
    updated_at: object = None


def score_sheet_criteria(*, contest: Contest) -> list[Criterion]:
    """Every criterion of every round, in the rubric's order (one query):
    the columns of the score sheets export."""
    return list(Criterion.objects.filter(contest=contest).order_by("round_number", "order", "id"))


def score_sheet_count(*, contest: Contest) -> int:
    """How many scores the score sheets export reads (one query)."""
    return Score.objects.filter(criterion__contest=contest).count()


def score_sheets(*, contest: Contest, criteria: list[Criterion]) -> Iterator[tuple[int, SheetRow]]:
    """Every score sheet of the contest, one per judge, entry and round, as
    (scores read so far, SheetRow), with the judge's conflict flag and
    private comment; reference code and title only, nothing that identifies
    the child. The same scores as `score_export_rows`, a sheet per row. Two
    queries, streamed."""
    totals = {
        number: scoring.sheet_totaller([
            scoring.Criterion(id=c.pk, weight=c.weight, max_points=Decimal(c.max_points))
            for c in criteria if c.round_number == number
        ])
        for number in {c.round_number for c in criteria}
    }
    comments = sheet_comments(contest=contest)
    scores = (
        contest_scores(contest=contest)
        .values_list(
            "criterion__round_number", "entry__reference", "entry__title", "entry__age_category__name",
            "judge_id", "judge__username", "entry_id", "criterion_id", "points", "conflict", "updated_at",
        )
    )
    read = 0
    for key, group in groupby(scores.iterator(chunk_size=CHUNK), key=lambda s: (s[0], s[6], s[4])):
        group = list(group)
        read += len(group)
        round_number, reference, title, category, judge_id, username, entry_id = group[0][:7]
        points = {s[7]: s[8] for s in group}
        total = totals[round_number](points) if round_number in totals else None
        yield read, SheetRow(
            round_number=round_number, category=category, reference=reference, title=title, judge=username,
            points=points, total=total, conflict=any(s[9] for s in group),
            comment=comments.get((judge_id, entry_id, round_number), ""), updated_at=max(s[10] for s in group),
        )


@dataclass(frozen=True)
class WinnerOriginal:
    """A winner's original, as the printing ZIP names it."""

    category: str
    place: int | None
    reference: str
    name: str  # the file's name in its storage
    original_format: str


def winner_originals(*, contest: Contest) -> list[WinnerOriginal]:
    """The winners (a place or a special award) that still have their
    original, by age category and place, those with only special awards
    last (place None; one query)."""
    rows = (
        Entry.objects.winners().filter(contest=contest)
        .exclude(original="")
        .order_by("age_category__min_age", F("award").asc(nulls_last=True), "reference")
        .values_list("age_category__name", "award", "reference", "original", "original_format")
    )
    return [WinnerOriginal(*row) for row in rows]
