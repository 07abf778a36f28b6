"""The rendition service and task with real files in a temporary MEDIA_ROOT."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from contest import imaging, renditions
from contest.models import Entry, Rendition
from contest.tasks import task_entry_renditions_generate
from tests.factories.contest import ContestFactory, EntryFactory
from tests.helpers import stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.corpus, pytest.mark.usefixtures("local_files")]


CORPUS = Path(settings.CORPUS_DIR)


def corpus_bytes(name: str) -> bytes:
    path = CORPUS / name
    if not path.is_file():
        pytest.fail(f"the image corpus is missing: {path} (set CORPUS_DIR or check out shared/corpus)")
    return path.read_bytes()


def media_files() -> list[str]:
    return stored_files(settings.MEDIA_ROOT)


def received_entry(data: bytes, **kwargs) -> Entry:
    return EntryFactory(
        original__data=data,
        original__filename="upload",
        processing_status=Entry.Processing.RECEIVED,
        **kwargs,
    )


def expected_keys(entry: Entry, *, zoom: bool = False) -> list[str]:
    """The stored files of a rendered entry; `zoom` for an original larger
    than the display rendition (the judges' zoom rendition is made too).
    The moderators' photo as sent is always made."""
    specs = imaging.DEFAULT_SPECS + imaging.PHOTO_SPECS + (imaging.ZOOM_SPECS if zoom else [])
    keys = [f"renditions/{entry.public_id}/{s.kind}.{imaging.FORMAT_EXT[s.format]}" for s in specs]
    return sorted(keys + [f"originals/{entry.contest_id}/{entry.public_id}.jpg"])


def test_entry_renditions_generate_twice_leaves_one_set(django_capture_on_commit_callbacks):
    entry = received_entry(corpus_bytes("crafted/exif_gps_serial.jpg"))
    raw_name = entry.original.name

    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)
    # A run that stored its files and then was lost leaves the entry in
    # processing; the sweeper queues it again and the second run redoes it all.
    Entry.objects.filter(pk=entry.pk).update(processing_status=Entry.Processing.PROCESSING)
    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)

    entry.refresh_from_db()
    rows = sorted(Rendition.objects.filter(entry=entry).values_list("kind", "format", "file", "width", "height"))
    assert rows == sorted(
        (s.kind, s.format, f"renditions/{entry.public_id}/{s.kind}.{imaging.FORMAT_EXT[s.format]}", *size)
        for s, size in zip(
            imaging.DEFAULT_SPECS + imaging.PHOTO_SPECS,
            [(400, 300), (400, 300), (800, 600), (800, 600), (1024, 768), (1024, 768), (1024, 768)],
        )
    )
    assert media_files() == expected_keys(entry)
    assert raw_name not in media_files()
    assert (entry.processing_status, entry.processing_error) == (Entry.Processing.READY, "")
    assert (entry.original_width, entry.original_height) == (1024, 768)
    assert entry.original.name == f"originals/{entry.contest_id}/{entry.public_id}.jpg"
    assert (len(entry.phash), entry.dominant_color[0], entry.processed_at is not None) == (16, "#", True)
    assert entry.placeholder != ""


def test_entry_renditions_generate_replaces_raw_upload_with_clean_original(django_capture_on_commit_callbacks):
    entry = received_entry(corpus_bytes("crafted/exif_gps_serial.jpg"))
    raw_name = entry.original.name

    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)

    entry.refresh_from_db()
    stored = default_storage.open(entry.original.name).read()
    assert default_storage.exists(raw_name) is False
    assert b"CRAFTED-SN" not in stored and b"PRIVATE" not in stored
    assert Image.open(io.BytesIO(stored)).size == (1024, 768)
    for rendition in Rendition.objects.filter(entry=entry):
        assert b"PRIVATE" not in default_storage.open(rendition.file.name).read()


def test_entry_renditions_generate_corrupt_original_fails_with_reason(django_capture_on_commit_callbacks):
    entry = received_entry(corpus_bytes("crafted/truncated_half.jpg"))

    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)

    entry.refresh_from_db()
    assert entry.processing_status == Entry.Processing.FAILED
    assert entry.processing_error.startswith("The image is damaged or incomplete.")
    assert "Traceback" not in entry.processing_error
    assert Rendition.objects.filter(entry=entry).count() == 0


def test_entry_renditions_generate_removes_stale_kinds(django_capture_on_commit_callbacks):
    # 1800×1200: larger than the display rendition, so the zoom is made too.
    entry = received_entry(corpus_bytes("real/orientation_Portrait_6.jpg"))
    stale_key = default_storage.save(f"renditions/{entry.public_id}/poster.jpg", ContentFile(b"old"))
    Rendition.objects.create(entry=entry, kind="poster", format="jpeg", file=stale_key, width=1, height=1, bytes=3)

    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)

    assert sorted(set(Rendition.objects.filter(entry=entry).values_list("kind", flat=True))) == [
        "card",
        "card2x",
        "display",
        "photo",
        "zoom",
    ]
    assert media_files() == expected_keys(entry, zoom=True)


def test_entry_renditions_generate_flags_near_duplicate_in_same_contest(django_capture_on_commit_callbacks):
    contest = ContestFactory()
    first = received_entry(corpus_bytes("real/orientation_Portrait_1.jpg"), contest=contest)
    # The same photo, stored sideways: different bytes, same picture.
    second = received_entry(corpus_bytes("real/orientation_Portrait_6.jpg"), contest=contest)
    elsewhere = received_entry(corpus_bytes("real/orientation_Portrait_3.jpg"))

    with django_capture_on_commit_callbacks(execute=True):
        for entry in (first, second, elsewhere):
            renditions.entry_renditions_generate(entry_id=entry.pk)

    flags = dict(Entry.objects.filter(pk__in=[first.pk, second.pk, elsewhere.pk]).values_list("pk", "near_duplicate_of"))
    assert flags == {first.pk: None, second.pk: first.pk, elsewhere.pk: None}


def test_entry_renditions_generate_duplicate_delivery_leaves_ready_entry_alone(
    django_capture_on_commit_callbacks, monkeypatch
):
    entry = received_entry(corpus_bytes("crafted/exif_gps_serial.jpg"))
    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)
    before = Entry.objects.get(pk=entry.pk)
    files = {name: default_storage.open(name).read() for name in media_files()}
    rows = sorted(Rendition.objects.filter(entry=entry).values_list("pk", "kind", "format", "file", "updated_at"))

    def no_render(*args, **kwargs):
        raise AssertionError("a ready entry must not be rendered again")

    monkeypatch.setattr(imaging, "render", no_render)
    with django_capture_on_commit_callbacks(execute=True):
        task_entry_renditions_generate.apply(kwargs={"entry_id": entry.pk}, throw=True)

    after = Entry.objects.get(pk=entry.pk)
    assert (after.processing_status, after.processed_at, after.updated_at) == (
        Entry.Processing.READY, before.processed_at, before.updated_at,
    )
    assert {name: default_storage.open(name).read() for name in media_files()} == files
    assert sorted(Rendition.objects.filter(entry=entry).values_list("pk", "kind", "format", "file", "updated_at")) == rows


def test_entry_renditions_generate_missing_entry_returns_quietly():
    renditions.entry_renditions_generate(entry_id=987654)

    assert media_files() == []


def test_task_entry_renditions_generate_runs_service(django_capture_on_commit_callbacks):
    entry = received_entry(corpus_bytes("real/pillow_hopper.webp"))

    with django_capture_on_commit_callbacks(execute=True):
        task_entry_renditions_generate.apply(kwargs={"entry_id": entry.pk})

    entry.refresh_from_db()
    assert entry.processing_status == Entry.Processing.READY
    assert Rendition.objects.filter(entry=entry).count() == len(imaging.DEFAULT_SPECS) + len(imaging.PHOTO_SPECS) == 7


def test_task_entry_renditions_generate_marks_failed_when_retries_run_out():
    entry = received_entry(corpus_bytes("real/pillow_hopper.webp"))
    # A file in place of the renditions folder: every store attempt raises OSError.
    Path(settings.MEDIA_ROOT, "renditions").parent.mkdir(parents=True, exist_ok=True)
    Path(settings.MEDIA_ROOT, "renditions").write_bytes(b"")

    with pytest.raises(OSError):
        task_entry_renditions_generate.apply(kwargs={"entry_id": entry.pk}, retries=3, throw=True)

    entry.refresh_from_db()
    assert entry.processing_status == Entry.Processing.FAILED
    # A transient failure: the sweeper tries it again a minute later.
    assert entry.processing_error == "The image could not be stored; it is tried again automatically."
    assert (entry.render_retries, entry.render_attempts, entry.render_lease_until) == (1, 0, None)
    assert 50 < (entry.render_retry_at - entry.processed_at).total_seconds() <= 60


def test_erasing_a_rendered_entry_leaves_no_folder_of_it(django_capture_on_commit_callbacks):
    from contest import services

    entry = received_entry(corpus_bytes("drawings/drawing-001.jpg"))
    other = received_entry(corpus_bytes("drawings/drawing-002.jpg"), contest=entry.contest)
    with django_capture_on_commit_callbacks(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)
        renditions.entry_renditions_generate(entry_id=other.pk)
    folder = Path(settings.MEDIA_ROOT, "renditions", str(entry.public_id))
    assert folder.is_dir()

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_erase(entry=Entry.objects.get(pk=entry.pk), reason="withdrawn", actor_label="guardian")

    other.refresh_from_db()
    assert folder.exists() is False
    assert media_files() == expected_keys(other)  # the other entry's files and folders stay
