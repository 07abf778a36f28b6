"""File stores that refuse, for the storage-fault tests: a full disk that
keeps half a file, a read-only one, and an S3 that answers 503."""

import errno
import os

from botocore.exceptions import ClientError, ReadTimeoutError
from django.core.files.storage import FileSystemStorage


class FullDiskStorage(FileSystemStorage):
    """Writes the first bytes of every file, then fails with ENOSPC, as a
    full disk does (the partial file stays, as Django's own storage leaves it)."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(content.read(100))
        raise OSError(errno.ENOSPC, "No space left on device")


class ReadOnlyStorage(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.EROFS, "Read-only file system")


class S3RefusingStorage(FileSystemStorage):
    """What boto3 raises when S3 answers 503 SlowDown."""

    def _save(self, name, content):
        raise ClientError({"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}}, "PutObject")


class S3TimingOutStorage(FileSystemStorage):
    """A silent S3: every call times out (and is recorded)."""

    calls: list = []

    def _save(self, name, content):
        self.calls.append(("save", name))
        raise ReadTimeoutError(endpoint_url="http://127.0.0.1:9/")

    def delete(self, name):
        self.calls.append(("delete", name))
        raise ReadTimeoutError(endpoint_url="http://127.0.0.1:9/")
