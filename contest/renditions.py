"""Rendition service: turn an entry's uploaded original into its stored,
metadata-free original and renditions (run by the worker task).

Every file goes under a deterministic key, so running the service twice (a
redelivered task, the sweeper) overwrites instead of adding files:

* renditions: `renditions/<public_id>/<kind>.<ext>` (`imaging.WORKER_SPECS`:
  the public set, the judges' `zoom` when the drawing is larger than the
  display rendition, and the moderators' `photo`, the photo as sent)
* the clean original: `originals/<contest_id>/<public_id>.jpg`

Files are written before the database update; a crash in between leaves
only files the next run overwrites.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from botocore.exceptions import BotoCoreError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import imaging, phrases
from .drawing_checks import entry_geometry, findings_apply
from .models import Entry, Rendition
from .services.mail import entry_unreadable_send
from .services.national import promoted_original_copy
from .services.policy import upload_policy
from .services.processing import retry_delay

logger = logging.getLogger(__name__)

# Hamming distance (of 64 bits) under which two drawings count as the same
# picture photographed twice; a flag for organizers, never a refusal.
NEAR_DUPLICATE_DISTANCE = 6

def rendition_key(*, entry: Entry, kind: str, fmt: str) -> str:
    return f"renditions/{entry.public_id}/{kind}.{imaging.FORMAT_EXT[fmt]}"


def original_key(*, entry: Entry, ext: str) -> str:
    return f"originals/{entry.contest_id}/{entry.public_id}.{ext}"


# Storage, network and database trouble: worth another try later. boto3's
# connection errors (S3 unreachable, timeouts) are not OSError subclasses,
# so they are named here; so are a database restarting or unreachable.
TRANSIENT_ERRORS = (OSError, ConnectionError, BotoCoreError, OperationalError, InterfaceError)

# A drawing whose rendering started this many times without finishing (the
# pool child killed: out of memory, a crash in the image library) is failed
# instead of tried again: redelivery would otherwise loop on it for ever.
MAX_UNFINISHED_ATTEMPTS = 3


def lease_seconds() -> int:
    """How long a run holds its entry (seconds): the task's hard time limit
    and a minute to spare. The sweeper does not queue a leased entry again."""
    return int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 120) or 120) + 60


def entry_render_claim(*, entry_id: int, task_id: str = "") -> str:
    """Take entry `entry_id` for one rendering run: count the attempt and
    take its lease, in one conditional UPDATE. Returns "claimed", "ready"
    (nothing to do), "leased" (another task's lease is still running: this
    delivery is a duplicate), "gone" or "poison" (`MAX_UNFINISHED_ATTEMPTS`
    runs started and none finished: the entry is marked failed here)."""
    now = timezone.now()
    entry = Entry.objects.filter(pk=entry_id).values("processing_status", "render_attempts").first()
    if entry is None:
        return "gone"
    if entry["processing_status"] == Entry.Processing.READY:
        return "ready"
    if entry["render_attempts"] >= MAX_UNFINISHED_ATTEMPTS:
        entry_renditions_fail(entry_id=entry_id, reason=str(phrases.RENDER_CRASHED % {"n": entry["render_attempts"]}))
        return "poison"
    free = Q(render_lease_until__isnull=True) | Q(render_lease_until__lt=now)
    if task_id:
        # The same task redelivered (its pool child died): its own lease.
        free |= Q(render_lease_owner=task_id)
    claimed = (
        Entry.objects.filter(pk=entry_id)
        .exclude(processing_status=Entry.Processing.READY)
        .filter(free)
        .update(
            processing_status=Entry.Processing.PROCESSING, updated_at=now, render_attempts=F("render_attempts") + 1,
            render_lease_until=now + dt.timedelta(seconds=lease_seconds()), render_lease_owner=task_id[:64],
            render_retry_at=None,
        )
    )
    if claimed:
        return "claimed"
    return "ready" if Entry.objects.filter(pk=entry_id, processing_status=Entry.Processing.READY).exists() else "leased"


def entry_render_release(*, entry_id: int) -> None:
    """The run ended without a crash (its error is being handled): the
    attempt is not counted as unfinished, and its lease is given back."""
    Entry.objects.filter(pk=entry_id).update(render_attempts=0, render_lease_until=None, render_lease_owner="")


def entry_renditions_generate(*, entry_id: int, task_id: str = "") -> None:
    """Make and store the clean original and every rendition of an entry,
    then mark it ready; or mark it failed with a short reason when the image
    cannot be decoded. Idempotent: a second run leaves exactly one file and
    one `Rendition` row per (kind, format).

    Returns quietly when the entry no longer exists (at the start, or by the
    end: then the files this run wrote are deleted again), without any work
    when it is already `ready` or another task holds its lease (a duplicate
    delivery must neither put a finished entry back into processing nor run
    beside the first), and fails the entry without rendering when
    `MAX_UNFINISHED_ATTEMPTS` earlier runs never finished (`entry_render_claim`).
    Storage errors (`OSError` and friends) propagate, so the task can retry
    them; the attempt is then not counted as a crash.
    """
    outcome = entry_render_claim(entry_id=entry_id, task_id=task_id)
    if outcome != "claimed":
        logger.info("entry %s: %s; no renditions made", entry_id, outcome)
        return
    try:
        _render_claimed(entry_id=entry_id)
    except TRANSIENT_ERRORS:
        # Retried by the task, then recorded: not a crash. Anything else (a
        # time limit, a bug) keeps the attempt counted and the lease held;
        # the sweeper tries again once the lease runs out, three times at most.
        entry_render_release(entry_id=entry_id)
        raise


def entry_renditions_fail_transient(*, entry_id: int) -> None:
    """A transient failure (storage or database unreachable after the task's
    own retries): mark the entry failed with the reason organizers read and
    plan the sweeper's next automatic retry (`services.processing.retry_delay`,
    growing, bounded); past the bound no retry is planned and it stays
    failed until an organizer retries it."""
    retries = Entry.objects.filter(pk=entry_id).values_list("render_retries", flat=True).first()
    if retries is None:
        return
    delay = retry_delay(retries=retries)
    if delay is None:
        entry_renditions_fail(entry_id=entry_id, reason=str(phrases.IMAGE_NOT_STORED))
        return
    entry_renditions_fail(
        entry_id=entry_id, reason=str(phrases.IMAGE_NOT_STORED_RETRYING),
        retry_at=timezone.now() + dt.timedelta(seconds=delay),
    )
    Entry.objects.filter(pk=entry_id).update(render_retries=F("render_retries") + 1)


def _render_claimed(*, entry_id: int) -> None:
    entry = Entry.objects.select_related("contest").filter(pk=entry_id).first()
    if entry is None:
        return
    # A promoted entry gets its own copy of the national round's original first.
    promoted_original_copy(entry=entry)
    policy = upload_policy(contest=entry.contest)
    # The sheet straightened (found, or a moderator's corners), the hidden
    # regions drawn, faces and names looked for (`contest.drawing_checks`).
    geometry = entry_geometry(entry=entry)
    try:
        with entry.original.open("rb") as fh:
            result = imaging.render(fh, imaging.WORKER_SPECS, policy=policy, geometry=geometry)
    except imaging.ImageRejected as exc:
        with transaction.atomic():
            entry_renditions_fail(entry_id=entry_id, reason=_failure_message(exc, policy=policy))
            # The family is told, once per photo (a redelivered task or an
            # organizer's retry of the same photo writes nothing more).
            entry_unreadable_send(entry=entry)
        return
    except FileNotFoundError:
        entry_renditions_fail(entry_id=entry_id, reason=str(phrases.UPLOAD_MISSING))
        return

    written = {}
    stored = []  # every key this run wrote, to remove if the entry is gone
    for item in result.renditions:
        key = rendition_key(entry=entry, kind=item.kind, fmt=item.format)
        _store(key, item.data)
        stored.append(key)
        written[(item.kind, item.format)] = (key, item)

    raw_name = entry.original.name
    clean_name = original_key(entry=entry, ext=result.original_ext)
    if raw_name != clean_name:
        _store(clean_name, result.original)
        stored.append(clean_name)
    # else: it is already the product of an earlier run; rewriting the only
    # copy in place would leave it truncated if the worker died meanwhile.

    stale_files = []
    with transaction.atomic():
        entry = Entry.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            # Withdrawn or purged while rendering: the erase deleted the files
            # it knew of, not those written since. The keys are this entry's
            # alone, so all of them go.
            logger.info("entry %s was deleted while rendering; removing the %s files written", entry_id, len(stored))
            _delete_quietly(stored)
            return
        if entry.original.name != raw_name:
            # The guardian sent a new photo while this run rendered the old
            # one (possible only once its lease ran out): the new photo's run
            # writes the same keys and its own rows; this one writes none.
            logger.info("entry %s got a new photo while rendering; this run's result is dropped", entry_id)
            return
        for (kind, fmt), (key, item) in written.items():
            Rendition.objects.update_or_create(
                entry=entry,
                kind=kind,
                format=fmt,
                defaults={"file": key, "width": item.width, "height": item.height, "bytes": len(item.data)},
            )
        written_keys = {key for key, _item in written.values()}
        for stale in Rendition.objects.filter(entry=entry):
            if (stale.kind, stale.format) not in written:
                if stale.file.name and stale.file.name not in written_keys:
                    stale_files.append(stale.file.name)
                stale.delete()

        entry.original.name = clean_name
        entry.original_width = result.width
        entry.original_height = result.height
        entry.placeholder = result.placeholder
        entry.dominant_color = result.dominant_color
        entry.phash = result.phash
        entry.near_duplicate_of = near_duplicate_find(entry=entry)
        findings_apply(entry=entry, result=result, checked=geometry.find_faces)
        entry.processed_at = timezone.now()
        entry.processing_status = Entry.Processing.READY
        entry.processing_error = ""
        entry.render_attempts = 0
        entry.render_lease_until = None
        entry.render_lease_owner = ""
        entry.render_retry_at = None
        entry.save()
        if raw_name and raw_name != clean_name:
            stale_files.append(raw_name)
        # Only once the rows point at the new files may the old ones go.
        transaction.on_commit(lambda: _delete_quietly(stale_files))


def entry_renditions_fail(*, entry_id: int, reason: str, retry_at: dt.datetime | None = None) -> None:
    """Mark an entry's processing failed with a short, human `reason`; with
    `retry_at` (a transient failure) the sweeper queues it again then."""
    now = timezone.now()
    Entry.objects.filter(pk=entry_id).update(
        processing_status=Entry.Processing.FAILED,
        processing_error=reason[:300],
        processed_at=now,
        updated_at=now,
        render_attempts=0,
        render_lease_until=None,
        render_lease_owner="",
        render_retry_at=retry_at,
    )


def near_duplicate_find(*, entry: Entry) -> Entry | None:
    """The closest other entry of the same contest whose pHash is within
    `NEAR_DUPLICATE_DISTANCE` bits of this one's, or None."""
    if not entry.phash:
        return None
    mine = int(entry.phash, 16)
    best = None
    for other_id, other_hash in (
        Entry.objects.filter(contest_id=entry.contest_id).exclude(pk=entry.pk).exclude(phash="").values_list("pk", "phash")
    ):
        try:
            distance = (mine ^ int(other_hash, 16)).bit_count()
        except ValueError:
            continue
        if distance <= NEAR_DUPLICATE_DISTANCE and (best is None or distance < best[0]):
            best = (distance, other_id)
    return Entry.objects.get(pk=best[1]) if best else None


def _failure_message(exc: imaging.ImageRejected, *, policy: imaging.Policy) -> str:
    # The parent's words for the refusal (one wording, `contest.phrases`),
    # with the technical detail for organizers.
    message = phrases.upload_refusal(exc.reason, policy=policy)
    return f"{message} ({exc.detail})" if exc.detail else message


def _store(key: str, data: bytes) -> None:
    """Write `data` at exactly `key`, replacing what is there.

    Through the "renditions" storage: the same place as the default one,
    set to overwrite (`allow_overwrite` of FileSystemStorage,
    `file_overwrite` of S3Storage; see `STORAGES` in the settings). No
    delete first, so there is never a moment without the file. Were it
    configured otherwise it would add a suffix instead: that copy is
    removed and `OSError` raised (the task retries, then records the
    failure)."""
    storage = storages["renditions"]
    saved = storage.save(key, ContentFile(data))
    if saved != key:
        storage.delete(saved)
        raise OSError(f"could not store {key}: the renditions storage does not overwrite (see STORAGES)")


def _delete_quietly(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            # Left for the storage check (contest.services.storage_orphans_purge).
            logger.warning("could not delete %s", name, exc_info=True)
