"""Exports made by the worker: the request, the build (Celery eager in
tests), the files' rows, the printing ZIP, the download's permission, the
formula neutralisation of every spreadsheet cell, and failures."""

import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from contest.models import SpecialAward
from judging import services
from judging.exports import writers
from judging.exports.cells import FORMULA_STARTS, cell_safe, row_safe
from judging.models import Export
from judging.services import exports as export_services
from tests.factories.contest import ContestFactory, EntryFactory
from tests.factories.judging import JudgeAssignmentFactory, OrganizerFactory, ScoreFactory

DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


# ---------------------------------------------------------------- cells (no database)


@pytest.mark.unit
@pytest.mark.parametrize("value", DANGEROUS)
def test_each_formula_start_is_made_text(value):
    assert cell_safe(value) == "'" + value


@pytest.mark.unit
def test_the_six_formula_starts_are_the_owasp_ones():
    assert sorted(FORMULA_STARTS) == sorted(["=", "+", "-", "@", "\t", "\r"])


@pytest.mark.unit
def test_harmless_values_pass_unchanged():
    assert row_safe(["Camels", "", None, -3, Decimal("-1.5"), 7, "a=b", " =x"]) == [
        "Camels", "", None, -3, Decimal("-1.5"), 7, "a=b", " =x",
    ]


@pytest.mark.unit
@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_cells_read_back_as_text(value):
    out = io.BytesIO()
    writers.csv_write(out, header=[value], rows=[[value, "safe"]])

    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))

    assert rows == [["'" + value], ["'" + value, "safe"]]


@pytest.mark.unit
@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_cells_read_back_as_text(value):
    out = io.BytesIO()
    writers.xlsx_write(out, header=[value], rows=[[value, 3]], title="t")

    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]

    # (XML reads a carriage return back as a line feed: the cell still
    # starts with the apostrophe.)
    expected = "'" + value.replace("\r", "\n")
    assert cells == [[expected, None], [expected, 3]]
    assert sheet["A2"].data_type == "s"  # a string, never a formula


@pytest.mark.unit
def test_xlsx_drops_characters_excel_refuses():
    out = io.BytesIO()
    writers.xlsx_write(out, header=["h"], rows=[["a\x01b"]])

    assert load_workbook(io.BytesIO(out.getvalue())).active["A2"].value == "ab"


@pytest.mark.unit
def test_export_file_names_for_printing():
    name = services.winner_file_name(category="6/9 years", place=2, reference="ABCD-EFGH", original_format="JPEG")

    assert name == "6-9 years/2-ABCD-EFGH.jpg"


# ---------------------------------------------------------------- the worker's exports



@pytest.fixture
def organizer(client, contest):
    user = OrganizerFactory(username="aida", contests=[contest])
    client.force_login(user)
    return user


def request_export(client, contest, kind, capture):
    with capture(execute=True):
        response = client.post(reverse("exports:exports", args=[contest.slug]), {"kind": kind})
    assert response.status_code == 302
    return Export.objects.filter(contest=contest).latest("id")


def exported_rows(export):
    with export.file.open("rb") as fh:
        data = fh.read()
    if export.kind.endswith("csv"):
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sheet = load_workbook(io.BytesIO(data)).active
    return [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["entries_csv", "entries_xlsx"])
def test_entries_export_is_made_after_commit_with_real_values(
    client, contest, organizer, kind, django_capture_on_commit_callbacks
):
    category = contest.age_categories.order_by("min_age").first()
    EntryFactory(
        contest=contest, reference="ABCD-EFGH", title="=HYPERLINK(\"http://x\")", child_first_name="Aigul",
        child_age=7, age_category=category, award=1, guardian_email="secret@example.org",
    )
    EntryFactory(contest=contest, reference="ZZZZ-0001", title="Camels", guardian_confirmed_at=None,
                 moderation_status="pending", age_category=category, child_age=8, child_first_name="Bakyt")

    export = request_export(client, contest, kind, django_capture_on_commit_callbacks)

    assert (export.status, export.progress, export.row_count, export.error) == ("ready", 100, 2, "")
    assert export.started_at and export.finished_at and export.requested_by == organizer
    assert export.file.name.startswith(f"exports/{contest.pk}/") and "entries" not in export.file.name
    rows = exported_rows(export)
    assert rows[0] == [
        "reference code", "title", "age category", "country", "processing", "moderation",
        "confirmed by the guardian", "place", "special awards", "child's first name", "age",
    ]
    age = 7 if kind.endswith("xlsx") else "7"
    assert rows[1] == [
        "ABCD-EFGH", "'=HYPERLINK(\"http://x\")", category.name, "Kyrgyzstan", "ready", "approved", "yes",
        "1st place", "", "Aigul", age,
    ]
    assert rows[2][:3] == ["ZZZZ-0001", "Camels", category.name]
    assert rows[2][5:8] == ["waiting for moderation", "no", ""]
    assert "secret@example.org" not in str(rows)
    assert len(rows) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["scores_csv", "scores_xlsx"])
def test_score_sheets_export_has_one_row_per_sheet(client, contest, criteria, organizer, kind,
                                                    django_capture_on_commit_callbacks):
    idea, colour = criteria
    ana = JudgeAssignmentFactory(contest=contest, judge__username="ana").judge
    bek = JudgeAssignmentFactory(contest=contest, judge__username="bek").judge
    entry = EntryFactory(contest=contest, reference="ABCD-EFGH", title="@Camels")
    services.score_sheet_submit(judge=ana, entry=entry, points={idea.pk: 10, colour.pk: 5}, comment="-Fine")
    ScoreFactory(judge=bek, entry=entry, criterion=idea, points=Decimal(5))  # a sheet left half done

    export = request_export(client, contest, kind, django_capture_on_commit_callbacks)

    rows = exported_rows(export)
    assert export.status == "ready" and export.row_count == 2
    assert rows[0][:8] == ["round", "age category", "reference code", "title", "judge", "Idea", "Colour", "total (0–100)"]
    assert rows[0][8:] == ["conflict of interest", "private comment", "updated"]
    values = [row[:10] for row in rows[1:]]
    if kind.endswith("csv"):
        assert values == [
            ["1", entry.age_category.name, "ABCD-EFGH", "'@Camels", "ana", "10.0", "5.0", "100.00", "", "'-Fine"],
            ["1", entry.age_category.name, "ABCD-EFGH", "'@Camels", "bek", "5.0", "", "", "", ""],
        ]
    else:
        assert values == [
            [1, entry.age_category.name, "ABCD-EFGH", "'@Camels", "ana", 10, 5, 100, "", "'-Fine"],
            [1, entry.age_category.name, "ABCD-EFGH", "'@Camels", "bek", 5, "", "", "", ""],
        ]


@pytest.mark.django_db
def test_winners_zip_holds_exactly_the_winners_originals(client, contest, organizer, django_capture_on_commit_callbacks):
    young, middle = contest.age_categories.order_by("min_age")[:2]
    first = EntryFactory(contest=contest, age_category=young, award=1, reference="AAAA-0001")
    third = EntryFactory(contest=contest, age_category=middle, award=3, reference="BBBB-0003", child_age=middle.min_age)
    EntryFactory(contest=contest, age_category=young, reference="CCCC-0000")  # no award
    EntryFactory(contest=ContestFactory(), award=1, reference="DDDD-0001")  # another contest's winner

    export = request_export(client, contest, "winners_zip", django_capture_on_commit_callbacks)

    with export.file.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as archive:
        names = sorted(archive.namelist())
        contents = {name: archive.read(name) for name in names}
    assert names == [f"{middle.name}/3-BBBB-0003.jpg", f"{young.name}/1-AAAA-0001.jpg"]
    for entry, name in ((first, names[1]), (third, names[0])):
        with entry.original.open("rb") as fh:
            assert contents[name] == fh.read()
    assert (export.status, export.row_count, export.progress) == ("ready", 2, 100)


@pytest.mark.django_db
def test_download_streams_the_file_privately(client, contest, organizer, django_capture_on_commit_callbacks):
    EntryFactory(contest=contest, reference="ABCD-EFGH")
    export = request_export(client, contest, "entries_csv", django_capture_on_commit_callbacks)

    response = client.get(reverse("exports:download", args=[contest.slug, export.pk]))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert f'filename="entries-{contest.slug}.csv"' in response["Content-Disposition"]
    assert b"ABCD-EFGH" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_page_lists_exports_and_the_status_endpoint_reports_progress(
    client, contest, organizer, django_capture_on_commit_callbacks
):
    export = request_export(client, contest, "entries_xlsx", django_capture_on_commit_callbacks)
    queued = Export.objects.create(contest=contest, kind="scores_csv", requested_by=organizer)

    page = client.get(reverse("exports:exports", args=[contest.slug]))
    status = client.get(reverse("exports:status", args=[contest.slug]))

    html = page.content.decode()
    download = reverse("exports:download", args=[contest.slug, export.pk])
    assert page.status_code == 200 and download in html
    assert "js/export-progress.js" in html and "<script>" not in html
    assert "no-store" in status["Cache-Control"]
    assert status.json()["exports"] == [
        {"id": queued.pk, "status": "queued", "status_label": "waiting", "progress": 0, "error": "",
         "download_url": ""},
        {"id": export.pk, "status": "ready", "status_label": "ready", "progress": 100, "error": "",
         "download_url": download},
    ]


@pytest.mark.django_db
def test_progress_is_reported_on_the_row_while_running(contest):
    export = Export.objects.create(contest=contest, kind="entries_csv", status="running")
    progress = export_services._Progress(export_id=export.pk)
    seen = []

    for _row in progress.rows(range(40), total=40):
        seen.append(Export.objects.get(pk=export.pk).progress)

    assert seen[0] == 0 and 95 <= seen[-1] < 100  # 100 only with the file
    assert seen == sorted(seen) and len(set(seen)) > 10


@pytest.mark.django_db
def test_others_get_404(client, contest, organizer, judge, django_capture_on_commit_callbacks):
    export = request_export(client, contest, "entries_csv", django_capture_on_commit_callbacks)
    other_contest = ContestFactory()
    urls = [
        reverse("exports:exports", args=[contest.slug]),
        reverse("exports:status", args=[contest.slug]),
        reverse("exports:download", args=[contest.slug, export.pk]),
    ]

    client.force_login(judge)
    as_judge = [client.get(url).status_code for url in urls]
    as_judge.append(client.post(urls[0], {"kind": "entries_csv"}).status_code)
    # The other contest's organizer reaching this export through their pages,
    # and an organizer of this contest through the other contest's.
    client.force_login(OrganizerFactory(contests=[other_contest]))
    through_own = client.get(reverse("exports:download", args=[other_contest.slug, export.pk])).status_code
    direct = client.get(urls[2]).status_code
    client.force_login(organizer)
    foreign = client.get(reverse("exports:download", args=[other_contest.slug, export.pk])).status_code
    client.logout()
    anonymous = client.get(urls[2]).status_code

    assert as_judge == [404, 404, 404, 404]
    assert [through_own, direct, foreign] == [404, 404, 404]
    assert anonymous == 302
    assert Export.objects.count() == 1


@pytest.mark.django_db
def test_a_queued_or_failed_export_cannot_be_downloaded(client, contest, organizer):
    queued = Export.objects.create(contest=contest, kind="entries_csv")

    response = client.get(reverse("exports:download", args=[contest.slug, queued.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("exports_before", [0, 12])
def test_request_page_and_status_issue_six_queries(client, contest, organizer, monkeypatch, exports_before,
                                                    django_assert_num_queries):
    # The session, the user, the contest and its translations, the user's
    # roles, then one insert or one list, whatever the number of exports
    # and entries.
    monkeypatch.setattr(export_services, "job_enqueue", lambda **kwargs: True)
    for _ in range(exports_before):
        Export.objects.create(contest=contest, kind="winners_zip", requested_by=OrganizerFactory())
    EntryFactory.create_batch(exports_before // 4, contest=contest)
    url = reverse("exports:exports", args=[contest.slug])
    client.get(url)  # the session settles

    with django_assert_num_queries(6):
        client.post(url, {"kind": "entries_csv"})
    with django_assert_num_queries(6):
        client.get(url)
    with django_assert_num_queries(6):
        client.get(reverse("exports:status", args=[contest.slug]))


@pytest.mark.django_db
def test_a_failing_build_is_marked_failed_and_leaves_no_file(
    client, contest, organizer, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*, export, out, progress):
        out.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setitem(export_services.BUILDERS, Export.Kind.ENTRIES_CSV, broken)

    export = request_export(client, contest, "entries_csv", django_capture_on_commit_callbacks)

    assert export.status == "failed" and export.file.name == ""
    assert "The export could not be made." in export.error and "disk full" in export.error
    assert not default_storage.exists(f"exports/{contest.pk}") or default_storage.listdir(f"exports/{contest.pk}")[1] == []


@pytest.mark.django_db
def test_a_file_stored_for_an_export_that_failed_meanwhile_is_deleted(
    client, contest, organizer, monkeypatch, django_capture_on_commit_callbacks
):
    original = export_services.BUILDERS[Export.Kind.ENTRIES_CSV]

    def cancelled_meanwhile(*, export, out, progress):
        Export.objects.filter(pk=export.pk).update(status="failed", error="stopped")
        return original(export=export, out=out, progress=progress)

    monkeypatch.setitem(export_services.BUILDERS, Export.Kind.ENTRIES_CSV, cancelled_meanwhile)

    export = request_export(client, contest, "entries_csv", django_capture_on_commit_callbacks)

    assert export.status == "failed" and export.file.name == ""
    assert default_storage.listdir(f"exports/{contest.pk}")[1] == []


@pytest.mark.django_db
def test_an_export_that_cannot_be_queued_is_marked_failed(
    client, contest, organizer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(export_services, "job_enqueue", lambda **kwargs: False)

    export = request_export(client, contest, "winners_zip", django_capture_on_commit_callbacks)

    assert export.status == "failed" and "could not be started" in export.error


@pytest.mark.django_db
def test_a_task_run_twice_builds_once(contest, organizer):
    export = Export.objects.create(contest=contest, kind="entries_csv", requested_by=organizer)

    first = services.export_build(export_id=export.pk)
    second = services.export_build(export_id=export.pk)

    assert first.status == "ready" and second is None


@pytest.mark.django_db
def test_headings_follow_the_organizers_language(client, contest, organizer, django_capture_on_commit_callbacks):
    client.cookies.load({"django_language": "ru"})

    export = request_export(client, contest, "entries_csv", django_capture_on_commit_callbacks)

    assert export.language == "ru"
    assert exported_rows(export)[0][0] != "reference code"


@pytest.mark.django_db
def test_entries_export_has_places_and_special_awards_in_the_organizers_language(
    client, contest, organizer, django_capture_on_commit_callbacks
):
    jury = SpecialAward.objects.create(contest=contest, name="Jury prize", names={"ru": "Приз жюри"})
    mention = SpecialAward.objects.create(contest=contest, name="Mention", order=1)
    fourth = EntryFactory(contest=contest, reference="AAAA-0004", award=4)
    jury.entries.add(fourth)
    mention.entries.add(fourth, EntryFactory(contest=contest, reference="AAAA-0005"))
    client.cookies.load({"django_language": "ru"})

    export = request_export(client, contest, "entries_csv", django_capture_on_commit_callbacks)

    rows = {row[0]: row[7:9] for row in exported_rows(export)[1:]}
    assert rows == {"AAAA-0004": ["4-е место", "Приз жюри, Mention"], "AAAA-0005": ["", "Mention"]}


@pytest.mark.django_db
def test_exports_are_deleted_with_their_files_after_a_week(contest, organizer):
    old = services.export_build(export_id=Export.objects.create(contest=contest, kind="entries_csv").pk)
    recent = services.export_build(export_id=Export.objects.create(contest=contest, kind="entries_xlsx").pk)
    Export.objects.filter(pk=old.pk).update(created_at=old.created_at - services.EXPORT_KEEP - timedelta(minutes=1))

    deleted = services.exports_purge_expired()

    assert deleted == 1
    assert list(Export.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not default_storage.exists(old.file.name) and default_storage.exists(recent.file.name)
