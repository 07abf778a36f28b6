"""The run command's settings: embedded SQLite, local files, filesystem
broker, e-mail written as files under var/mail/. Debug is off, as in
production, so visitors of the demo see the portal's own 404 and 500 pages;
`scripts/run.sh --reload` (or DJANGO_DEBUG=true) turns it on.

No key ships with the code: without DJANGO_SECRET_KEY, a random key is made
on the first run and kept in var/secret_key (reused afterwards). The run
command listens on 127.0.0.1 unless HOST says otherwise (scripts/run.sh)."""

from config.env import BASE_DIR, env
from config.secret_key import local_secret_key

env.ENVIRON.setdefault("DJANGO_DEBUG", "false")
env.ENVIRON.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
if not env.ENVIRON.get("DJANGO_SECRET_KEY"):
    env.ENVIRON["DJANGO_SECRET_KEY"] = local_secret_key(BASE_DIR / "var" / "secret_key")

from .base import *  # noqa: E402,F403

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# gunicorn serves static files through WhiteNoise straight from the
# source folders (no collectstatic for the run command).
WHITENOISE_USE_FINDERS = True
# WhiteNoise still reads STATIC_ROOT (collectstatic's folder, unused here)
# and warns at every start of a process when it is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Plain static URLs: the hashed names of the manifest need collectstatic.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = DEBUG  # noqa: F405
