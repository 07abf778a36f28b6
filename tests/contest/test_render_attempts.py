"""The worker's bookkeeping on the entry: unfinished attempts (a drawing
that kills the renderer fails after three), the lease that keeps the
sweeper from queueing a running entry twice, automatic retries of
transient failures with growing delays, and database errors retried."""

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone

from contest import renditions, services
from contest.models import Entry, SweepRun
from contest.tasks import RETRYABLE_ERRORS
from tests.contest.test_renditions import corpus_bytes, received_entry

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def queued(monkeypatch):
    """The entry ids the sweeper queues (instead of a broker)."""
    ids = []
    monkeypatch.setattr("contest.services.processing.renditions_enqueue", lambda *, entry_id: ids.append(entry_id) or True)
    return ids


def test_a_drawing_whose_rendering_never_finishes_is_failed_after_three_attempts():
    entry = received_entry(corpus_bytes("drawings/drawing-001.jpg"))
    # Three deliveries whose pool child died: each claimed, none finished.
    for n in range(3):
        assert renditions.entry_render_claim(entry_id=entry.pk, task_id="task-1") == "claimed"
        assert Entry.objects.get(pk=entry.pk).render_attempts == n + 1

    renditions.entry_renditions_generate(entry_id=entry.pk, task_id="task-1")

    entry.refresh_from_db()
    assert entry.processing_status == "failed"
    assert entry.processing_error.startswith("The rendering stopped 3 times on this drawing without finishing")
    assert (entry.render_lease_until, entry.render_retry_at) == (None, None)


def test_a_finished_rendering_clears_the_count_and_the_lease():
    entry = received_entry(corpus_bytes("drawings/drawing-001.jpg"))
    renditions.entry_render_claim(entry_id=entry.pk, task_id="task-1")

    renditions.entry_renditions_generate(entry_id=entry.pk, task_id="task-1")

    entry.refresh_from_db()
    assert (entry.processing_status, entry.render_attempts, entry.render_lease_until) == ("ready", 0, None)


def test_another_task_does_not_run_beside_a_leased_one():
    entry = received_entry(corpus_bytes("drawings/drawing-001.jpg"))
    assert renditions.entry_render_claim(entry_id=entry.pk, task_id="first") == "claimed"

    renditions.entry_renditions_generate(entry_id=entry.pk, task_id="second")

    entry.refresh_from_db()
    assert (entry.processing_status, entry.render_attempts, entry.render_lease_owner) == ("processing", 1, "first")


def test_the_sweeper_leaves_a_leased_entry_alone_and_queues_it_once_the_lease_ran_out(queued):
    entry = received_entry(corpus_bytes("drawings/drawing-001.jpg"))
    renditions.entry_render_claim(entry_id=entry.pk, task_id="first")
    Entry.objects.filter(pk=entry.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))

    assert services.entries_requeue_stuck(older_than_seconds=0) == 0
    Entry.objects.filter(pk=entry.pk).update(render_lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert services.entries_requeue_stuck(older_than_seconds=0) == 1

    assert queued == [entry.pk]
    assert list(SweepRun.objects.order_by("ran_at").values_list("requeued", flat=True)) == [0, 1]


def test_the_sweeper_retries_a_transient_failure_when_due_and_leaves_a_damaged_file_alone(queued):
    transient = received_entry(corpus_bytes("drawings/drawing-001.jpg"))
    damaged = received_entry(corpus_bytes("drawings/drawing-002.jpg"), contest=transient.contest)
    renditions.entry_renditions_fail_transient(entry_id=transient.pk)
    renditions.entry_renditions_fail(entry_id=damaged.pk, reason="The file is damaged.")

    assert services.entries_requeue_stuck(older_than_seconds=0) == 0  # not due yet
    Entry.objects.filter(pk=transient.pk).update(render_retry_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.entries_requeue_stuck(older_than_seconds=0) == 1

    assert queued == [transient.pk]
    transient.refresh_from_db()
    assert (transient.processing_status, transient.render_retry_at, transient.render_retries) == ("received", None, 1)
    assert Entry.objects.get(pk=damaged.pk).processing_status == "failed"


def test_automatic_retries_grow_and_stop_after_about_six_hours():
    delays = [services.retry_delay(retries=n) for n in range(len(services.RETRY_DELAYS) + 1)]

    assert delays[:3] == [60, 120, 300]
    assert delays == sorted(delays[:-1]) + [None]
    assert 4 * 3600 < sum(delays[:-1]) <= 6 * 3600


def test_a_failure_past_the_last_retry_stays_failed_for_an_organizer():
    entry = received_entry(corpus_bytes("drawings/drawing-001.jpg"))
    Entry.objects.filter(pk=entry.pk).update(render_retries=len(services.RETRY_DELAYS))

    renditions.entry_renditions_fail_transient(entry_id=entry.pk)

    entry.refresh_from_db()
    assert (entry.processing_status, entry.render_retry_at) == ("failed", None)
    assert entry.processing_error == "The image could not be stored; please try again later."


def test_database_errors_are_retried_by_the_worker_like_storage_errors():
    assert issubclass(OperationalError, RETRYABLE_ERRORS)
    assert any(issubclass(OSError, e) for e in RETRYABLE_ERRORS)


def test_an_unexpected_error_keeps_the_attempt_counted_and_the_lease_held(monkeypatch):
    entry = received_entry(corpus_bytes("drawings/drawing-001.jpg"))

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr("contest.imaging.render", broken)
    with pytest.raises(KeyError):
        renditions.entry_renditions_generate(entry_id=entry.pk, task_id="t")

    entry.refresh_from_db()
    assert (entry.processing_status, entry.render_attempts) == ("processing", 1)
    assert entry.render_lease_until > timezone.now()


def test_a_storage_error_is_not_counted_as_a_crash(monkeypatch):
    entry = received_entry(corpus_bytes("drawings/drawing-001.jpg"))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("contest.renditions._store", full)
    with pytest.raises(OSError):
        renditions.entry_renditions_generate(entry_id=entry.pk, task_id="t")

    entry.refresh_from_db()
    assert (entry.render_attempts, entry.render_lease_until) == (0, None)
