"""Consent texts per contest and language, versioned (issue 6): the entry
records the version and the language of the text its guardian was shown;
what guardians accepted can be neither edited nor deleted in the admin."""

import datetime as dt
import re

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from contest import imaging, selectors, services
from contest.admin import ConsentTextAdminForm
from contest.models import ConsentText, Contest, Entry
from judging.management.commands.seed_demo import CONSENT_TEXTS, Command
from judging.management.demo_content import contest_texts
from tests.factories.contest import ContestFactory, EntryFactory, jpeg_bytes

pytestmark = [pytest.mark.django_db]


def submit(contest, *, language, color=(10, 120, 200)) -> Entry:
    data = services.Submission(
        child_first_name="Aigerim", child_last_name="Consentova", child_birth_date=dt.date(2016, 3, 1),
        country="KZ", region="", school="", title="At the pass", description="", guardian_name="Saule",
        guardian_email=f"saule-{color[0]}@example.org", consent=True, publish_consent=False,
    )
    image = SimpleUploadedFile("d.jpg", jpeg_bytes(color=color))
    info = imaging.inspect(image, services.upload_policy(contest=contest))
    return services.entry_submit(contest=contest, data=data, image=image, image_info=info, language=language)


@pytest.fixture
def organizer_client(client):
    user = get_user_model().objects.create_user("organizer", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


# (a) Without ConsentText rows: the contest's own text, in its default language.

def test_without_consent_rows_the_entry_records_the_contest_text_and_its_language():
    contest = ContestFactory(default_language="kk", consent_version="2026-1", consent_text="Келісемін.")

    entry = submit(contest, language="ru")
    shown = selectors.consent_text_current(contest=contest, language="ru")

    assert (shown.language, shown.version, shown.text) == ("kk", "2026-1", "Келісемін.")
    entry.refresh_from_db()
    assert (entry.consent_language, entry.consent_version) == ("kk", "2026-1")
    assert selectors.consent_text_for_entry(entry=entry) == "Келісемін."


def test_with_a_row_in_the_visitors_language_the_entry_records_that_language():
    contest = ContestFactory(default_language="en")
    ConsentText.objects.create(contest=contest, language="ru", version="3", text="Я согласен.")

    entry = submit(contest, language="ru")

    assert (entry.consent_language, entry.consent_version) == ("ru", "3")
    assert selectors.consent_text_for_entry(entry=entry) == "Я согласен."


# (b) The demo seeds a consent text in each of the portal's languages.

def test_demo_contest_has_a_consent_text_in_every_language(settings):
    now = timezone.now()
    contest, created = Command()._contest(
        slug="demo-consent", texts=contest_texts(year=2030), opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30)
    )

    rows = {row.language: row for row in ConsentText.objects.filter(contest=contest)}

    assert created
    assert contest.consent_text == rows["en"].text  # the admin shows the wording guardians see
    assert sorted(rows) == sorted(code for code, _name in settings.LANGUAGES)
    for code, row in rows.items():
        assert row.version == contest.consent_version
        assert row.text == CONSENT_TEXTS[code] and "90" in row.text and "7" in row.text, code
        assert selectors.consent_text_current(contest=contest, language=code).language == code
    assert not re.search(r"[A-Za-z]", rows["uz-cyrl"].text)
    assert not re.search(r"[А-Яа-яЁё]", rows["uz"].text + rows["tk"].text)
    entry = submit(contest, language="ky")
    assert (entry.consent_language, entry.consent_version) == ("ky", contest.consent_version)


# (c) The contest's own text is read-only once an entry exists.

def test_contest_consent_fields_become_read_only_once_an_entry_exists(organizer_client):
    contest = ContestFactory()
    url = reverse("admin:contest_contest_change", args=[contest.pk])
    request = RequestFactory().get(url)

    before = organizer_client.get(url).content.decode()
    EntryFactory(contest=contest)
    after = organizer_client.get(url).content.decode()

    assert 'name="consent_text"' in before and 'name="consent_version"' in before
    assert 'name="consent_text"' not in after and 'name="consent_version"' not in after
    assert {"consent_text", "consent_version"} <= set(site._registry[Contest].get_readonly_fields(request, contest))
    assert "consent_text" not in site._registry[Contest].get_readonly_fields(request, None)


# (d) A version any entry accepted cannot be deleted, nor shadowed by a new row.

def test_accepted_consent_version_cannot_be_deleted(organizer_client):
    contest = ContestFactory()
    accepted = ConsentText.objects.create(contest=contest, language="ru", version="1", text="Я согласен.")
    unused = ConsentText.objects.create(contest=contest, language="ru", version="2", text="Я согласна.")
    EntryFactory(contest=contest, consent_language="ru", consent_version="1")
    changelist = reverse("admin:contest_consenttext_changelist")

    one = organizer_client.post(reverse("admin:contest_consenttext_delete", args=[accepted.pk]), {"post": "yes"})
    bulk = organizer_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [accepted.pk], "post": "yes"}
    )
    free = organizer_client.post(reverse("admin:contest_consenttext_delete", args=[unused.pk]), {"post": "yes"})

    assert one.status_code == 403
    assert bulk.status_code == 403
    assert free.status_code == 302
    assert list(ConsentText.objects.values_list("pk", flat=True)) == [accepted.pk]


def test_new_row_cannot_reuse_a_version_guardians_accepted_from_the_contest_text():
    contest = ContestFactory(default_language="en", consent_version="1")
    submit(contest, language="en")  # no rows: accepted the contest's text as ("en", "1")

    same = ConsentTextAdminForm(data={"contest": contest.pk, "language": "en", "version": "1", "text": "New words."})
    new = ConsentTextAdminForm(data={"contest": contest.pk, "language": "en", "version": "2", "text": "New words."})

    assert not same.is_valid()
    assert "already accepted version 1" in str(same.errors)
    assert new.is_valid(), new.errors
