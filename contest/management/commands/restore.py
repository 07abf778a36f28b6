from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from contest.services.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `manage.py backup` into the embedded database and the media "
        "folder (stop the web server and the worker first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a backup-<time> folder")
        parser.add_argument("--database", help="SQLite file to restore into (default: the configured one)")
        parser.add_argument("--media-root", help="folder to restore the media into (default: MEDIA_ROOT)")
        parser.add_argument("--force", action="store_true", help="overwrite a database or media that exist")

    def handle(self, *args, folder, database, media_root, force, **options):
        config = settings.DATABASES["default"]
        if database is None and not config["ENGINE"].endswith("sqlite3"):
            raise CommandError("The database is not SQLite: restore it with pg_restore (see the README, Backups).")
        connections.close_all()
        try:
            info = backup_restore(
                folder=Path(folder), database=Path(database or config["NAME"]),
                media_root=Path(media_root or settings.MEDIA_ROOT), force=force,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {info.entries} entries and {info.files} files from {info.folder}")
