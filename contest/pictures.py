"""How a published entry's renditions become responsive HTML pictures:
srcset with width descriptors, `sizes` that follow the gallery grid, the
boxes' width and height (no layout shift), alt text, and a placeholder that
paints with the page (the dominant colour and the BlurHash as a tiny PNG in
a data: URI; the CSP allows style attributes and data: images)."""

import base64
import functools
import re
import uuid

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import Truncator

from . import imaging
from .models import Entry, Rendition, listed_renditions

# The card's width in the gallery, from the "Winners' gallery" section of
# static/css/site.css: justified rows across the whole window, 2 cards a row
# below 30em, 2 or 3 up to 64em, 4 or 5 up to 100em, 5 or 6 above: about
# 190 CSS px on a phone, at most about 400 on a laptop or a wide screen. The
# card rendition (400 px wide) serves 1x screens, card2x (800 px) 2x and 3x
# ones: x descriptors, no `sizes` (60 bytes a card, 48 cards a page). Keep
# both in step.
CARD_WIDTH_CSS = 400
CARD_KINDS = (Rendition.Kind.CARD, Rendition.Kind.CARD_2X)
ALT_DESCRIPTION_CHARS = 120
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def picture_alt(entry: Entry) -> str:
    """The artwork's title and the child's own description (shortened);
    never the child's name."""
    if not entry.description:
        return entry.title
    return f"{entry.title}: {_shortened(entry.description)}"


def card_alt(entry: Entry) -> str:
    """The gallery card picture's alt text: the child's own description
    (shortened), or "" without one. The title is the card link's own text
    beside it: repeated in the alt, a screen reader would read it twice."""
    return _shortened(entry.description) if entry.description else ""


def _shortened(text: str) -> str:
    # Truncator counts characters with combining marks apart: slow, and
    # needed only when the text may be too long.
    text = " ".join(text.split())
    return text if len(text) <= ALT_DESCRIPTION_CHARS else Truncator(text).chars(ALT_DESCRIPTION_CHARS)


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


# Stands for an entry's public id in address templates.
_ANY_ID = uuid.UUID(int=0)


@functools.lru_cache(maxsize=16)
def _url_pattern(name: str, prefix: str, urlconf) -> str:
    # `reverse` once per URL configuration, then string formatting: a
    # gallery page names 200 addresses, and the resolver costs 50 µs each.
    if name == "contest:rendition":
        sample = reverse(name, args=[_ANY_ID, "KIND", "FORMAT"], urlconf=urlconf)
        return sample.replace("%", "%%").replace(str(_ANY_ID), "%(id)s").replace("KIND", "%(kind)s").replace(
            "FORMAT", "%(format)s")
    return reverse(name, args=[_ANY_ID], urlconf=urlconf).replace("%", "%%").replace(str(_ANY_ID), "%(id)s")


def rendition_url(public_id, kind: str, fmt: str) -> str:
    """The address of a rendition (`contest:rendition`), as `reverse` gives
    it, for `public_id` (UUID) and `kind`/`fmt` (slugs)."""
    pattern = _url_pattern("contest:rendition", get_script_prefix(), get_urlconf())
    return pattern % {"id": public_id, "kind": kind, "format": fmt}


def entry_url(public_id) -> str:
    """The address of an entry's public page (`contest:entry_detail`), as
    `reverse` gives it, for `public_id` (UUID)."""
    return _url_pattern("contest:entry_detail", get_script_prefix(), get_urlconf()) % {"id": public_id}


def _url(entry, rendition) -> str:
    return rendition_url(entry.public_id, rendition.kind, rendition.format)


def _srcset_2x(entry, rows) -> str:
    # The 2x candidate, unless it is no wider than the 1x (a small drawing).
    if len(rows) < 2 or rows[1].width <= rows[0].width:
        return ""
    return f"{_url(entry, rows[1])} 2x"


def card_picture(entry: Entry, *, eager: bool = False) -> dict | None:
    """The gallery card's picture of a published `entry` (renditions
    prefetched), or None when it has no card yet: one <img> with the WebP
    cards (every browser the portal supports shows WebP), the JPEG cards
    when an entry has no WebP; the card at 1x, card2x at 2x (a card is
    at most about 400 CSS px wide: `CARD_WIDTH_CSS`), so no `sizes`
    attribute. Its placeholder is the dominant colour alone (the BlurHash
    picture, 300 bytes a card, is the entry page's), its alt text the
    child's words (`card_alt`). The box's size comes
    from `ratio` (CSS aspect-ratio). Dict of `src`, `srcset`, `width`,
    `height` (px), `ratio`, `alt`, `style`, `eager`."""
    rows = {(r.kind, r.format): r for r in listed_renditions(entry)}
    cards = [rows[(kind, Rendition.Format.WEBP)] for kind in CARD_KINDS if (kind, Rendition.Format.WEBP) in rows]
    if not cards:
        cards = [rows[(kind, Rendition.Format.JPEG)] for kind in CARD_KINDS if (kind, Rendition.Format.JPEG) in rows]
    if not cards:
        return None
    fallback = cards[0]
    colour = entry.dominant_color or ""
    return {
        "src": _url(entry, fallback),
        "srcset": _srcset_2x(entry, cards),
        "width": fallback.width,
        "height": fallback.height,
        "ratio": aspect_ratio(fallback.width, fallback.height),
        "alt": card_alt(entry),
        "style": f"background:{colour}" if _COLOR.fullmatch(colour) else "",
        "eager": eager,
    }


def display_url_template(fmt: str) -> str:
    """The address of any entry's display rendition in `fmt` ("jpeg",
    "webp"), with "{id}" where the entry's public id goes (the gallery's
    lightbox script fills it in from the card's link)."""
    return rendition_url("{id}", Rendition.Kind.DISPLAY, fmt)


def lightbox_image(entry: Entry) -> dict | None:
    """What the gallery's lightbox needs to know of an entry's display
    rendition: {"webp": whether it exists in WebP too}; None when it has
    no JPEG display rendition (the card stays a plain link). Its address
    comes from `display_url_template`, its proportions from the card's."""
    rows = {(r.kind, r.format) for r in listed_renditions(entry)}
    if (Rendition.Kind.DISPLAY, Rendition.Format.JPEG) not in rows:
        return None
    return {"webp": (Rendition.Kind.DISPLAY, Rendition.Format.WEBP) in rows}
