"""Teachers' accounts (registration, the address's verification by a
signed link, an organizer's approval), the class page (status, never a
score), the moderators' check of signed paper consent forms, the
printable consent form, and a batch whose photos came in resumable parts."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contest import services
from contest.models import AuditLog, Entry, Teacher
from contest.services import guardian_links
from tests.contest.test_teacher_batch import PDF_SCAN, born, csv_of, teacher_client
from tests.factories.contest import ContestFactory, EntryFactory, TeacherFactory, jpeg_bytes, regional_contest
from tests.factories.judging import ModeratorFactory, OrganizerFactory
from tests.helpers import stored_files

# The files are looked for on disk: local storage in the services run too.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def register(client, email="olga@example.org"):
    return client.post(reverse("contest:teacher_register"), {
        "email": email, "password": "a-long-Password-42", "full_name": "Olga Petrova", "school": "Studio Rainbow",
        "country": "KG", "region": "Bishkek",
    })


def test_teacher_registers_verifies_by_link_and_is_approved_by_an_organizer(django_capture_on_commit_callbacks):
    client = Client()
    organizer = OrganizerFactory(contests=[ContestFactory()])

    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    link = re.search(r"http\S+/teachers/verify/\S+/", mail.outbox[0].body).group(0)
    verified = client.get(link[link.index("/teachers/"):])
    staff = Client()
    staff.force_login(organizer)
    waiting = staff.get(reverse("contest:teachers_waiting"))
    teacher = Teacher.objects.get()
    approved = staff.post(reverse("contest:teachers_waiting"), {"teacher": teacher.pk})

    assert response.status_code == 200
    assert mail.outbox[0].to == ["olga@example.org"]
    assert verified.status_code == 200
    assert list(waiting.context["teachers"]) == [teacher]
    assert approved.status_code == 302
    teacher.refresh_from_db()
    assert teacher.is_approved and teacher.approved_by == organizer
    assert list(AuditLog.objects.values_list("action", "actor")) == [("teacher_ok", organizer.pk)]


def test_teacher_verification_link_changed_is_refused():
    teacher = TeacherFactory(email_verified_at=None, approved_at=None)

    response = Client().get(reverse("contest:teacher_verify", args=["not-a-valid-token"]))

    assert response.status_code == 404
    teacher.refresh_from_db()
    assert teacher.email_verified_at is None


def test_teacher_cannot_be_approved_before_verifying():
    teacher = TeacherFactory(email_verified_at=None, approved_at=None)
    organizer = OrganizerFactory(contests=[ContestFactory()])
    staff = Client()
    staff.force_login(organizer)

    staff.post(reverse("contest:teachers_waiting"), {"teacher": teacher.pk})

    teacher.refresh_from_db()
    assert teacher.approved_at is None


@pytest.mark.parametrize("who", ["anonymous", "teacher", "moderator"])
def test_teachers_waiting_page_is_404_to_non_organizers(who):
    client = Client()
    if who == "teacher":
        client.force_login(TeacherFactory().user)
    elif who == "moderator":
        client.force_login(ModeratorFactory(contests=[ContestFactory()]))

    assert client.get(reverse("contest:teachers_waiting")).status_code == 404


def test_class_page_lists_the_teachers_entries_with_status_and_no_score(django_assert_num_queries):
    contest = ContestFactory()
    teacher = TeacherFactory(language="en")
    EntryFactory(contest=contest, teacher=teacher, title="Mountains", reference="CLAS-0001")
    EntryFactory(contest=contest, teacher=teacher, title="Lake", reference="CLAS-0002", guardian_confirmed_at=None,
                 moderation_status="pending")
    EntryFactory(contest=contest, teacher=teacher, title="Sun", reference="CLAS-0004", processing_status="failed",
                 moderation_status="pending")
    EntryFactory(contest=contest, title="Someone else's", reference="CLAS-0003")
    client = teacher_client(teacher, language="en")
    client.get(reverse("contest:teacher_class", args=[contest.slug]))  # session and user warmed up

    # session, user, contest, teacher, whether the contest has national
    # rounds, entries; the header's roles and permissions (3)
    with django_assert_num_queries(9):
        response = client.get(reverse("contest:teacher_class", args=[contest.slug]))
    EntryFactory.create_batch(3, contest=contest, teacher=teacher)
    with django_assert_num_queries(9):
        client.get(reverse("contest:teacher_class", args=[contest.slug]))

    rows = [(e.reference, e.title, e.consent, e.status) for e in response.context["entries"]]
    assert sorted(rows) == [
        ("CLAS-0001", "Mountains", "confirmed by the guardian", "accepted"),
        ("CLAS-0002", "Lake", "waiting for the guardian's confirmation by e-mail", "received"),
        ("CLAS-0004", "Sun", "confirmed by the guardian", "the photo could not be read"),
    ]
    assert "score" not in response.content.decode().lower()


def test_class_page_is_404_to_a_family_or_an_unapproved_teacher():
    contest = ContestFactory()
    waiting = TeacherFactory(approved_at=None)

    assert Client().get(reverse("contest:teacher_class", args=[contest.slug])).status_code == 404
    assert teacher_client(waiting).get(reverse("contest:teacher_class", args=[contest.slug])).status_code == 404


def scan_entry(contest, teacher):
    return EntryFactory(contest=contest, teacher=teacher, guardian_email="", guardian_confirmed_at=None,
                        moderation_status="pending", reference="SCAN-0001",
                        consent_scan=ContentFile(PDF_SCAN, name="scan.pdf"))


def test_moderator_accepts_a_signed_form_and_the_entry_goes_on_to_moderation():
    contest = ContestFactory()
    entry = scan_entry(contest, TeacherFactory())
    moderator = ModeratorFactory(contests=[contest])
    client = Client()
    client.force_login(moderator)

    listed = client.get(reverse("contest:consent_scans", args=[contest.slug]))
    scan = client.get(reverse("contest:consent_scan_file", args=[contest.slug, entry.reference]))
    client.post(reverse("contest:consent_scans", args=[contest.slug]), {"reference": entry.reference, "decision": "accept"})

    assert [e.reference for e in listed.context["entries"]] == ["SCAN-0001"]
    assert b"".join(scan.streaming_content) == PDF_SCAN
    entry.refresh_from_db()
    assert entry.guardian_confirmed_at is not None and entry.consent_scan_checked_by == moderator
    assert entry.moderation_status == "pending"
    assert list(AuditLog.objects.values_list("action", flat=True)) == ["scan_checked"]


def test_entry_with_unchecked_scan_is_not_judgeable_nor_purged_as_unconfirmed():
    contest = ContestFactory()
    entry = scan_entry(contest, TeacherFactory())
    Entry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - dt.timedelta(days=30))

    assert services.entries_purge_unconfirmed() == 0
    assert list(Entry.objects.judgeable()) == []


def test_refused_form_rejects_the_entry():
    contest = ContestFactory()
    entry = scan_entry(contest, TeacherFactory())
    client = Client()
    client.force_login(ModeratorFactory(contests=[contest]))

    client.post(reverse("contest:consent_scans", args=[contest.slug]), {"reference": entry.reference, "decision": "refuse"})

    entry.refresh_from_db()
    assert (entry.moderation_status, entry.guardian_confirmed_at) == ("rejected", None)


def test_consent_scan_is_404_to_another_contests_moderator_and_to_the_teacher():
    contest = ContestFactory()
    teacher = TeacherFactory()
    entry = scan_entry(contest, teacher)
    other = Client()
    other.force_login(ModeratorFactory(contests=[ContestFactory()]))
    url = reverse("contest:consent_scan_file", args=[contest.slug, entry.reference])

    assert other.get(url).status_code == 404
    assert teacher_client(teacher).get(url).status_code == 404


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_printable_consent_form_in_every_language(code):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    response = client.get(reverse("contest:consent_form"))

    assert response.status_code == 200
    assert response.headers["Content-Language"] == code


def test_batch_with_photos_sent_in_parts_deletes_the_parts_of_every_named_row(settings):
    contest = ContestFactory()
    client = teacher_client(TeacherFactory(), language="en")
    ids = []
    for i, colour in enumerate([(10, 200, 30), (200, 10, 30)], start=1):
        data = jpeg_bytes(color=colour)
        created = client.post(reverse("contest:teacher_upload_create", args=[contest.slug]),
                              {"size": len(data), "name": f"p{i}.jpg", "type": "image/jpeg"}).json()
        client.generic("PATCH", reverse("contest:upload_chunk", args=[contest.slug, created["id"]]), data,
                       content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0")
        ids.append(created["id"])
    rows = [
        ["Aigerim", "Tokonova", born(contest, 8).isoformat(), "Mountains", "m1@example.org", "p1.jpg", ""],
        ["Bakyt", "Usenov", born(contest, 2).isoformat(), "Cat", "m2@example.org", "p2.jpg", ""],
    ]

    response = client.post(reverse("contest:teacher_batch", args=[contest.slug]), {
        "sheet": SimpleUploadedFile("c.csv", csv_of(rows)), "upload_ids": ",".join(ids),
    })

    assert [row.saved for row in response.context["results"]] == [True, False]
    assert list(Entry.objects.values_list("child_first_name", flat=True)) == ["Aigerim"]
    assert stored_files(settings.CHUNKED_UPLOAD_DIR) == []
    assert len(stored_files(settings.MEDIA_ROOT)) == 1


def test_an_approved_teacher_gets_404_in_the_organizers_rooms_and_on_other_entries_images():
    contest = ContestFactory()
    teacher = TeacherFactory()
    other = EntryFactory(contest=contest)
    client = teacher_client(teacher)
    rooms = ["contest:moderation", "contest:dashboard", "contest:consent_scans", "contest:team", "judging:results"]

    statuses = [client.get(reverse(name, args=[contest.slug])).status_code for name in rooms]
    waiting = client.get(reverse("contest:teachers_waiting")).status_code
    image = client.get(reverse("contest:rendition", args=[other.public_id, "card", "jpeg"])).status_code

    assert statuses == [404] * len(rooms)
    assert (waiting, image) == (404, 404)


def test_erasing_a_teachers_entry_deletes_its_consent_scan_too(django_capture_on_commit_callbacks):
    entry = scan_entry(ContestFactory(), TeacherFactory())
    names = [entry.original.name, entry.consent_scan.name]
    assert all(name in stored_files(settings.MEDIA_ROOT) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        services.entry_erase(entry=entry, reason="withdrawn", actor_label="guardian")

    assert [name for name in names if name in stored_files(settings.MEDIA_ROOT)] == []


def test_database_refuses_an_approved_teacher_without_a_verified_address_and_a_teachers_entry_without_consent():
    with pytest.raises(IntegrityError), transaction.atomic():
        TeacherFactory(email_verified_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(teacher=TeacherFactory(), guardian_email="")


def test_teacher_signs_in_to_a_home_listing_the_open_contests_and_rounds_not_finals(django_assert_num_queries):
    now = timezone.now()
    ordinary = ContestFactory(opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=3))
    ContestFactory(opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1))  # closed
    final, rounds = regional_contest(countries=("KG", "TJ"), opens_at=now - dt.timedelta(days=1),
                                     closes_at=now + dt.timedelta(days=10))
    teacher = TeacherFactory()
    client = Client()

    signed_in = client.post(reverse("login"), {"username": teacher.user.username, "password": "teacher-password"})
    # session, user, teacher, contests, translations; roles and model permissions (the navigation)
    with django_assert_num_queries(8):
        home = client.get(reverse("contest:teacher_home"))

    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("contest:teacher_home")
    page = home.content.decode()
    batch_links = set(re.findall(r'href="/teachers/([\w-]+)/batch/"', page))
    # A Kyrgyz teacher (the factory's country): the Kyrgyz round, never Tajikistan's nor the final.
    assert batch_links == {ordinary.slug, rounds["KG"].slug}
    teacher_page = teacher_client(teacher)
    assert teacher_page.get(reverse("contest:teacher_batch", args=[rounds["KG"].slug])).status_code == 200
    assert teacher_page.get(reverse("contest:teacher_batch", args=[rounds["TJ"].slug])).status_code == 404
    assert teacher_page.get(reverse("contest:teacher_batch", args=[final.slug])).status_code == 404


def test_teacher_home_is_404_to_a_family_and_an_unapproved_teacher():
    waiting = TeacherFactory(approved_at=None)
    family = Client()

    assert family.get(reverse("contest:teacher_home")).status_code == 404
    assert teacher_client(waiting).get(reverse("contest:teacher_home")).status_code == 404


def test_the_guardian_of_a_teachers_entry_is_told_who_sent_it_and_asked_to_agree_in_the_entrys_language():
    teacher = TeacherFactory(full_name="Olga Petrova", school="Studio Rainbow")
    entry = EntryFactory(teacher=teacher, guardian_email="mama@example.org", guardian_name="", guardian_confirmed_at=None, moderation_status="pending",
                         child_first_name="Aisha", title="Customs post")
    family = EntryFactory(contest=entry.contest, guardian_name="Nurlan", guardian_confirmed_at=None, moderation_status="pending")

    subject, body = services.guardian_mail_render(entry=entry, kind="receipt", language="ru", secret="s" * 32)
    own_subject, own_body = services.guardian_mail_render(entry=family, kind="receipt", language="ru", secret="s" * 32)

    assert subject.startswith(f"Подтвердите, пожалуйста: учитель отправил рисунок вашего ребёнка {entry.reference}")
    assert body.startswith("Здравствуйте!\n")
    assert "Olga Petrova (Studio Rainbow) отправил(а) рисунок «Customs post» (автор: Aisha)" in body
    assert guardian_links(entry=entry, secret="s" * 32)["confirm"] in body
    assert "Если вы не согласны, ничего не делайте: рисунок будет удалён." in body
    assert "Olga Petrova" not in own_body and own_body.startswith("Здравствуйте, Nurlan")
    assert not own_subject.startswith("Подтвердите, пожалуйста: учитель")


def test_a_coordinator_sees_and_approves_only_the_teachers_of_its_rounds_country():
    final, rounds = regional_contest(countries=("KG", "TJ"))
    kg_teacher = TeacherFactory(country="KG", approved_at=None, full_name="Aigul Kyrgyz")
    tj_teacher = TeacherFactory(country="TJ", approved_at=None, full_name="Farrukh Tajik")
    coordinator, regional = Client(), Client()
    coordinator.force_login(OrganizerFactory(contests=[rounds["KG"]]))
    regional.force_login(OrganizerFactory(contests=[final]))
    url = reverse("contest:teachers_waiting")

    page = coordinator.get(url).content.decode()
    assert "Aigul Kyrgyz" in page and "Farrukh Tajik" not in page
    assert coordinator.post(url, {"teacher": tj_teacher.pk}).status_code == 404
    tj_teacher.refresh_from_db()
    assert tj_teacher.approved_at is None
    assert coordinator.post(url, {"teacher": kg_teacher.pk}).status_code == 302
    kg_teacher.refresh_from_db()
    assert kg_teacher.is_approved

    regional_page = regional.get(url).content.decode()
    assert "Farrukh Tajik" in regional_page
    assert regional.post(url, {"teacher": tj_teacher.pk}).status_code == 302
    tj_teacher.refresh_from_db()
    assert tj_teacher.is_approved


def test_the_waiting_list_takes_the_same_queries_for_one_teacher_or_five():
    final, rounds = regional_contest(countries=("KG",))
    client = Client()
    client.force_login(OrganizerFactory(contests=[rounds["KG"]]))
    url = reverse("contest:teachers_waiting")
    TeacherFactory(country="KG", approved_at=None)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    TeacherFactory.create_batch(4, country="KG", approved_at=None)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(five) == len(one)
