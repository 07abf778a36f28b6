"""The storage check: delete files under originals/ and renditions/ that no
entry uses any more and that are older than an hour (see
`contest.services.storage_orphans_purge`). Celery beat runs it too."""

from django.core.management.base import BaseCommand

from contest import services


class Command(BaseCommand):
    help = "Delete files in storage that no entry uses any more (older than an hour)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args, dry_run, **options):
        n = services.storage_orphans_purge(dry_run=dry_run)
        self.stdout.write(f"orphan_files: {'would delete' if dry_run else 'deleted'} {n} files")
