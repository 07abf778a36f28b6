"""Guardian links carry the entry's own random secret: the project's
SECRET_KEY alone mints no working link, the entry stores only the secret's
hash, new links (asked for again, a rejection) replace the old ones, the
confirmation link only confirms, and the outbox row holds the plain secret
only until its e-mail is sent."""

import importlib
import io
import zipfile

import pytest
from django.apps import apps
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from contest import links, services
from contest.models import Entry, GuardianMail
from tests.factories.contest import EntryFactory, RenditionFactory
from tests.helpers import guardian_token, mailed_guardian_links

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

CHILD = "Secretchildname"


def _token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def _secret_of(url: str, purpose=links.Purpose.MANAGE) -> str:
    return links.token_read(token=_token_of(url), purpose=purpose).secret


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_link_minted_with_the_secret_key_alone_opens_nothing(client):
    entry = EntryFactory(title=CHILD)
    # The old kind of link: only the public id, signed with SECRET_KEY.
    old_style = signing.dumps({"e": str(entry.public_id), "p": "manage"}, salt="contest.guardian.manage", compress=False)
    # The new kind, with a guessed secret.
    guessed = links.token_make(public_id=entry.public_id, secret="guessed", purpose=links.Purpose.MANAGE)

    answers = [client.get(reverse("contest:guardian_entry", args=[token])) for token in (old_style, guessed)]

    assert [a.status_code for a in answers] == [404, 410]
    assert "This link is not valid" in answers[0].content.decode()
    assert "Ask for a new link" in answers[1].content.decode()
    assert all(CHILD not in a.content.decode() for a in answers)
    assert all("no-store" in a["Cache-Control"] for a in answers)


def test_mailed_links_work_and_only_the_secrets_hash_is_stored(client, django_capture_on_commit_callbacks):
    entry = EntryFactory(guardian_confirmed_at=None, moderation_status="pending", title=CHILD)

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_confirmation_send(entry=entry)

    mailed = mailed_guardian_links(mail.outbox[0].body)
    secret = _secret_of(mailed["manage"])
    assert _secret_of(mailed["confirm"], links.Purpose.CONFIRM) == secret
    assert len(secret) == 43  # secrets.token_urlsafe(32)
    entry.refresh_from_db()
    assert entry.link_secret_hash == links.secret_hash(secret)
    values = [str(v) for v in Entry.objects.filter(pk=entry.pk).values().get().values()]
    assert not any(secret in v for v in values)
    row = GuardianMail.objects.get(entry=entry)
    assert row.sent_at is not None and row.link_secret == ""
    page = client.get(_path(mailed["manage"]))
    assert page.status_code == 200
    assert CHILD in page.content.decode()
    # The guardian's data download holds neither the secret nor its hash.
    export = client.post(_path(mailed["manage"]) + "data.zip").content
    archive = zipfile.ZipFile(io.BytesIO(export)).read("entry.json").decode()
    assert entry.link_secret_hash not in archive and secret not in archive


def test_the_outbox_row_holds_the_plain_secret_until_it_is_sent(django_capture_on_commit_callbacks):
    entry = EntryFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.entry_links_resend(entry=entry)
    row = GuardianMail.objects.get(entry=entry)
    entry.refresh_from_db()
    assert row.link_secret and links.secret_hash(row.link_secret) == entry.link_secret_hash
    for callback in callbacks:
        callback()

    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.link_secret == ""
    assert _secret_of(mailed_guardian_links(mail.outbox[0].body)["manage"]) != ""


def test_asking_for_new_links_makes_the_old_ones_stop_working(client, django_capture_on_commit_callbacks):
    entry = EntryFactory(guardian_email="aida@example.org", title=CHILD)
    old = reverse("contest:guardian_entry", args=[guardian_token(entry)])
    assert client.get(old).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contest:guardian_link_request"), {"reference": entry.reference, "guardian_email": "aida@example.org"})

    refused = client.get(old)
    new = client.get(_path(mailed_guardian_links(mail.outbox[0].body)["manage"]))
    assert refused.status_code == 410
    assert CHILD not in refused.content.decode()
    assert new.status_code == 200


def test_a_mail_still_waiting_goes_out_with_the_newest_links(client, django_capture_on_commit_callbacks):
    entry = EntryFactory(guardian_confirmed_at=None, moderation_status="pending")

    with django_capture_on_commit_callbacks(execute=False) as first:
        services.entry_confirmation_send(entry=entry)
    with django_capture_on_commit_callbacks(execute=False) as second:
        services.entry_links_resend(entry=entry)
    for callback in [*first, *second]:
        callback()

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        manage = mailed_guardian_links(message.body)["manage"]
        assert client.get(_path(manage)).status_code == 200


def test_the_confirmation_link_confirms_and_mints_no_management_link(client):
    entry = EntryFactory(guardian_confirmed_at=None, moderation_status="pending")
    confirm = reverse("contest:guardian_confirm", args=[guardian_token(entry, links.Purpose.CONFIRM)])
    before = Entry.objects.get(pk=entry.pk).link_secret_hash

    answer = client.post(confirm)
    page = client.get(confirm)

    assert answer.status_code == 302
    assert answer["Location"] == confirm
    assert "/guardian/entry/" not in page.content.decode()
    assert "Thank you: the entry is confirmed and goes on to the organizers' check." in page.content.decode()
    # One state, one heading: no "Confirm the entry" over a confirmed one.
    assert "<h1>The entry is confirmed</h1>" in page.content.decode()
    assert "Confirm the entry" not in page.content.decode()
    entry.refresh_from_db()
    assert entry.guardian_confirmed_at is not None
    assert entry.link_secret_hash == before


def test_a_rejection_mail_brings_working_links_and_retires_the_old_ones(client, django_capture_on_commit_callbacks):
    entry = EntryFactory(moderation_status="rejected", rejection_reason="off_theme")
    old = reverse("contest:guardian_entry", args=[guardian_token(entry)])

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_rejection_send(entry=entry)

    assert client.get(old).status_code == 410
    assert client.get(_path(mailed_guardian_links(mail.outbox[0].body)["manage"])).status_code == 200


def test_withdrawal_ends_every_link(client, django_capture_on_commit_callbacks):
    entry = EntryFactory()
    token = guardian_token(entry)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contest:guardian_withdraw", args=[token]), {"confirm": "on"})

    gone = client.get(reverse("contest:guardian_entry", args=[token]))
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert gone.status_code == 404
    assert "This entry no longer exists" in gone.content.decode()


def test_links_keep_their_lifetime(client, settings):
    entry = EntryFactory()
    token = guardian_token(entry)
    settings.GUARDIAN_LINK_DAYS = 0

    expired = client.get(reverse("contest:guardian_entry", args=[token]))

    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()


def test_the_migration_gives_each_existing_entry_its_own_secret():
    first, second = EntryFactory(), EntryFactory()
    Entry.objects.update(link_secret_hash="0" * 64)
    waiting = GuardianMail.objects.create(entry=first, kind="link", language="en")
    migration = importlib.import_module("contest.migrations.0017_entry_link_secret")

    migration.secrets_give(apps, None)

    first.refresh_from_db()
    second.refresh_from_db()
    waiting.refresh_from_db()
    assert len({first.link_secret_hash, second.link_secret_hash, "0" * 64}) == 3
    assert links.secret_hash(waiting.link_secret) == first.link_secret_hash


def test_new_links_also_end_the_old_browsers_view_of_the_images(client, django_capture_on_commit_callbacks):
    entry = EntryFactory(guardian_email="aida@example.org")
    RenditionFactory(entry=entry, kind="card", format="jpeg")
    image = reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"])
    client.get(reverse("contest:guardian_entry", args=[guardian_token(entry)]))
    assert client.get(image).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_links_resend(entry=entry)

    assert client.get(image).status_code == 404
    assert Client().get(image).status_code == 404
