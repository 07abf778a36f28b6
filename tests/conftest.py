import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import post_save

from config.celery import app as celery_app
from contest.models import Contest, ContestRole
from contest.services import jobs
from tests.helpers import WorkerProcess, reset_broker_pools

# What gives a test the database: pytest-django's marker and fixtures (the
# fixtures appear among a test's fixture names also when another fixture
# requests them, e.g. `admin_user` or `live_server`).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"})


def unit_database_use(item) -> str | None:
    """Why `item`, marked `unit`, may not run: it asks for the database
    (the `django_db` marker or a database fixture); None when it does not."""
    if item.get_closest_marker("unit") is None:
        return None
    if item.get_closest_marker("django_db") is not None:
        return f"{item.nodeid} is marked unit but also django_db: a unit test has no database"
    used = sorted(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))
    if used:
        return f"{item.nodeid} is marked unit but uses the database fixture(s) {', '.join(used)}"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # `unit` means no database: a test that says otherwise fails before it
    # touches one.
    problem = unit_database_use(item)
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.fixture(autouse=True)
def _default_language():
    # A test that activates a language must not leave it to the next one.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Every test writes its files in its own folder, never in media/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHUNKED_UPLOAD_DIR = tmp_path / "chunks"


@pytest.fixture
def local_files(settings):
    """Files on local disk, even in the services run (where the default is
    S3), for tests that look at files on disk or at the image views' local
    branch (the bytes); the S3 branch is tests/services/test_storage.py."""
    settings.S3_BUCKET = ""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "renditions": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"allow_overwrite": True}}}


@pytest.fixture(autouse=True)
def _broker_not_marked_down():
    # A failed publish makes this process leave the broker alone for a few
    # seconds (contest.services.jobs): never into the next test.
    jobs.broker_mark(down=False)
    yield
    jobs.broker_mark(down=False)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters and cached public pages never leak between tests
    # (the services run keeps them in Redis).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def real_broker(settings, tmp_path):
    """Route tasks through a real broker instead of eager mode: the
    filesystem transport in a fresh folder (or CELERY_BROKER_URL when set)."""
    settings.BROKER_DIR = tmp_path / "broker"
    # Namespaced keys: the app reads CELERY_* settings first.
    options = dict(celery_app.conf.broker_transport_options or {})
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        for sub in ("queue", "processed", "control"):
            (settings.BROKER_DIR / sub).mkdir(parents=True)
        celery_app.conf.CELERY_BROKER_TRANSPORT_OPTIONS = {
            "data_folder_in": str(settings.BROKER_DIR / "queue"),
            "data_folder_out": str(settings.BROKER_DIR / "queue"),
            "processed_folder": str(settings.BROKER_DIR / "processed"),
            "store_processed": False,
            "control_folder": str(settings.BROKER_DIR / "control"),
        }
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=False)
    reset_broker_pools()
    yield settings.BROKER_DIR
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=True)
    celery_app.conf.CELERY_BROKER_TRANSPORT_OPTIONS = options
    reset_broker_pools()


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


@pytest.fixture
def admin_client_(client):
    """The test client signed in as a superuser, `root`."""
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    return client


@pytest.fixture
def organizer_of_every_contest():
    """`grant(user)`: `user` organizes every contest there is and every
    one created later in the test (a ContestRole each), for tests of the
    organizers' pages that make their contests as they go. Who may see
    which contest is tested by the permission matrix and the roles tests."""
    users = []

    def give(sender, instance, created, **kwargs):
        if created:
            for user in users:
                ContestRole.objects.get_or_create(contest=instance, user=user, role=ContestRole.Role.ORGANIZER)

    def grant(user):
        users.append(user)
        for contest in Contest.objects.all():
            ContestRole.objects.get_or_create(contest=contest, user=user, role=ContestRole.Role.ORGANIZER)
        return user

    post_save.connect(give, sender=Contest, weak=False, dispatch_uid="tests.organizer_of_every_contest")
    yield grant
    post_save.disconnect(sender=Contest, dispatch_uid="tests.organizer_of_every_contest")
