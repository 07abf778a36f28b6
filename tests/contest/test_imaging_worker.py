"""The worker renders with the same upload policy as the request: the site's
settings, tightened by the contest's own limits."""

import pytest

from contest import renditions
from contest.models import Entry, Rendition
from tests.factories.contest import ContestFactory
from tests.contest.test_renditions import corpus_bytes, received_entry

pytestmark = [pytest.mark.django_db, pytest.mark.corpus, pytest.mark.usefixtures("local_files")]


def test_entry_renditions_generate_uses_the_site_settings(settings, django_capture_on_commit_callbacks):
    # Raised above the 40 MP default: the worker must not refuse what the request accepted.
    settings.UPLOAD_MAX_PIXELS = 41_000_000
    entry = received_entry(corpus_bytes("crafted/over_40mp_8000x5001.jpg"))

    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)

    entry.refresh_from_db()
    assert (entry.processing_status, entry.processing_error) == (Entry.Processing.READY, "")
    assert entry.renditions.get(kind="display", format="jpeg").width == 1200


def test_entry_renditions_generate_uses_the_contests_own_limits(django_capture_on_commit_callbacks):
    entry = received_entry(corpus_bytes("real/pillow_hopper.webp"), contest=ContestFactory(upload_min_side=300))

    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)

    entry.refresh_from_db()
    assert entry.processing_status == Entry.Processing.FAILED
    assert entry.processing_error.startswith("The image is too small or too narrow.")
    assert Rendition.objects.filter(entry=entry).count() == 0
