"""How a published entry's renditions become responsive HTML pictures:
srcset with width descriptors, `sizes` that follow the gallery grid, the
boxes' width and height (no layout shift), alt text, and a placeholder that
paints with the page (the dominant colour and the BlurHash as a tiny PNG in
a data: URI; the CSP allows style attributes and data: images)."""

import base64
import re

from django.urls import reverse
from django.utils.text import Truncator

from . import imaging
from .models import Entry, Rendition

# The card's width in the gallery, from the "Winners' gallery" section of
# static/css/site.css: justified rows across the whole window (1rem padding
# each side, .75rem gaps), 2 cards a row below 30em, 2 or 3 up to 64em, 4 or
# 5 up to 100em, 5 or 6 above; a card grows past its share when its row
# holds wider drawings. Keep both in step.
CARD_SIZES = (
    "(min-width: 100em) 20vw, "
    "(min-width: 64em) 28vw, "
    "calc(50vw - 1.5rem)"
)
CARD_KINDS = (Rendition.Kind.CARD, Rendition.Kind.CARD_2X)
ALT_DESCRIPTION_CHARS = 120
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def picture_alt(entry: Entry) -> str:
    """The artwork's title and the child's own description (shortened);
    never the child's name."""
    if not entry.description:
        return entry.title
    return f"{entry.title}: {Truncator(' '.join(entry.description.split())).chars(ALT_DESCRIPTION_CHARS)}"


def aspect_ratio(width: int, height: int) -> str:
    """width / height as a CSS number ("0.7071"), the value of the `--ar`
    custom property the gallery's and the entry page's boxes are sized by;
    "1" when a side is unknown (0)."""
    if not width or not height:
        return "1"
    return f"{width / height:.4f}"


def placeholder_style(entry: Entry, *, width: int, height: int) -> str:
    """A style attribute value that paints the image's colours before its
    bytes arrive; "" when the entry has neither placeholder."""
    parts = []
    if _COLOR.fullmatch(entry.dominant_color or ""):
        parts.append(f"background-color:{entry.dominant_color}")
    png = imaging.placeholder_png(entry.placeholder or "", *imaging.placeholder_size(width, height))
    if png:
        # Stretched over the box, which has the image's own proportions.
        data = base64.b64encode(png).decode("ascii")
        parts.append(f"background-image:url(data:image/png;base64,{data});background-size:100% 100%")
    return ";".join(parts)


def _url(entry, rendition) -> str:
    return reverse("contest:rendition", args=[entry.public_id, rendition.kind, rendition.format])


def _srcset(entry, rows) -> str:
    # One candidate per width: a small drawing may have card2x as narrow as card.
    by_width = {}
    for row in rows:
        by_width.setdefault(row.width, row)
    return ", ".join(f"{_url(entry, row)} {width}w" for width, row in sorted(by_width.items()))


def card_picture(entry: Entry, *, eager: bool = False) -> dict | None:
    """The gallery card's picture of a published `entry` (renditions
    prefetched), or None when it has no JPEG card yet."""
    rows = {(r.kind, r.format): r for r in entry.renditions.all()}
    jpeg = [rows[(kind, Rendition.Format.JPEG)] for kind in CARD_KINDS if (kind, Rendition.Format.JPEG) in rows]
    webp = [rows[(kind, Rendition.Format.WEBP)] for kind in CARD_KINDS if (kind, Rendition.Format.WEBP) in rows]
    if not jpeg:
        return None
    fallback = jpeg[0]
    return {
        "src": _url(entry, fallback),
        "jpeg_srcset": _srcset(entry, jpeg),
        "webp_srcset": _srcset(entry, webp),
        "sizes": CARD_SIZES,
        "width": fallback.width,
        "height": fallback.height,
        "ratio": aspect_ratio(fallback.width, fallback.height),
        "alt": picture_alt(entry),
        "style": placeholder_style(entry, width=fallback.width, height=fallback.height),
        "eager": eager,
    }


def lightbox_image(entry: Entry) -> dict | None:
    """The display rendition the gallery's lightbox shows, or None."""
    rows = {(r.kind, r.format): r for r in entry.renditions.all()}
    jpeg = rows.get((Rendition.Kind.DISPLAY, Rendition.Format.JPEG))
    if jpeg is None:
        return None
    webp = rows.get((Rendition.Kind.DISPLAY, Rendition.Format.WEBP))
    return {
        "src": _url(entry, jpeg),
        "webp": _url(entry, webp) if webp is not None else "",
        "width": jpeg.width,
        "height": jpeg.height,
    }
