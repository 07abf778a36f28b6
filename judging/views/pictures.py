"""The drawing on the judges' scoring pages, drawn as on the public entry
page (presentation for the views: URLs and srcsets are built here, from
the data `selectors.display_renditions` reads)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from contest import pictures
from contest.models import Contest, Entry, Rendition

from .. import selectors
from ..selectors import BlindEntry

DISPLAY_SIZES = "(max-width: 70rem) calc(100vw - 2rem), 68rem"  # as the public entry page
# The score sheet: beside the criteria from 60em on (static/css/site.css, .sheet).
SHEET_SIZES = "(min-width: 60em) calc(100vw - 26rem), calc(100vw - 2rem)"


def display_picture(*, contest: Contest, entry: BlindEntry, sizes: str = DISPLAY_SIZES) -> dict | None:
    """The scoring page's <picture> of an entry: WebP and JPEG sources
    whose srcset holds the `card2x` and `display` renditions (by width),
    the display size as width/height, the placeholder (dominant colour and
    BlurHash) as a style, and the alt text under the judge's label. The
    images come from the judges' image view under the judge's own token for
    the entry (`entry_token`): nothing that names the child or the entry's
    public id. `zoom_src` (with `zoom_width`, `zoom_height`) is the largest
    JPEG for the zoom viewer: the `zoom` rendition when there is one, else
    the display one. None when the entry has no JPEG display rendition. Two
    queries."""
    found = selectors.display_renditions(entry=entry)
    if found is None:
        return None

    def image_url(kind, fmt):
        return reverse("judging:entry_image", args=[contest.slug, entry.token, kind, fmt])

    def srcset(fmt):
        candidates = {}
        for kind in (Rendition.Kind.CARD_2X, Rendition.Kind.DISPLAY):
            width = found.widths.get((kind, fmt))
            if width is not None and (kind == Rendition.Kind.DISPLAY or width < found.width):
                candidates[width] = f"{image_url(kind, fmt)} {width}w"
        return ", ".join(candidates[w] for w in sorted(candidates))

    return {
        **_zoom(found, image_url),
        "src": image_url(Rendition.Kind.DISPLAY, Rendition.Format.JPEG),
        "jpeg_srcset": srcset(Rendition.Format.JPEG),
        "webp_srcset": srcset(Rendition.Format.WEBP),
        "sizes": sizes,
        "width": found.width,
        "height": found.height,
        "alt": _("Drawing %(label)s") % {"label": entry.label},
        "style": pictures.placeholder_style(
            Entry(placeholder=found.placeholder, dominant_color=found.dominant_color),
            width=found.width, height=found.height,
        ),
    }


def _zoom(found, image_url) -> dict:
    """The zoom viewer's image: the JPEG `zoom` rendition, else the display one."""
    if found.zoom_size is None:
        return {"zoom_src": image_url(Rendition.Kind.DISPLAY, Rendition.Format.JPEG),
                "zoom_width": found.width, "zoom_height": found.height}
    return {"zoom_src": image_url(Rendition.Kind.ZOOM, Rendition.Format.JPEG),
            "zoom_width": found.zoom_size[0], "zoom_height": found.zoom_size[1]}
