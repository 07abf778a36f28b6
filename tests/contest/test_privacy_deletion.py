"""Deletion that must leave nothing: a withdrawal while the worker renders,
and an organizer's delete in the admin (the same erase as a withdrawal)."""


import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contest import imaging, renditions, services
from contest.models import AnonymousCount, AuditLog, Entry, Rendition
from tests.factories.contest import EntryFactory, RenditionFactory, jpeg_bytes
from tests.helpers import stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


@pytest.mark.parametrize("erase", ["withdraw", "purge"])
def test_entry_erased_while_rendering_leaves_no_file(erase, settings, monkeypatch, django_capture_on_commit_callbacks, caplog):
    entry = EntryFactory(
        original__data=jpeg_bytes(900, 700), original__filename="upload", processing_status=Entry.Processing.RECEIVED
    )
    real_render = imaging.render

    def render_then_lose_the_entry(*args, **kwargs):
        result = real_render(*args, **kwargs)
        # The guardian withdraws (or a purge runs) while the worker is busy.
        if erase == "withdraw":
            services.entry_withdraw(entry=entry)
        else:
            services.entry_erase(entry=entry, reason="unconfirmed", actor_label="system")
        return result

    monkeypatch.setattr(imaging, "render", render_then_lose_the_entry)
    assert stored_files(settings.MEDIA_ROOT) == [entry.original.name]

    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("INFO", logger="contest.renditions"):
        renditions.entry_renditions_generate(entry_id=entry.pk)  # ends quietly

    assert Entry.objects.count() == 0
    assert Rendition.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []
    assert f"entry {entry.pk} was deleted while rendering" in caplog.text


def _assert_erased(entries, settings, admin_user):
    assert Entry.objects.count() == 0
    assert Rendition.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []
    assert sum(AnonymousCount.objects.filter(reason="deleted").values_list("count", flat=True)) == len(entries)
    assert sorted(AuditLog.objects.values_list("action", "actor", "contest_id", "entry_reference")) == sorted(
        ("deleted", admin_user.pk, e.contest_id, e.reference) for e in entries
    )


def test_admin_delete_view_erases_the_entry_and_its_files(admin_client_, settings, django_capture_on_commit_callbacks):
    entry = EntryFactory()
    RenditionFactory(entry=entry)
    assert len(stored_files(settings.MEDIA_ROOT)) == 2

    url = reverse("admin:contest_entry_delete", args=[entry.pk])
    assert admin_client_.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(url, {"post": "yes"})

    assert response.status_code == 302
    _assert_erased([entry], settings, get_user_model().objects.get(username="root"))


def test_admin_delete_selected_action_erases_each_entry(admin_client_, settings, django_capture_on_commit_callbacks):
    entries = [EntryFactory(), EntryFactory()]
    for entry in entries:
        RenditionFactory(entry=entry)
    kept = EntryFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("admin:contest_entry_changelist"),
            {"action": "delete_selected", "_selected_action": [e.pk for e in entries], "post": "yes"},
        )

    assert response.status_code == 302
    assert list(Entry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Rendition.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == [kept.original.name]
    assert sum(AnonymousCount.objects.filter(reason="deleted").values_list("count", flat=True)) == 2
    assert sorted(AuditLog.objects.values_list("action", "entry_reference")) == sorted(
        ("deleted", e.reference) for e in entries
    )


def test_admin_history_keeps_no_title_of_a_deleted_entry(admin_client):
    from django.contrib.admin.models import LogEntry

    entry = EntryFactory(title="Aigerim's grandfather at Dostyk")
    url = reverse("admin:contest_entry_delete", args=[entry.pk])

    admin_client.post(url, {"post": "yes"})

    assert Entry.objects.filter(pk=entry.pk).exists() is False
    assert [log.object_repr for log in LogEntry.objects.all()] == [entry.reference]
