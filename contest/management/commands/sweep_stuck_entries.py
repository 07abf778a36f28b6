from django.core.management.base import BaseCommand

from contest import services


class Command(BaseCommand):
    help = "Queue the renditions again for entries stuck in received or processing."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=services.STUCK_AFTER_SECONDS, help="seconds (default 300)")

    def handle(self, *args, older_than, **options):
        n = services.entries_requeue_stuck(older_than_seconds=older_than)
        self.stdout.write(f"Queued {n} stuck entries again.")
