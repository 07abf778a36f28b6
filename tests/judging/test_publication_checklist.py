"""The publication checklist: unscored sheets, unresolved ties, open
conflicts, winners without publication consent and renditions not ready.
`services.results_publish` refuses with anything open unless overridden
with a reason, and records the open points in the audit trail."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contest.models import Contest, Entry
from judging import selectors, services
from judging.models import AuditEvent
from tests.factories.judging import (
    ConflictFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    JudgingSettingsFactory,
    OrganizerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db]

REASON = "The last judge is ill; the jury agreed to publish."


def open_points(contest):
    return {item.code: item.count for item in selectors.publication_checklist(contest=contest) if item.count}


def score(judge, entry, criteria, idea=8, colour=4):
    services.score_sheet_submit(
        judge=judge, entry=entry, points={criteria[0].pk: Decimal(idea), criteria[1].pk: Decimal(colour)}
    )


@pytest.fixture
def one_judge(contest):
    JudgingSettingsFactory(contest=contest, min_judges=1)


def test_clear_checklist_publishes_without_override(contest, criteria, judge, one_judge):
    score(judge, EntryFactory(contest=contest), criteria)

    services.results_publish(contest=contest)

    assert open_points(contest) == {}
    event = AuditEvent.objects.get(action="results_published")
    assert (event.detail, event.reason) == ({}, "")


def test_unscored_sheets_detected(contest, criteria, judge):
    score(judge, EntryFactory(contest=contest), criteria)
    EntryFactory(contest=contest)

    assert open_points(contest) == {"unscored_sheets": 2 + 3}


def test_unresolved_ties_detected_until_the_places_are_given(contest, criteria, judge, one_judge):
    first, second = EntryFactory.create_batch(2, contest=contest)
    for entry in (first, second):
        score(judge, entry, criteria)
    tied = open_points(contest)
    category = first.age_category
    services.awards_set(
        contest=contest, awards={(category.pk, 1): first.pk, (category.pk, 2): second.pk}, reason="Tie: jury vote"
    )

    assert tied == {"unresolved_ties": 2}
    assert open_points(contest) == {}


def test_open_conflicts_detected_until_another_judge_scores(contest, criteria, judge, one_judge):
    entry = EntryFactory(contest=contest)
    ConflictFactory(entry=entry, judge=UserFactory())
    conflicted = open_points(contest)
    score(judge, entry, criteria)

    assert conflicted == {"unscored_sheets": 1, "open_conflicts": 1}
    assert open_points(contest) == {}


def test_winners_without_consent_detected(contest, criteria, judge, one_judge):
    entry = EntryFactory(contest=contest, publish_consent=False)
    score(judge, entry, criteria)
    services.awards_set(contest=contest, awards={(entry.age_category_id, 1): entry.pk})

    assert open_points(contest) == {"winners_without_consent": 1}


def test_special_award_and_fourth_place_winners_without_consent_detected(contest, criteria, judge, one_judge):
    honoured, fourth = (EntryFactory(contest=contest, publish_consent=False) for _ in range(2))
    score(judge, honoured, criteria)
    score(judge, fourth, criteria, idea=5)
    jury = services.special_award_create(contest=contest, name="Jury prize")
    services.entry_awards_set(contest=contest, entry_id=honoured.pk, place=None, special_award_ids=[jury.pk])
    services.entry_awards_set(contest=contest, entry_id=fourth.pk, place=4, special_award_ids=[jury.pk])

    assert open_points(contest) == {"winners_without_consent": 2}


def test_renditions_not_ready_detected(contest):
    EntryFactory(contest=contest, processing_status=Entry.Processing.FAILED)
    EntryFactory(contest=contest, processing_status=Entry.Processing.PROCESSING)
    EntryFactory(contest=contest, processing_status=Entry.Processing.FAILED, moderation_status="rejected")
    EntryFactory(contest=contest, processing_status=Entry.Processing.RECEIVED, guardian_confirmed_at=None,
                 moderation_status=Entry.Moderation.PENDING)

    assert open_points(contest) == {"renditions_not_ready": 2}


def test_publish_with_open_points_refused_without_override(contest, criteria, judge):
    score(judge, EntryFactory(contest=contest), criteria)

    with pytest.raises(ValidationError) as exc:
        services.results_publish(contest=contest)

    assert exc.value.code == "checklist_open"
    assert Contest.objects.get(pk=contest.pk).results_published_at is None
    assert not AuditEvent.objects.filter(action="results_published").exists()


@pytest.mark.parametrize("reason", ["", "   ", "too short"])
def test_override_needs_a_reason(contest, reason):
    EntryFactory(contest=contest)

    with pytest.raises(ValidationError) as exc:
        services.results_publish(contest=contest, override=True, reason=reason)

    assert exc.value.code == "reason_required"
    assert Contest.objects.get(pk=contest.pk).results_published_at is None


def test_override_with_reason_publishes_and_audits_the_open_points(contest, criteria, judge):
    organizer = OrganizerFactory(contests=[contest])
    score(judge, EntryFactory(contest=contest), criteria)

    services.results_publish(contest=contest, actor=organizer, override=True, reason=REASON)

    assert Contest.objects.get(pk=contest.pk).results_published_at is not None
    event = AuditEvent.objects.get(action="results_published")
    assert (event.actor, event.reason, event.detail) == (organizer, REASON, {"open_items": {"unscored_sheets": 2}})
    _page, rows = selectors.audit_page(contest=contest)
    assert rows[0].text == "Published the results with points still open (score sheets still to fill in: 2)."


def test_publish_page_shows_the_checklist_and_needs_the_override(client, contest, criteria, judge):
    score(judge, EntryFactory(contest=contest), criteria)
    client.force_login(OrganizerFactory(contests=[contest]))
    url = reverse("judging:results_publish", args=[contest.slug])

    page = client.get(url).content.decode()
    refused = client.post(url, {"confirm": "on"})
    short = client.post(url, {"confirm": "on", "override": "on", "reason": "because"})
    published = client.post(url, {"confirm": "on", "override": "on", "reason": REASON})

    assert 'data-checklist="unscored_sheets"' in page and "Open:" in page
    assert refused.status_code == 200
    assert "Settle them first, or publish anyway with a reason." in refused.content.decode()
    assert short.status_code == 200 and "at least 15 characters" in short.content.decode()
    assert published.status_code == 302
    assert AuditEvent.objects.get(action="results_published").reason == REASON
