"""The resumable upload: chunks at offsets, resumption, byte cap, ownership,
and the same form and service path as a plain upload."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from contest import chunked
from contest.models import Entry
from tests.contest.test_teacher_batch import teacher_client
from tests.factories.contest import ContestFactory, TeacherFactory
from tests.helpers import corpus_dir, drawings
from tests.contest.test_submission import form_data

pytestmark = [pytest.mark.django_db]


def start(client, contest, size, name="drawing.jpg"):
    return client.post(reverse("contest:upload_create", args=[contest.slug]), {"size": size, "name": name, "type": "image/jpeg"})


def patch(client, url, offset, data):
    return client.generic("PATCH", url, data, content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET=str(offset))


def send_all(client, contest, data, chunk=100_000):
    created = start(client, contest, len(data)).json()
    url = reverse("contest:upload_chunk", args=[contest.slug, created["id"]])
    for offset in range(0, len(data), chunk):
        assert patch(client, url, offset, data[offset : offset + chunk]).status_code == 200
    return created["id"], url


def test_chunked_upload_resumes_from_server_offset_and_submits_entry(client, settings):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    data = drawings(1)[0].read_bytes()
    created = start(client, contest, len(data)).json()
    url = reverse("contest:upload_chunk", args=[contest.slug, created["id"]])

    first = patch(client, url, 0, data[:50_000])
    repeated = patch(client, url, 0, data[:50_000])
    held = client.get(url).json()["offset"]
    rest = patch(client, url, held, data[held:])
    with drawings(1)[0].open("rb"):
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data("", upload_id=created["id"]))

    assert (first.status_code, repeated.status_code, repeated.json()["offset"], held) == (200, 409, 50_000, 50_000)
    assert rest.json() == {"offset": len(data), "size": len(data), "complete": True}
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.original.read() == data
    assert list(settings.CHUNKED_UPLOAD_DIR.iterdir()) == []


def test_chunked_upload_refuses_declared_size_over_cap(client, settings):
    settings.UPLOAD_MAX_BYTES = 1_000_000
    contest = ContestFactory()

    response = start(client, contest, 1_000_001)

    assert response.status_code == 413
    assert response.json()["message"] == "The image is too large (maximum 40 megapixels or 1 MB)."


def test_chunked_upload_refuses_bytes_past_declared_size(client):
    contest = ContestFactory()
    created = start(client, contest, 10).json()
    url = reverse("contest:upload_chunk", args=[contest.slug, created["id"]])

    response = patch(client, url, 0, b"x" * 11)

    assert response.status_code == 413
    assert client.get(url).json()["offset"] == 0


def test_chunked_upload_belongs_to_its_session_and_contest(client):
    contest, other = ContestFactory(), ContestFactory()
    upload_id, url = send_all(client, contest, b"abc")

    stranger = Client().get(url)
    wrong_contest = client.get(reverse("contest:upload_chunk", args=[other.slug, upload_id]))

    assert (stranger.status_code, wrong_contest.status_code) == (404, 404)


def test_chunked_upload_refused_image_gets_server_message_and_is_not_kept(client, settings):
    contest = ContestFactory()
    upload_id, _url = send_all(client, contest, (corpus_dir() / "crafted" / "plain_text_named.jpg").read_bytes())

    response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data("", upload_id=upload_id))

    html = response.content.decode()
    assert response.status_code == 400
    assert "This file is not an image." in html
    assert f'value="{upload_id}"' not in html
    assert Entry.objects.count() == 0
    assert list(settings.CHUNKED_UPLOAD_DIR.iterdir()) == []


def test_chunked_upload_of_an_image_sent_before_is_discarded(client, settings):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    data = drawings(1)[0].read_bytes()
    url = reverse("contest:entry_submit", args=[contest.slug])
    first_id, _url = send_all(client, contest, data)
    assert client.post(url, form_data("", upload_id=first_id)).status_code == 302
    again_id, _url = send_all(client, contest, data)

    response = client.post(url, form_data("", upload_id=again_id, child_first_name="Other"))

    assert response.status_code == 400
    assert "This image was already sent to this contest" in response.content.decode()
    assert Entry.objects.count() == 1
    assert list(settings.CHUNKED_UPLOAD_DIR.iterdir()) == []


def test_chunked_upload_is_kept_when_another_field_is_refused(client, settings):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    upload_id, _url = send_all(client, contest, drawings(1)[0].read_bytes())

    response = client.post(
        reverse("contest:entry_submit", args=[contest.slug]), form_data("", upload_id=upload_id, guardian_email="")
    )

    assert response.status_code == 400
    assert f'value="{upload_id}"' in response.content.decode()
    assert sorted(p.name for p in settings.CHUNKED_UPLOAD_DIR.iterdir()) == [f"{upload_id}.json", f"{upload_id}.part"]


def test_chunked_upload_refused_by_robot_trap_is_discarded(client, settings):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    upload_id, _url = send_all(client, contest, drawings(1)[0].read_bytes())

    response = client.post(reverse("contest:entry_submit", args=[contest.slug]),
                           form_data("", upload_id=upload_id, website="http://spam.example"))

    assert response.status_code == 400
    assert Entry.objects.count() == 0
    assert list(settings.CHUNKED_UPLOAD_DIR.iterdir()) == []


def test_chunked_upload_refuses_declared_size_over_the_contests_own_cap(client, settings):
    contest = ContestFactory(upload_max_megabytes=1)

    response = start(client, contest, 1_000_001)
    accepted = start(client, contest, 1_000_000)

    assert response.status_code == 413
    assert response.json()["message"] == "The image is too large (maximum 40 megapixels or 1 MB)."
    assert accepted.status_code == 201


def test_submit_form_carries_client_check_messages(client, settings):
    settings.UPLOAD_MAX_BYTES = 5_000_000
    contest = ContestFactory()

    html = client.get(reverse("contest:entry_submit", args=[contest.slug])).content.decode()

    assert 'data-max-bytes="5000000"' in html
    assert 'data-message-size="The image is too large (maximum 40 megapixels or 5 MB)."' in html
    assert "js/entry-upload.js" in html


def test_chunked_upload_alternating_between_two_web_processes_on_a_shared_disk(settings):
    # Without S3 every web process keeps the parts in CHUNKED_UPLOAD_DIR (one
    # folder they all share) and the upload's description beside them; the
    # session is in the database: nothing is in one process's memory.
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    data = drawings(1)[0].read_bytes()
    node_a, node_b = Client(), Client()
    node_a.get(reverse("contest:entry_submit", args=[contest.slug]))
    node_b.cookies = node_a.cookies
    created = start(node_a, contest, len(data)).json()
    url = reverse("contest:upload_chunk", args=[contest.slug, created["id"]])

    answers = []
    for index, offset in enumerate(range(0, len(data), 60_000)):
        node = (node_a, node_b)[index % 2]
        answers.append(patch(node, url, node.get(url).json()["offset"], data[offset : offset + 60_000]).status_code)
    response = node_b.post(reverse("contest:entry_submit", args=[contest.slug]), form_data("", upload_id=created["id"]))

    assert len(answers) > 2 and set(answers) == {200}
    assert response.status_code == 302
    assert Entry.objects.get().original.read() == data
    assert list(settings.CHUNKED_UPLOAD_DIR.iterdir()) == []


def test_a_familys_session_keeps_its_last_ten_uploads_and_a_teachers_a_class_worth(client):
    contest = ContestFactory()
    family = [start(client, contest, 1000).json()["id"] for _ in range(11)]
    chunk_url = lambda upload_id: reverse("contest:upload_chunk", args=[contest.slug, upload_id])  # noqa: E731

    assert client.get(chunk_url(family[0])).status_code == 404
    assert client.get(chunk_url(family[1])).json()["offset"] == 0

    teacher = teacher_client(TeacherFactory())
    create = reverse("contest:teacher_upload_create", args=[contest.slug])
    batch = [teacher.post(create, {"size": 1000, "name": f"{n}.jpg", "type": "image/jpeg"}).json()["id"]
             for n in range(chunked.TEACHER_SESSION_MAX_UPLOADS + 1)]
    assert teacher.get(chunk_url(batch[0])).status_code == 404
    assert [teacher.get(chunk_url(i)).status_code for i in (batch[1], batch[-1])] == [200, 200]
    assert chunked.TEACHER_SESSION_MAX_UPLOADS == 100 and chunked.SESSION_MAX_UPLOADS == 10
