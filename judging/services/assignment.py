"""The panel: judges on a round, and the automatic assignment of entries
to judges (K judges per entry, balanced load)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contest.models import AgeCategory, Contest

from .. import phrases, selectors
from ..models import Conflict, EntryAssignment, JudgeAssignment, JudgingSettings, Score
from .audit import Action, audit_record
from .locking import contest_locked, latest_round, refuse_if_published, round_row


def judge_assign(
    *, contest: Contest, judge, round_number: int = 1, categories: Iterable[AgeCategory] | None = None
) -> JudgeAssignment:
    """Put `judge` (an active user) on the panel of a round, optionally for
    some age categories only (None keeps the current choice; an empty list
    means every category). Assigning twice is a no-op."""
    if not judge.is_active:
        raise ValidationError(phrases.INACTIVE_JUDGE, code="inactive")
    assignment, _created = JudgeAssignment.objects.get_or_create(
        contest=contest, judge=judge, round_number=round_number
    )
    if categories is not None:
        categories = list(categories)
        if any(c.contest_id != contest.pk for c in categories):
            raise ValidationError(phrases.FOREIGN_CATEGORY, code="category")
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
        contest = contest_locked(contest_id=contest.pk)
        refuse_if_published(contest=contest)
        current = latest_round(contest=contest)
        rnd = round_row(contest=contest, number=current.number)
        if not rnd.is_open:
            raise ValidationError(phrases.ROUND_CLOSED, code="round_closed")
        settings, _created = JudgingSettings.objects.get_or_create(contest=contest)
        k = min_judges or settings.min_judges
        if k < 1:
            raise ValidationError(phrases.MIN_JUDGES, code="min_judges")
        if settings.min_judges != k:
            audit_record(contest=contest, actor=actor, action=Action.SETTINGS_CHANGED,
                         detail={"min_judges": [settings.min_judges, k]})
            settings.min_judges = k
            settings.save(update_fields=["min_judges", "updated_at"])

        panel = list(
            JudgeAssignment.objects.filter(contest=contest, round_number=rnd.number).prefetch_related("categories")
        )
        if not panel:
            raise ValidationError(phrases.NO_PANEL, code="no_judges")
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
