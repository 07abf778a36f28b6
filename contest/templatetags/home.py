"""Template tags of the home page: a winner's picture, sized for the
featured drawing or for the winners' strip, with the title alone as its
alt text (the home page never shows the child's description)."""

from django import template
from django.urls import reverse

from contest import pictures
from contest.models import Rendition, listed_renditions

register = template.Library()

# The boxes' widths, from the home page's section of static/css/site.css:
# the featured drawing takes the right half of `main` (at most 70rem) from
# 48em, the whole width below; the strip has 2 columns, 3 from 40em and
# 4 from 64em. Keep both in step.
SIZES = {
    "featured": "(min-width: 70em) 33rem, (min-width: 48em) calc(50vw - 2rem), calc(100vw - 2rem)",
    "strip": "(min-width: 70em) 16rem, (min-width: 64em) calc((100vw - 6rem) / 4), "
    "(min-width: 40em) calc((100vw - 4rem) / 3), calc((100vw - 3rem) / 2)",
}
# Every width a box may need: the featured drawing may be 33rem wide on a
# 2x screen, so the display rendition (1200 px) is offered too.
KINDS = {
    "featured": (Rendition.Kind.CARD, Rendition.Kind.CARD_2X, Rendition.Kind.DISPLAY),
    "strip": (Rendition.Kind.CARD, Rendition.Kind.CARD_2X),
}


def _srcset(entry, rows) -> str:
    by_width = {}
    for row in rows:
        by_width.setdefault(row.width, row)
    return ", ".join(
        f"{reverse('contest:rendition', args=[entry.public_id, row.kind, row.format])} {width}w"
        for width, row in sorted(by_width.items())
    )


def winner_picture(entry, *, size: str = "strip", eager: bool = False) -> dict | None:
    """The picture of a published winner (renditions prefetched) for the
    box `size` ("featured" or "strip"): {src, jpeg_srcset, webp_srcset,
    sizes, width, height, alt, style, eager}; None without a card
    rendition of the box's kinds. A winner with WebP renditions only gets
    a WebP fallback."""
    rows = {(r.kind, r.format): r for r in listed_renditions(entry)}
    jpeg = [rows[(k, Rendition.Format.JPEG)] for k in KINDS[size] if (k, Rendition.Format.JPEG) in rows]
    webp = [rows[(k, Rendition.Format.WEBP)] for k in KINDS[size] if (k, Rendition.Format.WEBP) in rows]
    fallback = (jpeg or webp or [None])[0]
    if fallback is None:
        return None
    return {
        "src": reverse("contest:rendition", args=[entry.public_id, fallback.kind, fallback.format]),
        "jpeg_srcset": _srcset(entry, jpeg or webp),
        "webp_srcset": _srcset(entry, webp) if jpeg else "",
        "sizes": SIZES[size],
        "width": fallback.width,
        "height": fallback.height,
        "alt": entry.title,
        "style": pictures.placeholder_style(entry, width=fallback.width, height=fallback.height),
        "eager": eager,
    }


@register.inclusion_tag("contest/_home_picture.html")
def home_picture(entry, size="strip", eager=False):
    """A winner's <picture> for the home page (see `winner_picture`);
    nothing without a card."""
    return {"picture": winner_picture(entry, size=size, eager=eager)}
