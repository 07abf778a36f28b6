"""Certificates in a real browser: after the results the guardian's page
offers the certificate and the link downloads a PDF; before the results
there is no link; the organizer asks for every certificate of the contest
on the exports page and downloads one PDF. Phone and desktop, in Russian
and Uzbek Cyrillic, with the axe check."""

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contest.models import ContestTranslation, Entry
from tests.browser.conftest import axe_violations
from tests.factories.contest import EntryFactory
from tests.helpers import guardian_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shots_dir(tmp_path) -> Path:
    # SCREENSHOT_DIR keeps the pictures for a person to look at.
    return Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
def test_after_the_results_the_guardian_downloads_the_certificate(
    open_page, live_server, site, axe_source, tmp_path, size, language
):
    winner = site.winner
    Entry.objects.filter(pk=winner.pk).update(language=language, child_first_name="Ғайрат")
    ContestTranslation.objects.create(contest=site.published_contest, language=language, title="Чегара одамлари")
    url = live_server.url + reverse("contest:guardian_entry", args=[guardian_token(winner)])
    page, problems = open_page(size, language=language)

    page.goto(url)
    link = page.locator("[data-certificate-link]")
    link.scroll_into_view_if_needed()
    page.screenshot(path=str(shots_dir(tmp_path) / f"certificate-{language}-{size}.png"), full_page=True)
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    fetched = page.request.get(live_server.url + link.get_attribute("href"))

    assert link.is_visible()
    assert data.startswith(b"%PDF-")
    assert info.value.suggested_filename == f"certificate-{winner.reference}.pdf"
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.body() == data  # the same certificate every time
    assert axe_violations(page, axe_source) == []
    assert problems.console == []


def test_before_the_results_the_page_has_no_certificate(open_page, live_server, site):
    entry = EntryFactory(contest=site.open_contest)
    token = guardian_token(entry)
    page, problems = open_page("desktop")

    page.goto(live_server.url + reverse("contest:guardian_entry", args=[token]))
    answer = page.request.get(live_server.url + reverse("contest:guardian_certificate", args=[token]))

    assert page.locator("[data-certificate-link]").count() == 0
    assert answer.status == 404


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_organizer_asks_for_every_certificate_in_one_pdf(open_page, live_server, site, axe_source, tmp_path, size):
    contest = site.published_contest
    page, problems = open_page(size, user=site.organizer)

    page.goto(live_server.url + reverse("exports:exports", args=[contest.slug]))
    with page.expect_navigation():
        page.get_by_role("button", name="Certificates for printing (PDF)").click()
    row = page.locator("tr", has=page.get_by_role("cell", name="Certificates for printing (PDF)"))
    href = row.get_by_role("link", name="Download").get_attribute("href")
    page.screenshot(path=str(shots_dir(tmp_path) / f"certificates-export-{size}.png"), full_page=True)
    answer = page.request.get(live_server.url + href)

    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    # The two published winners of the site, one page each.
    assert len(PdfReader(io.BytesIO(answer.body())).pages) == 2
    assert axe_violations(page, axe_source) == []
    assert (problems.console, problems.external) == ([], [])
