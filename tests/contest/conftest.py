"""Fixtures shared by the contest tests."""

import pytest

from config.celery import app as celery_app


@pytest.fixture
def retries_run_inline():
    """Eager tasks retry inline only when their errors do not propagate (a
    worker would retry later, with backoff)."""
    celery_app.conf.update(CELERY_TASK_EAGER_PROPAGATES=False)
    yield
    celery_app.conf.update(CELERY_TASK_EAGER_PROPAGATES=True)
