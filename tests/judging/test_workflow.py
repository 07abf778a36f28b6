"""Rounds, panels, automatic assignment, conflicts, calibration, half
points, award overrides, the audit trail and the judge's flow."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contest.models import Entry
from judging import selectors, services
from judging.models import AuditEvent, EntryAssignment, JudgingSettings, Round, Score
from tests.helpers import judge_entry_url
from tests.factories.judging import (
    CalibrationEntryFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    OrganizerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def idea(contest):
    return CriterionFactory(contest=contest, name="Idea", max_points=10)


@pytest.fixture
def organizer(contest):
    return OrganizerFactory(contests=[contest])


def actions(contest):
    return list(AuditEvent.objects.filter(contest=contest).order_by("id").values_list("action", flat=True))


def test_entries_assign_gives_k_judges_with_balanced_load(contest, organizer):
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(5)]
    entries = EntryFactory.create_batch(8, contest=contest)

    report = services.entries_assign(contest=contest, actor=organizer, min_judges=3)

    per_entry = Counter(EntryAssignment.objects.values_list("entry_id", flat=True))
    per_judge = Counter(EntryAssignment.objects.values_list("judge_id", flat=True))
    assert per_entry == {e.pk: 3 for e in entries}
    assert sorted(per_judge.values()) == [4, 5, 5, 5, 5]  # 24 sheets over 5 judges
    assert set(per_judge) == {j.pk for j in judges}
    assert [report.short, JudgingSettings.objects.get(contest=contest).min_judges] == [[], 3]
    assert actions(contest) == ["entries_assigned"]


def test_entries_assign_respects_categories_and_conflicts(contest, organizer):
    young, middle = contest.age_categories.order_by("min_age")[:2]
    only_young = services.judge_assign(contest=contest, judge=UserFactory(), categories=[young])
    anyone = JudgeAssignmentFactory(contest=contest).judge
    old_entry = EntryFactory(contest=contest, age_category=middle, child_age=middle.min_age)
    young_entry = EntryFactory(contest=contest, age_category=young)
    services.conflict_declare(judge=anyone, entry=young_entry)

    report = services.entries_assign(contest=contest, actor=organizer, min_judges=2)

    assert sorted(EntryAssignment.objects.values_list("judge_id", "entry_id")) == sorted(
        [(anyone.pk, old_entry.pk), (only_young.judge_id, young_entry.pk)]
    )
    assert report.short == sorted([old_entry.reference, young_entry.reference])


def test_judge_sees_only_assigned_entries_in_own_order(contest, organizer, idea):
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(2)]
    EntryFactory.create_batch(6, contest=contest)
    services.entries_assign(contest=contest, actor=organizer, min_judges=1)

    queues = [selectors.judge_queue(contest=contest, user=j).entries for j in judges]

    assigned = [set(EntryAssignment.objects.filter(judge=j).values_list("entry_id", flat=True)) for j in judges]
    assert [{e.id for e in q} for q in queues] == assigned
    assert [len(q) for q in queues] == [3, 3]
    assert [e.position for e in queues[0]] == [1, 2, 3]
    again = selectors.judge_queue(contest=contest, user=judges[0]).entries
    assert [e.id for e in again] == [e.id for e in queues[0]]


def test_orders_and_labels_differ_between_judges(contest, idea):
    a, b = (JudgeAssignmentFactory(contest=contest).judge for _ in range(2))
    EntryFactory.create_batch(12, contest=contest)

    qa = selectors.judge_queue(contest=contest, user=a).entries
    qb = selectors.judge_queue(contest=contest, user=b).entries

    assert sorted(e.id for e in qa) == sorted(e.id for e in qb)
    assert [e.id for e in qa] != [e.id for e in qb]
    assert {e.id: e.label for e in qa} != {e.id: e.label for e in qb}
    assert len({e.label for e in qa}) == 12


def test_conflict_removes_entry_from_queue_and_aggregates(contest, idea):
    judge, other = (JudgeAssignmentFactory(contest=contest).judge for _ in range(2))
    entry = EntryFactory(contest=contest)
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 10})
    services.score_sheet_submit(judge=other, entry=entry, points={idea.pk: 4})

    services.conflict_declare(judge=judge, entry=entry, reason="My niece")

    assert selectors.entry_list_for_judge(contest=contest, user=judge) == []
    row = selectors.contest_ranking(contest=contest)[0].rows[0]
    assert [row.mean, row.judges] == [Decimal("40.00"), 1]
    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 1})
    assert exc.value.code == "not_in_queue" or exc.value.code == "conflict"
    event = AuditEvent.objects.get(action="conflict_declared")
    assert [event.actor, event.entry_id, event.reason] == [judge, entry.pk, "My niece"]


def test_score_change_recorded_in_audit_with_old_and_new_points(contest, idea):
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 7})

    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 7})
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 3})

    events = list(AuditEvent.objects.filter(contest=contest).order_by("id").values_list("action", "actor", "detail"))
    assert [(a, actor) for a, actor, _d in events] == [("scores_saved", judge.pk), ("scores_changed", judge.pk)]
    assert events[1][2]["points"] == {str(idea.pk): ["7", "3"]}


def test_half_points_only_when_contest_allows(contest, idea):
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)
    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: Decimal("7.5")})
    JudgingSettings.objects.create(contest=contest, half_points=True)

    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: Decimal("7.5")})

    assert [e.code for e in exc.value.error_list] == ["not_integer"]
    assert list(Score.objects.values_list("points", flat=True)) == [Decimal("7.5")]
    with pytest.raises(ValidationError) as quarter:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: Decimal("7.25")})
    assert [e.code for e in quarter.value.error_list] == ["not_half"]


def test_closed_round_locks_scores_and_reopens(contest, idea, organizer):
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)
    services.round_close(contest=contest, actor=organizer)

    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 5})
    services.round_open(contest=contest, actor=organizer)
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 5})

    assert exc.value.code == "round_closed"
    assert Score.objects.count() == 1
    assert actions(contest) == ["round_closed", "round_opened", "scores_saved"]


def test_round_advance_top_n_with_own_criteria_and_judges(contest, idea, organizer):
    judge = JudgeAssignmentFactory(contest=contest).judge
    finalist_judge = UserFactory()
    young = contest.age_categories.order_by("min_age").first()
    entries = EntryFactory.create_batch(4, contest=contest, age_category=young)
    for points, entry in zip([9, 7, 7, 2], entries):
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: points})

    final = services.round_advance(contest=contest, actor=organizer, judges=[finalist_judge], top_n=2, name="Final")

    assert [final.number, final.name, final.is_open] == [2, "Final", True]
    assert Round.objects.get(contest=contest, number=1).is_open is False
    # 7 and 7 tie at place 2, so three entries advance.
    ranking = selectors.contest_ranking(contest=contest)
    assert sorted(row.entry_id for row in ranking[0].rows) == sorted(e.pk for e in entries[:3])
    assert [row.judges for row in ranking[0].rows] == [0, 0, 0]
    final_criteria = selectors.criterion_list(contest=contest, round_number=2)
    assert [c.name for c in final_criteria] == ["Idea"]
    earlier = selectors.judge_queue(contest=contest, user=judge)
    assert [earlier.round.number, earlier.round.is_open, len(earlier.entries)] == [1, False, 4]
    queue = selectors.judge_queue(contest=contest, user=finalist_judge)
    assert [queue.round.number, sorted(e.id for e in queue.entries)] == [2, sorted(e.pk for e in entries[:3])]
    services.score_sheet_submit(judge=finalist_judge, entry=entries[2], points={final_criteria[0].pk: 10})
    assert selectors.contest_ranking(contest=contest)[0].rows[0].entry_id == entries[2].pk
    assert selectors.contest_ranking(contest=contest, round_number=1)[0].rows[0].entry_id == entries[0].pk


def test_calibration_required_before_scoring_and_reported(contest, idea, organizer):
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)
    reference = CalibrationEntryFactory(entry=EntryFactory(contest=contest)).entry

    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 5})
    services.calibration_sheet_submit(judge=judge, entry=reference, points={idea.pk: 6})
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 5})

    assert exc.value.code == "calibration_required"
    report = selectors.calibration_report(contest=contest)
    assert [(r.name, r.scored, r.mean, r.sd) for r in report.rows] == [
        (judge.username, 1, Decimal("60.00"), Decimal("0.00"))
    ]
    assert selectors.contest_ranking(contest=contest)[0].rows[0].mean is not None
    reference_row = next(r for r in selectors.contest_ranking(contest=contest)[0].rows if r.entry_id == reference.pk)
    assert reference_row.judges == 0  # calibration never counts


def test_awards_override_needs_reason_and_is_recorded(contest, idea, organizer):
    JudgingSettings.objects.create(contest=contest, min_judges=1)  # one sheet each is complete
    judge = JudgeAssignmentFactory(contest=contest).judge
    young = contest.age_categories.order_by("min_age").first()
    best, second = EntryFactory.create_batch(2, contest=contest, age_category=young)
    services.score_sheet_submit(judge=judge, entry=best, points={idea.pk: 9})
    services.score_sheet_submit(judge=judge, entry=second, points={idea.pk: 5})

    with pytest.raises(ValidationError) as exc:
        services.awards_set(contest=contest, awards={(young.pk, 1): second.pk}, actor=organizer)
    services.awards_set(contest=contest, awards={(young.pk, 1): best.pk, (young.pk, 2): second.pk}, actor=organizer)
    services.awards_set(contest=contest, awards={(young.pk, 1): second.pk}, actor=organizer, reason="Copied")

    assert exc.value.code == "reason_required"
    events = AuditEvent.objects.filter(action__startswith="awards").order_by("id")
    assert [(e.action, e.actor, e.reason) for e in events] == [
        ("awards_confirmed", organizer, ""),
        ("awards_overridden", organizer, "Copied"),
    ]


def test_publication_recorded_and_locks_rounds_and_conflicts(contest, idea, organizer):
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)

    services.results_publish(contest=contest, actor=organizer, override=True, reason="Published early for this test")

    with pytest.raises(ValidationError) as conflict:
        services.conflict_declare(judge=judge, entry=entry)
    with pytest.raises(ValidationError) as assign:
        services.entries_assign(contest=contest, actor=organizer)
    assert [conflict.value.code, assign.value.code] == ["published", "published"]
    assert list(AuditEvent.objects.values_list("action", "actor")) == [("results_published", organizer.pk)]


def test_save_and_next_goes_to_next_unscored_in_judge_order(client, contest, idea):
    judge = JudgeAssignmentFactory(contest=contest).judge
    EntryFactory.create_batch(3, contest=contest)
    queue = selectors.judge_queue(contest=contest, user=judge).entries
    client.force_login(judge)

    first = client.post(
        reverse("judging:entry_score", args=[contest.slug, queue[0].token]), {f"criterion_{idea.pk}": "4"}
    )
    back = client.post(
        reverse("judging:entry_score", args=[contest.slug, queue[1].token]),
        {f"criterion_{idea.pk}": "5", "then": "list"},
    )

    assert first["Location"] == reverse("judging:entry_score", args=[contest.slug, queue[1].token])
    assert back["Location"] == reverse("judging:entry_list", args=[contest.slug])


def test_abstain_view_moves_on_and_organizer_sees_conflict(client, contest, idea, organizer):
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)
    client.force_login(judge)

    response = client.post(judge_entry_url("judging:entry_abstain", contest, judge, entry), {"reason": "Aunt"})
    client.force_login(organizer)
    panel = client.get(reverse("judging:panel", args=[contest.slug]))

    assert response["Location"] == reverse("judging:entry_list", args=[contest.slug])
    assert [(c.judge, c.entry, c.reason) for c in panel.context["conflicts"]] == [(judge, entry, "Aunt")]


def test_results_page_shows_normalized_agreement_and_charts(client, contest, idea, organizer):
    JudgingSettings.objects.create(contest=contest, normalization="zscore")
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(3)]
    entries = EntryFactory.create_batch(4, contest=contest)
    for j, judge in enumerate(judges):
        for i, entry in enumerate(entries):
            services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: (i * 3 + j) % 11})
    client.force_login(organizer)

    response = client.get(reverse("judging:results", args=[contest.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Krippendorff" in html and "Kendall" in html
    assert html.count("<svg") == 3
    block = response.context["ranking"][0]
    assert [row.normalized is not None for row in block.rows] == [True] * 4
    assert block.agreement.kendall_judges == 3


def _tied_ranking(contest, idea, *, min_judges=1):
    """Young category: `a` and `b` tie at the top (same points from the one
    judge: same mean, median and top-3 votes), `c` is third."""
    JudgingSettings.objects.create(contest=contest, min_judges=min_judges)
    judge = JudgeAssignmentFactory(contest=contest).judge
    young = contest.age_categories.order_by("min_age").first()
    a, b, c = EntryFactory.create_batch(3, contest=contest, age_category=young)
    for entry, points in ((a, 8), (b, 8), (c, 5)):
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: points})
    return young, a, b, c


def test_tied_places_are_not_suggested_and_choosing_among_them_needs_a_reason(contest, idea, organizer):
    young, a, b, c = _tied_ranking(contest, idea)

    assert services.award_suggestions(contest=contest) == {(young.pk, 3): c.pk}
    with pytest.raises(ValidationError) as exc:
        services.awards_set(
            contest=contest, awards={(young.pk, 1): b.pk, (young.pk, 2): a.pk, (young.pk, 3): c.pk}, actor=organizer
        )
    assert exc.value.code == "reason_required"
    assert "tied or incomplete" in exc.value.messages[0]
    assert not Entry.objects.filter(award__isnull=False).exists()

    services.awards_set(
        contest=contest, awards={(young.pk, 1): b.pk, (young.pk, 2): a.pk, (young.pk, 3): c.pk}, actor=organizer,
        reason="The jury preferred b's story",
    )

    assert dict(Entry.objects.filter(award__isnull=False).values_list("pk", "award")) == {b.pk: 1, a.pk: 2, c.pk: 3}
    event = AuditEvent.objects.get(action="awards_overridden")
    assert (event.actor, event.reason) == (organizer, "The jury preferred b's story")
    assert event.detail["suggested"] == [[young.pk, 3, c.pk]]
    assert event.detail["undecided"] == [[young.pk, 1], [young.pk, 2]]


def test_confirming_only_the_decided_places_needs_no_reason(contest, idea, organizer):
    young, _a, _b, c = _tied_ranking(contest, idea)

    services.awards_set(contest=contest, awards={(young.pk, 3): c.pk}, actor=organizer)

    assert list(AuditEvent.objects.filter(action__startswith="awards").values_list("action", "reason")) == [
        ("awards_confirmed", "")
    ]


def test_incomplete_entries_are_not_suggested(contest, idea):
    young, a, b, c = _tied_ranking(contest, idea, min_judges=2)

    assert services.award_suggestions(contest=contest) == {}


def test_results_form_leaves_tied_places_empty(client, contest, idea, organizer):
    young, a, b, c = _tied_ranking(contest, idea)
    client.force_login(organizer)

    form = client.get(reverse("judging:results", args=[contest.slug])).context["form"]
    post = client.post(
        reverse("judging:results", args=[contest.slug]),
        {f"award_{young.pk}_1": a.pk, f"award_{young.pk}_2": b.pk, f"award_{young.pk}_3": c.pk, "reason": ""},
    )

    assert [form[f"award_{young.pk}_{place}"].initial for place in (1, 2, 3)] == ["", "", str(c.pk)]
    assert post.status_code == 200
    assert "tied or incomplete" in str(post.context["form"].non_field_errors())
    assert not Entry.objects.filter(award__isnull=False).exists()
