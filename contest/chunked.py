"""Resumable uploads for slow, flaky connections.

The parent's browser sends the photo in small chunks (`PATCH` with an
`Upload-Offset` header, as in the tus protocol); after a dropped connection
it asks for the offset the server holds and goes on from there. The chunks
are appended to one file in `CHUNKED_UPLOAD_DIR`; once it is whole, the
submit form names the upload instead of attaching the file, and the view
hands the assembled file to the same form and service as a plain upload (so
the same checks, messages and byte cap apply).

An upload belongs to the session that started it and to one contest. The
cap on its declared size is the contest's byte limit (`UPLOAD_MAX_BYTES`,
or the contest's own lower one), and no chunk may write past the declared
size. A refused photo's chunks are discarded at once, not left to the
sweeper.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

SESSION_KEY = "chunked_uploads"
CHUNK_BYTES = 256 * 1024  # small enough to finish between two drops on a slow link
STALE_SECONDS = 24 * 3600
# Uploads one session may hold at once: a family's few tries; a teacher's
# batch sends a class's photos before the rows that name them
# (contest.teacher_batch).
SESSION_MAX_UPLOADS = 10
TEACHER_SESSION_MAX_UPLOADS = 100
_ID = re.compile(r"^[0-9a-f]{32}$")


class UploadError(Exception):
    """A refused chunk or upload; `code` is 'too_large', 'offset', 'unknown'
    or 'bad_request'."""

    def __init__(self, code: str, offset: int | None = None):
        super().__init__(code)
        self.code = code
        self.offset = offset


@dataclass(frozen=True)
class Upload:
    id: str
    size: int
    name: str
    content_type: str
    contest_id: int

    @property
    def path(self) -> Path:
        return _dir() / f"{self.id}.part"

    def offset(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def complete(self) -> bool:
        return self.offset() == self.size


def _dir() -> Path:
    path = Path(settings.CHUNKED_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep() -> None:
    # Uploads abandoned a day ago: nobody will finish them.
    cutoff = time.time() - STALE_SECONDS
    for path in _dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass


def upload_start(
    *, session, contest_id: int, size: int, name: str, content_type: str, max_bytes: int,
    max_uploads: int = SESSION_MAX_UPLOADS,
) -> Upload:
    """Open a new upload of `size` bytes for this session and contest; the
    session keeps its last `max_uploads` (older ones stop answering).

    `max_bytes` is the contest's byte cap (`services.upload_policy`); a
    larger `size` raises `UploadError('too_large')`, a size under 1 byte
    'bad_request'."""
    if size <= 0:
        raise UploadError("bad_request")
    if size > min(max_bytes, settings.UPLOAD_MAX_BYTES):
        raise UploadError("too_large")
    _sweep()
    upload = Upload(id=uuid.uuid4().hex, size=size, name=os.path.basename(name)[:100] or "upload",
                    content_type=content_type[:100], contest_id=contest_id)
    (_dir() / f"{upload.id}.json").write_text(json.dumps(upload.__dict__))
    upload.path.touch()
    session[SESSION_KEY] = (session.get(SESSION_KEY) or [])[-(max_uploads - 1):] + [upload.id]
    return upload


def upload_get(*, session, upload_id: str, contest_id: int) -> Upload:
    """The session's upload `upload_id` for this contest; `UploadError('unknown')` otherwise."""
    if not _ID.match(upload_id or "") or upload_id not in (session.get(SESSION_KEY) or []):
        raise UploadError("unknown")
    try:
        upload = Upload(**json.loads((_dir() / f"{upload_id}.json").read_text()))
    except (FileNotFoundError, ValueError, TypeError):
        raise UploadError("unknown") from None
    if upload.contest_id != contest_id:
        raise UploadError("unknown")
    return upload


def chunk_append(*, upload: Upload, offset: int, data: bytes) -> int:
    """Append `data` at `offset` and return the new offset.

    Raises `UploadError('offset', current)` when `offset` is not where the
    file ends (a chunk sent twice after a retry), and 'too_large' when it
    would pass the declared size."""
    with open(upload.path, "ab") as fh:
        # A retried chunk may race the original request: one writer at a time.
        fcntl.flock(fh, fcntl.LOCK_EX)
        current = os.fstat(fh.fileno()).st_size
        if offset != current:
            raise UploadError("offset", current)
        if current + len(data) > upload.size:
            raise UploadError("too_large", current)
        fh.write(data)
        fh.flush()
        return current + len(data)


def assembled_file(upload: Upload) -> UploadedFile:
    """The whole upload as an `UploadedFile` for the submit form."""
    if not upload.complete():
        raise UploadError("offset", upload.offset())
    return UploadedFile(file=open(upload.path, "rb"), name=upload.name, content_type=upload.content_type,
                        size=upload.size)


def upload_discard(*, session, upload: Upload) -> None:
    """Delete the upload's data and description and forget it in the session."""
    for path in (upload.path, _dir() / f"{upload.id}.json"):
        path.unlink(missing_ok=True)
    session[SESSION_KEY] = [i for i in session.get(SESSION_KEY) or [] if i != upload.id]
