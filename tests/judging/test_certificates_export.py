"""The organizers' printing file of certificates: one PDF made by the
worker (Celery eager here), one page per entry that took part, each page in
its family's language; refused with a reason before the results."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contest.models import ContestTranslation, Entry, SpecialAward, SpecialAwardHolder
from judging.models import Export
from judging.services import exports as export_services
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory
from tests.factories.judging import OrganizerFactory

# No `local_files`: in the services run the drawings are read from S3.
pytestmark = [pytest.mark.django_db]


@pytest.fixture
def organizer(client, contest):
    user = OrganizerFactory(username="aida", contests=[contest])
    client.force_login(user)
    return user


def request_certificates(client, contest, capture):
    with capture(execute=True):
        response = client.post(reverse("exports:exports", args=[contest.slug]), {"kind": "certificates_pdf"})
    assert response.status_code == 302
    return Export.objects.filter(contest=contest).latest("id")


def published(contest):
    contest.results_published_at = dt.datetime(2026, 3, 15, 6, 0, tzinfo=dt.timezone.utc)
    contest.save()
    ContestTranslation.objects.create(contest=contest, language="kk", title="Шекара адамдары")
    ContestTranslation.objects.create(contest=contest, language="uz-cyrl", title="Чегара одамлари")


@pytest.mark.parametrize("count", [1, 3])
def test_the_export_has_one_page_per_entry_that_took_part(
    client, contest, organizer, django_capture_on_commit_callbacks, count
):
    published(contest)
    names = [("kk", "Әлия"), ("uz-cyrl", "Ғайрат"), ("tk", "Ýüzli Şöhrat")][:count]
    for n, (language, name) in enumerate(names):
        entry = EntryFactory(contest=contest, language=language, child_first_name=name, reference=f"AAAA-000{n}")
        RenditionFactory(entry=entry, kind="card2x")
    EntryFactory(contest=contest, moderation_status=Entry.Moderation.REJECTED, child_first_name="Rejectedqx")
    EntryFactory(contest=contest, guardian_confirmed_at=None, moderation_status=Entry.Moderation.PENDING,
                 child_first_name="Unconfirmedqx")
    EntryFactory(contest=ContestFactory(results_published_at=contest.results_published_at), child_first_name="Otherqx")

    export = request_certificates(client, contest, django_capture_on_commit_callbacks)

    assert (export.status, export.row_count, export.progress) == ("ready", count, 100)
    with export.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == count
    for text, (language, name) in zip(texts, names):
        assert name in text
    assert "Шекара адамдары" in texts[0]
    if count > 1:
        assert "Чегара одамлари" in texts[1]
    assert not any("qx" in text for text in texts)


def test_winners_get_award_pages_in_the_printing_file(client, contest, organizer, django_capture_on_commit_callbacks):
    published(contest)
    EntryFactory(contest=contest, award=1, language="en", child_first_name="Aida", reference="AAAA-0001")
    special = EntryFactory(contest=contest, language="en", child_first_name="Bolot", reference="BBBB-0002")
    SpecialAwardHolder.objects.create(award=SpecialAward.objects.create(contest=contest, name="Jury prize"), entry=special)
    EntryFactory(contest=contest, language="en", child_first_name="Chynara", reference="CCCC-0003")

    export = request_certificates(client, contest, django_capture_on_commit_callbacks)

    with export.file.open("rb") as fh:
        texts = [page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages]
    by_name = {name: text for text in texts for name in ("Aida", "Bolot", "Chynara") if name in text}
    assert "1st place" in by_name["Aida"] and "Award certificate" in by_name["Aida"]
    assert "Jury prize" in by_name["Bolot"] and "Award certificate" in by_name["Bolot"]
    assert "Certificate of participation" in by_name["Chynara"]
    assert len(texts) == 3


def test_the_file_downloads_as_a_pdf(client, contest, organizer, django_capture_on_commit_callbacks):
    published(contest)
    EntryFactory(contest=contest)
    export = request_certificates(client, contest, django_capture_on_commit_callbacks)

    response = client.get(reverse("exports:download", args=[contest.slug, export.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="certificates-{contest.slug}.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_before_the_results_the_export_fails_with_the_reason(client, contest, organizer, django_capture_on_commit_callbacks):
    EntryFactory(contest=contest)

    export = request_certificates(client, contest, django_capture_on_commit_callbacks)

    assert (export.status, export.file.name) == ("failed", "")
    assert export.error == str(export_services.phrases.CERTIFICATES_NOT_PUBLISHED)
    page = client.get(reverse("exports:exports", args=[contest.slug])).content.decode()
    assert "ask for them once the results are published" in page


def test_the_exports_page_offers_the_certificates(client, contest, organizer):
    page = client.get(reverse("exports:exports", args=[contest.slug])).content.decode()

    assert 'value="certificates_pdf"' in page
    assert "Certificates for printing (PDF)" in page


def test_without_any_entry_taking_part_the_export_fails_with_the_reason(
    client, contest, organizer, django_capture_on_commit_callbacks
):
    published(contest)
    EntryFactory(contest=contest, moderation_status=Entry.Moderation.REJECTED)

    export = request_certificates(client, contest, django_capture_on_commit_callbacks)

    assert (export.status, export.file.name) == ("failed", "")
    assert export.error == "No entry of this contest gets a certificate: none was confirmed and approved."
