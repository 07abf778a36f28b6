"""The project's SECRET_KEY: a random one kept under var/ for the run
command, and the production check that refuses a weak one.

`local_secret_key` makes a random key on the first run and reads the same
one afterwards (sessions and signed links survive a restart). In
production, `secret_key_check` (registered as a system check when
`SECRET_KEY_STRICT` is on, config/settings/production.py) is an ERROR
(`config.E001`) for a missing key, one shorter than `SECRET_KEY_MIN_LENGTH`
characters, or one that looks like a placeholder or the old demo key; the
WSGI application refuses to start on it too (`secret_key_refuse_weak`)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY_MIN_LENGTH = 50
# Words that give away a key copied from an example, and the keys that
# shipped with the code (the old run command's and the tests').
PLACEHOLDER_WORDS = ("insecure", "change", "example", "secret-key", "secret_key", "placeholder", "dummy", "xxxx")
# Production's SECRET_KEY when DJANGO_SECRET_KEY is not set: Django refuses
# an empty key before any check runs, so the check names this one instead.
MISSING = "missing-insecure-set-DJANGO_SECRET_KEY"
SHIPPED_KEYS = ("insecure-local-development-key-change-me", "test-only-secret-key", "change-me-to-50-random-characters")


def local_secret_key(path: Path) -> str:
    """The key kept in `path` (made with 50 random URL-safe bytes, file mode
    0600, on the first call; a file too short is replaced). For the run
    command and the demo only: production brings DJANGO_SECRET_KEY."""
    if path.is_file():
        key = path.read_text().strip()
        if len(key) >= SECRET_KEY_MIN_LENGTH:
            return key
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(SECRET_KEY_MIN_LENGTH)
    try:
        # O_EXCL: two processes starting at once keep the one key written first.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key


def secret_key_problem(key: str | None) -> str | None:
    """What is wrong with `key` for production, in a sentence; None when it
    is long enough and looks random."""
    if not key or key == MISSING:
        return "SECRET_KEY is missing (DJANGO_SECRET_KEY is not set)."
    if key in SHIPPED_KEYS:
        return "SECRET_KEY is a key that ships with the code (demo, tests or .env.example)."
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY has {len(key)} characters; at least {SECRET_KEY_MIN_LENGTH} are needed."
    lowered = key.lower()
    found = [word for word in PLACEHOLDER_WORDS if word in lowered]
    if found:
        return f"SECRET_KEY looks like a placeholder (it contains {found[0]!r})."
    if len(set(key)) < 10:
        return "SECRET_KEY repeats too few characters to be random."
    return None


@register(Tags.security)
def secret_key_check(app_configs=None, **kwargs) -> list[Error]:
    """System check `config.E001` (an ERROR: commands and the server refuse
    to start) for a weak SECRET_KEY while `SECRET_KEY_STRICT` is on."""
    if not getattr(settings, "SECRET_KEY_STRICT", False):
        return []
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        key = ""
    problem = secret_key_problem(key)
    if problem is None:
        return []
    return [Error(
        problem,
        hint='Set DJANGO_SECRET_KEY to 50 or more random characters: '
             'python -c "import secrets; print(secrets.token_urlsafe(50))"',
        id="config.E001",
    )]


def secret_key_refuse_weak() -> None:
    """Raise ImproperlyConfigured when `secret_key_check` finds an error
    (called by the WSGI application at start, which runs no system checks)."""
    errors = secret_key_check()
    if errors:
        raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")
