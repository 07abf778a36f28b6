"""The winners' gallery card and the award badges as HTML, written in
Python: 48 cards make a gallery page, and through the template engine
(an inclusion tag and an include per card) they cost about 13 ms of the
page's 30 (bench/bench_pages.py). The markup is the one the gallery's
stylesheet and lightbox script read; the gallery's size test keeps it
under 40 KB for 48 cards (tests/contest/test_gallery_size.py)."""

import functools

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from . import pictures
from .models import Country, Entry, listed_special_awards


@functools.lru_cache(maxsize=32)
def _caption_words(language: str) -> tuple[dict, dict]:
    # The countries' names and "N years" for ages 0-18 in `language`:
    # translated once per process, not 48 times a page.
    with translation.override(language):
        countries = {code: str(label) for code, label in Country.choices}
        ages = {age: ngettext("%(age)s year", "%(age)s years", age) % {"age": age} for age in range(19)}
    return countries, ages


def award_badges_html(entry: Entry) -> SafeString:
    """`<span class="badges">`: the place (a podium class for the first
    three) and each special award's name in the active language, in their
    order; special awards listed or prefetched, else one query."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    parts = ['<span class="badges">']
    if entry.award:
        podium = f" badge-place-{entry.award}" if entry.award <= 3 else ""
        parts.append(f'<span class="badge badge-place{podium}">{escape(entry.get_award_display())}</span>')
    for award in listed_special_awards(entry):
        parts.append(f'<span class="badge badge-special">{escape(award.name_in(language))}</span>')
    parts.append("</span>")
    return mark_safe("".join(parts))


def gallery_card_html(entry: Entry, *, eager: bool = False) -> SafeString:
    """One winner's `<li>` card: a link to the entry's page holding its
    picture (`pictures.card_picture`; the box's --ar gives its proportions,
    `eager` drops lazy loading for the first row), its badges, title and
    the caption (first name, age, country, and region when the family
    agreed to show it). The lightbox script takes the display rendition
    from the link's public id (data-lightbox-item; data-jpeg-only when it
    has no WebP)."""
    picture = pictures.card_picture(entry, eager=eager)
    lightbox = pictures.lightbox_image(entry)
    podium = f" gallery-card-place-{entry.award}" if entry.award and entry.award <= 3 else ""
    box = f' style="--ar:{picture["ratio"]}"' if picture else ""
    link = escape(pictures.entry_url(entry.public_id))
    if lightbox:
        link += '" data-lightbox-item' + ("" if lightbox["webp"] else " data-jpeg-only")
    else:
        link += '"'
    image = ""
    if picture:
        srcset = f' srcset="{escape(picture["srcset"])}"' if picture["srcset"] else ""
        lazy = "" if picture["eager"] else ' loading="lazy"'
        style = f' style="{escape(picture["style"])}"' if picture["style"] else ""
        image = f'<img src="{escape(picture["src"])}"{srcset} alt="{escape(picture["alt"])}"{lazy}{style}>'
    countries, ages = _caption_words(translation.get_language() or settings.LANGUAGE_CODE)
    age = ages.get(entry.child_age) or ngettext("%(age)s year", "%(age)s years", entry.child_age) % {"age": entry.child_age}
    country = countries.get(entry.country) or entry.get_country_display()
    region = f", {escape(entry.region)}" if entry.publish_region_consent and entry.region else ""
    caption = f"{escape(entry.child_first_name)}, {escape(age)}, {escape(country)}{region}"
    return mark_safe(
        f'<li class="card gallery-card{podium}"{box}><a href="{link}><span class="gallery-frame">{image}</span>'
        f'<span class="body">{award_badges_html(entry)}<span class="title">{escape(entry.title)}</span>'
        f'<span class="help caption">{caption}</span></span></a></li>'
    )
