"""The type of an upload from its magic bytes; the file name is never asked."""

from __future__ import annotations

import struct

from .policy import ImageRejected, Reason

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}

# Magic numbers of image (and image-like) types we recognise but refuse.
_UNSUPPORTED_MAGIC = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "BigTIFF"),
    (b"MM\x00+", "BigTIFF"),
    (b"%PDF-", "PDF"),
    (b"%!PS", "PostScript"),
    (b"\xc5\xd0\xd3\xc6", "EPS"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"\x00\x00\x02\x00", "CUR"),
    (b"8BPS", "PSD"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL"),
    (b"qoif", "QOI"),
    (b"DDS ", "DDS"),
    (b"icns", "ICNS"),
    (b"gimp xcf", "XCF"),
    (b"\x76\x2f\x31\x01", "OpenEXR"),
    (b"#?RADIANCE", "HDR"),
    (b"P1\n", "PBM"), (b"P2\n", "PGM"), (b"P3\n", "PPM"),
    (b"P4\n", "PBM"), (b"P5\n", "PGM"), (b"P6\n", "PPM"),
)


def sniff(head: bytes) -> str:
    """The accepted container type of a file from its first bytes (32 are
    enough): 'JPEG', 'PNG', 'WEBP', 'HEIF' or 'AVIF'.

    Raises `ImageRejected` with UNSUPPORTED_TYPE for image types we refuse
    (GIF, TIFF, BMP, SVG, PDF, ICO, ...), NOT_IMAGE for anything else, and
    EMPTY for no bytes. The file name is never consulted.
    """
    if not head:
        raise ImageRejected(Reason.EMPTY, "the file is empty")
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand_kind = _ftyp_kind(head)
        if brand_kind:
            return brand_kind
        raise ImageRejected(Reason.UNSUPPORTED_TYPE, f"ISO media brand {head[8:12]!r}")
    for magic, name in _UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            raise ImageRejected(Reason.UNSUPPORTED_TYPE, name)
    if head[:2] == b"BM" and len(head) >= 18 and struct.unpack_from("<I", head, 14)[0] in (12, 16, 40, 52, 56, 64, 108, 124):
        raise ImageRejected(Reason.UNSUPPORTED_TYPE, "BMP")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in head.lower()):
        raise ImageRejected(Reason.UNSUPPORTED_TYPE, "SVG")
    raise ImageRejected(Reason.NOT_IMAGE, "no known image signature")


def _ftyp_kind(head: bytes) -> str | None:
    # ftyp box: size(4) 'ftyp' major_brand(4) minor_version(4) compatible_brands(4*n)
    size = struct.unpack_from(">I", head, 0)[0]
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)]
    if any(b in _AVIF_BRANDS for b in brands):
        return "AVIF"
    if any(b in _HEIF_BRANDS for b in brands):
        return "HEIF"
    return None
