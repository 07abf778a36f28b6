"""What a guardian does with their entry, without an account: ask for
their links, confirm, change the publication answers, export their data,
withdraw."""

from __future__ import annotations

import io
import json
import zipfile

from django.db import transaction
from django.utils import timezone

from ..models import AuditLog, Entry
from ..selectors import consent_text_for_entry
from .audit import audit_log_record
from .mail import entry_links_resend
from .public_cache import public_cache_clear
from .retention import entry_erase
from .submission import reference_normalize

def guardian_links_request(*, reference: str, email: str) -> bool:
    """A guardian asks for their links by reference code and e-mail. Sends
    them only when both match one entry; returns whether it did. The caller
    shows the same answer either way, so nobody learns which entries exist."""
    entry = (
        Entry.objects.select_related("contest")
        .filter(reference=reference_normalize(reference), guardian_email__iexact=email.strip(), personal_data_purged_at__isnull=True)
        .first()
    )
    if entry is None:
        return False
    return entry_links_resend(entry=entry)


def entry_confirm(*, entry: Entry) -> bool:
    """The guardian confirmed through the link: from now on the entry goes
    to moderation and judging. Returns False when it was confirmed before."""
    with transaction.atomic():
        changed = Entry.objects.filter(pk=entry.pk, guardian_confirmed_at__isnull=True).update(
            guardian_confirmed_at=timezone.now(), updated_at=timezone.now()
        )
        if changed:
            audit_log_record(
                action=AuditLog.Action.CONFIRMED, actor_label="guardian", contest=entry.contest,
                entry_reference=entry.reference,
            )
    entry.refresh_from_db(fields=["guardian_confirmed_at"])
    return bool(changed)


def entry_publication_update(*, entry: Entry, publish: bool, publish_region: bool, actor=None) -> Entry:
    """Change the guardian's publication answers (b) and (c). Revoking takes
    effect at once: the gallery, the entry page and the image view read the
    answer on every request, and `public_cache_clear` drops cached pages."""
    publish_region = publish and publish_region
    before = (entry.publish_consent, entry.publish_region_consent)
    with transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(
            publish_consent=publish, publish_region_consent=publish_region,
            publication_changed_at=timezone.now(), updated_at=timezone.now(),
        )
        audit_log_record(
            action=AuditLog.Action.PUBLICATION_CHANGED, actor=actor, actor_label="" if actor else "guardian",
            contest=entry.contest, entry_reference=entry.reference,
            detail={"before": list(before), "after": [publish, publish_region]},
        )
    contest_id = entry.contest_id
    transaction.on_commit(lambda: public_cache_clear(contest_id=contest_id))
    entry.refresh_from_db()
    return entry


def entry_withdraw(*, entry: Entry) -> None:
    """The guardian withdraws the entry: everything about the child is
    deleted at once (see `entry_erase`)."""
    entry_erase(entry=entry, reason="withdrawn", actor_label="guardian")


def entry_data_export(*, entry: Entry, actor=None, actor_label: str = "guardian") -> bytes:
    """A ZIP of everything the portal holds about the entry: `entry.json`
    (every field but the link secret's hash, the consent text accepted, the moderation and award) and
    the original image. Recorded in the audit log."""
    # The link secret's hash is a key to the guardian's page, not data about the child.
    skipped = {"original", "near_duplicate_of", "link_secret_hash"}
    fields = [f for f in Entry._meta.concrete_fields if f.name not in skipped]
    data = {}
    for field in fields:
        value = field.value_from_object(entry)
        data[field.name] = value.isoformat() if hasattr(value, "isoformat") else (str(value) if value is not None and not isinstance(value, (int, bool, str)) else value)
    data["contest"] = entry.contest.title
    data["age_category"] = entry.age_category.name
    data["consent_text"] = consent_text_for_entry(entry=entry)
    data["renditions"] = [
        {"kind": r.kind, "format": r.format, "width": r.width, "height": r.height} for r in entry.renditions.all()
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("entry.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        if entry.original.name:
            with entry.original.open("rb") as fh:
                archive.writestr(f"original.{(entry.original_format or 'bin').lower()}", fh.read())
    audit_log_record(
        action=AuditLog.Action.EXPORTED, actor=actor, actor_label=actor_label, contest=entry.contest,
        entry_reference=entry.reference,
    )
    return buffer.getvalue()
