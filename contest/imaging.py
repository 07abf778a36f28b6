"""Pure image handling: sniff and validate uploads, render renditions.

No Django in here: callers pass file objects and a `Policy`, and get plain
data back, so the benchmark and the tests can import it directly.
(Interface stub: the implementation follows.)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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
    kind: str
    format: str
    width: int
    height: int
    data: bytes


@dataclass
class RenderResult:
    """Output of `render`: the metadata-free original (`original`, with its
    file extension `original_ext`), the renditions, a BlurHash placeholder
    and the dominant colour as '#rrggbb'."""

    original: bytes
    original_ext: str
    renditions: list[RenderedImage] = field(default_factory=list)
    placeholder: str = ""
    dominant_color: str = ""


def inspect(fileobj, policy: Policy) -> ImageInfo:
    raise NotImplementedError


def render(fileobj, specs: list[RenditionSpec]) -> RenderResult:
    raise NotImplementedError
