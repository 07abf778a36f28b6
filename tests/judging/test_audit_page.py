"""The organizer's audit trail in words, paged, and judging pages' times in
the contest's time zone with the title in the page's language."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contest.models import ContestRole, ContestTranslation
from judging import services
from judging.models import AuditEvent, Round
from judging.selectors import AUDIT_PAGE_SIZE
from tests.factories.judging import (
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    JudgingSettingsFactory,
    OrganizerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def contest():
    return ContestFactory(
        slug="borders", title="Borders", opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1), timezone="Asia/Bishkek",
    )


@pytest.fixture
def organizer(client, contest):
    user = OrganizerFactory(username="aida", contests=[contest])
    client.force_login(user)
    return user


def audit_html(client, contest, page=None):
    url = reverse("judging:audit", args=[contest.slug]) + (f"?page={page}" if page else "")
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_audit_events_read_as_sentences_with_references_not_ids(client, contest, organizer):
    JudgingSettingsFactory(contest=contest, min_judges=1)
    idea = CriterionFactory(contest=contest, name="Idea", max_points=10)
    judge = JudgeAssignmentFactory(contest=contest, judge=UserFactory(username="marat")).judge
    young = contest.age_categories.order_by("min_age").first()
    entry = EntryFactory(contest=contest, age_category=young, reference="KQ7M-XD2P")
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 6})
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 8})
    services.judging_settings_update(
        contest=contest, actor=organizer, normalization="zscore", half_points=False, min_judges=1,
        peer_scores="never",
    )
    services.awards_set(contest=contest, awards={(young.pk, 1): entry.pk}, actor=organizer)

    html = audit_html(client, contest).content.decode()

    assert "Scored KQ7M-XD2P in round 1: Idea: 6." in html
    assert "Changed the scores of KQ7M-XD2P in round 1: Idea: 6 → 8." in html
    assert "Changed the judging settings: ranking by: raw totals → z-scores per judge." in html
    assert f"Confirmed the suggested winners: {young.name}, 1st place: KQ7M-XD2P." in html
    # The sentences name no database ids; the raw record is kept under each
    # line, in its <details>.
    sentences = re.sub(r"<details>.*?</details>", "", html, flags=re.S)
    assert "{&#x27;" not in sentences and f"[{young.pk}, 1, {entry.pk}]" not in sentences
    assert f"[[{young.pk}, 1, {entry.pk}]]" in html
    assert "Judge marat changed 1 score of entry KQ7M-XD2P in round 1." in sentences
    assert "Organizer aida: Changed the judging settings" in sentences


def test_audit_round_advance_names_entries_and_judges(client, contest, organizer):
    entry = EntryFactory(contest=contest, reference="ABCD-EFGH")
    judge = UserFactory(username="zarina")
    AuditEvent.objects.create(
        contest=contest, actor=organizer, action="round_advanced", round_number=2,
        detail={"entries": [entry.pk], "top_n": 1, "judges": [judge.pk]},
    )

    html = audit_html(client, contest).content.decode()

    assert "Started round 2 with the entries ABCD-EFGH and the judges zarina." in html


def many_events(contest, count, entry):
    AuditEvent.objects.bulk_create([
        AuditEvent(contest=contest, action="calibration_set", detail={"entries": [entry.pk]}) for _ in range(count)
    ])


def count_queries(client, contest, page=None):
    with CaptureQueriesContext(connection) as ctx:
        audit_html(client, contest, page)
    return len(ctx.captured_queries)


def test_audit_page_is_paged_with_constant_queries(client, contest, organizer):
    small = ContestFactory(slug="small")
    ContestRole.objects.create(contest=small, user=organizer, role=ContestRole.Role.ORGANIZER)
    entry = EntryFactory(contest=contest, reference="ZZZZ-0001")
    many_events(small, 3, EntryFactory(contest=small))
    many_events(contest, 120, entry)

    few = count_queries(client, small)
    first = count_queries(client, contest)
    third = count_queries(client, contest, page=3)
    last_page = audit_html(client, contest, page=3)

    assert few == first == third
    assert len(last_page.context["rows"]) == 20  # 50 + 50 + 20
    assert "Events 101–120 of 120" in last_page.content.decode()
    assert "Chose the reference drawings: ZZZZ-0001." in last_page.content.decode()


def test_judging_times_in_contest_time_zone_with_its_name(client, contest, organizer):
    closed = timezone.make_aware(dt.datetime(2026, 3, 1, 12, 0), dt.timezone.utc)
    Round.objects.create(contest=contest, number=1, is_open=False, closed_at=closed)
    contest.results_published_at = closed + dt.timedelta(hours=1)
    contest.save()

    rounds = client.get(reverse("judging:rounds", args=[contest.slug])).content.decode()
    results = client.get(reverse("judging:results", args=[contest.slug])).content.decode()

    # 12:00 and 13:00 UTC are 18:00 and 19:00 in Bishkek (UTC+6).
    assert "closed March 1, 2026, 6 p.m. (Asia/Bishkek)" in rounds
    assert "Published on March 1, 2026, 7 p.m. (Asia/Bishkek)." in results


def test_judging_pages_use_the_contest_title_in_the_page_language(client, contest, organizer):
    ContestTranslation.objects.create(contest=contest, language="ru", title="Границы")
    JudgeAssignmentFactory(contest=contest, judge=organizer)
    client.cookies["django_language"] = "ru"

    pages = [
        client.get(reverse(name, args=[contest.slug])).content.decode()
        for name in ("judging:results", "judging:audit", "judging:panel", "judging:entry_list")
    ]

    assert ["Границы" in html for html in pages] == [True, True, True, True]
    assert ["Borders" in html for html in pages] == [False, False, False, False]


def audit_event(contest, actor, action, at):
    event = AuditEvent.objects.create(contest=contest, actor=actor, action=action)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=at)
    return event


@pytest.fixture
def trail(contest, organizer):
    """Three events: the organizer closed a round at 23:30 on 1 March in
    Bishkek (17:30 UTC), a judge saved scores at 00:30 on 2 March in Bishkek
    (18:30 UTC on 1 March), the organizer published on 3 March."""
    judge = UserFactory(username="marat")
    utc = dt.UTC
    return {
        "closed": audit_event(contest, organizer, "round_closed", dt.datetime(2026, 3, 1, 17, 30, tzinfo=utc)),
        "scored": audit_event(contest, judge, "scores_saved", dt.datetime(2026, 3, 1, 18, 30, tzinfo=utc)),
        "published": audit_event(contest, organizer, "results_published", dt.datetime(2026, 3, 3, 6, tzinfo=utc)),
        "judge": judge,
    }


def shown(response):
    return [row.event.pk for row in response.context["rows"]]


def test_audit_filter_by_person_kind_and_days_in_the_contest_zone(client, contest, organizer, trail):
    url = reverse("judging:audit", args=[contest.slug])

    by_judge = client.get(url, {"actor": trail["judge"].pk})
    by_kind = client.get(url, {"action": "results_published"})
    # 2 March in Bishkek starts at 18:00 UTC on 1 March: the judge's scores.
    on_2_march = client.get(url, {"since": "2026-03-02", "until": "2026-03-02"})
    until_1_march = client.get(url, {"until": "2026-03-01"})
    organizer_from_2_march = client.get(url, {"actor": organizer.pk, "since": "2026-03-02"})

    assert shown(by_judge) == [trail["scored"].pk]
    assert shown(by_kind) == [trail["published"].pk]
    assert shown(on_2_march) == [trail["scored"].pk]
    assert shown(until_1_march) == [trail["closed"].pk]
    assert shown(organizer_from_2_march) == [trail["published"].pk]
    page = by_judge.content.decode()
    assert f'<option value="{trail["judge"].pk}" selected>marat</option>' in page
    assert "Show everything" in page


def test_audit_filter_not_understood_is_left_out(client, contest, organizer, trail):
    response = client.get(reverse("judging:audit", args=[contest.slug]), {"action": "nonsense", "since": "soon"})

    assert len(shown(response)) == 3
    assert "Some filters were not understood" in response.content.decode()


def test_audit_pages_keep_the_filter(client, contest, organizer):
    AuditEvent.objects.bulk_create(
        [AuditEvent(contest=contest, actor=organizer, action="round_closed") for _ in range(AUDIT_PAGE_SIZE + 1)]
        + [AuditEvent(contest=contest, actor=organizer, action="round_opened")]
    )

    first = client.get(reverse("judging:audit", args=[contest.slug]), {"action": "round_closed"})

    assert len(shown(first)) == AUDIT_PAGE_SIZE
    assert f"Events 1–{AUDIT_PAGE_SIZE} of {AUDIT_PAGE_SIZE + 1}" in first.content.decode()
    assert 'href="?action=round_closed&amp;page=2" rel="next"' in first.content.decode()
