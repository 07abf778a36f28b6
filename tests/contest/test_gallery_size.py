"""The winners' gallery of a real contest's size stays small: 48 published
winners, every rendition in both formats, placeholders, badges, titles
and descriptions in Cyrillic, in at most 40 KB of HTML."""

import gzip

import pytest
from django.urls import reverse

from tests.factories.contest import gallery_contest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

GALLERY_MAX_BYTES = 40_000


def test_gallery_of_48_winners_is_at_most_40_kb(client):
    contest = gallery_contest()

    client.cookies["django_language"] = "ru"
    page = client.get(reverse("contest:gallery", args=[contest.slug])).content

    assert page.count(b'class="card gallery-card') == 48
    assert len(page) <= GALLERY_MAX_BYTES, len(page)
    assert len(gzip.compress(page)) <= GALLERY_MAX_BYTES // 4
