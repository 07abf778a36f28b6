"""The judges' large `zoom` rendition: 2048 px on the long side, JPEG, made
by the worker only for an original larger than the display rendition;
kept by `prune_renditions`; never public."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contest import imaging, renditions
from contest.models import Entry, Rendition
from tests.factories.contest import EntryFactory, RenditionFactory, jpeg_bytes
from tests.factories.judging import JudgeAssignmentFactory, OrganizerFactory
from tests.helpers import judge_entry_url


def sizes(result) -> dict:
    return {(r.kind, r.format): (r.width, r.height) for r in result.renditions}


@pytest.mark.unit
def test_render_makes_the_zoom_for_an_original_larger_than_the_display_rendition():
    result = imaging.render(io.BytesIO(jpeg_bytes(3000, 2000)), imaging.WORKER_SPECS)

    assert sizes(result)[("zoom", "jpeg")] == (2048, 1365)
    assert sizes(result)[("display", "jpeg")] == (1200, 800)
    assert ("zoom", "webp") not in sizes(result)
    zoom = next(r for r in result.renditions if r.kind == "zoom")
    assert Image.open(io.BytesIO(zoom.data)).format == "JPEG"


@pytest.mark.unit
def test_render_zoom_is_never_upscaled_and_skipped_up_to_the_display_size():
    between = imaging.render(io.BytesIO(jpeg_bytes(1300, 1000)), imaging.WORKER_SPECS)
    exactly = imaging.render(io.BytesIO(jpeg_bytes(1200, 900)), imaging.WORKER_SPECS)
    small = imaging.render(io.BytesIO(jpeg_bytes(640, 480)), imaging.WORKER_SPECS)

    assert sizes(between)[("zoom", "jpeg")] == (1300, 1000)
    assert [r.kind for r in exactly.renditions if r.kind == "zoom"] == []
    assert sorted(sizes(small)) == sorted((s.kind, s.format) for s in imaging.DEFAULT_SPECS + imaging.PHOTO_SPECS)


@pytest.mark.unit
def test_zoom_spec_is_2048_px_jpeg_above_the_display_long_side():
    assert [(s.kind, s.format, s.long_side, s.only_above) for s in imaging.ZOOM_SPECS] == [
        ("zoom", "jpeg", 2048, 1200)
    ]
    assert imaging.WORKER_SPECS == imaging.DEFAULT_SPECS + imaging.ZOOM_SPECS + imaging.PHOTO_SPECS


@pytest.mark.django_db
@pytest.mark.usefixtures("local_files")
def test_worker_stores_the_zoom_rendition_of_a_large_original(django_capture_on_commit_callbacks):
    entry = EntryFactory(
        original__data=jpeg_bytes(2600, 1950), original__filename="upload", processing_status=Entry.Processing.RECEIVED
    )

    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)

    zoom = Rendition.objects.get(entry=entry, kind="zoom")
    assert (zoom.format, zoom.width, zoom.height) == ("jpeg", 2048, 1536)
    assert zoom.file.name == f"renditions/{entry.public_id}/zoom.jpg"
    assert Image.open(zoom.file.open("rb")).size == (2048, 1536)
    # The public set, the zoom and the moderators' photo as sent.
    assert Rendition.objects.filter(entry=entry).count() == len(imaging.DEFAULT_SPECS) + 2


@pytest.mark.django_db
def test_prune_renditions_keeps_the_zoom_kind(django_capture_on_commit_callbacks):
    entry = EntryFactory()
    RenditionFactory(entry=entry, kind="zoom", width=2048, height=1536)
    RenditionFactory(entry=entry, kind="display2x", width=2400, height=1800)
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_renditions", stdout=out)

    assert out.getvalue().strip() == "deleted 1 retired renditions"
    assert list(entry.renditions.values_list("kind", flat=True)) == ["zoom"]


@pytest.mark.django_db
@pytest.mark.usefixtures("local_files")
def test_zoom_is_never_public_organizers_and_judges_only(client):
    winner = EntryFactory(award=1, contest__results_published_at=timezone.now())
    RenditionFactory(entry=winner, kind="display")
    RenditionFactory(entry=winner, kind="zoom", width=2048, height=1536)
    public_url = reverse("contest:rendition", args=[winner.public_id, "zoom", "jpeg"])
    display_url = reverse("contest:rendition", args=[winner.public_id, "display", "jpeg"])

    anonymous = (client.get(public_url).status_code, client.get(display_url).status_code)
    client.force_login(JudgeAssignmentFactory(contest=winner.contest).judge)
    judge_by_public_id = client.get(public_url).status_code
    client.force_login(OrganizerFactory(contests=[winner.contest]))
    organizer = client.get(public_url)

    assert anonymous == (404, 200)
    assert judge_by_public_id == 404
    assert organizer.status_code == 200
    assert set(organizer["Cache-Control"].split(", ")) == {"private", "no-store"}


@pytest.mark.django_db
@pytest.mark.usefixtures("local_files")
def test_judge_gets_the_zoom_under_their_own_token(client):
    entry = EntryFactory(contest__opens_at=timezone.now() - timezone.timedelta(days=30),
                         contest__closes_at=timezone.now() - timezone.timedelta(days=1))
    zoom = RenditionFactory(entry=entry, kind="zoom", file__data=jpeg_bytes(2048, 1536), width=2048, height=1536)
    judge = JudgeAssignmentFactory(contest=entry.contest).judge
    client.force_login(judge)

    response = client.get(judge_entry_url("judging:entry_image", entry.contest, judge, entry, "zoom", "jpeg"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == zoom.file.open("rb").read()
    assert str(entry.public_id) not in judge_entry_url("judging:entry_image", entry.contest, judge, entry, "zoom", "jpeg")
