"""Moderators' work on what a photo shows besides the drawing: the sheet's
corners, regions to hide, the face or name check, asking the guardian for
a photo of the drawing alone. Every change is in the audit log; a change of
the picture is rendered again by the worker (`entry_rerender`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import imaging, phrases
from ..models import AuditLog, Entry
from .audit import audit_log_record
from .jobs import renditions_enqueue
from .mail import entry_photo_request_send

# More regions than this on one drawing is not hiding a name any more.
MAX_MASKS = 20


def _render_running(entry: Entry, now: dt.datetime) -> bool:
    return entry.processing_status == Entry.Processing.PROCESSING and (
        entry.render_lease_until is not None and entry.render_lease_until > now
    )


def entry_rerender(*, entry: Entry) -> None:
    """Have the worker make `entry`'s renditions again (queued after the
    commit): the entry goes back to "received"; its current renditions stay
    served until the new ones overwrite them. Raises ValidationError (code
    "busy") while the worker is rendering it right now: the change would be
    lost under that run's result."""
    now = timezone.now()
    if _render_running(entry, now):
        raise ValidationError(str(phrases.RERENDER_BUSY), code="busy")
    Entry.objects.filter(pk=entry.pk).update(
        processing_status=Entry.Processing.RECEIVED, processing_error="", render_attempts=0,
        render_lease_until=None, render_lease_owner="", render_retries=0, render_retry_at=None, updated_at=now,
    )
    entry.processing_status = Entry.Processing.RECEIVED
    entry_id = entry.pk
    transaction.on_commit(lambda: renditions_enqueue(entry_id=entry_id))


def entry_sheet_set(*, entry: Entry, corners=None, as_sent: bool = False, actor=None, actor_label: str = "") -> str:
    """Change how `entry`'s photo becomes the drawing, and render it again.

    `corners` (four [x, y] pairs, normalized to the upright photo, top-left
    first, clockwise; see `imaging.corners_valid`): a moderator's own
    straightening ("manual"). `as_sent`: keep the photo as it was sent
    ("photo"). Neither: back to the automatic sheet finding ("auto").
    A moderator's straightening counts as having looked at the photo: a
    face or name flag is cleared. Returns the new mode. Audited (action
    "sheet"). Raises ValidationError (code "corners") for corners that are
    not a convex quadrilateral inside the photo, ("busy") while rendering."""
    if corners is not None:
        try:
            points = imaging.corners_valid(corners)
        except ValueError as exc:
            raise ValidationError(str(phrases.SHEET_CORNERS_INVALID), code="corners") from exc
        mode, stored = Entry.SheetMode.MANUAL, [list(point) for point in points]
    else:
        mode, stored = (Entry.SheetMode.PHOTO if as_sent else Entry.SheetMode.AUTO), None
    with transaction.atomic():
        locked = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
        entry_rerender(entry=locked)
        fields = {"sheet_mode": mode, "sheet_corners_set": stored}
        if corners is not None and locked.privacy_review == Entry.PrivacyReview.FLAGGED:
            fields["privacy_review"] = Entry.PrivacyReview.CLEARED
        Entry.objects.filter(pk=entry.pk).update(**fields)
        audit_log_record(
            action=AuditLog.Action.SHEET_CHANGED, actor=actor, actor_label=actor_label, contest=locked.contest,
            entry_reference=locked.reference, detail={"mode": str(mode)},
        )
    entry.refresh_from_db()
    return str(mode)


def entry_masks_set(*, entry: Entry, masks: list[dict], actor=None) -> int:
    """Replace the regions hidden on `entry`'s renditions with `masks`
    ([{"x", "y", "w", "h", "style"}], normalized to the drawing as shown,
    style "blur" or "fill"; [] shows everything again) and render it again;
    the stored original is never changed. Masking counts as dealing with a
    face or name flag: it is cleared. Returns how many masks. Audited
    (action "masked": how many, never where). Raises ValidationError (code
    "masks") for a malformed list or more than `MAX_MASKS`, ("busy") while
    rendering."""
    try:
        parsed = [imaging.Mask.from_dict(item) for item in masks]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(str(phrases.MASKS_INVALID), code="masks") from exc
    if len(parsed) > MAX_MASKS:
        raise ValidationError(str(phrases.MASKS_INVALID), code="masks")
    with transaction.atomic():
        locked = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
        entry_rerender(entry=locked)
        fields = {"image_masks": [mask.to_dict() for mask in parsed]}
        if locked.privacy_review == Entry.PrivacyReview.FLAGGED:
            fields["privacy_review"] = Entry.PrivacyReview.CLEARED
        Entry.objects.filter(pk=entry.pk).update(**fields)
        audit_log_record(
            action=AuditLog.Action.MASKED, actor=actor, contest=locked.contest, entry_reference=locked.reference,
            detail={"masks": len(parsed)},
        )
    entry.refresh_from_db()
    return len(parsed)


def entry_privacy_clear(*, entry: Entry, actor=None) -> bool:
    """A moderator looked at a photo flagged for a face or a written name
    and found nothing to hide: the entry may be approved and judged.
    Returns False when it was not flagged (nothing written). Audited."""
    with transaction.atomic():
        changed = Entry.objects.filter(pk=entry.pk, privacy_review=Entry.PrivacyReview.FLAGGED).update(
            privacy_review=Entry.PrivacyReview.CLEARED, updated_at=timezone.now()
        )
        if changed:
            audit_log_record(
                action=AuditLog.Action.PRIVACY_CLEARED, actor=actor, contest=entry.contest,
                entry_reference=entry.reference,
            )
    entry.refresh_from_db()
    return bool(changed)


def entry_photo_request(*, entry: Entry, actor=None) -> None:
    """Ask the guardian (an e-mail in their language, sent by the worker)
    for a photo of the drawing alone; the entry keeps waiting in
    moderation. Audited. Raises ValidationError (code "no_email") when the
    entry has no guardian e-mail (a purged entry)."""
    if not entry.guardian_email or entry.personal_data_purged_at is not None:
        raise ValidationError(str(phrases.PHOTO_REQUEST_NO_EMAIL), code="no_email")
    with transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(photo_requested_at=timezone.now())
        entry_photo_request_send(entry=entry)
        audit_log_record(
            action=AuditLog.Action.PHOTO_REQUESTED, actor=actor, contest=entry.contest,
            entry_reference=entry.reference,
        )
    entry.refresh_from_db()
