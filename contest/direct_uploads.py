"""Resumable uploads straight from the parent's browser to S3, so a web node
never holds a drawing (production, `UPLOAD_DIRECT_S3`).

The flow (the script is static/js/entry-upload.js; without S3 the portal
keeps `contest.chunked`, chunks on a disk all web nodes share):

1. `upload_start`: the portal opens an S3 multipart upload under the name
   the entry's original will have (`originals/<contest>/<random>`), keeps
   its state in a `StagedUpload` row (so any web node answers the next
   step) and hands out presigned `upload_part` URLs, one per part of
   `UPLOAD_PART_BYTES` (S3's minimum is 5 MiB; the last part may be less).
2. The browser PUTs each part to S3 (the bucket's CORS must allow PUT from
   the portal's origin, README). After a dropped connection it asks any
   web node which parts S3 holds (`upload_status`, S3's ListParts) and gets
   fresh URLs for the others.
3. `upload_complete`: S3 assembles the object (the ETags come from
   ListParts, the browser need not read them); HEAD checks the size; a
   ranged read of the head sniffs the type and reads the declared
   dimensions; the bytes stream once through SHA-256 (the duplicate check)
   without being kept. A refused file is deleted with its row at once.
4. The submit form names the upload: the entry's `original` takes the
   object's name as it is (no copy, no write); the worker decodes it whole
   and marks the entry failed with a reason if the data is damaged.

Rows (and their objects or unfinished multipart uploads) not used within
`STALE_SECONDS` are removed by `staged_uploads_sweep`; the bucket's
lifecycle rule (AbortIncompleteMultipartUpload) is the backstop, and the
orphan check (`storage_orphans_purge`) removes any object no entry names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import math
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from . import imaging
from .chunked import SESSION_MAX_UPLOADS, UploadError
from .imaging.decoding import as_rejection, displayed_size, exif_orientation, open_image
from .imaging.policy import check_dimensions
from .models import StagedUpload, original_upload_to

logger = logging.getLogger(__name__)

SESSION_KEY = "direct_uploads"
STALE_SECONDS = 24 * 3600
# Bytes read from the object's start to find its declared size; a second,
# longer read for photos whose metadata comes first (MPO, HEIF).
HEAD_READS = (512 * 1024, 4 * 1024 * 1024)
_READ_STEP = 1 << 20


def enabled() -> bool:
    """Whether uploads go straight to S3 (`UPLOAD_DIRECT_S3` with an S3 default storage)."""
    return bool(settings.UPLOAD_DIRECT_S3) and hasattr(default_storage, "bucket_name")


def _client():
    return default_storage.connection.meta.client


def _key(name: str) -> str:
    return default_storage._normalize_name(name)


def part_count(size: int) -> int:
    """How many parts of `UPLOAD_PART_BYTES` make `size` bytes (at least 1)."""
    return max(1, math.ceil(size / settings.UPLOAD_PART_BYTES))


def part_urls(staged: StagedUpload, numbers) -> list[dict]:
    """Presigned PUT URLs for the part `numbers` (1-based), valid for
    `S3_SIGNED_URL_SECONDS`: `[{"number": n, "url": ...}]`. No network call."""
    client = _client()
    return [
        {"number": n, "url": client.generate_presigned_url(
            "upload_part", ExpiresIn=settings.S3_SIGNED_URL_SECONDS,
            Params={"Bucket": default_storage.bucket_name, "Key": _key(staged.name),
                    "UploadId": staged.s3_upload_id, "PartNumber": n})}
        for n in numbers
    ]


def upload_start(
    *, session, contest, size: int, content_type: str, max_bytes: int, file_name: str = "",
    max_uploads: int = SESSION_MAX_UPLOADS,
) -> StagedUpload:
    """Open an S3 multipart upload of `size` bytes for this session and
    contest; `file_name` is kept (a teacher's rows name photos by it) and
    the session keeps its last `max_uploads` (older ones stop answering).

    Raises `UploadError('too_large')` over `max_bytes` (or `UPLOAD_MAX_BYTES`),
    'bad_request' under 1 byte; the store's own errors (botocore) pass."""
    if size <= 0:
        raise UploadError("bad_request")
    if size > min(max_bytes, settings.UPLOAD_MAX_BYTES):
        raise UploadError("too_large")
    staged = StagedUpload(
        id=uuid.uuid4().hex, contest=contest, size=size, content_type=content_type[:100],
        file_name=os.path.basename(file_name)[:100],
    )
    staged.name = original_upload_to(staged, "upload")
    answer = _client().create_multipart_upload(
        Bucket=default_storage.bucket_name, Key=_key(staged.name), ContentType="application/octet-stream",
    )
    staged.s3_upload_id = answer["UploadId"]
    staged.save(force_insert=True)
    session[SESSION_KEY] = (session.get(SESSION_KEY) or [])[-(max_uploads - 1):] + [staged.id]
    return staged


def upload_get(*, session, upload_id: str, contest_id: int) -> StagedUpload:
    """The session's staged upload for this contest (one query); `UploadError('unknown')` otherwise."""
    if upload_id not in (session.get(SESSION_KEY) or []):
        raise UploadError("unknown")
    staged = StagedUpload.objects.filter(pk=upload_id, contest_id=contest_id).first()
    if staged is None:
        raise UploadError("unknown")
    return staged


def parts_held(staged: StagedUpload) -> dict[int, dict]:
    """The parts S3 holds for an unfinished upload, by number:
    `{n: {"PartNumber", "ETag", "Size"}}` (S3 ListParts, up to 1000 parts)."""
    answer = _client().list_parts(
        Bucket=default_storage.bucket_name, Key=_key(staged.name), UploadId=staged.s3_upload_id, MaxParts=1000,
    )
    return {p["PartNumber"]: p for p in answer.get("Parts", [])}


def upload_status(staged: StagedUpload) -> dict:
    """What the browser needs to go on: `{"size", "part_size", "complete",
    "done": [numbers S3 holds], "parts": [fresh URLs for the others]}`."""
    if staged.completed_at:
        return {"size": staged.size, "part_size": settings.UPLOAD_PART_BYTES, "complete": True, "done": [], "parts": []}
    held = parts_held(staged)
    missing = [n for n in range(1, part_count(staged.size) + 1) if n not in held]
    return {"size": staged.size, "part_size": settings.UPLOAD_PART_BYTES, "complete": False,
            "done": sorted(held), "parts": part_urls(staged, missing)}


def upload_complete(*, staged: StagedUpload, policy: imaging.Policy, session) -> StagedUpload:
    """Assemble the parts, then check the object: size (HEAD), type and
    declared dimensions (a ranged read of the head), SHA-256 (one streamed
    read, nothing kept). Idempotent once complete.

    Raises `UploadError('offset')` while parts are missing (the browser asks
    `upload_status` and sends them) and `imaging.ImageRejected` for a file
    the portal refuses (the object and the row are deleted then, and the
    upload forgotten in `session`)."""
    if staged.completed_at:
        return staged
    held = parts_held(staged)
    expected = part_count(staged.size)
    if sorted(held) != list(range(1, expected + 1)) or sum(p["Size"] for p in held.values()) != staged.size:
        raise UploadError("offset", sum(p["Size"] for p in held.values()))
    client, bucket, key = _client(), default_storage.bucket_name, _key(staged.name)
    client.complete_multipart_upload(
        Bucket=bucket, Key=key, UploadId=staged.s3_upload_id,
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": held[n]["ETag"]} for n in sorted(held)]},
    )
    try:
        info = _object_check(client=client, bucket=bucket, key=key, declared=staged.size, policy=policy)
    except imaging.ImageRejected:
        staged.completed_at = timezone.now()  # an object now, no longer a multipart upload
        upload_discard(staged=staged, session=session)
        raise
    staged.info = info
    staged.completed_at = timezone.now()
    staged.save(update_fields=["info", "completed_at"])
    return staged


def _object_check(*, client, bucket: str, key: str, declared: int, policy: imaging.Policy) -> dict:
    size = client.head_object(Bucket=bucket, Key=key)["ContentLength"]
    imaging.size_check(size, policy)
    if size != declared:
        raise imaging.ImageRejected(imaging.Reason.CORRUPT, f"{size} bytes arrived, {declared} announced")
    fmt, width, height = _head_inspect(client=client, bucket=bucket, key=key, size=size, policy=policy)
    digest = hashlib.sha256()
    for chunk in client.get_object(Bucket=bucket, Key=key)["Body"].iter_chunks(_READ_STEP):
        digest.update(chunk)
    return {"format": fmt, "width": width, "height": height, "sha256": digest.hexdigest(),
            "low_resolution": min(width, height) < policy.low_res_side}


def _head_inspect(*, client, bucket: str, key: str, size: int, policy: imaging.Policy) -> tuple[str, int, int]:
    """(format, displayed width, displayed height) from the object's first
    bytes; raises `ImageRejected` (type, dimensions, unreadable header)."""
    failure = None
    for length in HEAD_READS:
        head = client.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{min(size, length) - 1}")["Body"].read()
        kind = imaging.sniff(head[:64])
        try:
            im = open_image(io.BytesIO(head), kind)
            try:
                check_dimensions(im.size, policy)
                width, height = displayed_size(im.size, exif_orientation(im))
                return im.format or kind, width, height
            finally:
                im.close()
        except imaging.ImageRejected as exc:
            if exc.reason != imaging.Reason.CORRUPT or length >= size:
                raise
            failure = exc
        except Exception as exc:  # noqa: BLE001 - a header cut short by the range, or damaged
            failure = as_rejection(exc)
            if length >= size:
                raise failure from exc
    raise failure


def upload_discard(*, staged: StagedUpload, session=None) -> None:
    """Abort the multipart upload (or delete the finished object) and the
    row, and forget it in `session`. Store errors are logged: the sweeper
    and the bucket's lifecycle rule remove what is left."""
    try:
        if staged.completed_at:
            default_storage.delete(staged.name)
        else:
            _client().abort_multipart_upload(
                Bucket=default_storage.bucket_name, Key=_key(staged.name), UploadId=staged.s3_upload_id)
    except Exception:  # noqa: BLE001 - the store is down: the sweeper tries again
        logger.warning("could not remove the staged upload %s", staged.pk, exc_info=True)
        return
    StagedUpload.objects.filter(pk=staged.pk).delete()
    if session is not None:
        session[SESSION_KEY] = [i for i in session.get(SESSION_KEY) or [] if i != staged.pk]


def upload_used(*, staged: StagedUpload, session) -> None:
    """The entry now names the object: drop the row (never the object)."""
    StagedUpload.objects.filter(pk=staged.pk).delete()
    session[SESSION_KEY] = [i for i in session.get(SESSION_KEY) or [] if i != staged.pk]


def staged_uploads_sweep(*, now: dt.datetime | None = None) -> int:
    """Remove the uploads started more than `STALE_SECONDS` ago and never
    used by an entry: abort unfinished ones, delete finished objects.
    Returns how many rows went. One query plus one store call per row."""
    if not hasattr(default_storage, "bucket_name"):
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=STALE_SECONDS)
    stale = list(StagedUpload.objects.filter(created_at__lt=cutoff))
    for staged in stale:
        upload_discard(staged=staged)
    return len(stale)


@dataclass
class StagedImage:
    """A finished staged upload, as the submit form's `image`: it has the
    `name` and `size` a FileField wants and the `info` the check learned;
    `entry_submit` gives its `storage_name` to the entry as it is."""

    staged: StagedUpload

    @property
    def name(self) -> str:
        return "upload"

    @property
    def size(self) -> int:
        return self.staged.size

    @property
    def storage_name(self) -> str:
        return self.staged.name

    @property
    def image_info(self) -> imaging.ImageInfo:
        return imaging.ImageInfo(**self.staged.info)

    def seek(self, *_args) -> None:
        return None

    def close(self) -> None:
        return None
