from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from contest.services.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the embedded database (SQLite, through its backup API) and the media folder into "
        "var/backups/backup-<time>/. For PostgreSQL and S3 see the README (pg_dump, aws s3 sync)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--into", default=str(Path(settings.BASE_DIR) / "var" / "backups"),
                            help="folder that receives the backup (default var/backups)")

    def handle(self, *args, into, **options):
        try:
            info = backup_create(into=Path(into))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up {info.entries} entries and {info.files} files to {info.folder}")
