"""What the worker is asked to do to a photo besides the renditions (a
`Geometry`) and the shapes it answers in (`Box`, `Mask`, corners).

Every coordinate is normalized: x and y from 0 to 1 across the image they
belong to, so they hold at every decode scale and rendition size. Corners
and faces belong to the upright photo; masks and name boxes to the drawing
as shown (straightened when the sheet was straightened).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Four (x, y) points, top-left, top-right, bottom-right, bottom-left.
Corners = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]

SHEET_MODES = ("auto", "photo", "manual")
MASK_STYLES = ("blur", "fill")


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: left `x`, top `y`, width `w`, height `h`,
    normalized (0..1) to its image."""

    x: float
    y: float
    w: float
    h: float

    def to_dict(self) -> dict:
        return {"x": round(self.x, 4), "y": round(self.y, 4), "w": round(self.w, 4), "h": round(self.h, 4)}

    def pixels(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in pixels of an image of `size` (w, h), clamped to it."""
        width, height = size
        left = min(max(int(self.x * width), 0), width)
        top = min(max(int(self.y * height), 0), height)
        right = min(max(int(round((self.x + self.w) * width)), left), width)
        bottom = min(max(int(round((self.y + self.h) * height)), top), height)
        return left, top, right, bottom


@dataclass(frozen=True)
class Mask:
    """A region to hide on every rendition: `box` (normalized to the drawing
    as shown) and `style`, "blur" (a strong blur) or "fill" (one flat colour)."""

    box: Box
    style: str = "fill"

    @classmethod
    def from_dict(cls, data: dict) -> "Mask":
        """From the stored shape {"x", "y", "w", "h", "style"}. Raises
        ValueError for a style not in `MASK_STYLES`, a size out of 0..1 or
        an empty box."""
        box = Box(float(data["x"]), float(data["y"]), float(data["w"]), float(data["h"]))
        style = data.get("style", "fill")
        if style not in MASK_STYLES:
            raise ValueError(f"unknown mask style {style!r}")
        if not (0 <= box.x < 1 and 0 <= box.y < 1 and 0 < box.w <= 1 and 0 < box.h <= 1):
            raise ValueError("mask outside the image")
        return cls(box=box, style=style)

    def to_dict(self) -> dict:
        return {**self.box.to_dict(), "style": self.style}


def corners_valid(corners) -> Corners:
    """`corners` as a `Corners` tuple: four (x, y) pairs within 0..1 that
    make a convex quadrilateral in the order top-left, top-right,
    bottom-right, bottom-left (clockwise on screen). Raises ValueError
    otherwise."""
    try:
        points = tuple((float(x), float(y)) for x, y in corners)
    except (TypeError, ValueError) as exc:
        raise ValueError("corners must be four (x, y) pairs") from exc
    if len(points) != 4:
        raise ValueError("corners must be four (x, y) pairs")
    if any(not (0 <= v <= 1) for point in points for v in point):
        raise ValueError("corners outside the image")
    # Clockwise on screen (y down): every cross product positive.
    for i in range(4):
        (ax, ay), (bx, by), (cx, cy) = points[i], points[(i + 1) % 4], points[(i + 2) % 4]
        if (bx - ax) * (cy - by) - (by - ay) * (cx - bx) <= 0:
            raise ValueError("corners do not make a convex quadrilateral in clockwise order")
    return points  # type: ignore[return-value]


@dataclass(frozen=True)
class Geometry:
    """What `render` does with the photo.

    `mode`: "auto" (find the sheet and straighten it when found with
    confidence), "photo" (keep the photo as it was sent), "manual"
    (straighten along `corners`, a moderator's). `masks` are drawn on every
    rendition, never on the stored original. `find_faces`: look for a
    person's face in the photo. `names`: words (the child's first and last
    name) to look for in the drawing with OCR, when tesseract is installed.
    """

    mode: str = "auto"
    corners: Corners | None = None
    masks: tuple[Mask, ...] = field(default_factory=tuple)
    find_faces: bool = True
    names: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if self.mode not in SHEET_MODES:
            raise ValueError(f"unknown sheet mode {self.mode!r}")
        if self.mode == "manual" and self.corners is None:
            raise ValueError("manual mode needs corners")
