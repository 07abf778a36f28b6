"""The Celery application; configuration is read from Django settings (`CELERY_*`)."""

import os

from celery import Celery
from celery.signals import worker_init

from config.storage_timeouts import worker_storage_timeouts

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("artcontest")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _worker_storage_budget(**kwargs):
    # The worker may wait longer on S3 than a web request (S3_WORKER_*).
    worker_storage_timeouts()
