"""Every page at phone and desktop size: no serious or critical axe
violation of the WCAG 2.2 AA rules, no broken image, no console error, no
request leaving the portal."""

import pytest
from django.urls import reverse

from contest.models import Entry, SpecialAward
from judging import services
from tests.browser.conftest import SIZES, add_renditions, axe_violations, broken_images
from tests.helpers import guardian_token, judge_entry_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_urls(site):
    return [
        reverse("contest:home"),
        reverse("contest:contest_detail", args=[site.open_contest.slug]),
        reverse("contest:contest_rules", args=[site.open_contest.slug]),
        reverse("contest:entry_submit", args=[site.open_contest.slug]),
        reverse("contest:entry_submit", args=[site.published_contest.slug]),
        reverse("contest:gallery", args=[site.published_contest.slug]),
        reverse("contest:entry_detail", args=[site.winner.public_id]),
        reverse("login"),
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_confirm", args=["MQ", "set-password"]),  # a link that does not verify
        reverse("password_reset_complete"),
        reverse("judging:invitation_accept", args=["MQ", "0-0"]),  # a link that does not verify
    ]


def judge_urls(site):
    contest = site.judged_contest
    return [
        reverse("judging:home"),
        reverse("judging:entry_list", args=[contest.slug]),
        # The queue's filters (the abstained one lists cards without images).
        reverse("judging:entry_list", args=[contest.slug]) + "?show=to_score",
        reverse("judging:entry_list", args=[contest.slug]) + "?show=flagged",
        reverse("judging:entry_list", args=[contest.slug]) + "?show=abstained",
        judge_entry_url("judging:entry_score", contest, site.judge, site.entries[0]),
        reverse("two_factor"),
    ]


def organizer_urls(site):
    slug = site.judged_contest.slug
    return [
        reverse("organize:home"),
        reverse("judging:home"),
        reverse("judging:results", args=[slug]),
        reverse("judging:panel", args=[slug]),
        reverse("judging:rounds", args=[slug]),
        reverse("judging:calibration_report", args=[slug]),
        reverse("judging:audit", args=[slug]),
        reverse("judging:judges", args=[slug]),
        reverse("judging:audit", args=[slug]) + "?action=scores_saved&since=2020-01-01",
        reverse("contest:moderation", args=[slug]),
        reverse("contest:moderation", args=[slug]) + "?filter=approved",
        reverse("contest:audit_log", args=[slug]),
        reverse("contest:dashboard", args=[slug]),
        reverse("contest:team", args=[slug]),
        reverse("exports:exports", args=[slug]),
    ]


def guardian_urls(site):
    """The guardian's pages, reached with the links from the e-mail: the
    confirmation page of an unconfirmed entry, the entry page and the
    withdrawal page of a confirmed one."""
    from contest import links
    from tests.factories.contest import EntryFactory

    unconfirmed = EntryFactory(contest=site.open_contest, guardian_confirmed_at=None, moderation_status="pending")
    confirm = guardian_token(unconfirmed, links.Purpose.CONFIRM)
    manage = guardian_token(site.entries[0], links.Purpose.MANAGE)
    return [
        reverse("contest:guardian_confirm", args=[confirm]),
        reverse("contest:guardian_entry", args=[manage]),
        reverse("contest:guardian_withdraw", args=[manage]),
        reverse("contest:guardian_link_request"),
    ]


def check_pages(open_page, axe_source, live_server, urls, size, user=None, language=None):
    page, problems = open_page(size, user=user, language=language)
    report = {}
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, (url, response.status)
        found = axe_violations(page, axe_source) + [f"broken image {src}" for src in broken_images(page)]
        if found:
            report[url] = found
    report.update({"console": problems.console, "requests": problems.requests, "external": problems.external})
    return {k: v for k, v in report.items() if v}


def check_flow(page, problems, axe_source, steps):
    """`steps` is [(name, action)]: each action brings the page to a state
    that is then scanned like a page of `check_pages`."""
    report = {}
    for name, action in steps:
        action()
        page.wait_for_load_state("load")
        found = axe_violations(page, axe_source) + [f"broken image {src}" for src in broken_images(page)]
        if found:
            report[name] = found
    report.update({"console": problems.console, "requests": problems.requests, "external": problems.external})
    return {k: v for k, v in report.items() if v}


@pytest.mark.parametrize("size", SIZES)
def test_public_pages_accessible(open_page, axe_source, live_server, site, size):
    assert check_pages(open_page, axe_source, live_server, public_urls(site), size) == {}


@pytest.mark.parametrize("size", SIZES)
def test_judge_pages_accessible(open_page, axe_source, live_server, site, size):
    assert check_pages(open_page, axe_source, live_server, judge_urls(site), size, user=site.judge) == {}


@pytest.mark.parametrize("size", SIZES)
def test_judge_sheet_dialogs_accessible(open_page, axe_source, live_server, site, size):
    """The score sheet with its keyboard shortcuts open, then its zoom
    viewer open; and a flagged, abstained judge's queue filters."""
    services.discussion_flag_set(judge=site.judge, entry=Entry(pk=site.entries[1].pk), note="Traced?")
    services.conflict_declare(judge=site.judge, entry=Entry(pk=site.entries[2].pk), reason="My pupil.")
    page, problems = open_page(size, user=site.judge)
    sheet = live_server.url + judge_entry_url("judging:entry_score", site.judged_contest, site.judge, site.entries[0])
    queue = live_server.url + reverse("judging:entry_list", args=[site.judged_contest.slug])

    def open_help():
        page.goto(sheet)
        page.locator("[data-help-open]").click()
        page.wait_for_selector("dialog#sheet-help[open]")

    def open_zoom():
        page.keyboard.press("Escape")
        page.locator("[data-zoom]").click()
        page.wait_for_selector("dialog.zoom-viewer[open]")

    steps = [
        ("help", open_help), ("zoom", open_zoom),
        ("flagged", lambda: page.goto(queue + "?show=flagged")),
        ("abstained", lambda: page.goto(queue + "?show=abstained")),
    ]
    assert check_flow(page, problems, axe_source, steps) == {}
    assert page.locator(".queue-grid .card").count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_organizer_pages_accessible(open_page, axe_source, live_server, site, size, settings):
    # Pages of two rows, so the results page shows its pager too.
    settings.JUDGING_RESULTS_PAGE_SIZE = 2
    category = site.entries[0].age_category
    paged = reverse("judging:results", args=[site.judged_contest.slug]) + f"?page_{category.pk}=2"
    publish = reverse("judging:results_publish", args=[site.judged_contest.slug])
    urls = organizer_urls(site) + [paged, publish]
    assert check_pages(open_page, axe_source, live_server, urls, size, user=site.organizer) == {}
    page, _problems = open_page(size, user=site.organizer)
    page.goto(live_server.url + paged)
    assert page.locator("nav.pager a[rel=prev]").count() == 1
    # The scan above saw the results with scores: two judges' charts.
    page.goto(live_server.url + reverse("judging:results", args=[site.judged_contest.slug]))
    assert page.locator("section[aria-labelledby=judges-heading] svg[role=img]").count() == 2


def moderation_urls(site):
    """Moderation with entries waiting (one whose text may name the child),
    a moderator's edit of an entry's text, and both audit logs filtered,
    after a decision and an edit were recorded."""
    from contest import services
    from tests.factories.contest import EntryFactory

    contest = site.open_contest
    waiting = []
    for i, flags in enumerate(([], ["first_name", "phone"], [])):
        entry = EntryFactory(contest=contest, moderation_status="pending", title=f"Mountain road {i + 1}",
                             text_flags=flags, low_resolution=i == 2)
        add_renditions(entry, jpeg=True)
        waiting.append(entry)
    services.entries_moderate(entries=contest.entries.filter(pk=waiting[2].pk), approve=False, reason="off_theme",
                              actor=site.organizer, notify=False)
    services.entry_text_edit(entry=waiting[0], title="Mountain road", description="", actor=site.organizer)
    slug = contest.slug
    return [
        reverse("contest:moderation", args=[slug]),
        reverse("contest:moderation", args=[slug]) + "?filter=rejected",
        reverse("contest:entry_text", args=[slug, waiting[1].reference]),  # flagged
        reverse("contest:audit_log", args=[slug]),
        reverse("contest:audit_log", args=[slug]) + f"?actor={site.organizer.username}&action=rejected&since=2020-01-01",
        reverse("judging:audit", args=[site.judged_contest.slug]),
    ]


@pytest.mark.parametrize("language", [None, "ru", "uz-cyrl"])
@pytest.mark.parametrize("size", SIZES)
def test_moderation_and_audit_pages_accessible(open_page, axe_source, live_server, site, size, language):
    urls = moderation_urls(site)
    assert check_pages(open_page, axe_source, live_server, urls, size, user=site.organizer, language=language) == {}


@pytest.mark.parametrize("size", SIZES)
def test_submit_form_warning_about_the_childs_name_accessible(open_page, axe_source, live_server, site, size):
    """The submit form shown again with the warning that the title names
    the child (the photo, sent in parts, is kept)."""
    from tests.browser.conftest import image_bytes

    page, problems = open_page(size)
    submit_url = live_server.url + reverse("contest:entry_submit", args=[site.open_contest.slug])

    def warned():
        page.goto(submit_url)
        for field, value in [("child_first_name", "Aigerim"), ("child_last_name", "Saparova"),
                             ("child_birth_date", "2015-09-10"), ("region", "Naryn"), ("guardian_name", "Guldana"),
                             ("guardian_email", "guldana@example.org"), ("title", "Aigerim at the gate")]:
            page.fill(f"#id_{field}", value)
        page.select_option("#id_country", "KG")
        page.select_option("#id_guardian_relationship", "mother")
        page.check("#id_consent")
        page.set_input_files("#id_image", files=[{"name": "d.jpg", "mimeType": "image/jpeg",
                                                  "buffer": image_bytes(size=(1600, 1200))}])
        page.get_by_role("button", name="Send the drawing").click()
        page.locator("#text-warning").wait_for()
        # The photo sent in parts is kept for "Send anyway".
        assert page.locator("[data-upload-kept]").count() == 1

    assert check_flow(page, problems, axe_source, [("warning", warned)]) == {}


@pytest.mark.parametrize("size", SIZES)
def test_guardian_pages_accessible(open_page, axe_source, live_server, site, size):
    assert check_pages(open_page, axe_source, live_server, guardian_urls(site), size) == {}


@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
@pytest.mark.parametrize("size", SIZES)
def test_public_pages_accessible_in_other_languages(open_page, axe_source, live_server, site, size, language):
    # Longer words and other scripts: labels wrap, buttons grow, `lang` changes.
    assert check_pages(open_page, axe_source, live_server, public_urls(site), size, language=language) == {}


@pytest.mark.parametrize("size", SIZES)
def test_parent_form_with_errors_and_receipt_accessible(open_page, axe_source, live_server, site, size):
    """The submit form shown again with its error summary (a post the
    server refuses: nothing filled in), and the receipt after a submission."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from tests.factories.contest import EntryFactory

    entry = EntryFactory(contest=site.open_contest, guardian_confirmed_at=None, moderation_status="pending")
    session = SessionStore()
    session["receipt"] = entry.reference
    session.create()
    page, problems = open_page(size)
    submit_url = live_server.url + reverse("contest:entry_submit", args=[site.open_contest.slug])

    def refused_post():
        page.goto(submit_url)
        page.evaluate("() => { document.querySelector('form[data-entry-upload]').noValidate = true; }")
        with page.expect_response(submit_url) as refused:
            page.get_by_role("button", name="Send the drawing").click()
        assert refused.value.status == 400
        page.locator("div.error-summary").wait_for()

    def receipt():
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                                   "url": live_server.url}])
        page.goto(live_server.url + reverse("contest:entry_receipt", args=[site.open_contest.slug]))
        assert page.locator("[data-reference]").inner_text() == entry.reference

    report = check_flow(page, problems, axe_source, [("form with errors", refused_post), ("receipt", receipt)])
    # The refused post answers 400 by design (the browser logs it once);
    # nothing else may fail.
    expected = {"requests": f"{submit_url} 400",
                "console": "Failed to load resource: the server responded with a status of 400 (Bad Request)"}
    for key, line in expected.items():
        assert line in report.get(key, []), report
        report[key].remove(line)
    assert {k: v for k, v in report.items() if v} == {}


@pytest.mark.parametrize("size", SIZES)
def test_guardian_withdrawn_and_link_sent_pages_accessible(open_page, axe_source, live_server, site, size):
    from contest import links
    from contest.models import Entry

    manage = guardian_token(site.entries[2], links.Purpose.MANAGE)
    page, problems = open_page(size)

    def withdrawn():
        url = live_server.url + reverse("contest:guardian_withdraw", args=[manage])
        page.goto(url)
        page.get_by_label("Yes, delete the drawing and everything about my child. This cannot be undone.").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Withdraw and delete").click()
        assert not Entry.objects.filter(pk=site.entries[2].pk).exists()

    def link_sent():
        page.goto(live_server.url + reverse("contest:guardian_link_request"))
        page.get_by_label("Reference code").fill(site.entries[0].reference)
        page.get_by_label("Parent or guardian's e-mail").fill(site.entries[0].guardian_email)
        with page.expect_navigation():
            page.get_by_role("button", name="Send the links").click()

    assert check_flow(page, problems, axe_source, [("withdrawn", withdrawn), ("link sent", link_sent)]) == {}


@pytest.mark.parametrize("size", SIZES)
def test_judge_calibration_pages_accessible(open_page, axe_source, live_server, site, size):
    """Scoring a reference drawing (a judge who has not calibrated yet) and
    the list of reference drawings (one who has scored them all)."""
    from decimal import Decimal

    from judging.models import CalibrationScore, Criterion
    from tests.factories.contest import EntryFactory
    from tests.factories.judging import CalibrationEntryFactory, JudgeAssignmentFactory

    contest = site.judged_contest
    references = []
    for order, title in enumerate(["Reference: the bridge", "Reference: the queue"], start=1):
        entry = EntryFactory(contest=contest, title=title)
        add_renditions(entry, jpeg=True)
        references.append(CalibrationEntryFactory(contest=contest, entry=entry, order=order).entry)
    calibrated = JudgeAssignmentFactory(contest=contest).judge
    for entry in references:
        for criterion in Criterion.objects.filter(contest=contest, round_number=1):
            CalibrationScore.objects.create(judge=calibrated, entry=entry, criterion=criterion,
                                            points=Decimal(3), max_points=criterion.max_points)
    score_url = judge_entry_url("judging:calibration_score", contest, site.judge, references[0])
    list_url = reverse("judging:calibration", args=[contest.slug])

    assert check_pages(open_page, axe_source, live_server, [score_url], size, user=site.judge) == {}
    assert check_pages(open_page, axe_source, live_server, [list_url], size, user=calibrated) == {}


def setup_urls(site):
    """Every step of a contest's setup: a contest being judged (its rubric
    locked by scores, judges on the panel) and the new-contest form."""
    slug = site.judged_contest.slug
    names = ["settings", "settings_basics", "settings_ages", "settings_rubric", "settings_texts",
             "settings_uploads", "settings_judges"]
    return [reverse("organize:contest_new")] + [reverse(f"organize:{name}", args=[slug]) for name in names] + [
        reverse("organize:settings_texts_language", args=[slug, "uz-cyrl"]),
        reverse("organize:settings_rubric", args=[site.open_contest.slug]),  # not locked: rows to add
    ]


@pytest.mark.parametrize("language", [None, "ru", "uz-cyrl"])
@pytest.mark.parametrize("size", SIZES)
def test_contest_setup_pages_accessible(open_page, axe_source, live_server, site, size, language):
    from django.contrib.auth.models import Permission

    site.organizer.user_permissions.add(Permission.objects.get(content_type__app_label="contest", codename="add_contest"))
    urls = setup_urls(site)
    assert check_pages(open_page, axe_source, live_server, urls, size, user=site.organizer, language=language) == {}


@pytest.mark.parametrize("size", SIZES)
def test_contest_setup_forms_with_errors_accessible(open_page, axe_source, live_server, site, size):
    """The new-contest form and the age categories sent back with their
    error summaries."""
    from django.contrib.auth.models import Permission

    site.organizer.user_permissions.add(Permission.objects.get(content_type__app_label="contest", codename="add_contest"))
    page, problems = open_page(size, user=site.organizer)
    new_url = live_server.url + reverse("organize:contest_new")
    ages_url = live_server.url + reverse("organize:settings_ages", args=[site.open_contest.slug])

    def refused_new():
        page.goto(new_url)
        with page.expect_navigation():
            page.get_by_role("button", name="Create the contest").click()
        page.locator("div.error-summary").wait_for()

    def refused_ages():
        page.goto(ages_url)
        page.locator('[name="age_categories-3-name"]').fill("Overlapping")
        page.locator('[name="age_categories-3-min_age"]').fill("8")
        page.locator('[name="age_categories-3-max_age"]').fill("11")
        with page.expect_navigation():
            page.get_by_role("button", name="Save and go on").click()
        page.locator("div.error-summary").wait_for()

    report = check_flow(page, problems, axe_source, [("new contest", refused_new), ("ages", refused_ages)])
    for url in (new_url, ages_url):
        report["requests"].remove(f"{url} 400")
        report["console"].remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")
    assert {k: v for k, v in report.items() if v} == {}
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
def test_results_grid_and_gallery_with_awards_accessible(open_page, axe_source, live_server, site, size, language):
    contest = site.judged_contest
    names = {"ru": "Приз жюри", "uz-cyrl": "Ҳакамлар мукофоти"}
    jury = services.special_award_create(contest=contest, name="Jury prize", names=names)
    services.entry_awards_set(contest=contest, entry_id=site.entries[2].pk, place=4, special_award_ids=[jury.pk])
    SpecialAward.objects.create(contest=site.published_contest, name="Jury prize", names=names).entries.add(site.winner)
    urls = [
        reverse("judging:results", args=[contest.slug]),
        reverse("contest:gallery", args=[site.published_contest.slug]),
        reverse("contest:entry_detail", args=[site.winner.public_id]),
    ]

    assert check_pages(open_page, axe_source, live_server, urls[:1], size, user=site.organizer, language=language) == {}
    assert check_pages(open_page, axe_source, live_server, urls[1:], size, language=language) == {}
