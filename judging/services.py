"""Writes for judging: settings, panels and assignment, rounds, score
sheets, conflicts, calibration, awards, publication, and the audit trail.

Publication (`results_publish`) is the final lock: from
`Contest.results_published_at` on, every write here refuses. A closed round
locks its own scores. Each write locks the contest row first
(`select_for_update`, a no-op on SQLite, whose writers are serialized
anyway) and re-reads the state it checks inside its transaction, so a sheet
saved while an organizer publishes or closes a round is either counted or
refused. Every change that matters for fairness is recorded in
`AuditEvent` with who and when (`audit_record`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import AgeCategory, Contest, Entry

from . import selectors
from .models import (
    AuditEvent,
    CalibrationEntry,
    CalibrationScore,
    Conflict,
    Criterion,
    EntryAssignment,
    JudgeAssignment,
    JudgingSettings,
    Round,
    RoundEntry,
    Score,
    SheetComment,
)

Action = AuditEvent.Action


def audit_record(
    *, contest: Contest, actor, action: str, entry_id: int | None = None, round_number: int | None = None,
    detail: dict | None = None, reason: str = "",
) -> AuditEvent:
    """Add one row to the audit trail (never changed or deleted afterwards)."""
    return AuditEvent.objects.create(
        contest=contest,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        entry_id=entry_id,
        round_number=round_number,
        detail=detail or {},
        reason=reason,
    )


def _contest_locked(contest_id: int) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest_id)


def _refuse_if_published(contest: Contest, message=None) -> None:
    if contest.results_published:
        raise ValidationError(
            message or _("The results are published; nothing can change any more."), code="published"
        )


def _round_row(contest: Contest, number: int) -> Round:
    """The round's row, creating round 1 on first use (it is implicit until
    then; see `judging.models`)."""
    if number == 1:
        return Round.objects.select_for_update().get_or_create(contest=contest, number=1)[0]
    return Round.objects.select_for_update().get(contest=contest, number=number)


def _latest_round(contest: Contest) -> Round:
    return selectors.round_current(contest=contest)


# --- settings and panels --------------------------------------------------


def judging_settings_update(
    *, contest: Contest, actor, normalization: str, half_points: bool, min_judges: int, peer_scores: str
) -> JudgingSettings:
    """Change how the contest is judged; refused after publication. Turning
    half points off is refused while half points are saved."""
    with transaction.atomic():
        contest = _contest_locked(contest.pk)
        judging_settings_check(contest=contest, half_points=half_points)
        settings, _created = JudgingSettings.objects.get_or_create(contest=contest)
        before = {f: getattr(settings, f) for f in ("normalization", "half_points", "min_judges", "peer_scores")}
        settings.normalization = normalization
        settings.half_points = half_points
        settings.min_judges = min_judges
        settings.peer_scores = peer_scores
        settings.full_clean()
        settings.save()
        after = {f: getattr(settings, f) for f in before}
        changed = {f: [before[f], after[f]] for f in before if before[f] != after[f]}
        if changed:
            audit_record(contest=contest, actor=actor, action=Action.SETTINGS_CHANGED, detail=changed)
        return settings


def judging_settings_check(*, contest: Contest, half_points: bool) -> None:
    """Raise `ValidationError` if the contest's judging settings may not
    change to `half_points`: after publication [published], or when half
    points are switched off while some are saved [half_points_used]. Also
    used by the admin's form, so its refusals are messages, not errors."""
    _refuse_if_published(contest)
    if not half_points and selectors.judging_settings_get(contest=contest).half_points:
        has_halves = any(
            p != p.to_integral_value()
            for p in Score.objects.filter(criterion__contest=contest).values_list("points", flat=True).distinct()
        )
        if has_halves:
            raise ValidationError(
                _("Half points are already given; they cannot be switched off."), code="half_points_used"
            )


# Fields of a criterion that decide what a score sheet is worth.
CRITERION_STRUCTURE = ("contest", "round_number", "weight", "max_points")


def criterion_change_check(*, contest: Contest, round_number: int, change: str, fields: Iterable[str] = ()) -> None:
    """Raise `ValidationError` if a criterion of `contest`'s round
    `round_number` may not be `change`d ("added", "changed" or "deleted";
    `fields`: the names of the changed fields).

    Publication locks the whole rubric [published]. Once the round has
    scores its structure is locked [round_scored]: no criterion added
    (every sheet would become incomplete) or deleted, no weight or maximum
    changed; names, descriptions and order may still be corrected. Used by
    the admin, the only place criteria are edited by hand."""
    _refuse_if_published(contest, _("The results are published; the criteria can no longer change."))
    if change == "changed" and not set(fields) & set(CRITERION_STRUCTURE):
        return
    if selectors.round_has_scores(contest=contest, round_number=round_number):
        raise ValidationError(
            _("This round has scores: criteria cannot be added or removed, and their weight and maximum cannot "
              "change."),
            code="round_scored",
        )


def criterion_change_record(*, criterion: Criterion, actor, change: str, fields: Mapping[str, list] | None = None):
    """Record an admin change to a criterion in the judging audit trail:
    `change` is "added", "changed" or "deleted"; `fields` maps each
    changed field to [before, after] (as text)."""
    return audit_record(
        contest=criterion.contest, actor=actor, action=Action.RUBRIC_CHANGED, round_number=criterion.round_number,
        detail={"change": change, "criterion": criterion.name, "fields": dict(fields or {})},
    )


def judge_assign(
    *, contest: Contest, judge, round_number: int = 1, categories: Iterable[AgeCategory] | None = None
) -> JudgeAssignment:
    """Put `judge` (an active user) on the panel of a round, optionally for
    some age categories only (None keeps the current choice; an empty list
    means every category). Assigning twice is a no-op."""
    if not judge.is_active:
        raise ValidationError(_("Only active users can be judges."), code="inactive")
    assignment, _created = JudgeAssignment.objects.get_or_create(
        contest=contest, judge=judge, round_number=round_number
    )
    if categories is not None:
        categories = list(categories)
        if any(c.contest_id != contest.pk for c in categories):
            raise ValidationError(_("A category of another contest was chosen."), code="category")
        assignment.categories.set(categories)
    return assignment


@dataclass(frozen=True)
class AssignmentReport:
    entries: int
    judges: int
    min_judges: int
    short: list[str]  # reference codes of entries with fewer than K judges
    load: dict[int, int]  # judge id -> entries


def _stable_hash(*parts) -> bytes:
    return hashlib.sha256(":".join(map(str, parts)).encode()).digest()


def entries_assign(*, contest: Contest, actor, min_judges: int | None = None) -> AssignmentReport:
    """Spread the entries of the current round over its panel so that each
    gets `min_judges` judges (K; default the contest's setting, which this
    also updates) with balanced load.

    Greedy, scarcest entries first: an entry goes to the judges of its
    category without a conflict with it, keeping first those who already
    scored it, then the least loaded ones (ties broken by a stable hash, not
    by user id, so the same judges are not always favoured). With free
    categories this keeps every judge's load within one of the others'.
    Entries with fewer eligible judges than K get all of them and are
    reported in `short`. Replaces an earlier assignment of the round;
    refused when the round is closed or the results are published.
    """
    with transaction.atomic():
        contest = _contest_locked(contest.pk)
        _refuse_if_published(contest)
        current = _latest_round(contest)
        rnd = _round_row(contest, current.number)
        if not rnd.is_open:
            raise ValidationError(_("This round is closed."), code="round_closed")
        settings, _created = JudgingSettings.objects.get_or_create(contest=contest)
        k = min_judges or settings.min_judges
        if k < 1:
            raise ValidationError(_("Give at least one judge per entry."), code="min_judges")
        if settings.min_judges != k:
            audit_record(contest=contest, actor=actor, action=Action.SETTINGS_CHANGED,
                         detail={"min_judges": [settings.min_judges, k]})
            settings.min_judges = k
            settings.save(update_fields=["min_judges", "updated_at"])

        panel = list(
            JudgeAssignment.objects.filter(contest=contest, round_number=rnd.number).prefetch_related("categories")
        )
        if not panel:
            raise ValidationError(_("Nobody is on the panel of this round yet."), code="no_judges")
        categories = {a.judge_id: {c.pk for c in a.categories.all()} for a in panel}
        entries = list(selectors.round_entries(contest=contest, round=rnd).values("id", "reference", "age_category_id"))
        conflicts = set(Conflict.objects.filter(entry__contest=contest).values_list("judge_id", "entry_id"))
        scored = set(
            Score.objects.filter(criterion__contest=contest, criterion__round_number=rnd.number)
            .values_list("judge_id", "entry_id")
            .distinct()
        )

        def eligible(entry):
            return [
                j for j, cats in categories.items()
                if (not cats or entry["age_category_id"] in cats) and (j, entry["id"]) not in conflicts
            ]

        load = {j: 0 for j in categories}
        chosen_pairs = []
        short = []
        candidates = {e["id"]: eligible(e) for e in entries}
        for entry in sorted(entries, key=lambda e: (len(candidates[e["id"]]), _stable_hash(rnd.pk, e["id"]))):
            pool = candidates[entry["id"]]
            pool.sort(key=lambda j: ((j, entry["id"]) not in scored, load[j], _stable_hash(rnd.pk, j, entry["id"])))
            picked = pool[:k]
            if len(picked) < k:
                short.append(entry["reference"])
            for j in picked:
                load[j] += 1
                chosen_pairs.append(EntryAssignment(round=rnd, judge_id=j, entry_id=entry["id"]))
        EntryAssignment.objects.filter(round=rnd).delete()
        EntryAssignment.objects.bulk_create(chosen_pairs, batch_size=1000)
        rnd.entries_assigned_at = timezone.now()
        rnd.save(update_fields=["entries_assigned_at", "updated_at"])
        audit_record(
            contest=contest, actor=actor, action=Action.ENTRIES_ASSIGNED, round_number=rnd.number,
            detail={"min_judges": k, "entries": len(entries), "judges": len(panel), "short": sorted(short)},
        )
        return AssignmentReport(entries=len(entries), judges=len(panel), min_judges=k, short=sorted(short), load=load)


# --- rounds ---------------------------------------------------------------


def round_close(*, contest: Contest, actor, round_number: int | None = None) -> Round:
    """Close a round: its scores are locked from now on."""
    with transaction.atomic():
        contest = _contest_locked(contest.pk)
        _refuse_if_published(contest)
        rnd = _round_row(contest, round_number or _latest_round(contest).number)
        if not rnd.is_open:
            raise ValidationError(_("This round is already closed."), code="round_closed")
        rnd.is_open = False
        rnd.closed_at = timezone.now()
        rnd.save(update_fields=["is_open", "closed_at", "updated_at"])
        audit_record(contest=contest, actor=actor, action=Action.ROUND_CLOSED, round_number=rnd.number)
        return rnd


def round_open(*, contest: Contest, actor) -> Round:
    """Open the latest round again (only the latest: an earlier round's
    ranking already decided who advanced)."""
    with transaction.atomic():
        contest = _contest_locked(contest.pk)
        _refuse_if_published(contest)
        rnd = _round_row(contest, _latest_round(contest).number)
        if rnd.is_open:
            raise ValidationError(_("This round is already open."), code="round_open")
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
        raise ValidationError(_("Choose the judges of the new round."), code="no_judges")
    if (top_n is None) == (entry_ids is None):
        raise ValidationError(_("Give either a number per category or a list of entries."), code="choice")
    with transaction.atomic():
        contest = _contest_locked(contest.pk)
        _refuse_if_published(contest)
        previous = _round_row(contest, _latest_round(contest).number)
        ranking = selectors.contest_ranking(contest=contest, round_number=previous.number)
        in_round = {row.entry_id for block in ranking for row in block.rows}
        if top_n is not None:
            if top_n < 1:
                raise ValidationError(_("Advance at least one entry per category."), code="top_n")
            advanced = [row.entry_id for block in ranking for row in block.rows if row.rank and row.rank <= top_n]
        else:
            advanced = list(dict.fromkeys(entry_ids))
            if not set(advanced) <= in_round:
                raise ValidationError(_("Only entries of the current round can advance."), code="not_in_round")
        if not advanced:
            raise ValidationError(_("No entry would advance."), code="empty")
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
        for judge in judges:
            judge_assign(contest=contest, judge=judge, round_number=new.number)
        audit_record(
            contest=contest, actor=actor, action=Action.ROUND_ADVANCED, round_number=new.number,
            detail={"entries": sorted(advanced), "top_n": top_n, "judges": sorted(j.pk for j in judges)},
        )
        return new


# --- score sheets ---------------------------------------------------------


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
            message = _("%(criterion)s: give whole or half points.")
            code = "not_half"
        else:
            message = _("%(criterion)s: give a whole number of points.")
            code = "not_integer"
        raise ValidationError(message % {"criterion": criterion.name}, code=code)
    if not 0 <= points <= criterion.max_points:
        raise ValidationError(
            _("%(criterion)s: give 0 to %(max)d points.") % {"criterion": criterion.name, "max": criterion.max_points},
            code="out_of_range",
        )
    return points.quantize(Decimal("0.1"))


def _clean_sheet(points: Mapping, criteria: list[Criterion], *, half_points: bool) -> dict[int, Decimal]:
    if not criteria:
        raise ValidationError(_("This contest has no criteria yet."), code="no_criteria")
    unknown = set(points) - {c.pk for c in criteria}
    if unknown:
        raise ValidationError(_("Some criteria do not belong to this contest."), code="unknown_criterion")
    errors = []
    cleaned = {}
    for criterion in criteria:
        if points.get(criterion.pk) is None:
            errors.append(
                ValidationError(
                    _("%(criterion)s: this criterion is required.") % {"criterion": criterion.name}, code="required"
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
        contest = _contest_locked(entry.contest_id)
        rnd = selectors.round_current(contest=contest)
        if round_number is not None and round_number != rnd.number:
            rnd = Round.objects.filter(contest=contest, number=round_number).first() or rnd
            if rnd.number != round_number:
                raise ValidationError(_("There is no such round."), code="no_round")
        assignment = (
            JudgeAssignment.objects.filter(contest=contest, judge=judge, round_number=rnd.number)
            .prefetch_related("categories")
            .first()
        )
        if assignment is None:
            raise ValidationError(_("You are not a judge of this contest."), code="not_assigned")
        if not entry.is_judgeable:
            raise ValidationError(_("This entry is not open for judging."), code="not_judgeable")
        _refuse_if_published(contest, _("The results are published; scores can no longer change."))
        if not rnd.is_open:
            raise ValidationError(_("This round is closed; scores can no longer change."), code="round_closed")
        category_ids = {c.pk for c in assignment.categories.all()}
        in_queue = (
            (rnd.number == 1 or RoundEntry.objects.filter(round=rnd, entry=entry).exists())
            and (not category_ids or entry.age_category_id in category_ids)
            and (
                rnd.entries_assigned_at is None
                or EntryAssignment.objects.filter(round=rnd, judge=judge, entry=entry).exists()
            )
        )
        if not in_queue:
            raise ValidationError(_("This entry is not among the entries you judge."), code="not_in_queue")
        if Conflict.objects.filter(judge=judge, entry=entry).exists():
            raise ValidationError(_("You abstained from this entry."), code="conflict")
        if rnd.number == 1 and _calibration_missing(contest, judge):
            raise ValidationError(
                _("Please score the reference drawings first."), code="calibration_required"
            )
        settings = selectors.judging_settings_get(contest=contest)
        criteria = list(Criterion.objects.filter(contest=contest, round_number=rnd.number).order_by("order", "id"))
        cleaned = _clean_sheet(points, criteria, half_points=settings.half_points)

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
        contest = _contest_locked(entry.contest_id)
        existing = Conflict.objects.filter(judge=judge, entry=entry).first()
        if existing is not None:
            return existing
        if not selectors.entry_in_judge_queue(contest=contest, user=judge, entry_id=entry.pk):
            raise ValidationError(_("You are not a judge of this entry."), code="not_assigned")
        _refuse_if_published(contest)
        conflict, created = Conflict.objects.get_or_create(judge=judge, entry=entry, defaults={"reason": reason})
        if created:
            audit_record(
                contest=contest, actor=judge, action=Action.CONFLICT_DECLARED, entry_id=entry.pk, reason=reason,
            )
        return conflict


# --- calibration ----------------------------------------------------------


def calibration_set(*, contest: Contest, actor, entry_ids: Iterable[int]) -> list[CalibrationEntry]:
    """Choose the reference drawings (entries of the contest, approved and
    ready) in the given order; replaces the earlier choice. Judges' earlier
    calibration scores on drawings that stay are kept."""
    entry_ids = list(dict.fromkeys(entry_ids))
    with transaction.atomic():
        contest = _contest_locked(contest.pk)
        _refuse_if_published(contest)
        valid = set(selectors.judgeable_entries(contest=contest).filter(pk__in=entry_ids).values_list("id", flat=True))
        if set(entry_ids) - valid:
            raise ValidationError(_("Reference drawings must be approved entries of this contest."), code="entry")
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
        contest = _contest_locked(entry.contest_id)
        if not JudgeAssignment.objects.filter(contest=contest, judge=judge).exists():
            raise ValidationError(_("You are not a judge of this contest."), code="not_assigned")
        if not CalibrationEntry.objects.filter(contest=contest, entry=entry).exists():
            raise ValidationError(_("This is not a reference drawing."), code="not_reference")
        _refuse_if_published(contest)
        settings = selectors.judging_settings_get(contest=contest)
        criteria = list(Criterion.objects.filter(contest=contest, round_number=1).order_by("order", "id"))
        cleaned = _clean_sheet(points, criteria, half_points=settings.half_points)
        return [
            CalibrationScore.objects.update_or_create(
                judge=judge, entry=entry, criterion=c,
                defaults={"points": cleaned[c.pk], "max_points": c.max_points},
            )[0]
            for c in criteria
        ]


# --- awards and publication -----------------------------------------------


def award_suggestions(*, contest: Contest) -> dict[tuple[int, int], int]:
    """(category id, place) -> entry id: the first three ranked entries of
    each category in the latest round, leaving out places whose entry is in
    an unresolved tie or incomplete (`CategoryRanking.decided`): those the
    organizer chooses, with a reason."""
    return _award_suggestions(selectors.contest_ranking(contest=contest))[0]


def _award_suggestions(ranking) -> tuple[dict[tuple[int, int], int], list[list[int]]]:
    suggested = {
        (block.category.pk, place): row.entry_id for block in ranking for place, row in block.decided.items()
    }
    undecided = [[block.category.pk, place] for block in ranking for place in block.undecided_places]
    return suggested, undecided


def awards_set(
    *, contest: Contest, awards: Mapping[tuple[int, int], int], actor=None, reason: str = ""
) -> None:
    """Replace the contest's awards with `awards`: (age category id, place
    1-3) -> entry id. Places left out get no winner.

    The suggestions (`award_suggestions`) are confirmed as they are; any
    other choice, including any winner for a place the ranking left to the
    organizer (a tie or an incomplete entry), is an override and needs a
    `reason` [reason_required].
    Both are recorded in the audit trail. Raises `ValidationError`
    (nothing changed) after publication, for a category of another contest
    or a place outside 1-3, for an entry that is not approved and ready or
    not in that category, or for an entry given two places.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        contest = _contest_locked(contest.pk)
        if contest.results_published:
            raise ValidationError(_("The results are published; awards can no longer change."), code="published")
        category_ids = set(AgeCategory.objects.filter(contest=contest).values_list("id", flat=True))
        entries = {
            row["id"]: row
            for row in Entry.objects.filter(contest=contest, pk__in=set(awards.values())).values(
                "id", "age_category_id", "moderation_status", "processing_status", "reference", "guardian_confirmed_at"
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
                or entry["guardian_confirmed_at"] is None
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
        suggested, undecided = _award_suggestions(selectors.contest_ranking(contest=contest))
        overridden = dict(awards) != suggested
        if overridden and not reason:
            if any(tuple(place) in awards for place in undecided):
                message = _(
                    "A place is held by tied or incomplete entries; say why you chose as you did."
                )
            else:
                message = _("These winners differ from the suggested ones; give a reason.")
            raise ValidationError(message, code="reason_required")

        now = timezone.now()
        # Clear first: the one-award-per-place constraint is checked per row.
        Entry.objects.filter(contest=contest, award__isnull=False).update(award=None, updated_at=now)
        for entry_id, place in seen.items():
            Entry.objects.filter(pk=entry_id).update(award=place, updated_at=now)
        audit_record(
            contest=contest, actor=actor,
            action=Action.AWARDS_OVERRIDDEN if overridden else Action.AWARDS_CONFIRMED,
            detail={
                "awards": sorted([c, p, e] for (c, p), e in awards.items()),
                "suggested": sorted([c, p, e] for (c, p), e in suggested.items()),
                "undecided": sorted(undecided),
            },
            reason=reason,
        )


def results_publish(*, contest: Contest, actor=None) -> Contest:
    """Publish the results: set `results_published_at` to now. From then on
    every score, conflict, round, award and setting is locked (see the
    module docstring).

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
        Round.objects.filter(contest=locked, is_open=True).update(is_open=False, closed_at=now, updated_at=now)
        audit_record(contest=locked, actor=actor, action=Action.RESULTS_PUBLISHED)
    contest.results_published_at = now
    return contest
