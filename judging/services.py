"""Writes for judging: assignments, score sheets, awards, publication.

Publication (`results_publish`) is the lock: from `Contest.results_published_at`
on, `score_sheet_submit` and `awards_set` refuse. Each write locks the
contest row first (`select_for_update`, a no-op on SQLite) and re-reads the
publication time inside its transaction, so a sheet saved while an organizer
publishes is either in the published results or refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import AgeCategory, Contest, Entry

from .models import Criterion, JudgeAssignment, Score


def judge_assign(*, contest: Contest, judge) -> JudgeAssignment:
    """Assign `judge` (an active user) to `contest`; assigning twice is a no-op
    (the unique constraint on contest + judge backs `get_or_create`)."""
    if not judge.is_active:
        raise ValidationError(_("Only active users can be judges."), code="inactive")
    assignment, _created = JudgeAssignment.objects.get_or_create(contest=contest, judge=judge)
    return assignment


def _contest_locked(contest_id: int) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest_id)


def _points_clean(value, criterion: Criterion) -> Decimal:
    """Whole points from 0 to the criterion's maximum.

    Only whole points for now: the column holds one decimal (5,1), so half
    points can be allowed later without a migration.
    """
    if isinstance(value, bool):
        value = None
    try:
        points = Decimal(value)
    except (TypeError, ValueError, InvalidOperation):
        points = None
    if points is None or not points.is_finite() or points != points.to_integral_value():
        raise ValidationError(
            _("%(criterion)s: give a whole number of points.") % {"criterion": criterion.name}, code="not_integer"
        )
    if not 0 <= points <= criterion.max_points:
        raise ValidationError(
            _("%(criterion)s: give 0 to %(max)d points.") % {"criterion": criterion.name, "max": criterion.max_points},
            code="out_of_range",
        )
    return points.quantize(Decimal("1"))


def score_sheet_submit(*, judge, entry: Entry, points: Mapping[int, Decimal | int]) -> list[Score]:
    """Save `judge`'s points for every criterion of the entry's contest
    (`points`: criterion id -> whole points, 0..max) and return the scores.

    All or nothing: every criterion is required, unknown criteria are
    refused, and existing scores of this judge are overwritten (one row per
    judge, entry and criterion; `update_or_create` relies on the unique
    constraint). Raises `ValidationError` when the judge is not assigned to
    the contest, the entry is not approved and ready, the results are
    published, or any value is missing, not whole or out of range. Only
    `entry.pk` is used: the entry's state is re-read inside the transaction.
    """
    with transaction.atomic():
        entry = Entry.objects.only("id", "contest_id", "moderation_status", "processing_status").get(pk=entry.pk)
        contest = _contest_locked(entry.contest_id)
        if not JudgeAssignment.objects.filter(contest=contest, judge=judge).exists():
            raise ValidationError(_("You are not a judge of this contest."), code="not_assigned")
        if not entry.is_judgeable:
            raise ValidationError(_("This entry is not open for judging."), code="not_judgeable")
        if contest.results_published:
            raise ValidationError(_("The results are published; scores can no longer change."), code="published")

        criteria = list(Criterion.objects.filter(contest=contest).order_by("order", "id"))
        if not criteria:
            raise ValidationError(_("This contest has no criteria yet."), code="no_criteria")
        known = {c.pk for c in criteria}
        unknown = set(points) - known
        if unknown:
            raise ValidationError(_("Some criteria do not belong to this contest."), code="unknown_criterion")
        errors = []
        cleaned = {}
        for criterion in criteria:
            if points.get(criterion.pk) is None:
                errors.append(
                    ValidationError(
                        _("%(criterion)s: this criterion is required.") % {"criterion": criterion.name},
                        code="required",
                    )
                )
                continue
            try:
                cleaned[criterion.pk] = _points_clean(points[criterion.pk], criterion)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)

        return [
            Score.objects.update_or_create(
                judge=judge,
                entry=entry,
                criterion=criterion,
                defaults={"points": cleaned[criterion.pk], "max_points": criterion.max_points},
            )[0]
            for criterion in criteria
        ]


def awards_set(*, contest: Contest, awards: Mapping[tuple[int, int], int]) -> None:
    """Replace the contest's awards with `awards`: (age category id, place
    1-3) -> entry id. Places left out get no winner.

    Raises `ValidationError` (nothing changed) after publication, for a
    category of another contest or a place outside 1-3, for an entry that is
    not approved and ready or not in that category, or for an entry given
    two places.
    """
    with transaction.atomic():
        contest = _contest_locked(contest.pk)
        if contest.results_published:
            raise ValidationError(_("The results are published; awards can no longer change."), code="published")
        category_ids = set(AgeCategory.objects.filter(contest=contest).values_list("id", flat=True))
        entries = {
            row["id"]: row
            for row in Entry.objects.filter(contest=contest, pk__in=set(awards.values())).values(
                "id", "age_category_id", "moderation_status", "processing_status", "reference"
            )
        }
        errors = []
        seen: dict[int, int] = {}
        for (category_id, place), entry_id in sorted(awards.items()):
            if category_id not in category_ids or place not in Entry.Award.values:
                errors.append(ValidationError(_("Unknown age category or place."), code="invalid_place"))
                continue
            entry = entries.get(entry_id)
            if entry is None or entry["age_category_id"] != category_id:
                errors.append(ValidationError(_("An award went to an entry of another category."), code="category"))
                continue
            if (
                entry["moderation_status"] != Entry.Moderation.APPROVED
                or entry["processing_status"] != Entry.Processing.READY
            ):
                errors.append(
                    ValidationError(
                        _("Entry %(ref)s is not approved and ready.") % {"ref": entry["reference"]}, code="not_judgeable"
                    )
                )
                continue
            if entry_id in seen:
                errors.append(
                    ValidationError(
                        _("Entry %(ref)s cannot win two places.") % {"ref": entry["reference"]}, code="twice"
                    )
                )
                continue
            seen[entry_id] = place
        if errors:
            raise ValidationError(errors)

        now = timezone.now()
        # Clear first: the one-award-per-place constraint is checked per row.
        Entry.objects.filter(contest=contest, award__isnull=False).update(award=None, updated_at=now)
        for entry_id, place in seen.items():
            Entry.objects.filter(pk=entry_id).update(award=place, updated_at=now)


def results_publish(*, contest: Contest) -> Contest:
    """Publish the results: set `results_published_at` to now. From then on
    scores and awards are locked (see the module docstring).

    Raises `ValidationError` when already published or while submissions
    are still open (entries could still arrive unjudged).
    """
    with transaction.atomic():
        locked = _contest_locked(contest.pk)
        if locked.results_published:
            raise ValidationError(_("The results are already published."), code="published")
        now = timezone.now()
        if now < locked.closes_at:
            raise ValidationError(
                _("Submissions are still open; publish the results after they close."), code="still_open"
            )
        Contest.objects.filter(pk=locked.pk).update(results_published_at=now, updated_at=now)
    contest.results_published_at = now
    return contest
