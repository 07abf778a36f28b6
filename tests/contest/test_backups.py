"""`manage.py backup` and `manage.py restore` for the embedded default: the
SQLite database through its backup API and a tar of the media folder. A
backup restored into a fresh database and media folder holds every entry
with its original and renditions."""

import json
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contest import renditions
from contest.models import Entry, Rendition
from tests.contest.test_renditions import corpus_bytes, received_entry
from tests.helpers import stored_files

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("local_files")]


@pytest.mark.sqlite
def test_a_backup_restored_into_a_fresh_database_and_media_folder_has_every_entry_with_its_files(settings, tmp_path):
    entries = [received_entry(corpus_bytes(f"drawings/drawing-00{i}.jpg")) for i in (1, 2)]
    for entry in entries:
        renditions.entry_renditions_generate(entry_id=entry.pk)
    unrendered = received_entry(corpus_bytes("drawings/drawing-003.jpg"))
    expected = {
        e.reference: sorted([e.original.name, *Rendition.objects.filter(entry=e).values_list("file", flat=True)])
        for e in Entry.objects.all()
    }

    call_command("backup", "--into", str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    fresh_db, fresh_media = tmp_path / "restored" / "db.sqlite3", tmp_path / "restored" / "media"
    call_command("restore", str(folder), "--database", str(fresh_db), "--media-root", str(fresh_media))

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["entries"] == 3
    with sqlite3.connect(fresh_db) as db:
        rows = db.execute("SELECT id, reference, original FROM contest_entry").fetchall()
        files = {
            reference: sorted([original, *(f for (f,) in db.execute(
                "SELECT file FROM contest_rendition WHERE entry_id = ?", [pk]))])
            for pk, reference, original in rows
        }
    assert files == expected
    assert len(expected[unrendered.reference]) == 1 and len(expected[entries[0].reference]) > 1
    restored = stored_files(fresh_media)
    for names in files.values():
        for name in names:
            assert name in restored
            assert (fresh_media / name).read_bytes() == (Path(settings.MEDIA_ROOT) / name).read_bytes()


@pytest.mark.sqlite
def test_restore_refuses_to_overwrite_unless_forced(tmp_path):
    received_entry(corpus_bytes("drawings/drawing-001.jpg"))
    call_command("backup", "--into", str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    existing = tmp_path / "db.sqlite3"
    existing.write_bytes(b"something")

    with pytest.raises(CommandError, match="pass --force"):
        call_command("restore", str(folder), "--database", str(existing), "--media-root", str(tmp_path / "m"))
    call_command("restore", str(folder), "--database", str(existing), "--media-root", str(tmp_path / "m"), "--force")

    with sqlite3.connect(existing) as db:
        assert db.execute("SELECT COUNT(*) FROM contest_entry").fetchone() == (1,)


def test_backup_of_postgresql_points_at_pg_dump(settings, tmp_path, monkeypatch):
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")

    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", "--into", str(tmp_path))
