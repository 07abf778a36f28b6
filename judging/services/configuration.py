"""How a contest is judged: its settings and its rubric's changes (the
admin edits criteria by hand; these decide what may change and record it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from contest.models import Contest

from .. import phrases, selectors
from ..models import Criterion, JudgingSettings, Score
from .audit import Action, audit_record
from .locking import contest_locked, refuse_if_published


def judging_settings_update(
    *, contest: Contest, actor, normalization: str, half_points: bool, min_judges: int, peer_scores: str
) -> JudgingSettings:
    """Change how the contest is judged; refused after publication. Turning
    half points off is refused while half points are saved."""
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
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
    refuse_if_published(contest=contest)
    if not half_points and selectors.judging_settings_get(contest=contest).half_points:
        has_halves = any(
            p != p.to_integral_value()
            for p in Score.objects.filter(criterion__contest=contest).values_list("points", flat=True).distinct()
        )
        if has_halves:
            raise ValidationError(
                phrases.HALF_POINTS_USED, code="half_points_used"
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
    refuse_if_published(contest=contest, message=phrases.PUBLISHED_CRITERIA)
    if change == "changed" and not set(fields) & set(CRITERION_STRUCTURE):
        return
    if selectors.round_has_scores(contest=contest, round_number=round_number):
        raise ValidationError(
            phrases.ROUND_SCORED,
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
