"""Score sheets and conflicts of interest: a judge's points for an entry,
their private comment, and abstaining from an entry."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from contest.models import Contest, Entry

from .. import phrases, selectors
from ..models import Conflict, Criterion, JudgeAssignment, Round, Score, SheetComment
from .audit import Action, audit_record
from .locking import contest_locked, refuse_if_published


def _points_clean(value, criterion: Criterion, *, half_points: bool) -> Decimal:
    """Points from 0 to the criterion's maximum: whole points, or whole and
    half points when the contest allows them."""
    if isinstance(value, bool):
        value = None
    try:
        points = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (TypeError, ValueError, InvalidOperation):
        points = None
    step_ok = points is not None and points.is_finite() and (
        (points * 2 if half_points else points) == (points * 2 if half_points else points).to_integral_value()
    )
    if not step_ok:
        if half_points:
            message = phrases.POINTS_NOT_HALF
            code = "not_half"
        else:
            message = phrases.POINTS_NOT_INTEGER
            code = "not_integer"
        raise ValidationError(message % {"criterion": criterion.name}, code=code)
    if not 0 <= points <= criterion.max_points:
        raise ValidationError(
            phrases.POINTS_OUT_OF_RANGE % {"criterion": criterion.name, "max": criterion.max_points},
            code="out_of_range",
        )
    return points.quantize(Decimal("0.1"))


def clean_sheet(*, points: Mapping, criteria: list[Criterion], half_points: bool) -> dict[int, Decimal]:
    """`points` (criterion id -> points) checked against every one of
    `criteria`: criterion id -> points to one decimal. Raises
    `ValidationError` listing every wrong or missing value [required,
    not_half, not_integer, out_of_range], or [no_criteria],
    [unknown_criterion]."""
    if not criteria:
        raise ValidationError(phrases.NO_CRITERIA, code="no_criteria")
    unknown = set(points) - {c.pk for c in criteria}
    if unknown:
        raise ValidationError(phrases.UNKNOWN_CRITERION, code="unknown_criterion")
    errors = []
    cleaned = {}
    for criterion in criteria:
        if points.get(criterion.pk) is None:
            errors.append(
                ValidationError(
                    phrases.POINTS_REQUIRED % {"criterion": criterion.name}, code="required"
                )
            )
            continue
        try:
            cleaned[criterion.pk] = _points_clean(points[criterion.pk], criterion, half_points=half_points)
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _calibration_missing(contest: Contest, judge) -> bool:
    pending, _total = selectors.calibration_pending_count(contest=contest, user=judge)
    return pending > 0


def score_sheet_submit(
    *, judge, entry: Entry, points: Mapping[int, Decimal | int], comment: str | None = None,
    round_number: int | None = None,
) -> list[Score]:
    """Save `judge`'s points for every criterion of a round (`points`:
    criterion id -> points, 0..max, whole or, if the contest allows, half)
    and, when given, the private `comment` (blank removes it); return the
    scores. `round_number` defaults to the contest's latest round.

    All or nothing: every criterion of the round is required, unknown
    criteria are refused, and this judge's earlier scores are overwritten
    (one row per judge, entry and criterion, backed by the unique
    constraint). Raises `ValidationError` (code in brackets) when the judge
    is not on the round's panel [not_assigned], the entry is not approved
    and ready [not_judgeable], the results are published [published], the
    round is closed [round_closed], the entry is not in the round or not
    among the judge's categories or assigned entries [not_in_queue], the
    judge declared a conflict with it [conflict], reference drawings are
    still to be scored [calibration_required], or a value is missing or
    wrong. A change of points is recorded in the audit trail. Only
    `entry.pk` is used: the entry is re-read inside the transaction.
    """
    with transaction.atomic():
        entry = Entry.objects.only(
            "id", "contest_id", "age_category_id", "moderation_status", "processing_status", "guardian_confirmed_at"
        ).get(pk=entry.pk)
        contest = contest_locked(contest_id=entry.contest_id)
        rnd = selectors.round_current(contest=contest)
        if round_number is not None and round_number != rnd.number:
            rnd = Round.objects.filter(contest=contest, number=round_number).first() or rnd
            if rnd.number != round_number:
                raise ValidationError(phrases.NO_SUCH_ROUND, code="no_round")
        assignment = (
            JudgeAssignment.objects.filter(contest=contest, judge=judge, round_number=rnd.number)
            .prefetch_related("categories")
            .first()
        )
        if assignment is None:
            raise ValidationError(phrases.NOT_A_JUDGE, code="not_assigned")
        if not entry.is_judgeable:
            raise ValidationError(phrases.NOT_JUDGEABLE, code="not_judgeable")
        refuse_if_published(contest=contest, message=phrases.PUBLISHED_SCORES)
        if not rnd.is_open:
            raise ValidationError(phrases.ROUND_CLOSED_SCORES, code="round_closed")
        # The queue's own rule (`selectors.queue_entries`); an abstention is
        # refused below with its own message.
        in_queue = (
            selectors.queue_entries(contest=contest, user=judge, round=rnd, assignment=assignment)
            .filter(pk=entry.pk)
            .exists()
        )
        if not in_queue:
            raise ValidationError(phrases.NOT_IN_QUEUE, code="not_in_queue")
        if Conflict.objects.filter(judge=judge, entry=entry).exists():
            raise ValidationError(phrases.ABSTAINED, code="conflict")
        if rnd.number == 1 and _calibration_missing(contest, judge):
            raise ValidationError(
                phrases.CALIBRATION_FIRST, code="calibration_required"
            )
        settings = selectors.judging_settings_get(contest=contest)
        criteria = list(Criterion.objects.filter(contest=contest, round_number=rnd.number).order_by("order", "id"))
        cleaned = clean_sheet(points=points, criteria=criteria, half_points=settings.half_points)

        before = dict(
            Score.objects.filter(judge=judge, entry=entry, criterion__in=criteria).values_list("criterion_id", "points")
        )
        scores = [
            Score.objects.update_or_create(
                judge=judge,
                entry=entry,
                criterion=criterion,
                defaults={"points": cleaned[criterion.pk], "max_points": criterion.max_points},
            )[0]
            for criterion in criteria
        ]
        changes = {
            str(c.pk): [_num(before.get(c.pk)), _num(cleaned[c.pk])]
            for c in criteria
            if before.get(c.pk) != cleaned[c.pk]
        }
        if changes:
            audit_record(
                contest=contest, actor=judge,
                action=Action.SCORES_CHANGED if before else Action.SCORES_SAVED,
                entry_id=entry.pk, round_number=rnd.number,
                detail={"points": changes, "criteria": {str(c.pk): c.name for c in criteria if str(c.pk) in changes}},
            )
        if comment is not None:
            if comment.strip():
                SheetComment.objects.update_or_create(
                    judge=judge, entry=entry, round_number=rnd.number, defaults={"text": comment.strip()}
                )
            else:
                SheetComment.objects.filter(judge=judge, entry=entry, round_number=rnd.number).delete()
        return scores


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def conflict_declare(*, judge, entry: Entry, reason: str = "") -> Conflict:
    """The judge abstains from `entry` (a conflict of interest): it leaves
    their queue in every round and none of their scores for it count in
    any ranking, agreement or export total. Declaring twice is a no-op.
    Raises `ValidationError` for an entry the judge cannot see [not_assigned]:
    one outside their queue (`selectors.entry_in_judge_queue`, the rule of
    the judging pages: panel, round, categories, assigned entries,
    judgeable) or after publication [published]."""
    with transaction.atomic():
        entry = Entry.objects.only("id", "contest_id").get(pk=entry.pk)
        contest = contest_locked(contest_id=entry.contest_id)
        existing = Conflict.objects.filter(judge=judge, entry=entry).first()
        if existing is not None:
            return existing
        if not selectors.entry_in_judge_queue(contest=contest, user=judge, entry_id=entry.pk):
            raise ValidationError(phrases.NOT_JUDGE_OF_ENTRY, code="not_assigned")
        refuse_if_published(contest=contest)
        conflict, created = Conflict.objects.get_or_create(judge=judge, entry=entry, defaults={"reason": reason})
        if created:
            audit_record(
                contest=contest, actor=judge, action=Action.CONFLICT_DECLARED, entry_id=entry.pk, reason=reason,
            )
        return conflict
