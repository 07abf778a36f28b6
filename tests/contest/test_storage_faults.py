"""A file store that is full, read-only, refusing or silent when a parent
submits: a friendly 503 with Retry-After in the parent's language, the form
kept (and a photo sent in chunks kept for the retry), no row and no file."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from contest.models import Entry, GuardianMail
from tests.contest.refusing_storage import S3TimingOutStorage
from tests.contest.test_chunked_upload import send_all
from tests.contest.test_submission import form_data
from tests.factories.contest import ContestFactory
from tests.helpers import drawings, stored_files

pytestmark = [pytest.mark.django_db]

REFUSING_CALLS = S3TimingOutStorage.calls

REFUSING = {
    "full": "tests.contest.refusing_storage.FullDiskStorage",
    "read-only": "tests.contest.refusing_storage.ReadOnlyStorage",
    "s3-503": "tests.contest.refusing_storage.S3RefusingStorage",
    "s3-timeout": "tests.contest.refusing_storage.S3TimingOutStorage",
}


def refusing(settings, kind):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": REFUSING[kind]}}


@pytest.mark.parametrize("kind", sorted(REFUSING))
def test_submission_to_a_refusing_store_answers_503_and_keeps_nothing(settings, kind):
    refusing(settings, kind)
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    client = Client()

    with drawings(1)[0].open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "We could not save your drawing. Please try again in a few minutes." in page
    # The form comes back filled in.
    assert 'value="Timur"' in page and 'value="gulnara@example.org"' in page
    assert Entry.objects.count() == 0
    assert GuardianMail.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_refusing_store_page_is_in_the_parents_language(settings):
    refusing(settings, "full")
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")

    with drawings(1)[0].open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 503
    assert response["Content-Language"] == "ru"
    assert "Нам не удалось сохранить рисунок" in response.content.decode()


def test_chunked_photo_is_kept_when_the_store_refuses_and_the_same_form_succeeds_later(settings):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    client = Client()
    data = drawings(1)[0].read_bytes()
    upload_id, _url = send_all(client, contest, data)
    url = reverse("contest:entry_submit", args=[contest.slug])
    working = settings.STORAGES["default"]

    refusing(settings, "s3-timeout")
    refused = client.post(url, form_data("", upload_id=upload_id))
    kept = sorted(p.name for p in settings.CHUNKED_UPLOAD_DIR.iterdir())
    settings.STORAGES = {**settings.STORAGES, "default": working}
    accepted = client.post(url, form_data("", upload_id=upload_id))

    assert refused.status_code == 503
    assert f'value="{upload_id}"' in refused.content.decode()
    assert kept == [f"{upload_id}.json", f"{upload_id}.part"] or len(kept) == 2
    assert accepted.status_code == 302
    entry = Entry.objects.get()
    assert default_storage.open(entry.original.name).read() == data


def test_a_full_upload_folder_answers_503_to_a_chunk(settings, monkeypatch):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    client = Client()
    created = client.post(reverse("contest:upload_create", args=[contest.slug]),
                          {"size": 1000, "name": "d.jpg", "type": "image/jpeg"}).json()
    url = reverse("contest:upload_chunk", args=[contest.slug, created["id"]])

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("contest.chunked.chunk_append", full)
    response = client.generic("PATCH", url, b"x" * 100, content_type="application/offset+octet-stream",
                              HTTP_UPLOAD_OFFSET="0")

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert response.json()["error"] == "storage"


def test_a_silent_store_is_asked_once_not_again_to_delete(settings):
    refusing(settings, "s3-timeout")
    calls = REFUSING_CALLS
    calls.clear()
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))

    with drawings(1)[0].open("rb") as fh:
        response = Client().post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 503
    assert [call for call, _name in calls] == ["save"]
