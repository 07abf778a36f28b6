"""The deletion rules' edges: the storage check for orphan files, the
confirmation period counted from the last link sent, what a winner without
consent to publish keeps, per-contest audit rows of purge runs, and the
database guard against overlapping age categories."""

import datetime as dt
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from contest import services
from contest.models import AgeCategory, AuditLog, Entry, PurgeRun, Rendition
from tests.factories.contest import ContestFactory, EntryFactory, jpeg_bytes, published_winner
from tests.factories.judging import OrganizerFactory
from tests.helpers import stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def later(hours=2):
    return timezone.now() + dt.timedelta(hours=hours)


# --- the storage check -------------------------------------------------------


def _store(name: str) -> str:
    saved = default_storage.save(name, ContentFile(jpeg_bytes(20, 20)))
    assert saved == name
    return saved


def test_storage_check_deletes_only_files_no_row_uses_with_dry_run(settings):
    entry = EntryFactory()
    kept_rendition = _store(f"renditions/{entry.public_id}/card.jpg")
    Rendition.objects.create(entry=entry, kind="card", format="jpeg", file=kept_rendition, width=20, height=20, bytes=1)
    gone = uuid.uuid4()
    orphans = {
        _store(f"renditions/{gone}/card.jpg"),  # the entry was withdrawn, a delete failed
        _store(f"originals/{entry.contest_id}/{gone}.jpg"),
        _store(f"originals/{entry.contest_id}/{uuid.uuid4().hex}"),  # a raw upload whose delete failed
        _store(f"renditions/{entry.public_id}/display2x.jpg"),  # no row any more
    }
    elsewhere = _store("other/notes.jpg")  # not under the entries' prefixes
    before = set(stored_files(settings.MEDIA_ROOT))
    assert before == orphans | {entry.original.name, kept_rendition, elsewhere}

    out = io.StringIO()
    call_command("purge_orphan_files", "--dry-run", stdout=out)  # all files are fresh: none is old enough
    assert services.storage_orphans_purge(now=later(), dry_run=True) == 4
    assert set(stored_files(settings.MEDIA_ROOT)) == before
    assert services.storage_orphans_purge(now=later()) == 4

    assert out.getvalue().strip() == "orphan_files: would delete 0 files"
    assert set(stored_files(settings.MEDIA_ROOT)) == {entry.original.name, kept_rendition, elsewhere}
    assert list(PurgeRun.objects.order_by("id").values_list("rule", "entries", "files", "dry_run")) == [
        ("orphan_files", 0, 0, True), ("orphan_files", 0, 4, True), ("orphan_files", 0, 4, False),
    ]
    assert list(AuditLog.objects.values_list("action", "detail")) == [("purged", {"rule": "orphan_files", "files": 4})]


def test_storage_check_never_touches_a_fresh_upload_without_a_committed_row(settings):
    fresh = _store(f"originals/1/{uuid.uuid4().hex}")

    assert services.storage_orphans_purge() == 0
    assert services.storage_orphans_purge(now=later(hours=0.5)) == 0
    assert set(stored_files(settings.MEDIA_ROOT)) == {fresh}


def test_storage_check_makes_the_same_queries_whatever_the_number_of_entries(django_assert_num_queries):
    for n in (1, 4):
        for _ in range(n):
            entry = EntryFactory()
            _store(f"renditions/{uuid.uuid4()}/card.jpg")
        with django_assert_num_queries(4):  # names in use (3: originals, renditions, direct uploads), the PurgeRun
            assert services.storage_orphans_purge(now=later(), dry_run=True) >= n


def test_storage_check_with_no_files_at_all():
    assert services.storage_orphans_purge(now=later()) == 0
    assert PurgeRun.objects.get().files == 0


# --- the confirmation period starts at the last link sent ---------------------


def test_unconfirmed_entry_is_purged_seven_days_after_the_last_link_not_after_submission(django_capture_on_commit_callbacks):
    now = timezone.now()
    resent = EntryFactory(guardian_confirmed_at=None, moderation_status="pending")
    expired = EntryFactory(guardian_confirmed_at=None, moderation_status="pending")
    never_sent = EntryFactory(guardian_confirmed_at=None, moderation_status="pending")
    Entry.objects.update(created_at=now - dt.timedelta(days=8))
    Entry.objects.filter(pk=resent.pk).update(confirmation_sent_at=now - dt.timedelta(days=1))
    Entry.objects.filter(pk=expired.pk).update(confirmation_sent_at=now - dt.timedelta(days=7, hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.entries_purge_unconfirmed(now=now) == 2

    assert list(Entry.objects.values_list("pk", flat=True)) == [resent.pk]
    # ... and it goes once its fresh link has expired too.
    assert services.entries_purge_unconfirmed(now=now + dt.timedelta(days=6, hours=1)) == 1
    assert Entry.objects.count() == 0


def test_resending_the_link_restarts_the_period(client, django_capture_on_commit_callbacks):
    entry = EntryFactory(guardian_confirmed_at=None, moderation_status="pending")
    Entry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - dt.timedelta(days=6, hours=22))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.entry_links_resend(entry=entry) is True
    assert services.entries_purge_unconfirmed(now=timezone.now() + dt.timedelta(hours=2)) == 0
    assert Entry.objects.filter(pk=entry.pk).exists()


# --- what winners keep ---------------------------------------------------------


def test_winner_without_consent_to_publish_keeps_only_award_and_statistics(django_capture_on_commit_callbacks):
    contest = ContestFactory(retention_days=90)
    hidden = published_winner(
        contest, place=1, publish_consent=False, title="Secret mountain", description="My grandmother's house",
        child_first_name="Aidai", placeholder="LEHV6nWB2yk8", dominant_color="#aabbcc",
    )
    shown = published_winner(contest, place=2, title="Open mountain", description="Our river", child_first_name="Bakyt")
    contest.results_published_at = timezone.now() - dt.timedelta(days=91)
    contest.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.entries_purge_retention() == 2

    hidden_row = Entry.objects.filter(pk=hidden.pk).values(
        "title", "description", "child_age", "child_first_name", "placeholder", "dominant_color", "region",
        "award", "country", "age_category_id", "contest_id",
    ).get()
    assert hidden_row == {
        "title": "", "description": "", "child_age": None, "child_first_name": "", "placeholder": "",
        "dominant_color": "", "region": "", "award": 1, "country": "KG",
        "age_category_id": hidden.age_category_id, "contest_id": contest.pk,
    }
    shown.refresh_from_db()
    assert (shown.title, shown.description, shown.child_first_name, shown.child_age) == (
        "Open mountain", "Our river", "Bakyt", shown.age_category.min_age
    )


# --- purge runs on each contest's audit page ------------------------------------


def test_purge_run_writes_one_audit_row_per_contest_with_its_count(client, django_capture_on_commit_callbacks):
    first, second, untouched = ContestFactory(), ContestFactory(), ContestFactory()
    for contest, n in ((first, 2), (second, 1)):
        for _ in range(n):
            EntryFactory(contest=contest, moderation_status="rejected")
    EntryFactory(contest=untouched, moderation_status="rejected")
    Entry.objects.exclude(contest=untouched).update(moderated_at=timezone.now() - dt.timedelta(days=31))
    Entry.objects.filter(contest=untouched).update(moderated_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert services.entries_purge_rejected() == 3

    summary = AuditLog.objects.filter(entry_reference="", action="purged")
    assert sorted(summary.values_list("contest_id", "detail")) == sorted([
        (first.pk, {"rule": "rejected", "entries": 2}), (second.pk, {"rule": "rejected", "entries": 1}),
    ])
    assert list(PurgeRun.objects.values_list("rule", "entries", "dry_run")) == [("rejected", 3, False)]
    client.force_login(OrganizerFactory(username="org-purge", contests=[first]))
    page = client.get(reverse("contest:audit_log", args=[first.slug]))
    assert [row.detail for row in page.context["rows"] if not row.entry_reference] == [{"rule": "rejected", "entries": 2}]


def test_dry_run_purge_writes_no_audit_rows():
    EntryFactory(guardian_confirmed_at=None, moderation_status="pending")
    Entry.objects.update(created_at=timezone.now() - dt.timedelta(days=8))

    assert services.entries_purge_unconfirmed(dry_run=True) == 1
    assert AuditLog.objects.count() == 0


# --- age categories never overlap, in the database itself -----------------------


def test_overlapping_age_category_is_refused_by_the_database_and_adjacent_accepted():
    contest = ContestFactory(categories=[("6-9", 6, 9)])

    with pytest.raises(IntegrityError), transaction.atomic():
        AgeCategory.objects.create(contest=contest, name="9-12", min_age=9, max_age=12)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgeCategory.objects.create(contest=contest, name="4-20", min_age=4, max_age=20)
    adjacent = AgeCategory.objects.create(contest=contest, name="10-13", min_age=10, max_age=13)
    other_contest = AgeCategory.objects.create(contest=ContestFactory(categories=[]), name="6-9", min_age=6, max_age=9)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgeCategory.objects.filter(pk=adjacent.pk).update(min_age=8)
    adjacent.max_age = 15
    adjacent.save()

    assert list(contest.age_categories.values_list("min_age", "max_age")) == [(6, 9), (10, 15)]
    assert other_contest.pk

