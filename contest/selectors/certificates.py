"""Reads for the certificates: which entries get one, and the plain facts
each certificate is made of (`contest.certificates` turns them into words
in the family's language and into a PDF).

A certificate of participation goes to every entry that took part: its
guardian confirmed it, a moderator approved it and its images are ready
(`Entry.objects.judgeable()`), once the contest's results are published
and while the entry's personal data are kept. An entry holding a place or
a special award gets an award certificate instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from ..models import Contest, ContestTranslation, Entry, Rendition, SpecialAward
from .public import contest_content

# The drawing on a certificate: the first of these JPEG renditions the
# entry has. 800 px wide prints at about 190 dpi in the certificate's
# picture box and keeps a contest's printing file small.
IMAGE_KINDS = (Rendition.Kind.CARD_2X, Rendition.Kind.DISPLAY, Rendition.Kind.CARD)
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class CertificateFacts:
    """What one certificate says, as data: the child's first name (never
    the last name), the drawing's title, the family's `language` (a code
    of `settings.LANGUAGES`), the contest's title in that language, the
    place (None without one), the special awards' names in that language,
    the results' publication `date` in the contest's time zone, and the
    storage name of the drawing's JPEG rendition ("" when it has none)."""

    entry_id: int
    reference: str
    first_name: str
    title: str
    language: str
    contest_title: str
    place: int | None
    special_awards: tuple[str, ...]
    date: dt.date
    image_name: str = ""
    # The level the drawing reached in a regional contest: "final" (an
    # entry promoted to the regional final), "national" (an entry of a
    # national round, `country` its code), "" for an ordinary contest.
    level: str = ""
    country: str = ""

    @property
    def is_award(self) -> bool:
        return self.place is not None or bool(self.special_awards)


def certificate_entries(*, contest: Contest) -> QuerySet:
    """The contest's entries that get a certificate (see the module's
    docstring), by age category, place (entries without one last) and
    reference; none before the results are published. Not evaluated: no
    query until read."""
    if contest.results_published_at is None:
        return Entry.objects.none()
    return (
        Entry.objects.judgeable()
        .filter(contest=contest, personal_data_purged_at__isnull=True)
        .order_by("age_category__min_age", "age_category_id", F("award").asc(nulls_last=True), "reference")
    )


def certificate_available(*, entry: Entry) -> bool:
    """Whether `entry` (with its contest loaded) gets a certificate: the
    rule of `certificate_entries` for one entry in hand, no query."""
    return (
        entry.contest.results_published_at is not None
        and entry.personal_data_purged_at is None
        and entry.is_judgeable
    )


def _language(entry: Entry, contest: Contest) -> str:
    return entry.language if entry.language in LANGUAGE_CODES else contest.default_language


def _image_name(entry: Entry) -> str:
    jpegs = {r.kind: r.file.name for r in entry.renditions.all() if r.format == Rendition.Format.JPEG}
    return next((jpegs[kind] for kind in IMAGE_KINDS if kind in jpegs), "")


def _facts(entry: Entry, contest: Contest) -> CertificateFacts:
    language = _language(entry, contest)
    return CertificateFacts(
        entry_id=entry.pk,
        reference=entry.reference,
        first_name=entry.child_first_name,
        title=entry.title,
        language=language,
        contest_title=contest_content(contest=contest, language=language).title,
        place=entry.award,
        special_awards=tuple(award.name_in(language) for award in entry.special_awards.all()),
        date=timezone.localtime(contest.results_published_at, contest.tzinfo).date(),
        image_name=_image_name(entry),
        level="final" if entry.promoted_from_id else "national" if contest.parent_id else "",
        country=contest.country,
    )


def _prefetched(entries: QuerySet) -> QuerySet:
    return entries.prefetch_related(
        Prefetch("renditions", queryset=Rendition.objects.filter(format=Rendition.Format.JPEG, kind__in=IMAGE_KINDS)),
        Prefetch("special_awards", queryset=SpecialAward.objects.order_by("order", "id")),
    )


def certificate_for_entry(*, entry: Entry) -> CertificateFacts | None:
    """The facts of `entry`'s certificate (its contest loaded, e.g. by
    `entry_for_guardian`), or None when it gets none. Two queries (the
    special awards, the contest's texts), three unless the renditions were
    prefetched."""
    if not certificate_available(entry=entry):
        return None
    return _facts(entry, entry.contest)


def certificates_for_contest(*, contest: Contest) -> list[CertificateFacts]:
    """The facts of every certificate of `contest`, in the order of
    `certificate_entries`; [] before the results are published. Five
    queries whatever the number of entries (the contest with its texts,
    the entries, their renditions and special awards)."""
    contest = (
        Contest.objects.prefetch_related(Prefetch("translations", queryset=ContestTranslation.objects.all()))
        .get(pk=contest.pk)
    )
    entries = _prefetched(
        certificate_entries(contest=contest).only(
            "id", "reference", "child_first_name", "title", "language", "award", "contest_id", "age_category_id",
            "promoted_from_id",
        )
    )
    return [_facts(entry, contest) for entry in entries]
