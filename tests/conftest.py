import pytest

from config.celery import app as celery_app
from tests.helpers import WorkerProcess


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Every test writes its files in its own folder, never in media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def real_broker(settings, tmp_path):
    """Route tasks through a real broker instead of eager mode: the
    filesystem transport in a fresh folder (or CELERY_BROKER_URL when set)."""
    settings.BROKER_DIR = tmp_path / "broker"
    options = dict(celery_app.conf.broker_transport_options or {})
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        for sub in ("queue", "processed"):
            (settings.BROKER_DIR / sub).mkdir(parents=True)
        celery_app.conf.broker_transport_options = {
            "data_folder_in": str(settings.BROKER_DIR / "queue"),
            "data_folder_out": str(settings.BROKER_DIR / "queue"),
            "processed_folder": str(settings.BROKER_DIR / "processed"),
            "store_processed": False,
        }
    celery_app.conf.task_always_eager = False
    celery_app.pool.force_close_all()
    yield settings.BROKER_DIR
    celery_app.conf.task_always_eager = True
    celery_app.conf.broker_transport_options = options
    celery_app.pool.force_close_all()


@pytest.fixture
def celery_worker_process(real_broker, settings, tmp_path):
    """Start a real worker process; yields a `WorkerProcess`, stopped after the test."""
    workers = []

    def start(**extra_env):
        worker = WorkerProcess(media_root=settings.MEDIA_ROOT, log_path=tmp_path / f"worker{len(workers)}.log", extra_env=extra_env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
