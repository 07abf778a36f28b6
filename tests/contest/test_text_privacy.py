"""Free text that may name the child: what the title and description seem
to reveal (`contest.text_privacy`), the guardian's warning on the submit
form, the flag kept on the entry, a moderator's audited edit told to the
guardian, and link previews without the description."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from contest import services
from contest.models import AuditLog, Entry, GuardianMail
from contest.text_privacy import text_flags
from tests.factories.contest import ContestFactory, EntryFactory, published_winner
from tests.helpers import drawings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


# --- detection ----------------------------------------------------------------


@pytest.mark.parametrize(
    "title, description, child, expected",
    [
        # The first name as written, then declined (Russian), then in the other script.
        ("Айгуль и её кот", "", ("Айгуль", "Сапарова"), ["first_name"]),
        ("Мой дом", "Нарисовала Сапаровой Айгулью", ("Айгуль", "Сапарова"), ["first_name", "last_name"]),
        ("Aigul at the gate", "", ("Айгуль", "Сапарова"), ["first_name"]),
        ("Юсуфнинг уйи", "", ("Yusuf", "Karimov"), ["first_name"]),
        ("Alisherning chegarasi", "Karimovlar oilasi", ("Alisher", "Karimov"), ["first_name", "last_name"]),
        ("Тоғлар", "Менинг исмим Жасур", ("Жасур", "Тошматов"), ["first_name"]),
        # Nothing personal: a short name inside another word, years and ages.
        ("Kimyo darsi", "", ("Ali", "Kim"), []),
        ("Весна 2024", "Мне 9 лет, я нарисовала 12 деревьев", ("Айгуль", "Сапарова"), []),
        ("Горы", "Алматы, горы и река", ("Ал", "Ким"), []),
    ],
)
def test_names_found_in_cyrillic_and_latin(title, description, child, expected):
    first, last = child

    assert text_flags(title=title, description=description, first_name=first, last_name=last) == expected


@pytest.mark.parametrize(
    "description, school, expected",
    [
        ("Учусь в школе №45 города Ош", "Средняя школа № 45", ["school"]),
        ("We go to School 12 every day", "School No. 12", ["school"]),
        ("Bizning 17-maktab", "17-sonli umumta'lim maktabi", ["school"]),
        ("Гимназия имени Пушкина — моя школа", "Гимназия им. Пушкина", ["school"]),
        ("Мне 45 лет? Нет, мне 9", "Средняя школа № 45", []),
        ("The river in spring", "School No. 12", []),
    ],
)
def test_the_school_is_found_by_its_name_or_its_number(description, school, expected):
    assert text_flags(title="Drawing", description=description, school=school) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Пишите маме: aigul.mama@mail.ru", ["email"]),
        ("write to dana (at) gmail.com", ["email"]),
        ("Звоните +7 (701) 123-45-67", ["phone"]),
        ("Tel: 998 90 123 45 67", ["phone"]),
        ("+996555123456", ["phone"]),
        ("Мой рисунок 2024 года, 3 цвета, 15 минут", []),
        ("10.05.2024 — the first day of spring break", []),
    ],
)
def test_email_and_phone_patterns(text, expected):
    assert text_flags(title="Рисунок", description=text) == expected


# --- the submit form's warning --------------------------------------------------


def form_data(image_file, **overrides):
    data = {
        "child_first_name": "Айгуль", "child_last_name": "Сапарова", "child_birth_date": "2015-09-10",
        "country": "KG", "region": "Naryn", "school": "Средняя школа № 45",
        "title": "Айгуль и граница", "description": "Звоните +996 555 123 456",
        "image": image_file, "guardian_name": "Guldana", "guardian_email": "guldana@example.org",
        "guardian_relationship": "mother", "consent": "on",
    }
    data.update(overrides)
    return data


def post(client, contest, drawing, captured, **overrides):
    with captured(execute=True), drawing.open("rb") as fh:
        return client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh, **overrides))


def test_submit_warns_once_then_sends_anyway_with_the_flags_kept(client, django_capture_on_commit_callbacks):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]

    warned = post(client, contest, drawing, django_capture_on_commit_callbacks)
    html = warned.content.decode()
    assert warned.status_code == 200 and Entry.objects.count() == 0
    assert "The title or the description may tell who the child is" in html
    assert "the child&#x27;s first name" in html and "a phone number" in html
    assert 'name="text_confirmed" value="1"' in html

    sent = post(client, contest, drawing, django_capture_on_commit_callbacks, text_confirmed="1")

    assert sent.status_code == 302
    assert Entry.objects.get().text_flags == ["first_name", "phone"]


def test_submit_warning_is_in_the_guardians_language(client, django_capture_on_commit_callbacks):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    client.cookies["django_language"] = "ru"

    html = post(client, contest, drawings(1)[0], django_capture_on_commit_callbacks).content.decode()

    assert 'lang="ru"' in html
    assert "По названию или описанию можно узнать ребёнка" in html
    assert "имя ребёнка" in html and "номер телефона" in html and "Всё равно отправить" in html


def test_submit_without_personal_text_goes_through_at_once(client, django_capture_on_commit_callbacks):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))

    response = post(
        client, contest, drawings(1)[0], django_capture_on_commit_callbacks, title="Граница", description="Горы и река"
    )

    assert response.status_code == 302
    assert Entry.objects.get().text_flags == []


# --- moderation: the badge and the edit --------------------------------------------


@pytest.fixture
def organizer(client, organizer_of_every_contest):
    user = organizer_of_every_contest(get_user_model().objects.create_user("dana"))
    client.force_login(user)
    return user


def test_flagged_entry_shows_a_badge_in_moderation(client, organizer):
    contest = ContestFactory()
    EntryFactory(contest=contest, moderation_status="pending", text_flags=["first_name", "school"], title="Flagged one")
    EntryFactory(contest=contest, moderation_status="pending", title="Clean one")

    html = client.get(reverse("contest:moderation", args=[contest.slug])).content.decode()

    assert html.count("May tell who the child is:") == 1
    assert "the child&#x27;s first name, the school" in html


def test_moderator_edits_the_text_audited_and_the_guardian_is_told_in_their_language(
    client, organizer, django_capture_on_commit_callbacks
):
    contest = ContestFactory()
    entry = EntryFactory(
        contest=contest, moderation_status="pending", child_first_name="Айгуль", title="Айгуль и граница",
        description="Мой телефон +996 555 123 456", text_flags=["first_name", "phone"], language="ru",
    )
    url = reverse("contest:entry_text", args=[contest.slug, entry.reference])

    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"title": "Граница", "description": "Горы и река"})

    entry.refresh_from_db()
    assert response.status_code == 302
    assert (entry.title, entry.description, entry.text_flags) == ("Граница", "Горы и река", [])
    log = AuditLog.objects.get(action="text_edited")
    assert (log.actor, log.entry_reference, log.detail) == (organizer, entry.reference, {"fields": ["title", "description"]})
    assert "Айгуль" not in str(log.detail)
    mail_row = GuardianMail.objects.get(kind="text_edit")
    assert (mail_row.language, mail_row.sent_at is not None) == ("ru", True)
    [message] = mail.outbox
    assert message.to == [entry.guardian_email]
    assert "Граница" in message.body and "Горы и река" in message.body
    assert "Организаторы изменили название или описание рисунка" in message.body
    assert message.subject == f"Название или описание вашей работы {entry.reference} изменено"


def test_moderator_edit_with_an_empty_title_is_refused_and_nothing_changes(client, organizer):
    contest = ContestFactory()
    entry = EntryFactory(contest=contest, moderation_status="pending", title="Old title")

    response = client.post(reverse("contest:entry_text", args=[contest.slug, entry.reference]), {"title": " ", "description": ""})

    entry.refresh_from_db()
    assert response.status_code == 400 and entry.title == "Old title"
    assert not AuditLog.objects.filter(action="text_edited").exists() and not GuardianMail.objects.exists()


def test_unchanged_text_is_neither_audited_nor_mailed(organizer):
    entry = EntryFactory(moderation_status="pending", title="Same", description="Same too")

    changed = services.entry_text_edit(entry=entry, title="Same ", description="Same too", actor=organizer)

    assert changed == [] and not AuditLog.objects.exists() and not GuardianMail.objects.exists()


# --- never in link previews ------------------------------------------------------


def test_description_is_never_in_the_pages_meta_tags(client):
    contest = ContestFactory(results_published_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    entry = published_winner(
        contest, title="Night shift", description="Айгуль из школы №45, тел. +996555123456", publish_consent=True,
    )

    html = client.get(reverse("contest:entry_detail", args=[entry.public_id])).content.decode()
    head = html.split("</head>")[0]

    assert "og:description" in head
    assert "Айгуль" not in head and "+996555123456" not in head
    gallery = client.get(reverse("contest:gallery", args=[contest.slug])).content.decode().split("</head>")[0]
    assert "Айгуль" not in gallery


def test_text_edit_page_reads_a_fixed_number_of_queries(client, organizer, django_assert_num_queries):
    entry = EntryFactory(moderation_status="pending", text_flags=["school"])
    url = reverse("contest:entry_text", args=[entry.contest.slug, entry.reference])

    # Session, user, the user's contest roles, contest, entry: nothing per
    # flag or per field.
    with django_assert_num_queries(5):
        response = client.get(url)

    assert response.status_code == 200 and "May tell who the child is: the school" in response.content.decode()


def test_a_number_near_ordinary_words_is_not_the_school():
    # "of" or "number" beside the school's number say nothing about a school.
    assert text_flags(
        title="Border drawing 3", description="Drawing number 3 of the people at the border.", school="Privateschool 3"
    ) == []
