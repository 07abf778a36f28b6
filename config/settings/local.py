"""The run command's settings: debug on, embedded SQLite, local files,
filesystem broker, e-mail written as files under var/mail/."""

from config.env import env

env.ENVIRON.setdefault("DJANGO_DEBUG", "true")
env.ENVIRON.setdefault("DJANGO_SECRET_KEY", "insecure-local-development-key-change-me")

from .base import *  # noqa: E402,F403

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# gunicorn serves static files through WhiteNoise straight from the
# source folders (no collectstatic for the run command).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG  # noqa: F405
