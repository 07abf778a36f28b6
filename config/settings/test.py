"""Test settings: fast hashing, in-memory e-mail, eager Celery unless a test
starts a real worker, media in a temporary folder set by tests/conftest.py.

The services run (`make test-services`) sets DATABASE_URL, CELERY_BROKER_URL,
CACHE_URL and S3_BUCKET/S3_ENDPOINT_URL: the same suite then talks to
PostgreSQL, Redis and an S3 endpoint instead of SQLite, files and memory.
"""

import os

from config.env import env

env.ENVIRON.setdefault("DJANGO_DEBUG", "false")
env.ENVIRON.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")
env.ENVIRON.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, S3_BUCKET, STORAGES, overwriting  # noqa: E402

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
STORAGES = {
    # Files, not memory, so a worker process started by a test sees them; S3
    # (from base) when the services run names a bucket.
    "default": STORAGES["default"] if S3_BUCKET else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STORAGES["renditions"] = overwriting(STORAGES["default"])
# A file, not memory, so a worker process started by a test sees the same data.
DATABASES["default"].setdefault("TEST", {})  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"]["NAME"] = env(
        "TEST_SQLITE_NAME", default=str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")
    )
    # A fresh clone has no var/ yet; SQLite will not create the folder.
    os.makedirs(os.path.dirname(DATABASES["default"]["TEST"]["NAME"]) or ".", exist_ok=True)
# Uploads go through the portal's resumable chunks even in the services run,
# so the same tests cover them there; tests/services/test_direct_uploads.py
# turns the direct path to S3 on.
UPLOAD_DIRECT_S3 = env.bool("UPLOAD_DIRECT_S3", default=False)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# About a second of OCR per rendered drawing: only the tests of it turn it on.
DRAWING_NAME_OCR = False
