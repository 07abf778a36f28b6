"""Awards given drawing by drawing on the results page: an entry's place
(any place from 1 up; one entry per place and age category) and the
contest's named special awards (any number of entries each).

Decided: a place is never shared. Entries in an unresolved tie are shown as
tied; the organizer gives the place to one of them (with a reason, as for
any choice other than the suggestions) and may honour the other with the
next place or a special award.

Every change is recorded in the privacy audit log (`AuditLog.AWARDED`,
named by the entry's reference code); a choice for places 1-3 other than
the ranking's suggestion also goes into the judging audit trail
(`AWARDS_OVERRIDDEN`) with its reason. Nothing changes after publication.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from contest.models import LANGUAGE_CODES, AuditLog, Contest, Entry, SpecialAward, SpecialAwardHolder, place_label
from contest.services.audit import audit_log_record

from .. import phrases, selectors
from .audit import Action, audit_record
from .awards import _award_suggestions
from .locking import contest_locked

SUGGESTED_PLACES = tuple(Entry.Award.values)  # the places the ranking suggests (1-3)
NAME_MAX_LENGTH = 80


def _refuse_if_published(contest: Contest) -> None:
    if contest.results_published:
        raise ValidationError(phrases.PUBLISHED_AWARDS, code="published")


def entry_awards_set(
    *, contest: Contest, entry_id: int, place: int | None, special_award_ids: Iterable[int] = (), actor=None,
    reason: str = "",
) -> bool:
    """Give entry `entry_id` of `contest` the place `place` (1, 2, 3, 4…;
    None: no place) in its age category and exactly the special awards
    `special_award_ids` (ids of the contest's `SpecialAward`s; the others
    are taken back). Returns False when nothing changed (nothing recorded).

    A choice for places 1-3 other than the ranking's suggestion (giving a
    place the ranking suggests for another entry or leaves to the
    organizer, or taking back a suggested place) needs a `reason`
    [reason_required]; it is recorded in the judging audit trail.

    Raises `ValidationError` (nothing changed) after publication
    [published], for an entry of another contest [entry], one not approved
    and ready [not_judgeable], a place below 1 [invalid_place], a place
    another entry of the category holds [place_taken] or a special award of
    another contest [special_award]."""
    reason = (reason or "").strip()
    wanted = set(special_award_ids)
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
        _refuse_if_published(contest)
        entry = Entry.objects.filter(contest=contest, pk=entry_id).first()
        if entry is None:
            raise ValidationError(phrases.AWARD_UNKNOWN_ENTRY, code="entry")
        if not entry.is_judgeable:
            raise ValidationError(phrases.AWARD_NOT_JUDGEABLE % {"ref": entry.reference}, code="not_judgeable")
        if place is not None and place < 1:
            raise ValidationError(phrases.PLACE_NOT_POSITIVE, code="invalid_place")
        awards = {a.pk: a for a in SpecialAward.objects.filter(contest=contest)}
        if wanted - set(awards):
            raise ValidationError(phrases.SPECIAL_AWARD_UNKNOWN, code="special_award")
        held = set(SpecialAwardHolder.objects.filter(entry=entry).values_list("award_id", flat=True))
        previous = entry.award
        if place == previous and held == wanted:
            return False
        if place is not None and place != previous:
            holder = (
                Entry.objects.filter(age_category_id=entry.age_category_id, award=place)
                .exclude(pk=entry.pk).values_list("reference", flat=True).first()
            )
            if holder:
                raise ValidationError(
                    phrases.PLACE_TAKEN % {"place": place_label(place), "ref": holder}, code="place_taken"
                )
        override = _override_detail(contest=contest, entry=entry, place=place) if place != previous else None
        if override is not None and not reason:
            message = phrases.REASON_FOR_UNDECIDED if override["undecided_place"] else phrases.REASON_FOR_OVERRIDE
            raise ValidationError(message, code="reason_required")
        if place != previous:
            Entry.objects.filter(pk=entry.pk).update(award=place)
        SpecialAwardHolder.objects.filter(entry=entry).exclude(award_id__in=wanted).delete()
        SpecialAwardHolder.objects.bulk_create(
            [SpecialAwardHolder(award_id=award_id, entry=entry) for award_id in sorted(wanted - held)]
        )
        audit_log_record(
            action=AuditLog.Action.AWARDED, actor=actor, contest=contest, entry_reference=entry.reference,
            detail={
                "place": place, "previous_place": previous,
                "special_awards": sorted(awards[i].name for i in wanted),
                "previous_special_awards": sorted(awards[i].name for i in held if i in awards),
                "reason": reason,
            },
        )
        if override is not None:
            audit_record(
                contest=contest, actor=actor, action=Action.AWARDS_OVERRIDDEN, entry_id=entry.pk,
                detail={key: override[key] for key in ("awards", "suggested", "undecided")}, reason=reason,
            )
    return True


def _override_detail(*, contest: Contest, entry: Entry, place: int | None) -> dict | None:
    """None when moving `entry` to `place` keeps to the ranking's
    suggestions for places 1-3; else what the audit trail records."""
    if place not in SUGGESTED_PLACES and entry.award not in SUGGESTED_PLACES:
        return None
    suggested, undecided = _award_suggestions(selectors.contest_ranking(contest=contest, cached=False))
    category = entry.age_category_id
    gives_other = place in SUGGESTED_PLACES and suggested.get((category, place)) != entry.pk
    takes_suggested = entry.award in SUGGESTED_PLACES and suggested.get((category, entry.award)) == entry.pk
    if not gives_other and not takes_suggested:
        return None
    return {
        "awards": [[category, place, entry.pk]] if place else [],
        "suggested": sorted([c, p, e] for (c, p), e in suggested.items() if c == category),
        "undecided": sorted(u for u in undecided if u[0] == category),
        "undecided_place": [category, place] in undecided,
    }


def _clean_names(*, name: str, names: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    name = (name or "").strip()
    if not name:
        raise ValidationError(phrases.SPECIAL_AWARD_NAME_MISSING, code="name")
    cleaned = {}
    for code, text in (names or {}).items():
        if code not in LANGUAGE_CODES:
            raise ValidationError(phrases.SPECIAL_AWARD_UNKNOWN_LANGUAGE, code="language")
        if (text or "").strip():
            cleaned[code] = text.strip()[:NAME_MAX_LENGTH]
    return name[:NAME_MAX_LENGTH], cleaned


def special_award_create(
    *, contest: Contest, name: str, names: Mapping[str, str] | None = None, actor=None
) -> SpecialAward:
    """A new special award of `contest`, listed after the others: `name` in
    the contest's default language, `names` language code -> name in the
    other languages (empty ones left out). Raises `ValidationError` after
    publication [published], without a name [name], for a name the contest
    already has [name_taken] or an unknown language code [language]."""
    name, cleaned = _clean_names(name=name, names=names or {})
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
        _refuse_if_published(contest)
        last = SpecialAward.objects.filter(contest=contest).aggregate(last=Max("order"))["last"]
        try:
            with transaction.atomic():
                award = SpecialAward.objects.create(
                    contest=contest, name=name, names=cleaned, order=0 if last is None else last + 1
                )
        except IntegrityError:
            raise ValidationError(phrases.SPECIAL_AWARD_NAME_TAKEN % {"name": name}, code="name_taken") from None
        audit_log_record(
            action=AuditLog.Action.AWARDED, actor=actor, contest=contest,
            detail={"special_award_created": name, "names": cleaned},
        )
    return award


def special_award_delete(*, contest: Contest, award_id: int, actor=None) -> bool:
    """Delete special award `award_id` of `contest` and take it back from
    every entry holding it. False when the contest has no such award.
    Raises `ValidationError` [published] after publication."""
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
        _refuse_if_published(contest)
        award = SpecialAward.objects.filter(contest=contest, pk=award_id).first()
        if award is None:
            return False
        holders = list(
            SpecialAwardHolder.objects.filter(award=award).order_by("entry__reference")
            .values_list("entry__reference", flat=True)
        )
        award.delete()
        audit_log_record(
            action=AuditLog.Action.AWARDED, actor=actor, contest=contest,
            detail={"special_award_deleted": award.name, "taken_from": holders},
        )
    return True
