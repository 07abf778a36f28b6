"""Contest content per language (title, theme, rules, consent, the
e-mails to guardians), falling back to the contest's default language."""

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.conf import settings
from django.urls import reverse

from contest import selectors, services
from contest.models import ConsentText, ContestTranslation
from tests.factories.contest import ContestFactory, EntryFactory
from tests.helpers import mailed_guardian_links

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def contest():
    contest = ContestFactory(title="Borders", theme="Draw the border.", rules="One drawing.", default_language="en",
                             slug="borders")
    ContestTranslation.objects.create(
        contest=contest, language="ru", title="Границы", theme="Нарисуй границу.", rules="Один рисунок."
    )
    return contest


@pytest.fixture(autouse=True)
def link_clock_stopped(monkeypatch):
    """Guardian links carry their signing second; the mail and the expected
    link are built at two moments, so both must read the same second."""
    stamp = signing.TimestampSigner().timestamp()
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: stamp)


def get(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_contest_page_in_ru_when_a_ru_translation_exists(client, contest):
    html = get(client, reverse("contest:contest_detail", args=[contest.slug]), "ru")

    assert ["Границы" in html, "Нарисуй границу." in html, "Один рисунок." in html, "Draw the border." in html] == [
        True, True, True, False,
    ]


def test_contest_page_falls_back_to_the_default_language(client, contest):
    ContestTranslation.objects.create(contest=contest, language="ky", title="", theme="Чек араны тарт.")
    contest.default_language = "ru"
    contest.save()

    html = get(client, reverse("contest:contest_detail", args=[contest.slug]), "ky")

    # The Kyrgyz theme; the title and rules from the default language (ru).
    assert ["Чек араны тарт." in html, "Границы" in html, "Один рисунок." in html, "Borders" in html] == [
        True, True, True, False,
    ]


def test_home_and_submit_page_use_the_translated_title(client, contest):
    home = get(client, reverse("contest:home"), "ru")
    submit = get(client, reverse("contest:entry_submit", args=[contest.slug]), "ru")
    english = get(client, reverse("contest:home"), "kk")

    assert ["Границы" in home, "Границы" in submit, "Borders" in english] == [True, True, True]


def test_contest_content_without_translations_is_the_contest_own():
    contest = ContestFactory(title="Borders", theme="Theme", rules="Rules")

    content = selectors.contest_content(contest=contest, language="tg")

    assert (content.title, content.theme, content.rules, content.receipt_body) == ("Borders", "Theme", "Rules", "")


def home_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.cookies["django_language"] = "ru"
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("contest:home"))
    return len(ctx.captured_queries)


def test_home_content_same_queries_for_1_and_4_contests(client):
    ContestTranslation.objects.create(contest=ContestFactory(), language="ru", title="Т")
    one = home_queries(client)
    for _ in range(3):
        ContestTranslation.objects.create(contest=ContestFactory(), language="ru", title="Т")
    # What creating a contest through its service does after the commit.
    services.public_cache_clear(contest_id=0)

    four = home_queries(client)

    assert one == four


def test_consent_text_falls_back_to_the_contest_default_language():
    contest = ContestFactory(default_language="ru")
    ConsentText.objects.create(contest=contest, language="ru", version="2", text="Я согласен.")
    ConsentText.objects.create(contest=contest, language="en", version="1", text="I agree.")

    consent = selectors.consent_text_current(contest=contest, language="tk")

    assert (consent.language, consent.version, consent.text) == ("ru", "2", "Я согласен.")


def test_confirmation_email_to_a_kk_guardian_uses_the_kk_template(contest, django_capture_on_commit_callbacks):
    ContestTranslation.objects.create(
        contest=contest, language="kk", title="Шекаралар", receipt_subject="{reference} жұмысын растаңыз",
        receipt_body="Сәлем, {name}!\n«{contest}» байқауы.\nРастау: {confirm_link}\nБет: {manage_link}\n{unknown}",
    )
    entry = EntryFactory(contest=contest, language="kk", guardian_confirmed_at=None, moderation_status="pending",
                         guardian_name="Айгүл")

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.entry_confirmation_send(entry=entry)

    message = mail.outbox[0]
    links = mailed_guardian_links(message.body)
    assert sent is True
    assert set(links) == {"confirm", "manage"}
    assert message.subject == f"{entry.reference} жұмысын растаңыз"
    assert message.body == (
        f"Сәлем, Айгүл!\n«Шекаралар» байқауы.\nРастау: {links['confirm']}\nБет: {links['manage']}\n{{unknown}}"
    )


def test_confirmation_email_without_a_template_uses_the_standard_text_and_translated_title(contest, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, language="ru", guardian_confirmed_at=None, moderation_status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_confirmation_send(entry=entry)

    assert "«Границы»" in mail.outbox[0].subject or "“Границы”" in mail.outbox[0].subject
    assert "Границы" in mail.outbox[0].body


def test_confirmation_email_falls_back_to_the_default_language_template(contest, django_capture_on_commit_callbacks):
    ContestTranslation.objects.filter(contest=contest, language="ru").update(
        receipt_subject="Подтвердите {reference}", receipt_body="{confirm_link} {manage_link}"
    )
    contest.default_language = "ru"
    contest.save()
    entry = EntryFactory(contest=contest, language="tg", guardian_confirmed_at=None, moderation_status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_confirmation_send(entry=entry)

    assert mail.outbox[0].subject == f"Подтвердите {entry.reference}"


def test_translation_body_must_keep_the_links(contest):
    row = ContestTranslation(contest=contest, language="tk", receipt_body="Salam {name}")

    with pytest.raises(ValidationError) as exc:
        row.full_clean()

    assert sorted(exc.value.message_dict) == ["receipt_body"]


def test_placeholders_fill_leaves_attribute_lookups_alone():
    assert services.placeholders_fill("{name} {name.__class__} {x}", {"name": "A"}) == "A {name.__class__} {x}"


def test_rejection_email_uses_the_organizers_ru_text_with_the_reason_in_russian(contest, django_capture_on_commit_callbacks):
    ContestTranslation.objects.filter(contest=contest, language="ru").update(
        rejection_subject="Работа {reference} не принята",
        rejection_body="{name}, причина: {reason}\nУдаление через {grace_days} дн.\n{manage_link}",
    )
    entry = EntryFactory(contest=contest, language="ru", guardian_name="Гульнара",
                         rejection_reason="off_theme", moderation_status="rejected")

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.entry_rejection_send(entry=entry)

    message = mail.outbox[0]
    assert sent is True
    assert message.subject == f"Работа {entry.reference} не принята"
    assert message.body == (
        f"Гульнара, причина: Рисунок не на тему конкурса.\n"
        f"Удаление через {services.rejected_grace_days()} дн.\n{mailed_guardian_links(message.body)['manage']}"
    )


def test_rejection_email_without_organizers_text_uses_the_standard_one(contest, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, language="en", rejection_reason="unreadable", moderation_status="rejected")

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_rejection_send(entry=entry)

    message = mail.outbox[0]
    assert message.subject == f"Your entry {entry.reference} was not accepted"
    assert "The reason: The photo is too blurred or dark to judge the drawing." in message.body


def test_new_link_email_falls_back_to_the_default_language_text(contest, django_capture_on_commit_callbacks):
    ContestTranslation.objects.filter(contest=contest, language="ru").update(
        link_subject="Ссылка для {reference}", link_body="Ваша страница ({manage_days} дн.): {manage_link}",
    )
    contest.default_language = "ru"
    contest.save()
    entry = EntryFactory(contest=contest, language="ky")

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.entry_links_resend(entry=entry)

    message = mail.outbox[0]
    manage_days = settings.GUARDIAN_LINK_DAYS
    assert sent is True
    assert message.subject == f"Ссылка для {entry.reference}"
    assert message.body == f"Ваша страница ({manage_days} дн.): {mailed_guardian_links(message.body)['manage']}"


def test_each_email_text_must_keep_what_the_guardian_needs(contest):
    row = ContestTranslation(
        contest=contest, language="tk", receipt_body="{confirm_link} {manage_link}", link_body="Salam {name}",
        rejection_body="{manage_link}",
    )

    with pytest.raises(ValidationError) as exc:
        row.full_clean()

    assert exc.value.message_dict == {
        "link_body": ["The text must contain {manage_link}."],
        "rejection_body": ["The text must contain {reason}."],
    }


def test_standard_rejection_email_is_in_the_guardians_language(contest, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, language="ru", rejection_reason="unreadable", moderation_status="rejected")

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_rejection_send(entry=entry)

    message = mail.outbox[0]
    assert message.subject == f"Работа {entry.reference} не принята"
    assert "Фото слишком размытое или тёмное, чтобы оценить рисунок." in message.body
