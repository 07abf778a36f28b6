"""Delete renditions of kinds the portal no longer makes, with their files."""

from django.core.management.base import BaseCommand

from contest import services


class Command(BaseCommand):
    help = "Delete renditions of retired kinds (rows and files)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args, dry_run, **options):
        n = services.renditions_prune_retired(dry_run=dry_run)
        self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {n} retired renditions")
