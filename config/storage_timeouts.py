"""S3 client budgets: short in the web process (a parent's upload must get
an answer long before the server's own timeout), longer in the worker (a
rendition may wait for a slow store, the task retries on top).

`s3_client_config` builds boto3's settings; `worker_storage_timeouts` is
connected to Celery's `worker_init` (config/celery.py) and swaps the web's
budget for `S3_WORKER_CLIENT_CONFIG` before any storage is opened."""

from __future__ import annotations

from botocore.config import Config as BotoConfig
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.utils.functional import empty


def s3_client_config(*, connect: float, read: float, attempts: int) -> BotoConfig:
    """boto3's client settings: timeouts in seconds, `attempts` in all (the
    first and its retries). Path-style URLs work with MinIO and any host
    name; signature version 4 is what AWS requires everywhere (boto3 would
    sign presigned URLs with version 2 for a custom endpoint)."""
    return BotoConfig(
        s3={"addressing_style": "path"}, signature_version="s3v4", connect_timeout=connect, read_timeout=read,
        retries={"total_max_attempts": attempts, "mode": "standard"},
    )


def worker_storage_timeouts(**_signal) -> None:
    """Give every S3 storage the worker's client budget
    (`S3_WORKER_CLIENT_CONFIG`) and forget storages opened so far."""
    changed = {}
    for alias, storage in settings.STORAGES.items():
        options = storage.get("OPTIONS", {})
        if "client_config" in options:
            storage = {**storage, "OPTIONS": {**options, "client_config": settings.S3_WORKER_CLIENT_CONFIG}}
        changed[alias] = storage
    settings.STORAGES = changed
    storages.__dict__.pop("backends", None)
    storages._backends = None
    storages._storages = {}
    default_storage._wrapped = empty
