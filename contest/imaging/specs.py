"""Which renditions to make (`RenditionSpec`, `DEFAULT_SPECS`) and one
made rendition (`RenderedImage`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenditionSpec:
    """One rendition to make: `kind` name, fit `width` (px, 0 = unbounded)
    and `long_side` (px, 0 = unbounded), never upscaled; `format` 'jpeg' or
    'webp'. `only_above` (px, 0 = always): made only when the upright
    original's long side is larger than this."""

    kind: str
    format: str
    width: int = 0
    long_side: int = 0
    only_above: int = 0

    def wanted_for(self, size: tuple[int, int]) -> bool:
        """Whether this rendition is made for an upright original of `size` (w, h)."""
        return not self.only_above or max(size) > self.only_above


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


# The long side of the display rendition, in pixels.
DISPLAY_LONG_SIDE = 1200

# The kinds match `contest.models.Rendition.Kind`, the formats `Rendition.Format`.
DEFAULT_SPECS: list[RenditionSpec] = [
    RenditionSpec(kind, fmt, width=width, long_side=long_side)
    for kind, width, long_side in (
        ("card", 400, 0),
        ("card2x", 800, 0),
        ("display", 0, DISPLAY_LONG_SIDE),
    )
    for fmt in ("webp", "jpeg")
]

# The judges' zoom: 2048 px on the long side, JPEG only (the viewer is
# opened on demand by a few people, so one format is enough and WebP's
# encode time is saved), made only when the original is larger than the
# display rendition, so it always holds more detail than that one.
ZOOM_SPECS: list[RenditionSpec] = [
    RenditionSpec("zoom", "jpeg", long_side=2048, only_above=DISPLAY_LONG_SIDE),
]
# The photo as it was sent (upright, neither straightened nor masked), for
# moderators only: the "before" beside the drawing and the ground on which
# they move the sheet's corners. Never shown to judges or the public.
PHOTO_SPECS: list[RenditionSpec] = [RenditionSpec("photo", "jpeg", long_side=1024)]
# Kinds made from the photo as sent; every other kind shows the drawing.
PHOTO_KINDS = frozenset(spec.kind for spec in PHOTO_SPECS)
# What the worker makes of every upload (`contest.renditions`).
WORKER_SPECS: list[RenditionSpec] = DEFAULT_SPECS + ZOOM_SPECS + PHOTO_SPECS
