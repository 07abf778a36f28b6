"""Awards and publication, the final lock of judging."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contest.models import AgeCategory, Contest, Entry
from contest.services import public_cache_clear, results_mails_owe

from .. import phrases, selectors
from ..models import Round
from .audit import Action, audit_record
from .locking import contest_locked


def award_suggestions(*, contest: Contest) -> dict[tuple[int, int], int]:
    """(category id, place) -> entry id: the first three ranked entries of
    each category in the latest round, leaving out places whose entry is in
    an unresolved tie or incomplete (`CategoryRanking.decided`): those the
    organizer chooses, with a reason."""
    return _award_suggestions(selectors.contest_ranking(contest=contest, cached=False))[0]


def _award_suggestions(ranking) -> tuple[dict[tuple[int, int], int], list[list[int]]]:
    suggested = {
        (block.category.pk, place): row.entry_id for block in ranking for place, row in block.decided.items()
    }
    undecided = [[block.category.pk, place] for block in ranking for place in block.undecided_places]
    return suggested, undecided


def awards_set(
    *, contest: Contest, awards: Mapping[tuple[int, int], int], actor=None, reason: str = ""
) -> None:
    """Replace the contest's first three places with `awards`: (age
    category id, place 1-3) -> entry id. Places 1-3 left out get no winner;
    places from 4 on stay (an entry given a place here leaves its other
    place). Special awards are not touched (`entry_awards_set`).

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
        contest = contest_locked(contest_id=contest.pk)
        if contest.results_published:
            raise ValidationError(phrases.PUBLISHED_AWARDS, code="published")
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
                errors.append(ValidationError(phrases.UNKNOWN_PLACE, code="invalid_place"))
                continue
            entry = entries.get(entry_id)
            if entry is None or entry["age_category_id"] != category_id:
                errors.append(ValidationError(phrases.AWARD_OTHER_CATEGORY, code="category"))
                continue
            if (
                entry["moderation_status"] != Entry.Moderation.APPROVED
                or entry["processing_status"] != Entry.Processing.READY
                or entry["guardian_confirmed_at"] is None
            ):
                errors.append(
                    ValidationError(
                        phrases.AWARD_NOT_JUDGEABLE % {"ref": entry["reference"]}, code="not_judgeable"
                    )
                )
                continue
            if entry_id in seen:
                errors.append(
                    ValidationError(
                        phrases.AWARD_TWICE % {"ref": entry["reference"]}, code="twice"
                    )
                )
                continue
            seen[entry_id] = place
        if errors:
            raise ValidationError(errors)
        suggested, undecided = _award_suggestions(selectors.contest_ranking(contest=contest, cached=False))
        overridden = dict(awards) != suggested
        if overridden and not reason:
            if any(tuple(place) in awards for place in undecided):
                message = phrases.REASON_FOR_UNDECIDED
            else:
                message = phrases.REASON_FOR_OVERRIDE
            raise ValidationError(message, code="reason_required")

        now = timezone.now()
        # Clear first: the one-award-per-place constraint is checked per row.
        Entry.objects.filter(contest=contest, award__in=Entry.Award.values).update(award=None, updated_at=now)
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


OVERRIDE_REASON_MIN_LENGTH = 15


def results_publish(*, contest: Contest, actor=None, override: bool = False, reason: str = "") -> Contest:
    """Publish the results: set `results_published_at` to now. From then on
    every score, conflict, round, award and setting is locked (see the
    module docstring).

    The publication checklist (`selectors.publication_checklist`: unscored
    sheets, unresolved ties, open conflicts, winners without publication
    consent, renditions not ready) must be clear; with anything open,
    publishing needs `override` and a `reason` of at least
    `OVERRIDE_REASON_MIN_LENGTH` characters, and the open points are
    recorded with the reason in the audit trail.

    In the same transaction every family is owed its results e-mail
    (`contest.services.results_mails_owe`), sent by the worker after the
    commit.

    Raises `ValidationError` when already published, while submissions are
    still open (entries could still arrive unjudged) [still_open], with
    points open and no override [checklist_open], or with an override and
    too short a reason [reason_required].
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = contest_locked(contest_id=contest.pk)
        if locked.results_published:
            raise ValidationError(phrases.ALREADY_PUBLISHED, code="published")
        now = timezone.now()
        if now < locked.closes_at:
            raise ValidationError(
                phrases.STILL_OPEN, code="still_open"
            )
        open_items = {item.code: item.count for item in selectors.publication_checklist(contest=locked) if item.count}
        if open_items and not override:
            raise ValidationError(phrases.CHECKLIST_OPEN, code="checklist_open")
        if open_items and len(reason) < OVERRIDE_REASON_MIN_LENGTH:
            raise ValidationError(
                phrases.OVERRIDE_REASON_SHORT % {"min": OVERRIDE_REASON_MIN_LENGTH}, code="reason_required"
            )
        Contest.objects.filter(pk=locked.pk).update(results_published_at=now, updated_at=now)
        Round.objects.filter(contest=locked, is_open=True).update(is_open=False, closed_at=now, updated_at=now)
        # Every family is told, by the worker once this commits.
        results_mails_owe(contest=locked)
        # The home page, the contest's page and its gallery show the results.
        transaction.on_commit(lambda: public_cache_clear(contest_id=locked.pk))
        audit_record(
            contest=locked, actor=actor, action=Action.RESULTS_PUBLISHED,
            detail={"open_items": open_items} if open_items else None, reason=reason if open_items else "",
        )
    contest.results_published_at = now
    return contest
