"""Fingerprints of an image: the SHA-256 of the uploaded bytes (duplicates
of one file) and the perceptual hash of its pixels (near-duplicates)."""

from __future__ import annotations

import hashlib

import imagehash
from PIL import Image

_READ_STEP = 1 << 20


def sha256_and_head(fileobj) -> tuple[str, bytes]:
    """Read `fileobj` once from its start: the hex SHA-256 of all its bytes
    and its first 64 bytes (for `sniff`). Leaves the position at the end."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    head = b""
    while chunk := fileobj.read(_READ_STEP):
        if not head:
            head = chunk[:64]
        digest.update(chunk)
    return digest.hexdigest(), head


def perceptual_hash(im: Image.Image) -> str:
    """imagehash's 64-bit pHash of the image, as 16 hex digits."""
    return str(imagehash.phash(im))
