"""What a guardian changes in their entry before the contest closes: the
drawing's title and description, the child's details, and the drawing
itself (a new photo). Every change is in the contest's audit log (which
fields, never their words: the log outlives the entry).

Decisions:
- Only before the contest's closing time, and never for an entry the
  organizers rejected (`entry_edit_check`); a withdrawn entry no longer
  exists.
- A new drawing goes back to moderation when the old one was approved (the
  organizers approved a picture, not a reference code), is rendered again
  by the worker, and the old original and renditions leave storage when
  the change is committed; it is refused while the worker is rendering the
  previous photo, and once judges scored the entry.
- A new title or description of an approved entry keeps the approval but
  flags the entry for the organizers' closer look (the title is shown in
  public if it wins).
- When a moderator asked for a photo of the drawing alone (a face or the
  child's name in the photo, `sheet_review.entry_photo_request`), a new
  photo may be sent even after the closing time, until judges scored the
  entry (`entry_replace_check`): the request is answered, not the contest
  reopened. A new photo is checked afresh: straightening back to automatic,
  no hidden regions, no findings, no open request.
- The guardian chooses between the straightened drawing and the photo as
  it was sent (`entry_sheet_choose`) while the entry can be changed, never
  once judges scored it, nor after a moderator hid parts of the picture
  (the hidden regions fit one geometry). A moderator's own corners give way
  to the guardian's choice; the audit log tells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import imaging, phrases
from ..models import AuditLog, Entry, Rendition
from ..selectors import entry_photo_asked
from ..text_privacy import text_flags
from .audit import audit_log_record
from .filestore import file_delete_quietly, file_store
from .jobs import renditions_enqueue
from .policy import window_words
from .sheet_review import entry_sheet_set
from .storage import files_delete, files_of
from .submission import age_category_for, duplicate_image_error, name_normalize

# The fields `entry_details_edit` changes, in the order the audit names them.
DETAIL_FIELDS = (
    "title", "description", "child_first_name", "child_last_name", "child_birth_date", "country", "region", "school",
)
# Of those, the ones shown in public if the drawing wins (a change is flagged for moderators).
PUBLIC_TEXT_FIELDS = ("title", "description")


@dataclass(frozen=True)
class EntryDetails:
    """The details a guardian may change, as the edit form cleans them."""

    title: str
    description: str
    child_first_name: str
    child_last_name: str
    child_birth_date: dt.date
    country: str
    region: str
    school: str


def entry_edit_check(*, entry: Entry, at: dt.datetime | None = None) -> None:
    """Raise `ValidationError` unless the guardian may change `entry` at
    `at` (default now): code "rejected" when the organizers rejected it,
    "closed" from the contest's closing time on (the message gives that
    time in the contest's zone)."""
    if entry.moderation_status == Entry.Moderation.REJECTED:
        raise ValidationError(str(phrases.EDIT_REJECTED), code="rejected")
    contest = entry.contest
    if (at or timezone.now()) >= contest.closes_at:
        raise ValidationError(phrases.EDIT_CLOSED % window_words(contest=contest), code="closed")


def entry_replace_check(*, entry: Entry, at: dt.datetime | None = None) -> None:
    """Raise `ValidationError` unless the guardian may send a new photo of
    `entry` at `at` (default now): as `entry_edit_check`, except that an
    open request for a photo of the drawing alone (`entry_photo_asked`)
    lets it be sent after the closing time too. Scores are checked by
    `entry_drawing_replace`."""
    if entry_photo_asked(entry=entry):
        return
    entry_edit_check(entry=entry, at=at)


def entry_sheet_choose(*, entry: Entry, as_sent: bool) -> str:
    """The guardian's choice for `entry`'s photo: `as_sent` True shows the
    photo as it was sent ("photo"), False has the sheet found and
    straightened again ("auto"); rendered again by the worker, audited
    (action "sheet", actor "guardian"). Returns the new mode.

    Raises `ValidationError` when the entry may not be changed
    (`entry_edit_check`: codes "closed", "rejected"), judges scored it
    ("scored"), a moderator hid parts of the picture ("masked") or the
    worker is rendering it right now ("busy")."""
    entry_edit_check(entry=entry)
    if entry.scores.exists():
        raise ValidationError(str(phrases.SHEET_SCORED), code="scored")
    if entry.image_masks:
        raise ValidationError(str(phrases.SHEET_MASKED), code="masked")
    return entry_sheet_set(entry=entry, as_sent=as_sent, actor_label="guardian")


def _child_cap_check(*, entry: Entry, details: EntryDetails) -> None:
    """The per-child cap of `entry_caps_check`, for an entry whose child's
    name or birth date changes: the other entries of the same guardian
    address for the same (normalized) child must stay under the cap."""
    key = (name_normalize(details.child_first_name), name_normalize(details.child_last_name), details.child_birth_date)
    others = (
        Entry.objects.filter(contest_id=entry.contest_id, guardian_email__iexact=entry.guardian_email.strip())
        .exclude(pk=entry.pk)
        .values_list("child_first_name", "child_last_name", "child_birth_date")
    )
    same = sum(1 for first, last, born in others if (name_normalize(first), name_normalize(last), born) == key)
    if same >= entry.contest.max_entries_per_child:
        raise ValidationError(phrases.CAP_CHILD % {"n": same}, code="cap_child")


def entry_details_edit(*, entry: Entry, details: EntryDetails) -> list[str]:
    """Save the guardian's new `details` of `entry`; returns the names of
    the fields that changed (in `DETAIL_FIELDS` order; [] when none did:
    nothing is written).

    Strings are stripped. A new birth date gives a new age and maybe a new
    age category. The text flags (`contest.text_privacy`) are found again;
    a changed title or description of an approved entry flags it for the
    organizers. One audit row (action "edited", the changed fields' names).
    Raises `ValidationError` (nothing saved) when the entry may not be
    changed (`entry_edit_check`), the title is empty (code "title"), the
    country does not take part ("country"), the age fits no category
    ("age") or the child would pass the per-child cap ("cap_child")."""
    entry_edit_check(entry=entry)
    values = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in ((name, getattr(details, name)) for name in DETAIL_FIELDS)
    }
    if not values["title"]:
        raise ValidationError(str(phrases.TITLE_REQUIRED), code="title")
    if values["country"] not in entry.contest.countries:
        raise ValidationError(str(phrases.COUNTRY_NOT_TAKING_PART), code="country")
    changed = [name for name in DETAIL_FIELDS if getattr(entry, name) != values[name]]
    if not changed:
        return []
    updates = dict(values)
    if "child_birth_date" in changed:
        category, age = age_category_for(contest=entry.contest, birth_date=values["child_birth_date"])
        updates.update(age_category=category, child_age=age)
    if {"child_first_name", "child_last_name", "child_birth_date"} & set(changed):
        _child_cap_check(entry=entry, details=details)
    updates["text_flags"] = text_flags(
        title=values["title"], description=values["description"], first_name=values["child_first_name"],
        last_name=values["child_last_name"], school=values["school"],
    )
    flag = entry.moderation_status == Entry.Moderation.APPROVED and bool(set(PUBLIC_TEXT_FIELDS) & set(changed))
    with transaction.atomic():
        # Checked again under the row's lock: an organizer's rejection may
        # have come in since the page was opened.
        locked = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
        entry_edit_check(entry=locked)
        if flag:
            updates["flagged"] = True
        Entry.objects.filter(pk=entry.pk).update(**updates, updated_at=timezone.now())
        audit_log_record(
            action=AuditLog.Action.EDITED, actor_label="guardian", contest=entry.contest,
            entry_reference=entry.reference, detail={"fields": changed, "flagged": flag},
        )
    entry.refresh_from_db()
    return changed


def _render_running(entry: Entry, now: dt.datetime) -> bool:
    return entry.processing_status == Entry.Processing.PROCESSING and (
        entry.render_lease_until is not None and entry.render_lease_until > now
    )


# What a new photo starts from: checked afresh by the worker.
FRESH_PHOTO = {
    "sheet_mode": Entry.SheetMode.AUTO, "sheet_corners_set": None, "sheet_corners": None, "image_masks": [],
    "privacy_review": Entry.PrivacyReview.NONE, "privacy_findings": {}, "photo_requested_at": None,
}


def entry_drawing_replace(*, entry: Entry, image, image_info: imaging.ImageInfo) -> Entry:
    """Replace the drawing of `entry` with `image` (an upload already
    accepted by `imaging.inspect`, giving `image_info`), as a submission
    stores it: the new original under a fresh random name, the entry back
    to "received" without renditions, its renditions queued after commit.
    An approved entry goes back to moderation ("pending"). The new photo is
    checked afresh: straightening automatic, no corners, no hidden regions,
    no face or name findings, no open request for a new photo. The old original
    and renditions (rows at once, files after the commit) are deleted; when
    anything fails, the new file is deleted again and the entry is as it
    was. One audit row (action "replaced"). Returns the entry, refreshed.

    Raises `ValidationError` (nothing saved, nothing stored) when the
    entry may not be changed (`entry_replace_check`), the same image is
    already in the contest (code "duplicate"), the worker is rendering the
    previous photo right now ("busy") or judges scored the entry
    ("scored"); `StorageUnavailable` when the file store refuses."""
    entry_replace_check(entry=entry)
    now = timezone.now()
    if _render_running(entry, now):
        raise ValidationError(str(phrases.REPLACE_BUSY), code="busy")
    if entry.scores.exists():
        raise ValidationError(str(phrases.REPLACE_SCORED), code="scored")
    duplicate = duplicate_image_error(contest=entry.contest, sha256=image_info.sha256, guardian_email=entry.guardian_email)
    if duplicate:
        raise duplicate
    # Stored before the transaction (a write to S3 can take seconds), on a
    # copy: `entry` keeps naming the old file until the commit.
    holder = Entry(pk=entry.pk, contest_id=entry.contest_id)
    stored_name = file_store(field_file=holder.original, content=image)
    try:
        with transaction.atomic():
            locked = Entry.objects.select_for_update().select_related("contest").prefetch_related("renditions").get(
                pk=entry.pk
            )
            entry_replace_check(entry=locked)
            if _render_running(locked, timezone.now()):
                raise ValidationError(str(phrases.REPLACE_BUSY), code="busy")
            old_files = files_of(locked)
            back_to_moderation = locked.moderation_status == Entry.Moderation.APPROVED
            Entry.objects.filter(pk=entry.pk).update(
                original=stored_name, original_format=image_info.format, original_width=image_info.width,
                original_height=image_info.height, original_sha256=image_info.sha256,
                low_resolution=image_info.low_resolution, processing_status=Entry.Processing.RECEIVED,
                processing_error="", processed_at=None, render_attempts=0, render_lease_until=None,
                render_lease_owner="", render_retries=0, render_retry_at=None, placeholder="", dominant_color="",
                phash="", near_duplicate_of=None, updated_at=timezone.now(), **FRESH_PHOTO,
                **({"moderation_status": Entry.Moderation.PENDING, "moderated_at": None} if back_to_moderation else {}),
            )
            # Another entry that pointed at the old picture as its near duplicate no longer does.
            Entry.objects.filter(near_duplicate_of_id=entry.pk).update(near_duplicate_of=None)
            Rendition.objects.filter(entry_id=entry.pk).delete()
            audit_log_record(
                action=AuditLog.Action.REPLACED, actor_label="guardian", contest=locked.contest,
                entry_reference=locked.reference, detail={"back_to_moderation": back_to_moderation},
            )
            # In this order: the old files go before the worker writes the
            # new ones under the same fixed keys.
            transaction.on_commit(lambda: files_delete(old_files))
            entry_id = entry.pk
            transaction.on_commit(lambda: renditions_enqueue(entry_id=entry_id))
    except IntegrityError as exc:
        file_delete_quietly(storage=holder.original.storage, name=stored_name)
        # The same image sent at the same moment by another post.
        raise duplicate_image_error(
            contest=entry.contest, sha256=image_info.sha256, guardian_email=entry.guardian_email
        ) or ValidationError(str(phrases.DUPLICATE_IMAGE), code="duplicate") from exc
    except BaseException:
        file_delete_quietly(storage=holder.original.storage, name=stored_name)
        raise
    entry.refresh_from_db()
    return entry

