"""How long children's data is kept: erasing an entry (withdrawal, an
organizer's delete, the purges), and the deletion rules run by Celery beat:
unconfirmed entries after the link expired, rejected ones after the grace
period, and everything but what winners' publication answers cover after a
contest's retention period."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..links import Purpose, lifetime
from ..models import AnonymousCount, AuditLog, Contest, Entry
from .audit import audit_log_record, entry_free_text_erase, purge_run_record
from .policy import rejected_grace_days
from .public_cache import public_cache_clear
from .storage import files_delete, files_of

def _anonymous_count_add(*, entry: Entry, reason: str) -> None:
    row, _created = AnonymousCount.objects.get_or_create(
        contest_id=entry.contest_id, country=entry.country, age_category_id=entry.age_category_id, reason=reason
    )
    AnonymousCount.objects.filter(pk=row.pk).update(count=F("count") + 1)


def entry_erase(*, entry: Entry, reason: str, actor=None, actor_label: str = "") -> None:
    """Delete the entry, its renditions, its original in storage and every
    row that holds the child's or guardian's data (scores and judging rows
    cascade), and every free text about the entry elsewhere
    (`entry_free_text_erase`: audit details, judges' reasons). Only an
    anonymous count per country and age category remains
    (`AnonymousCount`), plus audit rows naming the reference code.
    `reason` is an `AnonymousCount.Reason` ("deleted": by an organizer in
    the admin). Files are deleted after the commit, so a rollback never
    loses an image that still has its row."""
    with transaction.atomic():
        entry = Entry.objects.select_related("contest").prefetch_related("renditions").get(pk=entry.pk)
        files = files_of(entry)
        _anonymous_count_add(entry=entry, reason=reason)
        contest, reference = entry.contest, entry.reference
        was_published = entry.publish_consent and entry.is_winner
        entry_free_text_erase(entry=entry)
        entry.renditions.all().delete()
        entry.delete()
        action = {"withdrawn": AuditLog.Action.WITHDRAWN, "deleted": AuditLog.Action.DELETED}.get(
            reason, AuditLog.Action.PURGED
        )
        audit_log_record(
            action=action, actor=actor, actor_label=actor_label, contest=contest, entry_reference=reference,
            detail={"reason": reason},
        )
    transaction.on_commit(lambda: files_delete(files))
    if was_published:
        transaction.on_commit(lambda: public_cache_clear(contest_id=contest.pk))


def _per_contest(entries: list[Entry]) -> dict[int, int]:
    return dict(Counter(entry.contest_id for entry in entries))


def entries_purge_unconfirmed(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete every entry whose guardian did not confirm before the link
    expired: `GUARDIAN_CONFIRM_DAYS` after the last link was sent
    (`confirmation_sent_at`; "send the link again" starts a fresh period, as
    its e-mail says), or after submission when no link went out. A
    teacher's entry whose signed paper form waits for a moderator's check
    is not the guardian's delay: it stays. Deletes the files too. Records a `PurgeRun`; returns how many (would be) deleted."""
    now = now or timezone.now()
    cutoff = now - lifetime(Purpose.CONFIRM)
    expired = list(
        Entry.objects.filter(guardian_confirmed_at__isnull=True)
        .exclude(~Q(consent_scan="") & Q(consent_scan_checked_at__isnull=True))
        .alias(link_sent_at=Coalesce("confirmation_sent_at", "created_at"))
        .filter(link_sent_at__lt=cutoff)
        .only("pk", "contest_id")
    )
    if not dry_run:
        for entry in expired:
            entry_erase(entry=entry, reason="unconfirmed", actor_label="system")
    purge_run_record(rule="unconfirmed", per_contest=_per_contest(expired), dry_run=dry_run)
    return len(expired)


def entries_purge_rejected(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete rejected entries `REJECTED_ENTRY_DAYS` after the decision."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=rejected_grace_days())
    rejected = list(
        Entry.objects.filter(moderation_status=Entry.Moderation.REJECTED, moderated_at__lt=cutoff).only("pk", "contest_id")
    )
    if not dry_run:
        for entry in rejected:
            entry_erase(entry=entry, reason="rejected", actor_label="system")
    purge_run_record(rule="rejected", per_contest=_per_contest(rejected), dry_run=dry_run)
    return len(rejected)


def entry_anonymize_winner(*, entry: Entry) -> None:
    """Keep of a winning entry only what its publication answers cover (the
    retention rule of the privacy requirements: "winners keep only what
    their publication answers cover").

    With consent to publish (b): the drawing's renditions, its title and the
    child's own words, first name, age and country, and the city or region
    only with consent (c). Without it, only what the award and the anonymous
    statistics need stays: contest, age category, country, the award and the
    record of the consent answers; no name, age, title, words, image or
    image-derived placeholder. The original image goes in both cases, and
    so does every free text about the entry elsewhere (`entry_free_text_erase`).
    """
    with transaction.atomic():
        entry = Entry.objects.prefetch_related("renditions").get(pk=entry.pk)
        entry_free_text_erase(entry=entry)
        published = entry.publish_consent
        files = []
        if entry.original.name:
            files.append((entry.original.storage, entry.original.name))
        if entry.consent_scan.name:  # the signed form names the child
            files.append((entry.consent_scan.storage, entry.consent_scan.name))
        if not published:
            files += [(r.file.storage, r.file.name) for r in entry.renditions.all() if r.file.name]
            entry.renditions.all().delete()
        Entry.objects.filter(pk=entry.pk).update(
            child_first_name=entry.child_first_name if published else "",
            child_age=entry.child_age if published else None,
            title=entry.title if published else "",
            description=entry.description if published else "",
            placeholder=entry.placeholder if published else "",
            dominant_color=entry.dominant_color if published else "",
            region=entry.region if entry.publish_region_consent else "",
            child_last_name="", child_birth_date=None, school="",
            guardian_name="", guardian_email="", guardian_relationship="",
            original="", consent_scan="", original_sha256="", phash="", near_duplicate_of=None, processing_error="",
            moderation_note="", personal_data_purged_at=timezone.now(), updated_at=timezone.now(),
        )
    transaction.on_commit(lambda: files_delete(files))
    contest_id = entry.contest_id
    transaction.on_commit(lambda: public_cache_clear(contest_id=contest_id))


def entries_purge_retention(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """For every contest whose results were published more than
    `contest.retention_days` ago: delete the entries that did not win
    (leaving anonymous counts) and strip the winners down to what their
    publication answers cover. Records a `PurgeRun`; returns how many
    entries were (or would be) deleted or anonymized."""
    now = now or timezone.now()
    per_contest = {}
    for contest in Contest.objects.filter(results_published_at__isnull=False):
        if contest.results_published_at + dt.timedelta(days=contest.retention_days) > now:
            continue
        entries = list(Entry.objects.filter(contest=contest, personal_data_purged_at__isnull=True).only("pk", "award"))
        winners = set(Entry.objects.filter(contest=contest).winners().values_list("pk", flat=True))
        per_contest[contest.pk] = len(entries)
        if dry_run:
            continue
        for entry in entries:
            if entry.pk not in winners:
                entry_erase(entry=entry, reason="retention", actor_label="system")
            else:
                entry_anonymize_winner(entry=entry)
    purge_run_record(rule="retention", per_contest=per_contest, dry_run=dry_run)
    return sum(per_contest.values())
