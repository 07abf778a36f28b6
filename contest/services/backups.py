"""Backups of the embedded default (the run command): the SQLite database,
copied through SQLite's own backup API (consistent while the web server
and the worker write), and a tar of the media folder. Production
(PostgreSQL and S3) is backed up with `pg_dump` and `aws s3 sync`, as the
README says; these functions refuse it.

A backup is a folder: `db.sqlite3`, `media.tar.gz` and `manifest.json`
(when, how many entries and files)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections


class BackupError(Exception):
    """Not possible here: names what to do instead."""


@dataclass(frozen=True)
class BackupInfo:
    folder: Path
    entries: int
    files: int


def _sqlite_path(alias: str = "default") -> Path:
    config = settings.DATABASES[alias]
    if not config["ENGINE"].endswith("sqlite3"):
        raise BackupError(
            "The database is not SQLite: back it up with pg_dump (see the README, Backups)."
        )
    return Path(connections[alias].settings_dict["NAME"])


def _media_root() -> Path:
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError("Media is not on local disk: copy the bucket with `aws s3 sync` (see the README, Backups).")
    return Path(default_storage.location)


def backup_create(*, into: Path, now: dt.datetime | None = None) -> BackupInfo:
    """Write a new backup folder `backup-YYYYmmdd-HHMMSS` under `into` and
    return it with its counts. Raises `BackupError` for PostgreSQL or S3."""
    database, media = _sqlite_path(), _media_root()
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%d-%H%M%S")
    folder = Path(into) / f"backup-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    source = sqlite3.connect(database)
    target = sqlite3.connect(folder / "db.sqlite3")
    try:
        with target:
            source.backup(target)
        entries = target.execute("SELECT COUNT(*) FROM contest_entry").fetchone()[0]
    finally:
        source.close()
        target.close()
    files = 0
    with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=path.relative_to(media).as_posix())
                    files += 1
    (folder / "manifest.json").write_text(json.dumps({
        "created_at": stamp, "entries": entries, "files": files, "database": "db.sqlite3", "media": "media.tar.gz",
    }, indent=2))
    return BackupInfo(folder=folder, entries=entries, files=files)


def backup_restore(*, folder: Path, database: Path, media_root: Path, force: bool = False) -> BackupInfo:
    """Restore the backup in `folder` into the SQLite file `database` and
    the media folder `media_root`. Refuses (`BackupError`) to overwrite a
    database or a non-empty media folder unless `force`; a member of the
    tar that would land outside `media_root` is refused too."""
    folder, database, media_root = Path(folder), Path(database), Path(media_root)
    manifest = json.loads((folder / "manifest.json").read_text())
    if not force and (database.exists() and database.stat().st_size or any(media_root.glob("*"))):
        raise BackupError(f"{database} or {media_root} is not empty: pass --force to overwrite them.")
    database.parent.mkdir(parents=True, exist_ok=True)
    for stale in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        stale.unlink(missing_ok=True)  # a fresh file: nothing of the old database survives
    source = sqlite3.connect(folder / manifest["database"])
    target = sqlite3.connect(database)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / manifest["media"], "r:gz") as tar:
        tar.extractall(media_root, filter="data")
    return BackupInfo(folder=folder, entries=manifest["entries"], files=manifest["files"])
