"""Password reset from the sign-in page: Django's views with the portal's
templates; the e-mail is a task queued after the commit, in the language
of the request."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from contest.services import jobs
from tests.factories.judging import UserFactory

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_links_to_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_reset_sends_one_mail_through_the_task_and_the_link_sets_a_new_password(client, django_capture_on_commit_callbacks, monkeypatch):
    user = UserFactory(username="aigul", email="aigul@example.org")
    queued = []
    real = jobs.job_enqueue
    monkeypatch.setattr("judging.services.invitations.job_enqueue", lambda **kw: queued.append(kw) or real(**kw))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("password_reset"), {"email": "aigul@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []  # the request sent nothing itself
    for callback in callbacks:
        callback()
    assert [q["name"] for q in queued] == ["judging.password_reset_mail_send"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["aigul@example.org"]

    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link)
    assert form_page.status_code == 302
    new = {"new_password1": "a new horse 77", "new_password2": "a new horse 77"}
    response = client.post(form_page["Location"], new)
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a new horse 77")
    # The link works once.
    assert "expired or was used already" in client.get(link, follow=True).content.decode()


def test_the_mail_is_in_the_language_of_the_request(client, django_capture_on_commit_callbacks):
    UserFactory(username="aigul", email="aigul@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": "aigul@example.org"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert len(mail.outbox) == 1
    assert "Здравствуйте" in mail.outbox[0].body


def test_an_unknown_address_sends_nothing_and_says_the_same(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_mails_to_one_address_stop_at_its_limit_and_the_page_says_the_same(
    client, settings, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_LINKS_GUARDIAN = "2/h"
    UserFactory(username="aigul", email="aigul@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(reverse("password_reset"), {"email": "Aigul@example.org "}, REMOTE_ADDR=f"10.0.0.{i}")
            for i in range(1, 5)
        ]

    assert [(a.status_code, a["Location"]) for a in answers] == [(302, reverse("password_reset_done"))] * 4
    assert [m.to for m in mail.outbox] == [["aigul@example.org"]] * 2


def test_reset_requests_from_one_address_over_the_limit_get_the_too_many_tries_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_LINKS_IP = "2/h"
    UserFactory(username="aigul", email="aigul@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(reverse("password_reset"), {"email": f"x{i}@example.org"}) for i in range(3)]
        last = client.post(reverse("password_reset"), {"email": "aigul@example.org"})

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert last.status_code == 429
    assert mail.outbox == []
