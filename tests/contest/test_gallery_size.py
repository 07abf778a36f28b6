"""The winners' gallery of a real contest's size stays small: 48 published
winners, every rendition in both formats, placeholders, badges, titles
and descriptions in Cyrillic, in at most 40 KB of HTML."""

import gzip

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from contest.models import SpecialAward
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory, jpeg_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

BLURHASH = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
# The pipeline's sizes of an upright A4 drawing.
SIZES = {"card": (400, 566), "card2x": (800, 1132), "display": (1131, 1600)}
GALLERY_MAX_BYTES = 40_000


def forty_eight_winners():
    """A published contest with 16 winners in each of its 3 age categories
    (places 1 to 12, four with a special award only)."""
    contest = ContestFactory()
    contest.results_published_at = timezone.now()
    contest.save()
    jury = SpecialAward.objects.create(contest=contest, name="Jury prize", names={"ru": "Приз жюри"})
    image = ContentFile(jpeg_bytes(8, 6), name="r.jpg")
    for category in contest.age_categories.all():
        for i in range(16):
            entry = EntryFactory(
                contest=contest, age_category=category, award=i + 1 if i < 12 else None,
                title=f"Пограничники на перевале {i}", description="Чек арабызды коргогон адамдар жөнүндө сүрөт.",
                child_first_name="Айгерим", placeholder=BLURHASH, dominant_color="#a05030",
            )
            for kind, (width, height) in SIZES.items():
                for fmt in ("jpeg", "webp"):
                    RenditionFactory(entry=entry, kind=kind, format=fmt, width=width, height=height, file=image)
            if i >= 12:
                jury.entries.add(entry)
    return contest


def test_gallery_of_48_winners_is_at_most_40_kb(client):
    contest = forty_eight_winners()

    client.cookies["django_language"] = "ru"
    page = client.get(reverse("contest:gallery", args=[contest.slug])).content

    assert page.count(b'class="card gallery-card') == 48
    assert len(page) <= GALLERY_MAX_BYTES, len(page)
    assert len(gzip.compress(page)) <= GALLERY_MAX_BYTES // 4
