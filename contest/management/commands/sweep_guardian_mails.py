from django.core.management.base import BaseCommand

from contest import services


class Command(BaseCommand):
    help = "Queue again the e-mails to guardians that are still unsent (the broker was down, or a task was lost)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=services.MAIL_REQUEUE_AFTER_SECONDS,
            help=f"seconds (default {services.MAIL_REQUEUE_AFTER_SECONDS})",
        )

    def handle(self, *args, older_than, **options):
        n = services.guardian_mails_requeue(older_than_seconds=older_than)
        self.stdout.write(f"Queued {n} unsent e-mails to guardians again.")
