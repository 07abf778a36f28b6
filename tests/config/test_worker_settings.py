"""The embedded default worker drains as fast as it renders: the
filesystem broker is polled every 0.1 s and each worker process holds a
few tasks ahead; a shared broker keeps one task per process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.unit]

READ = (
    "import json; from config.celery import app; "
    "print(json.dumps([app.conf.broker_transport_options, app.conf.worker_prefetch_multiplier]))"
)


def worker_conf(**extra_env) -> tuple[dict, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", **extra_env)
    out = subprocess.run([sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    options, prefetch = json.loads(out.stdout.strip().splitlines()[-1])
    return options, prefetch


def test_filesystem_broker_is_polled_every_tenth_of_a_second_with_four_tasks_ahead():
    options, prefetch = worker_conf()

    assert options["polling_interval"] == 0.1
    assert prefetch == 4
    # 48 drawings, 0.15 s each on 2 processes: the polling adds at most
    # 0.1 s a task instead of kombu's default second.
    assert 48 * (0.15 + options["polling_interval"]) / 2 <= 10


def test_polling_and_prefetch_come_from_the_environment():
    options, prefetch = worker_conf(CELERY_BROKER_POLLING_SECONDS="0.5", CELERY_WORKER_PREFETCH_MULTIPLIER="2")

    assert (options["polling_interval"], prefetch) == (0.5, 2)


def test_shared_broker_keeps_one_task_per_process():
    options, prefetch = worker_conf(CELERY_BROKER_URL="redis://127.0.0.1:6379/0")

    assert prefetch == 1
    assert "polling_interval" not in options and options["visibility_timeout"] == 3600
