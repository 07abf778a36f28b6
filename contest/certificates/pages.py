"""From a certificate's facts (`contest.selectors.certificates`) to its
page: every word in the family's language, the date in that language's
format, and the drawing read through the storage API (the local disk or
S3 alike)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import formats, translation
from django.utils.translation import gettext as _

from ..models import Country, Rendition, place_label
from ..selectors.certificates import CertificateFacts
from .layout import CertificatePage


def _image(name: str) -> bytes | None:
    if not name:
        return None
    storage = Rendition._meta.get_field("file").storage
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        # A rendition the sweeper is re-making: the certificate goes
        # without its picture rather than not at all.
        return None


def level_reached(facts: CertificateFacts) -> str:
    """The level a drawing of a regional contest reached, in the active
    language ("Regional final", "National round: Kyrgyzstan"); "" for an
    ordinary contest."""
    if facts.level == "final":
        return _("Regional final")
    if facts.level == "national":
        return _("National round: %(country)s") % {"country": Country(facts.country).label}
    return ""


def certificate_page(*, facts: CertificateFacts) -> CertificatePage:
    """The page of one certificate, worded in `facts.language`, with the
    drawing's bytes read from storage (None when missing)."""
    with translation.override(facts.language):
        awards = [place_label(facts.place)] if facts.place else []
        awards += list(facts.special_awards)
        if facts.is_award:
            heading = _("Award certificate")
            statement = _("for the drawing “%(title)s”") % {"title": facts.title}
        else:
            heading = _("Certificate of participation")
            statement = _("for taking part in the contest with the drawing “%(title)s”") % {"title": facts.title}
        return CertificatePage(
            heading=heading,
            lead=_("Presented to"),
            first_name=facts.first_name,
            award=" · ".join(awards),
            statement=statement,
            contest_title=" · ".join(part for part in (facts.contest_title, level_reached(facts)) if part),
            date=formats.date_format(facts.date, "DATE_FORMAT"),
            language=facts.language,
            image=_image(facts.image_name),
        )


def certificate_pages(*, facts: Iterable[CertificateFacts]) -> Iterator[CertificatePage]:
    """`certificate_page` of each item, made one at a time as it is read."""
    for item in facts:
        yield certificate_page(facts=item)
