"""The SECRET_KEY: production refuses a missing, short or placeholder key
with a system-check ERROR (config.E001), for manage.py and the WSGI server
alike; the run command makes a random key under var/ once and reuses it."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.checks import ERROR, Error, registry
from django.core.exceptions import ImproperlyConfigured

from config.secret_key import local_secret_key, secret_key_check, secret_key_problem, secret_key_refuse_weak
from tests.helpers import ROOT

pytestmark = pytest.mark.unit

GOOD = "q7Vh2kLx9pR4mWz8cT1yN6bF3sJ0dG5aE-uKo_iHtQrYvXnZlMwPjBgCfDe"


@pytest.mark.parametrize("key", [
    "", "missing-insecure-set-DJANGO_SECRET_KEY", "short-random-Zx81", "insecure-local-development-key-change-me", "test-only-secret-key",
    "change-me-to-50-random-characters",
    "django-insecure-" + "a8F3k2Lm9Qx7Zr4Tw1Yb6Nc0Vd5Ge8Hj2Kp" * 2,
    "my-production-secret-key-" + "Zx81Qw72Er63Ty54Ui45Op36As27Df18Gh",
    "example" + "Zx81Qw72Er63Ty54Ui45Op36As27Df18GhJk09Lz",
    "a" * 60,
])
def test_weak_keys_are_errors_in_production(settings, key):
    settings.SECRET_KEY_STRICT = True
    settings.SECRET_KEY = key

    errors = secret_key_check()

    assert [(type(e), e.id, e.level) for e in errors] == [(Error, "config.E001", ERROR)]
    assert errors[0].is_serious()
    with pytest.raises(ImproperlyConfigured):
        secret_key_refuse_weak()


def test_a_long_random_key_passes(settings):
    settings.SECRET_KEY_STRICT = True
    settings.SECRET_KEY = GOOD

    assert secret_key_problem(GOOD) is None
    assert secret_key_check() == []
    secret_key_refuse_weak()


def test_outside_production_the_check_says_nothing(settings):
    settings.SECRET_KEY_STRICT = False
    settings.SECRET_KEY = "test-only-secret-key"

    assert secret_key_check() == []
    assert secret_key_check in registry.registry.get_checks()


def _manage_check(key: str | None):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "EMAIL_"))
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_ALLOWED_HOSTS": "contest.example.org",
        "DATABASE_URL": "sqlite:////tmp/secret-key-check.sqlite3", "CELERY_BROKER_URL": "memory://",
        "CACHE_URL": "rediscache://127.0.0.1:6379/1", "EMAIL_URL": "consolemail://", "SITE_URL": "https://contest.example.org",
        "S3_BUCKET": "",
    })
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("key", [None, "insecure-local-development-key-change-me", "Zx81Qw72Er63"])
def test_production_manage_py_refuses_to_start_with_a_weak_key(key):
    result = _manage_check(key)

    assert result.returncode != 0
    assert "config.E001" in result.stderr


def test_production_manage_py_starts_with_a_strong_key():
    result = _manage_check(GOOD)

    assert "config.E001" not in result.stderr
    assert result.returncode == 0, result.stderr


def test_the_run_commands_key_is_made_once_and_kept(tmp_path):
    path = tmp_path / "var" / "secret_key"

    first = local_secret_key(path)
    second = local_secret_key(path)

    assert first == second
    assert len(first) >= 50
    assert secret_key_problem(first) is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_secret_key(tmp_path / "other" / "secret_key") != first
