"""Entries' files in storage: deleting them after their rows went, the
storage check for files no row uses, and pruning renditions of retired
kinds."""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils import timezone

from ..models import AuditLog, Entry, Rendition, StagedUpload
from .audit import audit_log_record, purge_run_record

logger = logging.getLogger(__name__)


def files_of(entry: Entry) -> list[tuple]:
    files = [(r.file.storage, r.file.name) for r in entry.renditions.all() if r.file.name]
    if entry.original.name:
        files.append((entry.original.storage, entry.original.name))
    if entry.consent_scan.name:
        files.append((entry.consent_scan.storage, entry.consent_scan.name))
    return files


def files_delete(files: list[tuple]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            # A file left behind is found by the next storage check
            # (`storage_orphans_purge`, Celery beat "purge-orphan-files").
            logger.exception("could not delete %s", name)
    _empty_folders_remove(files)


def _empty_folders_remove(files: list[tuple]) -> None:
    # On local storage an emptied `renditions/<public id>/` folder would stay
    # behind (object stores have no folders); leave any folder still in use.
    for folder in {os.path.dirname(s.path(n)) for s, n in files if isinstance(s, FileSystemStorage)}:
        try:
            os.rmdir(folder)
        except OSError:
            pass  # not empty, or already gone


# Where entries' files live (see contest.renditions, Entry.original and Entry.consent_scan).
STORAGE_PREFIXES = ("originals", "renditions", "consent_scans")
# A file younger than this may belong to an upload or a rendering whose row
# is not committed yet: never touched.
ORPHAN_MIN_AGE = dt.timedelta(hours=1)


def _storage_walk(storage, prefix: str):
    """Every file name under `prefix`, through `storage.listdir` only (one
    call per folder: FileSystemStorage and S3Storage alike)."""
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:  # FileSystemStorage before the first upload
        return
    for name in files:
        yield f"{prefix}/{name}"
    for folder in folders:
        yield from _storage_walk(storage, f"{prefix}/{folder}")


def storage_orphans_purge(
    *, now: dt.datetime | None = None, min_age: dt.timedelta = ORPHAN_MIN_AGE, dry_run: bool = False
) -> int:
    """Delete every file under `STORAGE_PREFIXES` of the default storage
    that no row uses (no `Entry.original`, no `Rendition.file`) and that is
    older than `min_age`: what a failed delete after a withdrawal or purge
    left behind (see `_files_delete`), or what a rendering interrupted by a
    withdrawal wrote. The privacy requirement: after withdrawal and after
    each purge, no file of the child is left in storage.

    Cost: three queries (the names in use) and one storage call per folder,
    plus one age check per candidate only. The age is read only for files
    no row names, so a fresh upload whose row is not committed yet is never
    deleted. Records a `PurgeRun` (rule "orphan_files", `files` = how many)
    and, when files went, an audit row. Returns how many files were (or,
    with `dry_run`, would be) deleted.
    """
    now = now or timezone.now()
    in_use = {
        name for pair in Entry.objects.exclude(original="", consent_scan="").values_list("original", "consent_scan")
        for name in pair if name
    }
    in_use.update(Rendition.objects.exclude(file="").values_list("file", flat=True))
    # A direct upload to S3 checked but not yet sent with the form (contest/direct_uploads.py).
    in_use.update(StagedUpload.objects.values_list("name", flat=True))
    orphans = []
    for prefix in STORAGE_PREFIXES:
        for name in _storage_walk(default_storage, prefix):
            if name in in_use:
                continue
            try:
                modified = default_storage.get_modified_time(name)
            except FileNotFoundError:
                continue  # deleted meanwhile
            if modified > now - min_age:
                continue
            orphans.append(name)
    deleted = 0
    if not dry_run:
        for name in orphans:
            try:
                default_storage.delete(name)
            except Exception:
                logger.exception("could not delete the orphan file %s", name)
                continue
            logger.info("deleted the orphan file %s", name)
            deleted += 1
    count = len(orphans) if dry_run else deleted
    purge_run_record(rule="orphan_files", per_contest={}, files=count, dry_run=dry_run)
    if not dry_run and deleted:
        audit_log_record(action=AuditLog.Action.PURGED, actor_label="system", detail={"rule": "orphan_files", "files": deleted})
    return count


def renditions_prune_retired(*, dry_run: bool = False) -> int:
    """Delete every rendition of a kind the portal no longer makes (such as
    the 2400 px `display2x` of the first versions): the rows, then, once
    that is committed, their files. Nothing shows them; they only keep a
    copy of a child's drawing for no purpose. Returns how many rows (would)
    go."""
    retired = list(Rendition.objects.exclude(kind__in=Rendition.Kind.values).only("pk", "file"))
    if not dry_run and retired:
        files = [(r.file.storage, r.file.name) for r in retired if r.file.name]
        with transaction.atomic():
            Rendition.objects.filter(pk__in=[r.pk for r in retired]).delete()
            transaction.on_commit(lambda: files_delete(files))
    return len(retired)
