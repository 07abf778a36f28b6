"""`inspect`: whether an upload is an acceptable image, decided cheaply in
the web request (bytes, magic, declared size, whole data)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from .decoding import as_rejection, displayed_size, exif_orientation, open_image
from .hashes import sha256_and_head
from .integrity import check_whole
from .policy import ImageRejected, Policy, check_dimensions, size_check
from .sniffing import sniff


@dataclass(frozen=True)
class ImageInfo:
    """What `inspect` learned. `width`/`height` are in pixels as displayed
    (after EXIF orientation); `format` is Pillow's name (JPEG, PNG, WEBP,
    HEIF, AVIF, MPO); `sha256` is the hex digest of the uploaded bytes."""

    format: str
    width: int
    height: int
    sha256: str
    low_resolution: bool


def inspect(fileobj, policy: Policy) -> ImageInfo:
    """Decide whether an upload is an acceptable image, cheaply.

    `fileobj` is any seekable binary file (a Django `UploadedFile` too); it
    is read once for the SHA-256 and left at position 0. Checks, in order:
    bytes (EMPTY, TOO_LARGE), magic bytes (NOT_IMAGE, UNSUPPORTED_TYPE),
    the size declared in the header, before any pixel is decoded (TOO_LARGE
    over `policy.max_pixels`, inclusive; BAD_DIMENSIONS under `min_side` or
    over `max_aspect`), then whether the data is whole (CORRUPT).

    Returns an `ImageInfo` with the displayed size (EXIF orientation 5-8
    swap width and height). Raises `ImageRejected`, and nothing else.
    """
    try:
        size = _stream_size(fileobj)
        size_check(size, policy)
        sha256, head = sha256_and_head(fileobj)
        kind = sniff(head)
        fileobj.seek(0)
        im = open_image(_KeepOpen(fileobj), kind)
        try:
            orientation = exif_orientation(im)
            width, height = displayed_size(im.size, orientation)
            check_dimensions(im.size, policy)
            check_whole(im, kind, fileobj, size)
            fmt = im.format or kind
        finally:
            im.close()
        fileobj.seek(0)
        return ImageInfo(
            format=fmt,
            width=width,
            height=height,
            sha256=sha256,
            low_resolution=min(width, height) < policy.low_res_side,
        )
    except ImageRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a damaged file
        raise as_rejection(exc) from exc


class _KeepOpen(io.RawIOBase):
    """The caller's file for Pillow, which may close what it was given; the
    upload must stay open for the service to store it."""

    def __init__(self, raw):
        self._raw = raw

    def readable(self):
        return True

    def seekable(self):
        return True

    def read(self, size=-1):
        return self._raw.read(size)

    def readinto(self, buffer):
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset, whence=io.SEEK_SET):
        return self._raw.seek(offset, whence)

    def tell(self):
        return self._raw.tell()


def _stream_size(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    pos = fileobj.tell()
    end = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(pos)
    return end
