"""Opening an upload with the one decoder its magic bytes named, its EXIF
orientation, and turning any decoder failure into an `ImageRejected`."""

from __future__ import annotations

import pillow_heif
from PIL import Image, UnidentifiedImageError

from .policy import ImageRejected, Reason

# HEIC/HEIF come from pillow-heif; AVIF is native in Pillow 13. Registering
# only the HEIF opener keeps one decoder per format (pillow-heif applies the
# container's irot/imir itself and resets EXIF orientation to 1, Pillow's
# AVIF plugin does not and exposes it as EXIF orientation instead).
pillow_heif.register_heif_opener()

_PIL_FORMATS = {
    "JPEG": ["JPEG"],  # Pillow's JPEG factory returns an MpoImageFile for MPO/Ultra HDR
    "PNG": ["PNG"],
    "WEBP": ["WEBP"],
    "HEIF": ["HEIF"],
    "AVIF": ["AVIF"],
}

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def as_rejection(exc: BaseException) -> ImageRejected:
    """The `ImageRejected` for any exception a decoder raised: TOO_LARGE for
    a decompression bomb or lack of memory, CORRUPT for everything else."""
    if isinstance(exc, Image.DecompressionBombError):
        return ImageRejected(Reason.TOO_LARGE, "declared size beyond the decompression-bomb limit")
    if isinstance(exc, UnidentifiedImageError):
        return ImageRejected(Reason.CORRUPT, "the header cannot be read")
    if isinstance(exc, MemoryError):
        return ImageRejected(Reason.TOO_LARGE, "not enough memory to decode")
    message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return ImageRejected(Reason.CORRUPT, message)


def open_image(fileobj, kind: str) -> Image.Image:
    """Open (header only) with the one plugin the magic bytes named.

    `kind` is what `sniff` returned. Pillow raises DecompressionBombError
    here for more than twice its MAX_IMAGE_PIXELS (about 179 Mpx); that
    becomes TOO_LARGE. We never touch the global MAX_IMAGE_PIXELS: our own
    limit is applied right after, from the header, before anything is
    decoded. An unreadable header raises `ImageRejected` (CORRUPT).
    """
    try:
        return Image.open(fileobj, formats=_PIL_FORMATS[kind])
    except Image.DecompressionBombError:
        raise ImageRejected(Reason.TOO_LARGE, "declared size beyond the decompression-bomb limit") from None
    except UnidentifiedImageError:
        raise ImageRejected(Reason.CORRUPT, f"looks like {kind} but the header cannot be read") from None


def exif_orientation(im: Image.Image) -> int:
    """EXIF orientation 1-8 that still has to be applied to the pixels.

    pillow-heif has already applied HEIF's container rotation (and reset
    the tag), so HEIF is always 1: rotating again would turn it twice. A
    damaged EXIF block counts as 1.
    """
    if im.format == "HEIF":
        return 1
    # Only EXIF already read with the header: Image.getexif() would decode
    # a whole PNG looking for an eXIf chunk after the pixel data.
    raw = im.info.get("exif")
    if not raw:
        return 1
    try:
        exif = Image.Exif()
        exif.load(raw)
        value = exif.get(0x0112, 1)
    except Exception:  # noqa: BLE001 - corrupt EXIF is common and harmless
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def displayed_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """The (width, height) in pixels as displayed: orientations 5-8 swap them."""
    return (size[1], size[0]) if orientation >= 5 else size


def upright(im: Image.Image, orientation: int) -> Image.Image:
    """The loaded image turned as its EXIF `orientation` (1-8) says; the
    same image for 1."""
    if orientation != 1:
        return im.transpose(_TRANSPOSE[orientation])
    return im
