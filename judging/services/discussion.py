"""Flags for discussion: a judge asks the organizers to talk about one
drawing, with a note only the organizers read (`judging.discussion`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from contest.models import Entry

from .. import phrases, selectors
from ..discussion import NOTE_MAX_LENGTH, DiscussionFlag
from .audit import Action, audit_record
from .locking import contest_locked, refuse_if_published


def discussion_flag_set(*, judge, entry: Entry, note: str = "") -> DiscussionFlag:
    """Flag `entry` for discussion by `judge` with `note` (stripped; may be
    blank), or change the note of their flag. Returns the flag. Recorded in
    the audit trail (flagged, with the note) when new or when the note
    changed. Raises `ValidationError` for an entry outside the judge's queue
    [not_assigned] (`selectors.entry_in_judge_queue`), after publication
    [published], or for a note longer than `NOTE_MAX_LENGTH` characters
    [note_too_long]. Only `entry.pk` is used."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(phrases.FLAG_NOTE_TOO_LONG % {"max": NOTE_MAX_LENGTH}, code="note_too_long")
    with transaction.atomic():
        entry = Entry.objects.only("id", "contest_id").get(pk=entry.pk)
        contest = contest_locked(contest_id=entry.contest_id)
        refuse_if_published(contest=contest)
        if not selectors.entry_in_judge_queue(contest=contest, user=judge, entry_id=entry.pk):
            raise ValidationError(phrases.NOT_JUDGE_OF_ENTRY, code="not_assigned")
        flag, created = DiscussionFlag.objects.get_or_create(
            entry=entry, judge=judge, defaults={"contest": contest, "note": note}
        )
        if not created and flag.note == note:
            return flag
        if not created:
            flag.note = note
            flag.save(update_fields=["note"])
        audit_record(
            contest=contest, actor=judge, action=Action.DISCUSSION_FLAGGED, entry_id=entry.pk,
            detail={"changed": not created}, reason=note[:500],
        )
        return flag


def discussion_flag_remove(*, judge, entry: Entry) -> bool:
    """Remove `judge`'s flag for discussion of `entry`; True when there was
    one (recorded in the audit trail), False otherwise (a no-op). Raises
    `ValidationError` after publication [published]. Only `entry.pk` is
    used."""
    with transaction.atomic():
        entry = Entry.objects.only("id", "contest_id").get(pk=entry.pk)
        contest = contest_locked(contest_id=entry.contest_id)
        refuse_if_published(contest=contest)
        deleted, _by_model = DiscussionFlag.objects.filter(entry=entry, judge=judge).delete()
        if deleted:
            audit_record(contest=contest, actor=judge, action=Action.DISCUSSION_UNFLAGGED, entry_id=entry.pk)
        return bool(deleted)
