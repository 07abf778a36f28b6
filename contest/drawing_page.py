"""What the moderators' page "The drawing" shows (`views.drawing`): the
photo as sent with the sheet's corners, the drawing as judges see it,
the regions hidden, and the faces and names the worker found as
suggested regions, each with the list a button sends to add or remove
it (so the page works without JavaScript)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .models import Entry, Rendition


@dataclass(frozen=True)
class Region:
    """A box on a picture in percent (`x`, `y`, `w`, `h`), its `style`
    ("blur", "fill", or "" for a suggestion), and `masks_json`, the whole
    list of hidden regions once this one is removed (a region already
    hidden) or added (a suggestion)."""

    x: float
    y: float
    w: float
    h: float
    style: str
    masks_json: str


@dataclass(frozen=True)
class Picture:
    """A rendition's URL arguments and size in pixels."""

    kind: str
    width: int
    height: int


@dataclass(frozen=True)
class DrawingPage:
    """Everything the template needs besides the forms."""

    photo: Picture | None
    drawing: Picture | None
    corners: list[tuple[float, float]] | None
    corners_points: str
    masks: list[Region]
    masks_json: str
    faces: list[Region]
    face_suggestions: list[Region]
    name_suggestions: list[Region]
    busy: bool
    flagged: bool


def _percent(box: dict) -> tuple[float, float, float, float]:
    return tuple(round(float(box[key]) * 100, 2) for key in ("x", "y", "w", "h"))


def _mask(box: dict, style: str) -> dict:
    # One key order whatever the database kept (PostgreSQL's jsonb sorts keys).
    return {"x": box["x"], "y": box["y"], "w": box["w"], "h": box["h"], "style": style}


def _dumps(masks: list[dict]) -> str:
    return json.dumps(masks, separators=(",", ":"))


def drawing_page(*, entry: Entry) -> DrawingPage:
    """The page of `entry` (its renditions read in one query). The faces
    (found in the upright photo) are suggested as regions of the drawing
    only when the drawing is the photo itself (not straightened); names
    always (found in the drawing)."""
    pictures = {
        row.kind: Picture(row.kind, row.width, row.height)
        for row in Rendition.objects.filter(
            entry=entry, format=Rendition.Format.JPEG, kind__in=[Rendition.Kind.PHOTO, Rendition.Kind.DISPLAY]
        )
    }
    current = [_mask(mask, mask.get("style", "fill")) for mask in entry.image_masks or []]
    masks = [
        Region(*_percent(mask), mask["style"], _dumps(current[:i] + current[i + 1:]))
        for i, mask in enumerate(current)
    ]
    findings = entry.privacy_findings or {}

    def suggestions(boxes):
        return [Region(*_percent(box), "", _dumps([*current, _mask(box, "blur")])) for box in boxes]

    faces = [Region(*_percent(box), "", "") for box in findings.get("faces", [])]
    corners = [tuple(point) for point in entry.sheet_corners] if entry.sheet_corners else None
    return DrawingPage(
        photo=pictures.get(Rendition.Kind.PHOTO),
        drawing=pictures.get(Rendition.Kind.DISPLAY),
        corners=corners,
        corners_points=" ".join(f"{x * 100:.2f},{y * 100:.2f}" for x, y in corners) if corners else "",
        masks=masks,
        masks_json=_dumps(current),
        faces=faces,
        face_suggestions=suggestions(findings.get("faces", [])) if not entry.sheet_corners else [],
        name_suggestions=suggestions(findings.get("names", [])),
        busy=entry.processing_status in (Entry.Processing.RECEIVED, Entry.Processing.PROCESSING),
        flagged=entry.privacy_review == Entry.PrivacyReview.FLAGGED,
    )
