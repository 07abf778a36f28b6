"""Run the deletion rules now: unconfirmed entries whose link expired,
rejected entries after the grace period, personal data after the retention
period. Celery beat runs the same services on a timer."""

from django.core.management.base import BaseCommand

from contest import services

RULES = {
    "unconfirmed": services.entries_purge_unconfirmed,
    "rejected": services.entries_purge_rejected,
    "retention": services.entries_purge_retention,
}


class Command(BaseCommand):
    help = "Delete what the privacy rules say must go (unconfirmed, rejected, past retention)."

    def add_arguments(self, parser):
        parser.add_argument("--rule", choices=[*RULES, "all"], default="all")
        parser.add_argument("--dry-run", action="store_true", help="Count only; delete nothing.")

    def handle(self, *args, rule, dry_run, **options):
        for name, purge in RULES.items():
            if rule in (name, "all"):
                n = purge(dry_run=dry_run)
                verb = "would delete or anonymize" if dry_run else "deleted or anonymized"
                self.stdout.write(f"{name}: {verb} {n} entries")
