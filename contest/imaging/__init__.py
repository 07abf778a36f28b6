"""Pure image handling: sniff and validate uploads, render renditions.

No Django in here: callers pass file objects and a `Policy`, and get plain
data back, so the benchmark and the tests can import it directly.

Two entry points with different budgets:

* `inspect` runs inside the web request. It reads the file once for the
  hash, sniffs the type from magic bytes, reads the declared size from the
  header (no pixel decoding) and then proves the data is whole as cheaply
  as the format allows (JPEG: a 1/8-scale DCT decode, which still walks all
  the entropy-coded data; PNG: every chunk's CRC up to IEND; WebP/HEIF/AVIF:
  the container's chunk/box lengths; small images of any type: a full load).
* `render` runs on the worker. It decodes once, at reduced scale when the
  format allows, orients, converts to sRGB, and makes every rendition in a
  cascade from the largest to the smallest.

Every failure of either is an `ImageRejected` with a `Reason`; no other
exception escapes, whatever the input.
"""

from __future__ import annotations

import enum
import hashlib
import io
import re
import struct
import threading
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import blurhash
import imagehash
import numpy as np
import pillow_heif
from PIL import Image, ImageCms, UnidentifiedImageError

# HEIC/HEIF come from pillow-heif; AVIF is native in Pillow 13. Registering
# only the HEIF opener keeps one decoder per format (pillow-heif applies the
# container's irot/imir itself and resets EXIF orientation to 1, Pillow's
# AVIF plugin does not and exposes it as EXIF orientation instead).
pillow_heif.register_heif_opener()


class Reason(enum.StrEnum):
    """Why an upload was refused; the categories of the corpus manifest."""

    EMPTY = "EMPTY"
    NOT_IMAGE = "NOT_IMAGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    CORRUPT = "CORRUPT"
    TOO_LARGE = "TOO_LARGE"
    BAD_DIMENSIONS = "BAD_DIMENSIONS"


class ImageRejected(Exception):
    """Raised by `inspect` with the `reason` the upload was refused for."""

    def __init__(self, reason: Reason, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Policy:
    """Upload limits. Bytes, pixels (decimal, inclusive), pixels, ratio, pixels."""

    max_bytes: int = 25_000_000
    max_pixels: int = 40_000_000
    min_side: int = 8
    max_aspect: float = 20.0
    low_res_side: int = 600


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


@dataclass(frozen=True)
class RenditionSpec:
    """One rendition to make: `kind` name, fit `width` (px, 0 = unbounded)
    and `long_side` (px, 0 = unbounded), never upscaled; `format` 'jpeg' or 'webp'."""

    kind: str
    format: str
    width: int = 0
    long_side: int = 0


@dataclass
class RenderedImage:
    """One encoded rendition: `width`/`height` in pixels, `data` the file bytes."""

    kind: str
    format: str
    width: int
    height: int
    data: bytes

    @property
    def ext(self) -> str:
        return FORMAT_EXT[self.format]


@dataclass
class RenderResult:
    """Output of `render`: the metadata-free original (`original`, with its
    file extension `original_ext`), the renditions, a BlurHash placeholder,
    the dominant colour as '#rrggbb', the perceptual hash (`phash`, 16 hex
    digits of imagehash's 64-bit pHash) and the upright size of the original
    in pixels. `original_reencoded` tells whether the original was re-encoded
    (False: the uploaded JPEG stream with its metadata segments dropped);
    `decoded_size` is the stored-orientation size the pixels were decoded
    at (smaller than the upload when a JPEG was DCT-scaled)."""

    original: bytes
    original_ext: str
    renditions: list[RenderedImage] = field(default_factory=list)
    placeholder: str = ""
    dominant_color: str = ""
    phash: str = ""
    width: int = 0
    height: int = 0
    original_reencoded: bool = True
    decoded_size: tuple[int, int] = (0, 0)


# The kinds match `contest.models.Rendition.Kind`, the formats `Rendition.Format`.
DEFAULT_SPECS: list[RenditionSpec] = [
    RenditionSpec(kind, fmt, width=width, long_side=long_side)
    for kind, width, long_side in (
        ("card", 400, 0),
        ("card2x", 800, 0),
        ("display", 0, 1200),
    )
    for fmt in ("webp", "jpeg")
]

FORMAT_EXT = {"jpeg": "jpg", "webp": "webp"}

# Encoder settings. WebP encoding is the most expensive step of the rendition
# set (about half of an upright 12 Mpx JPEG's time), so libwebp's default
# method 4 is not used. Measured at q80 on 1200 px renditions (21 corpus
# drawings / 4 real photos, ms per image, KB, PSNR against the source):
#   method 4: 27.5 / 87 ms, 45.2 / 118 KB, 36.1 / 36.3 dB
#   method 2: 13.5 / 46 ms, 46.6 / 122 KB, 35.8 / 36.0 dB
#   method 1: 10.2 / 31 ms, 49.1 / 132 KB, 36.2 / 36.3 dB
#   method 0:  9.0 / 24 ms, 50.9 / 136 KB, 36.2 / 36.3 dB
# Method 0 takes 33-47 % less time than method 2 for files 9-12 % larger at
# the same quality (equal size would need about q76, 0.6-0.8 dB lower): the
# price of keeping an upright 12 Mpx JPEG's whole set within 3x of its full
# decode. The method-0 files stay 8 % (drawings) to 18 % (photos) smaller
# than the q82 JPEG renditions.
# Method 2 would be the choice if bytes served mattered more than worker CPU.
# JPEG renditions are baseline with default Huffman tables (no `optimize`,
# no progressive): `optimize` triples the encode time for 4 % smaller files.
JPEG_QUALITY = 82
WEBP_QUALITY = 80
WEBP_METHOD = 0
# Re-encoded originals (sideways, CMYK, wide-gamut, PNG/WebP/HEIF/AVIF input)
# are stored as JPEG q92: visually lossless for photos of drawings, and an
# order of magnitude cheaper and smaller than PNG at 12 MP. Transparency is
# flattened on white first, so nothing is lost by leaving PNG.
ORIGINAL_QUALITY = 92

# Below this many pixels a full decode in the request is cheaper than being
# clever (about 10-20 ms), and it proves the data whole for any format.
CHEAP_DECODE_PIXELS = 2_000_000
# An embedded ICC profile larger than this is not carried over to the
# stored original (one real file carries 400 KB of profile over 7 segments);
# such a file is re-encoded in sRGB instead.
MAX_KEPT_ICC_BYTES = 65_536

_PIL_FORMATS = {
    "JPEG": ["JPEG"],  # Pillow's JPEG factory returns an MpoImageFile for MPO/Ultra HDR
    "PNG": ["PNG"],
    "WEBP": ["WEBP"],
    "HEIF": ["HEIF"],
    "AVIF": ["AVIF"],
}

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


# ---------------------------------------------------------------------------
# inspect


def size_check(size: int, policy: Policy) -> None:
    """Refuse by byte count alone: EMPTY for 0 bytes, TOO_LARGE above
    `policy.max_bytes`. Cheap enough to call before reading the upload."""
    if size <= 0:
        raise ImageRejected(Reason.EMPTY, "the file is empty")
    if size > policy.max_bytes:
        raise ImageRejected(Reason.TOO_LARGE, f"{size} bytes, the limit is {policy.max_bytes}")


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
        digest = hashlib.sha256()
        fileobj.seek(0)
        head = b""
        while chunk := fileobj.read(1 << 20):
            if not head:
                head = chunk[:64]
            digest.update(chunk)
        kind = sniff(head)
        fileobj.seek(0)
        im = _open(_KeepOpen(fileobj), kind)
        try:
            orientation = _orientation(im)
            width, height = _displayed_size(im.size, orientation)
            _check_dimensions(im.size, policy)
            _check_whole(im, kind, fileobj, size)
            fmt = im.format or kind
        finally:
            im.close()
        fileobj.seek(0)
        return ImageInfo(
            format=fmt,
            width=width,
            height=height,
            sha256=digest.hexdigest(),
            low_resolution=min(width, height) < policy.low_res_side,
        )
    except ImageRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a damaged file
        raise _as_rejection(exc) from exc


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


def _as_rejection(exc: BaseException) -> ImageRejected:
    if isinstance(exc, Image.DecompressionBombError):
        return ImageRejected(Reason.TOO_LARGE, "declared size beyond the decompression-bomb limit")
    if isinstance(exc, UnidentifiedImageError):
        return ImageRejected(Reason.CORRUPT, "the header cannot be read")
    if isinstance(exc, MemoryError):
        return ImageRejected(Reason.TOO_LARGE, "not enough memory to decode")
    message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return ImageRejected(Reason.CORRUPT, message)


def _open(fileobj, kind: str) -> Image.Image:
    """Open (header only) with the one plugin the magic bytes named.

    Pillow raises DecompressionBombError here for more than twice its
    MAX_IMAGE_PIXELS (about 179 Mpx); that becomes TOO_LARGE. We never touch
    the global MAX_IMAGE_PIXELS: our own limit is applied right after, from
    the header, before anything is decoded.
    """
    try:
        return Image.open(fileobj, formats=_PIL_FORMATS[kind])
    except Image.DecompressionBombError:
        raise ImageRejected(Reason.TOO_LARGE, "declared size beyond the decompression-bomb limit") from None
    except UnidentifiedImageError:
        raise ImageRejected(Reason.CORRUPT, f"looks like {kind} but the header cannot be read") from None


def _check_dimensions(size: tuple[int, int], policy: Policy) -> None:
    width, height = size
    if width * height > policy.max_pixels:
        raise ImageRejected(
            Reason.TOO_LARGE, f"{width}×{height} = {width * height} pixels, the limit is {policy.max_pixels}"
        )
    if min(width, height) < policy.min_side:
        raise ImageRejected(Reason.BAD_DIMENSIONS, f"{width}×{height}: a side is under {policy.min_side} px")
    if max(width, height) > policy.max_aspect * min(width, height):
        raise ImageRejected(Reason.BAD_DIMENSIONS, f"{width}×{height}: narrower than 1:{policy.max_aspect:g}")


def _check_whole(im: Image.Image, kind: str, fileobj, size: int) -> None:
    """Prove the pixel data is complete, as cheaply as the format allows.

    Costs in the request, measured on this machine's core (CPU time of
    `inspect`, detailed synthetic 12 Mpx 4032×3024 photo): JPEG 45 ms (the
    1/8-scale decode; a full decode is 85 ms). PNG (17-28 MB) 185-200 ms for
    the IDAT inflate against 220-240 ms for Pillow's full decode: inflating
    is most of a PNG decode, so the gain is memory, 2 MB held instead of
    37 MB of pixels. WebP, HEIF and AVIF have no cheaper proof than a full
    decode: WebP 270 ms, AVIF 240 ms, HEIF (HEVC) 800 ms, 37-49 MB of
    pixels. That is the validation that needs it: such a file can pass its
    container checks and still fail only on decode, which the worker would
    otherwise find after the parent got a receipt.
    """
    width, height = im.size
    if kind == "JPEG":
        # A 1/8-scale DCT decode skips the IDCT work but still entropy-decodes
        # every scan, so truncation or broken Huffman data raises here.
        im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))
        im.load()
        return
    if width * height <= CHEAP_DECODE_PIXELS:
        im.load()
        return
    if kind == "PNG":
        _check_png(fileobj, size)
        return
    # The container walk first: a truncated file is refused before decoding.
    if kind == "WEBP":
        _check_riff(fileobj, size)
    else:
        _check_isobmff(fileobj, size)
    im.load()


# Samples per pixel of each PNG colour type (grey, RGB, palette, grey+alpha, RGBA).
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_INFLATE_STEP = 1 << 20  # decompressed bytes held at a time: memory stays flat


def _png_rows(width: int, height: int, depth: int, colour: int, interlace: int) -> list[tuple[int, int]]:
    """(row bytes including the filter-type byte, rows) of each pass, in order."""
    bits = depth * _PNG_CHANNELS[colour]
    passes = _ADAM7 if interlace else ((0, 0, 1, 1),)
    rows = []
    for x0, y0, dx, dy in passes:
        pass_w = (width - x0 + dx - 1) // dx
        pass_h = (height - y0 + dy - 1) // dy
        if pass_w > 0 and pass_h > 0:  # an empty pass has no filter bytes either
            rows.append((1 + (pass_w * bits + 7) // 8, pass_h))
    return rows


def _check_png(fileobj, size: int) -> None:
    """Walk every chunk to IEND checking CRCs, and inflate the IDAT stream
    (no unfiltering, 1 MB at a time) to prove it is one whole zlib stream
    (Adler-32 checked) of exactly the length the header's size, bit depth,
    colour type and interlace imply, with a valid filter type (0-4) at the
    start of every row: what Pillow's full decode would fail on."""
    fileobj.seek(8)
    inflater = zlib.decompressobj()
    rows: list[tuple[int, int]] = []
    segments: list[tuple[int, int, int]] = []  # (start, end, stride) of each pass in the inflated data
    produced = 0

    def consume(data: bytes) -> None:
        nonlocal produced
        start = produced
        produced += len(data)
        if produced > segments[-1][1]:
            raise ImageRejected(Reason.CORRUPT, "PNG pixel data is longer than its header says")
        for seg_start, seg_end, stride in segments:
            lo, hi = max(start, seg_start), min(produced, seg_end)
            if lo >= hi:
                continue
            first = lo + (seg_start - lo) % stride  # the first row start at or after lo
            if first < hi and max(data[first - start : hi - start : stride]) > 4:
                raise ImageRejected(Reason.CORRUPT, "PNG row with an unknown filter type")

    while True:
        header = fileobj.read(8)
        if len(header) < 8:
            raise ImageRejected(Reason.CORRUPT, "PNG data is truncated")
        length, ctype = struct.unpack(">I4s", header)
        if fileobj.tell() + length + 4 > size:
            raise ImageRejected(Reason.CORRUPT, "PNG data is truncated")
        crc = zlib.crc32(ctype)
        remaining = length
        while remaining:
            part = fileobj.read(min(remaining, _INFLATE_STEP))
            if not part:
                raise ImageRejected(Reason.CORRUPT, "PNG data is truncated")
            remaining -= len(part)
            crc = zlib.crc32(part, crc)
            if ctype == b"IHDR":
                width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", part[:13])
                if colour not in _PNG_CHANNELS:
                    raise ImageRejected(Reason.CORRUPT, "PNG with an unknown colour type")
                rows = _png_rows(width, height, depth, colour, interlace)
                offset = 0
                for stride, count in rows:
                    segments.append((offset, offset + stride * count, stride))
                    offset += stride * count
            elif ctype == b"IDAT":
                if not segments:
                    raise ImageRejected(Reason.CORRUPT, "PNG pixel data before its header")
                while part and not inflater.eof:
                    consume(inflater.decompress(part, _INFLATE_STEP))
                    part = inflater.unconsumed_tail
        if struct.unpack(">I", fileobj.read(4))[0] != crc & 0xFFFFFFFF:
            raise ImageRejected(Reason.CORRUPT, f"PNG {ctype.decode('latin-1')} chunk fails its CRC")
        if ctype == b"IEND":
            break
    if not segments:
        raise ImageRejected(Reason.CORRUPT, "PNG without a header")
    while not inflater.eof and (tail := inflater.decompress(b"", _INFLATE_STEP)):
        consume(tail)
    if not inflater.eof or produced != segments[-1][1]:
        raise ImageRejected(
            Reason.CORRUPT, f"PNG pixel data is {produced} bytes, its header says {segments[-1][1]}"
        )


def _check_riff(fileobj, size: int) -> None:
    # From the start: Pillow has left the position wherever its parser stopped.
    fileobj.seek(0)
    header = fileobj.read(12)
    riff_size = struct.unpack_from("<I", header, 4)[0]
    if riff_size + 8 > size:
        raise ImageRejected(Reason.CORRUPT, "WebP data is truncated")
    pos = 12
    while pos + 8 <= riff_size + 8:
        fileobj.seek(pos)
        chunk = fileobj.read(8)
        if len(chunk) < 8:
            raise ImageRejected(Reason.CORRUPT, "WebP data is truncated")
        length = struct.unpack_from("<I", chunk, 4)[0]
        pos += 8 + length + (length & 1)
    if pos > size + 1:
        raise ImageRejected(Reason.CORRUPT, "WebP data is truncated")


def _check_isobmff(fileobj, size: int) -> None:
    pos = 0
    while pos < size:
        fileobj.seek(pos)
        header = fileobj.read(16)
        if len(header) < 8:
            raise ImageRejected(Reason.CORRUPT, "HEIF box header is truncated")
        box_size = struct.unpack_from(">I", header, 0)[0]
        if box_size == 1:
            if len(header) < 16:
                raise ImageRejected(Reason.CORRUPT, "HEIF box header is truncated")
            box_size = struct.unpack_from(">Q", header, 8)[0]
        elif box_size == 0:
            box_size = size - pos
        if box_size < 8 or pos + box_size > size:
            raise ImageRejected(Reason.CORRUPT, "HEIF data is truncated")
        pos += box_size


def _orientation(im: Image.Image) -> int:
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


def _displayed_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation >= 5 else size


# ---------------------------------------------------------------------------
# render

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def render(fileobj, specs: list[RenditionSpec], *, policy: Policy | None = None) -> RenderResult:
    """Make the stored original and the renditions of an accepted upload.

    `fileobj` is a binary file (read whole); `specs` the renditions to make
    (see `DEFAULT_SPECS`); `policy` (default `Policy()`) is re-checked on
    the header so a worker never decodes what the request would refuse.

    The original is the uploaded JPEG stream with every APPn except JFIF,
    Adobe and a small RGB ICC profile, every COM segment and everything
    after EOI removed, when that JPEG is upright and RGB/greyscale; any
    other upload is re-encoded as JPEG q92 in sRGB (see ORIGINAL_QUALITY).
    Renditions are upright sRGB JPEG/WebP without metadata, transparency on
    white, the first frame of animations, never upscaled.

    Raises `ImageRejected` (CORRUPT for data that fails to decode) and
    nothing else.
    """
    policy = policy or Policy()
    try:
        return _render(fileobj, specs, policy)
    except ImageRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a damaged file
        raise _as_rejection(exc) from exc


def _render(fileobj, specs: list[RenditionSpec], policy: Policy) -> RenderResult:
    data = fileobj.read()
    size_check(len(data), Policy(max_bytes=max(len(data), 1)))
    kind = sniff(data[:64])
    im = _open(io.BytesIO(data), kind)
    _check_dimensions(im.size, policy)
    orientation = _orientation(im)
    width, height = _displayed_size(im.size, orientation)
    targets = {spec: _target_size((width, height), spec) for spec in specs}

    icc = im.info.get("icc_profile") or None
    keep_stream = (
        kind == "JPEG"
        and orientation == 1
        and im.mode in ("RGB", "L")
        and (icc is None or len(icc) <= MAX_KEPT_ICC_BYTES)
    )
    if keep_stream:
        need_w = max((t[0] for t in targets.values()), default=1)
        need_h = max((t[1] for t in targets.values()), default=1)
        im.draft(im.mode, (need_w, need_h))
    im.load()
    decoded_size = im.size
    if getattr(im, "n_frames", 1) > 1:
        im.seek(0)  # animations: the first frame (already loaded)
    if orientation != 1:
        im = im.transpose(_TRANSPOSE[orientation])
    # The working image is at draft scale for a kept JPEG stream, at full
    # scale when the original is re-encoded from it.
    work = _to_srgb(_to_8bit_flat(im), icc)
    # Pillow copies `info` through resize/convert and its JPEG encoder
    # writes `info["comment"]` back out: nothing from the upload may travel.
    work.info = {}
    if keep_stream:
        original_reencoded = False
    else:
        buf = io.BytesIO()
        work.save(buf, "JPEG", quality=ORIGINAL_QUALITY, subsampling="4:2:0" if kind == "JPEG" else "4:4:4")
        original = buf.getvalue()
        original_reencoded = True

    renditions: list[RenderedImage] = []
    # Cascade: each size is derived from the previous, larger one. The
    # decoded image is dropped after the first step, before any encoder
    # allocates (peak memory of a 48 Mpx upload).
    sizes = sorted(set(targets.values()), key=lambda s: s[0] * s[1], reverse=True)
    source = _shrink(work, sizes[0]) if sizes else work
    del im, work
    if keep_stream:
        # After the decoded image is gone: upload, decoded pixels and the
        # stripped copy never sit in memory together.
        original = strip_jpeg(data, keep_icc=True)
    del data
    for target in sizes:
        source = _shrink(source, target)
        for spec in specs:
            if targets[spec] == target:
                renditions.append(RenderedImage(spec.kind, spec.format, *target, _encode(source, spec.format)))
    order = {(spec.kind, spec.format): i for i, spec in enumerate(specs)}
    renditions.sort(key=lambda r: order[(r.kind, r.format)])

    # Placeholder and colour from a 32 px image: BlurHash only keeps 4×3
    # components. pHash from the smallest rendition, so the hash does not
    # depend on the upload's resolution.
    tiny = _shrink(source, _fit(source.size, 32)).convert("RGB")
    return RenderResult(
        original=original,
        original_ext="jpg",
        renditions=renditions,
        placeholder=blurhash.encode(tiny.copy(), 4, 3),
        dominant_color=_dominant_color(tiny),
        phash=str(imagehash.phash(source)),
        width=width,
        height=height,
        original_reencoded=original_reencoded,
        decoded_size=decoded_size,
    )


def _target_size(size: tuple[int, int], spec: RenditionSpec) -> tuple[int, int]:
    """The rendition size for a source of `size` (w, h): fit into `width`
    and/or `long_side`, never larger than the source, at least 1 px."""
    width, height = size
    scale = 1.0
    if spec.width:
        scale = min(scale, spec.width / width)
    if spec.long_side:
        scale = min(scale, spec.long_side / max(width, height))
    if scale >= 1.0:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    return _target_size(size, RenditionSpec("", "", long_side=long_side))


def _shrink(im: Image.Image, target: tuple[int, int]) -> Image.Image:
    if im.size == target:
        return im
    k = round(im.width / target[0])
    if k >= 2 and im.width == target[0] * k and im.height == target[1] * k:
        return im.reduce(k)  # an exact box filter, much faster than resampling
    # Bicubic after an integer box reduce() by k = floor(factor / 1.5): from a
    # full-size 12 Mpx decode to 1200 px (factor 3.4) that is reduce(2) and a
    # 1.7x bicubic, the same 2x pre-reduction the DCT-scaled decode of an
    # upright JPEG gets, at half the time of one 3.4x bicubic (40-52 dB
    # against Lanczos from full size; steps under 3x are plain bicubic).
    return im.resize(target, Image.Resampling.BICUBIC, reducing_gap=1.5)


def _to_8bit_flat(im: Image.Image) -> Image.Image:
    """RGB or L, 8 bits, transparency composited on white; CMYK stays CMYK
    (converted with its profile by `_to_srgb`)."""
    mode = im.mode
    if mode in ("RGB", "L", "CMYK"):
        if "transparency" in im.info and mode != "CMYK":
            return _flatten(im.convert("RGBA" if mode == "RGB" else "LA"))
        return im
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit greyscale: scale 0-65535 to 0-255 (a plain convert clips).
        arr = np.asarray(im, dtype=np.uint32)
        grey = Image.fromarray(((arr + 128) // 257).astype(np.uint8), "L")
        trns = im.info.get("transparency")
        if isinstance(trns, int):
            alpha = Image.fromarray(np.where(arr == trns, 0, 255).astype(np.uint8), "L")
            grey = Image.merge("LA", (grey, alpha))
            return _flatten(grey)
        return grey
    if mode == "F":
        arr = np.asarray(im, dtype=np.float32)
        lo, hi = float(arr.min()), float(arr.max())
        arr = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        return Image.fromarray(arr.astype(np.uint8), "L")
    if mode in ("LA", "La"):
        return _flatten(im.convert("LA"))
    if mode in ("RGBA", "RGBa", "PA") or (mode == "P" and "transparency" in im.info):
        return _flatten(im.convert("RGBA"))
    if mode == "1":
        return im.convert("L")
    return im.convert("RGB")


def _flatten(im: Image.Image) -> Image.Image:
    if im.mode == "LA":
        base = Image.new("L", im.size, 255)
        base.paste(im.getchannel("L"), mask=im.getchannel("A"))
        return base
    base = Image.new("RGB", im.size, (255, 255, 255))
    base.paste(im.convert("RGB"), mask=im.getchannel("A"))
    return base


_SRGB = ImageCms.createProfile("sRGB")
_transforms: dict[tuple[bytes, str], ImageCms.ImageCmsTransform | None] = {}
_transforms_lock = threading.Lock()


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB in sRGB (or L): applies an embedded ICC profile; CMYK without a
    profile uses Pillow's plain conversion (Adobe inversion is already
    undone by the JPEG decoder). A broken profile is ignored."""
    transform = _transform_for(icc, im.mode) if icc else None
    if transform is not None:
        try:
            return ImageCms.applyTransform(im, transform)
        except Exception:  # noqa: BLE001 - a profile that fails is ignored
            pass
    if im.mode in ("RGB", "L"):
        return im
    return im.convert("RGB")


def _transform_for(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    key = (hashlib.sha1(icc).digest(), mode)
    with _transforms_lock:
        if key in _transforms:
            return _transforms[key]
    transform = None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = (ImageCms.getProfileDescription(profile) or "").lower()
        space = profile.profile.xcolor_space.strip()
        if mode == "L" or (mode == "RGB" and "srgb" in description):
            transform = None  # already what browsers assume
        elif (mode == "RGB" and space == "RGB") or (mode == "CMYK" and space == "CMYK"):
            transform = ImageCms.buildTransform(profile, _SRGB, mode, "RGB", ImageCms.Intent.PERCEPTUAL)
    except Exception:  # noqa: BLE001 - unreadable profile: treat as absent
        transform = None
    with _transforms_lock:
        if len(_transforms) > 64:
            _transforms.clear()
        _transforms[key] = transform
    return transform


def _encode(im: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "jpeg":
        im.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    elif fmt == "webp":
        im.save(buf, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        raise ValueError(f"unknown rendition format {fmt!r}")
    return buf.getvalue()


def _dominant_color(tiny: Image.Image) -> str:
    """The most common of 6 median-cut colours of a tiny image, '#rrggbb'."""
    quantized = tiny.quantize(6, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    count, index = max(quantized.getcolors() or [(1, 0)])
    r, g, b = palette[index * 3 : index * 3 + 3] if len(palette) >= index * 3 + 3 else (255, 255, 255)
    return f"#{r:02x}{g:02x}{b:02x}"


# ---------------------------------------------------------------------------
# Placeholders for the public pages

PLACEHOLDER_LONG_SIDE = 8


def placeholder_size(width: int, height: int) -> tuple[int, int]:
    """The (w, h) of a placeholder for an image of `width` × `height`: 8 px
    on the long side; the browser stretches it over the image's box."""
    if width <= 0 or height <= 0:
        return PLACEHOLDER_LONG_SIDE, PLACEHOLDER_LONG_SIDE * 3 // 4
    if width >= height:
        return PLACEHOLDER_LONG_SIDE, max(1, round(PLACEHOLDER_LONG_SIDE * height / width))
    return max(1, round(PLACEHOLDER_LONG_SIDE * width / height)), PLACEHOLDER_LONG_SIDE


@lru_cache(maxsize=2048)
def placeholder_png(hash_: str, width: int, height: int) -> bytes:
    """A tiny PNG (about 150 bytes) of BlurHash `hash_` decoded at `width` ×
    `height`, or b"" when the hash is not valid. Cached: a gallery page asks
    for the same few dozen hashes again and again."""
    if not hash_ or not 0 < width <= 32 or not 0 < height <= 32:
        return b""
    try:
        image = blurhash.decode(hash_, width, height)
    except (ValueError, blurhash.BlurhashDecodeError):
        return b""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PNG", optimize=True)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# JPEG metadata stripping without re-encoding

# In entropy-coded data a marker is 0xFF followed by anything but a stuffed
# 0x00, a restart marker (0xD0-0xD7) or another 0xFF (fill).
_SCAN_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def strip_jpeg(data: bytes, *, keep_icc: bool = True) -> bytes:
    """The same JPEG with its metadata segments dropped, entropy data untouched.

    Kept: SOI, the JFIF APP0, an Adobe APP14 (it says whether the three
    channels are YCbCr or RGB), ICC APP2 segments when `keep_icc`, tables,
    frame and scan headers, the scans, EOI. Dropped: every other APPn (EXIF,
    XMP, IPTC/Photoshop, MPF, maker data), COM, and everything after the
    first image's EOI (MPO second images, Ultra HDR gain maps, trailers).
    Raises ValueError on a stream that does not parse.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG stream")
    # Joined once, scans as views of `data`: a 15 MB stream is copied once.
    view = memoryview(data)
    out: list[bytes | memoryview] = [b"\xff\xd8"]
    pos = 2
    n = len(data)
    in_scan = False
    while pos < n:
        if not in_scan:
            if data[pos] != 0xFF:
                raise ValueError(f"expected a marker at byte {pos}")
            while pos < n and data[pos] == 0xFF:
                pos += 1  # fill bytes
            if pos >= n:
                raise ValueError("truncated JPEG marker")
            marker = data[pos]
            pos += 1
        else:
            # Entropy-coded data runs until a marker that is not a stuffed
            # zero or a restart marker.
            start = pos
            found = _SCAN_MARKER.search(data, pos)
            if found is None:
                raise ValueError("JPEG scan without EOI")
            pos = found.start()
            out.append(view[start:pos])
            marker = data[pos + 1]
            pos += 2
            in_scan = False
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > n:
            raise ValueError("truncated JPEG segment")
        length = struct.unpack_from(">H", data, pos)[0]
        segment = data[pos : pos + length]
        if length < 2 or len(segment) < length:
            raise ValueError("truncated JPEG segment")
        payload = segment[2:]
        keep = (
            (marker == 0xE0 and payload.startswith(b"JFIF\x00"))
            or (marker == 0xEE and payload.startswith(b"Adobe"))
            or (marker == 0xE2 and keep_icc and payload.startswith(b"ICC_PROFILE\x00"))
            or not (0xE0 <= marker <= 0xEF or marker == 0xFE)
        )
        if marker == 0xE0 and keep and len(payload) >= 14:
            # JFIF APP0 without its optional embedded thumbnail.
            out.append(b"\xff\xe0\x00\x10" + payload[:12] + b"\x00\x00")
        elif keep:
            out.append(bytes((0xFF, marker)) + segment)
        pos += length
        if marker == 0xDA:
            in_scan = True
    raise ValueError("JPEG stream without EOI")
