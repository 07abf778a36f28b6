"""What the worker asks of an entry's photo (`entry_geometry`) and what it
does with the answer (`findings_apply`): the sheet's corners used, and a
person's face or the child's written name found, which keeps the entry
from judges until a moderator looked (`Entry.PrivacyReview`)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from . import imaging
from .models import AuditLog, Entry
from .services.audit import audit_log_record
from .services.public_cache import public_cache_clear

logger = logging.getLogger(__name__)


def entry_geometry(*, entry: Entry) -> imaging.Geometry:
    """The `imaging.Geometry` for `entry`: its sheet mode (a moderator's
    corners in "manual"), its hidden regions (a malformed stored region is
    skipped and logged), and the face and name checks, only while no
    moderator has looked at the photo (`privacy_review` "none"; the names
    are the child's first and last name, none once purged, none when the
    `DRAWING_NAME_OCR` setting is off)."""
    corners = None
    mode = entry.sheet_mode
    if mode == Entry.SheetMode.MANUAL:
        try:
            corners = imaging.corners_valid(entry.sheet_corners_set)
        except (TypeError, ValueError):
            logger.warning("entry %s: stored corners unreadable; the sheet is found automatically", entry.pk)
            mode = Entry.SheetMode.AUTO
    masks = []
    for item in entry.image_masks or []:
        try:
            masks.append(imaging.Mask.from_dict(item))
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.warning("entry %s: a stored hidden region is unreadable; skipped", entry.pk)
    unchecked = entry.privacy_review == Entry.PrivacyReview.NONE
    names = tuple(name for name in (entry.child_first_name, entry.child_last_name) if name and name.strip())
    if not settings.DRAWING_NAME_OCR:
        names = ()
    return imaging.Geometry(
        mode=str(mode), corners=corners, masks=tuple(masks), find_faces=unchecked, names=names if unchecked else (),
    )


def findings_apply(*, entry: Entry, result: imaging.RenderResult, checked: bool) -> None:
    """Write onto `entry` (not saved; the caller saves it in its
    transaction) the corners the drawing was straightened along (lists,
    or None) and, when the face and name checks ran (`checked`), what they
    found: boxes only, never the text read. A face or a name flags the
    entry for a moderator; an approved entry goes back to pending, in the
    audit log ("privacy_flag", by the system), and the contest's cached
    public pages are dropped after the commit (a published winner leaves
    the gallery)."""
    entry.sheet_corners = [list(point) for point in result.sheet_corners] if result.sheet_corners else None
    if not checked or entry.privacy_review != Entry.PrivacyReview.NONE:
        return
    findings = {
        "faces": [box.to_dict() for box in result.faces],
        "names": [box.to_dict() for box in result.name_boxes],
    }
    if not (findings["faces"] or findings["names"]):
        entry.privacy_findings = {}
        return
    entry.privacy_findings = findings
    entry.privacy_review = Entry.PrivacyReview.FLAGGED
    was_approved = entry.moderation_status == Entry.Moderation.APPROVED
    if was_approved:
        entry.moderation_status = Entry.Moderation.PENDING
    audit_log_record(
        action=AuditLog.Action.PRIVACY_FLAGGED, actor_label="system", contest=entry.contest,
        entry_reference=entry.reference,
        detail={"faces": len(findings["faces"]), "names": len(findings["names"]), "unapproved": was_approved},
    )
    contest_id = entry.contest_id
    transaction.on_commit(lambda: public_cache_clear(contest_id=contest_id))
