"""Writing a parent's upload to the file store from a request, within a
budget: any refusal of the store (full, read-only, S3 refusing, timing out
or unreachable) becomes one exception the view turns into "please try
again in a few minutes", and nothing is left behind."""

from __future__ import annotations

import copy
import logging

from botocore.exceptions import BotoCoreError, ClientError

logger = logging.getLogger(__name__)

# What a file store raises when it cannot take a file now: a full or
# read-only disk (OSError: ENOSPC, EROFS, EACCES), S3 refusing (ClientError:
# 403, 500, 503 SlowDown) or unreachable and silent (BotoCoreError: connect
# and read timeouts, endpoint errors).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class StorageUnavailable(Exception):
    """The file store could not keep the upload now (the parent should try
    again in a few minutes). `__cause__` is the store's own error."""


def file_store(*, field_file, content) -> str:
    """Save `content` (a File, read from its start) into `field_file` (an
    unsaved FieldFile, e.g. `entry.original`) under a fresh name from the
    field's `upload_to`, without saving the model. Returns the stored name.

    Raises `StorageUnavailable` when the store refuses or times out; then
    a partly written local file is deleted (S3 keeps no partial object; the
    storage check removes what a store kept after a lost answer)."""
    instance, field = field_file.instance, field_file.field
    name = field.generate_filename(instance, "upload")
    storage = field_file.storage
    try:
        content.seek(0)
        stored = _without_name_check(storage).save(name, content, max_length=field.max_length)
    except STORAGE_ERRORS as exc:
        logger.warning("the file store refused an upload (%s): %s", name, exc)
        if isinstance(exc, OSError) and not isinstance(exc, BotoCoreError):
            # A local disk (full, read-only): FileSystemStorage leaves a partly
            # written file behind. An S3 PUT keeps nothing unless it completed;
            # asking a silent store to delete would spend the budget again,
            # and the storage check removes such a file.
            file_delete_quietly(storage=storage, name=name)
        raise StorageUnavailable(str(exc)) from exc
    field_file.name = stored
    return stored


def file_delete_quietly(*, storage, name: str) -> None:
    """Delete `name` from `storage`, logging (never raising) when the store
    is down: the storage check (`storage_orphans_purge`) removes it later."""
    if not name:
        return
    try:
        storage.delete(name)
    except Exception:
        logger.warning("could not delete %s", name, exc_info=True)


def _without_name_check(storage):
    """`storage`, or for S3 a copy that does not ask the store whether the
    name is taken before writing: upload names are random (`upload_to`), and
    that question would spend a second slice of the request's budget on a
    hung store (S3Storage asks unless `file_overwrite`)."""
    if getattr(storage, "file_overwrite", True):
        return storage
    unchecked = copy.copy(storage)
    unchecked.file_overwrite = True
    return unchecked
