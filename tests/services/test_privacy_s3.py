"""Withdrawal and the deletion rules on S3: after each, the bucket holds no
object of the entry (original, upload or rendition)."""

import datetime as dt

import pytest
from django.utils import timezone

from contest import services
from contest.models import Entry
from tests.factories.contest import ContestFactory
from tests.helpers import drawings

from .support import s3_keys, submit_through_view

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def entry_keys(entry):
    return s3_keys(f"originals/{entry.contest_id}/") + s3_keys(f"renditions/{entry.public_id}/")


def submitted_entry(title):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    reference = submit_through_view(contest=contest, path=drawings(3)[2], title=title)
    entry = Entry.objects.get(reference=reference)
    assert entry.processing_status == "ready"
    assert len(entry_keys(entry)) == 1 + entry.renditions.count()
    return entry


def test_withdrawal_leaves_nothing_of_the_entry_in_the_bucket():
    entry = submitted_entry("Withdrawn on S3")

    services.entry_withdraw(entry=entry)

    assert Entry.objects.filter(pk=entry.pk).exists() is False
    assert entry_keys(entry) == []


def test_unconfirmed_purge_leaves_nothing_of_the_entry_in_the_bucket():
    entry = submitted_entry("Never confirmed on S3")

    purged = services.entries_purge_unconfirmed(now=timezone.now() + dt.timedelta(days=8))

    assert purged == 1
    assert Entry.objects.filter(pk=entry.pk).exists() is False
    assert entry_keys(entry) == []


def test_rejected_purge_leaves_nothing_of_the_entry_in_the_bucket():
    entry = submitted_entry("Rejected on S3")
    Entry.objects.filter(pk=entry.pk).update(
        guardian_confirmed_at=timezone.now(), moderation_status=Entry.Moderation.REJECTED, moderated_at=timezone.now()
    )

    purged = services.entries_purge_rejected(now=timezone.now() + dt.timedelta(days=31))

    assert purged == 1
    assert entry_keys(entry) == []


def test_retention_purge_leaves_nothing_of_a_non_winner_in_the_bucket():
    entry = submitted_entry("Did not win, on S3")
    Entry.objects.filter(pk=entry.pk).update(guardian_confirmed_at=timezone.now())
    entry.contest.__class__.objects.filter(pk=entry.contest_id).update(
        closes_at=timezone.now() - dt.timedelta(days=100), opens_at=timezone.now() - dt.timedelta(days=130),
        results_published_at=timezone.now() - dt.timedelta(days=91),
    )

    purged = services.entries_purge_retention()

    assert purged == 1
    assert Entry.objects.filter(pk=entry.pk).exists() is False
    assert entry_keys(entry) == []
