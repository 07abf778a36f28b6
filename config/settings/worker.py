"""Celery settings (the worker, the broker, the periodic tasks), read by
`config/celery.py` through Django's settings with the CELERY_ namespace.
Imported into `base.py`; every value comes from the environment."""

from pathlib import Path

from config.env import BASE_DIR, env

# Celery. The default broker is kombu's filesystem transport, so the run
# command needs no external server; CELERY_BROKER_URL switches to Redis or
# RabbitMQ. Results are not kept: the entry row records every outcome.
BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "broker")))
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(BROKER_DIR / "control"),
        # How long an idle worker waits before it looks at the folder again
        # (kombu's default is a second, and a worker that has just finished
        # a task sleeps that long before the next): a rendition takes about
        # 0.15 s, so the demo's 48 drawings drain in about 10 s, not a minute.
        # Listing a folder ten times a second costs nothing.
        "polling_interval": env.float("CELERY_BROKER_POLLING_SECONDS", default=0.1),
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {
        # Redis: an unacknowledged task is handed out again after this long.
        # It must exceed the longest run plus the longest retry countdown, or
        # healthy tasks run twice; lost ones come back earlier via the sweeper.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # Short: a hung Redis (accepting, never answering) must not hold a
        # parent's submission; queueing gives up and the sweeper publishes later.
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
    }
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each worker process holds this many tasks beyond the one it runs. One for
# a shared broker (Redis): a long task never holds back others another
# worker could take. The filesystem broker (one machine, one worker) takes
# four, so a process that finishes finds its next task already fetched
# instead of waiting for the next poll.
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int(
    "CELERY_WORKER_PREFETCH_MULTIPLIER", default=4 if CELERY_BROKER_URL.startswith("filesystem") else 1
)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Queuing from a web request: give up after about a second when the broker
# is down; the entry is saved already and the sweeper queues it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# acks_late tasks running when the broker connection drops are cancelled and
# redelivered instead of being acknowledged on a dead channel.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# The sweeper (Celery beat): entries stuck in received or processing for
# SWEEP_STUCK_AFTER_SECONDS are queued again; each run is recorded (SweepRun).
CELERY_BEAT_SCHEDULE = {
    "entries-requeue-stuck": {
        "task": "contest.entries_requeue_stuck",
        "schedule": env.float("SWEEP_EVERY_SECONDS", default=60),
        "kwargs": {"older_than_seconds": env.int("SWEEP_STUCK_AFTER_SECONDS", default=300)},
        "options": {"expires": env.float("SWEEP_EVERY_SECONDS", default=60)},
    },
    # Guardian e-mails still unsent (the broker was down when they were
    # owed, or their task was lost); also `manage.py sweep_guardian_mails`.
    "guardian-mails-requeue": {
        "task": "contest.guardian_mails_requeue",
        "schedule": env.float("SWEEP_EVERY_SECONDS", default=60),
        "kwargs": {"older_than_seconds": env.int("SWEEP_MAIL_AFTER_SECONDS", default=300)},
        "options": {"expires": env.float("SWEEP_EVERY_SECONDS", default=60)},
    },
    # The deletion rules; each is also `manage.py purge_personal_data --rule ... [--dry-run]`.
    "purge-unconfirmed": {"task": "contest.entries_purge_unconfirmed", "schedule": 3600.0},
    "purge-rejected": {"task": "contest.entries_purge_rejected", "schedule": 6 * 3600.0},
    "purge-retention": {"task": "contest.entries_purge_retention", "schedule": 6 * 3600.0},
    # Files a failed delete or an interrupted rendering left behind; also
    # `manage.py purge_orphan_files [--dry-run]`.
    "purge-orphan-files": {"task": "contest.storage_orphans_purge", "schedule": 6 * 3600.0},
    # Direct uploads to S3 started a day ago and never used (contest/direct_uploads.py).
    "staged-uploads-sweep": {"task": "contest.staged_uploads_sweep", "schedule": 3600.0},
    # Organizers' export files (personal data) a week after they were asked for.
    "purge-exports": {"task": "judging.exports_purge_expired", "schedule": 3600.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule"))

# Reading the child's name written on the drawing (tesseract, when it is
# installed): about a second of the worker's time per drawing. Off in the
# test settings but for the tests that ask for it.
DRAWING_NAME_OCR = env.bool("DRAWING_NAME_OCR", default=True)
