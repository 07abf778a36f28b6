"""A teacher's batch through HTTP: a class's drawings with a spreadsheet
(CSV or XLSX) whose bad rows are refused with reasons in the teacher's
language, while the good ones are stored, one entry each, and nothing
else is written (no orphan rows, no orphan files)."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from contest.models import AuditLog, Entry, GuardianMail
from tests.factories.contest import ContestFactory, TeacherFactory, jpeg_bytes
from tests.helpers import stored_files

# The files are looked for on disk: local storage in the services run too.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

PDF_SCAN = b"%PDF-1.4\n% a signed consent form\n%%EOF\n"
HEADINGS = ["First name", "Last name", "Date of birth", "Title of the drawing", "Guardian's e-mail", "Photo file",
            "Consent form file"]


def born(contest, age):
    ref = contest.age_reference_date
    return ref.replace(year=ref.year - age) - dt.timedelta(days=40)


def class_rows(contest):
    """Eight children: six good rows (four with the guardian's address, two
    with a signed form's scan), row 5 with an impossible date, row 8 a
    child too young for every age category."""
    good = born(contest, 8).isoformat()
    return [
        ["Aigerim", "Tokonova", good, "Mountains", "mother1@example.org", "a1.jpg", ""],
        ["Bakyt", "Usenov", good, "My cat", "father2@example.org", "a2.jpg", ""],
        ["Cholpon", "Asanova", good, "The lake", "", "a3.jpg", "s3.pdf"],
        ["Dastan", "Kadyrov", "31.02.2015", "Horses", "guardian4@example.org", "a4.jpg", ""],
        ["Elnura", "Mamytova", born(contest, 9).strftime("%d.%m.%Y"), "Snow", "guardian5@example.org", "a5.jpg", ""],
        ["Farid", "Ismailov", good, "Bazaar", "", "a6.jpg", "s6.pdf"],
        ["Gulzat", "Beishenova", good, "Yurt", "guardian7@example.org", "a7.jpg", ""],
        ["Ilim", "Zhumabaev", born(contest, 3).isoformat(), "Sun", "guardian8@example.org", "a8.jpg", ""],
    ]


def xlsx_of(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_of(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def photos():
    colours = [(200, 80, 40), (40, 200, 80), (80, 40, 200), (200, 200, 40), (40, 200, 200), (200, 40, 200),
               (120, 60, 30), (30, 120, 60)]
    return [SimpleUploadedFile(f"a{i}.jpg", jpeg_bytes(color=c), content_type="image/jpeg")
            for i, c in enumerate(colours, start=1)]


def scans():
    return [SimpleUploadedFile(name, PDF_SCAN, content_type="application/pdf") for name in ("s3.pdf", "s6.pdf")]


def teacher_client(teacher, language="ru") -> Client:
    client = Client()
    client.force_login(teacher.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def refused_reasons(response) -> dict[int, str]:
    return {row.line: row.reason for row in response.context["results"] if not row.saved}


@pytest.mark.parametrize("sheet_name, sheet_bytes", [("class.xlsx", xlsx_of), ("class.csv", csv_of)])
def test_teacher_batch_stores_good_rows_and_refuses_bad_ones_in_teachers_language(sheet_name, sheet_bytes):
    contest = ContestFactory()
    teacher = TeacherFactory(language="ru")
    client = teacher_client(teacher)
    sheet = SimpleUploadedFile(sheet_name, sheet_bytes(class_rows(contest)))

    response = client.post(
        reverse("contest:teacher_batch", args=[contest.slug]), {"sheet": sheet, "images": photos(), "scans": scans()}
    )

    assert response.status_code == 200
    saved = [row for row in response.context["results"] if row.saved]
    assert [row.line for row in saved] == [2, 3, 4, 6, 7, 8]
    reasons = refused_reasons(response)
    assert sorted(reasons) == [5, 9]
    assert "Введите правильную дату." in reasons[5]
    assert "ребёнку будет 3 лет" in reasons[9]
    entries = Entry.objects.order_by("child_first_name")
    assert [e.child_first_name for e in entries] == ["Aigerim", "Bakyt", "Cholpon", "Elnura", "Farid", "Gulzat"]
    assert {e.teacher_id for e in entries} == {teacher.pk}
    assert sorted(e.reference for e in entries) == sorted(row.reference for row in saved)
    assert [e.child_first_name for e in entries if e.consent_scan] == ["Cholpon", "Farid"]
    assert all(e.guardian_confirmed_at is None for e in entries)
    assert {(e.country, e.region, e.school, e.language) for e in entries} == {
        (teacher.country, teacher.region, teacher.school, "ru")}
    expected_files = sorted([e.original.name for e in entries] + [e.consent_scan.name for e in entries if e.consent_scan])
    assert stored_files(settings.MEDIA_ROOT) == expected_files
    assert sorted(GuardianMail.objects.values_list("entry__child_first_name", flat=True)) == [
        "Aigerim", "Bakyt", "Elnura", "Gulzat"]
    assert AuditLog.objects.count() == 0


def test_teacher_batch_posted_twice_leaves_one_entry_per_good_row():
    contest = ContestFactory()
    teacher = TeacherFactory()
    client = teacher_client(teacher, language="en")
    url = reverse("contest:teacher_batch", args=[contest.slug])
    rows = class_rows(contest)

    client.post(url, {"sheet": SimpleUploadedFile("c.xlsx", xlsx_of(rows)), "images": photos(), "scans": scans()})
    again = client.post(url, {"sheet": SimpleUploadedFile("c.xlsx", xlsx_of(rows)), "images": photos(), "scans": scans()})

    assert Entry.objects.count() == 6
    assert [row.saved for row in again.context["results"]] == [False] * 8
    assert refused_reasons(again)[2] == "This child has already sent 1 drawing(s) to this contest, the most allowed."
    assert len(stored_files(settings.MEDIA_ROOT)) == 6 + 2


def test_teacher_batch_row_without_photo_or_consent_is_refused_and_others_saved():
    contest = ContestFactory()
    teacher = TeacherFactory()
    client = teacher_client(teacher, language="en")
    good = born(contest, 8).isoformat()
    rows = [
        ["Aigerim", "Tokonova", good, "Mountains", "", "a1.jpg", ""],
        ["Bakyt", "Usenov", good, "My cat", "father2@example.org", "missing.jpg", ""],
        ["Cholpon", "Asanova", good, "The lake", "mother3@example.org", "a3.jpg", ""],
    ]

    response = client.post(
        reverse("contest:teacher_batch", args=[contest.slug]),
        {"sheet": SimpleUploadedFile("c.csv", csv_of(rows)), "images": photos()},
    )

    reasons = refused_reasons(response)
    assert reasons == {
        2: "Give the guardian's e-mail address or the scan of the signed consent form.",
        3: "Photo file: No photo named “missing.jpg” was uploaded.",
    }
    assert list(Entry.objects.values_list("child_first_name", flat=True)) == ["Cholpon"]
    assert len(stored_files(settings.MEDIA_ROOT)) == 1


def test_teacher_batch_refuses_rows_over_the_teachers_cap():
    contest = ContestFactory(max_entries_per_teacher=2)
    teacher = TeacherFactory()
    client = teacher_client(teacher, language="en")

    response = client.post(
        reverse("contest:teacher_batch", args=[contest.slug]),
        {"sheet": SimpleUploadedFile("c.xlsx", xlsx_of(class_rows(contest))), "images": photos(), "scans": scans()},
    )

    assert [row.line for row in response.context["results"] if row.saved] == [2, 3]
    assert refused_reasons(response)[4] == (
        "You have already sent 2 drawings to this contest, the most allowed for one teacher.")
    assert Entry.objects.count() == 2
    assert len(stored_files(settings.MEDIA_ROOT)) == 2


def test_teacher_batch_sheet_without_required_column_is_refused_whole():
    contest = ContestFactory()
    client = teacher_client(TeacherFactory(), language="en")
    sheet = SimpleUploadedFile("c.csv", b"First name;Last name\nA;B\n")

    response = client.post(reverse("contest:teacher_batch", args=[contest.slug]), {"sheet": sheet})

    assert response.status_code == 400
    assert response.context["form"].errors["sheet"] == [
        "The spreadsheet has no column: Date of birth, Title of the drawing, Photo file."]
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("approved", [False, True])
def test_teacher_batch_page_is_404_to_unapproved_teacher_and_open_to_approved(approved):
    contest = ContestFactory()
    teacher = TeacherFactory(approved_at=None) if not approved else TeacherFactory()

    response = teacher_client(teacher).get(reverse("contest:teacher_batch", args=[contest.slug]))

    assert response.status_code == (200 if approved else 404)
