"""Which renditions to make (`RenditionSpec`, `DEFAULT_SPECS`) and one
made rendition (`RenderedImage`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenditionSpec:
    """One rendition to make: `kind` name, fit `width` (px, 0 = unbounded)
    and `long_side` (px, 0 = unbounded), never upscaled; `format` 'jpeg' or 'webp'."""

    kind: str
    format: str
    width: int = 0
    long_side: int = 0


FORMAT_EXT = {"jpeg": "jpg", "webp": "webp"}


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
