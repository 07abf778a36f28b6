"""judging.services: assignments, score sheets, awards, publication."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contest.models import Contest, Entry
from judging import services
from judging.models import JudgeAssignment, Score
from tests.factories.judging import (
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    OrganizerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def entry(contest):
    return EntryFactory(contest=contest)


def saved(judge, entry):
    return dict(Score.objects.filter(judge=judge, entry=entry).values_list("criterion__name", "points"))


def test_judge_assign_twice_keeps_one_assignment(contest):
    user = UserFactory()

    first = services.judge_assign(contest=contest, judge=user)
    second = services.judge_assign(contest=contest, judge=user)

    assert first == second
    assert JudgeAssignment.objects.filter(contest=contest).count() == 1


def test_judge_assign_inactive_user_refused(contest):
    user = UserFactory(is_active=False)

    with pytest.raises(ValidationError):
        services.judge_assign(contest=contest, judge=user)

    assert JudgeAssignment.objects.count() == 0


def test_score_sheet_submit_saves_every_criterion_with_max(judge, entry, criteria):
    idea, colour = criteria

    scores = services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 7, colour.pk: Decimal("5")})

    assert [(s.criterion_id, s.points, s.max_points) for s in scores] == [
        (idea.pk, Decimal("7"), 10),
        (colour.pk, Decimal("5"), 5),
    ]
    assert saved(judge, entry) == {"Idea": Decimal("7.0"), "Colour": Decimal("5.0")}


def test_score_sheet_submit_judge_changes_own_scores_before_publication(judge, entry, criteria):
    idea, colour = criteria
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 7, colour.pk: 5})

    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 2, colour.pk: 0})

    assert saved(judge, entry) == {"Idea": Decimal("2.0"), "Colour": Decimal("0.0")}
    assert Score.objects.count() == 2


def test_score_sheet_submit_after_publication_refused(contest, judge, entry, criteria):
    idea, colour = criteria
    services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 7, colour.pk: 5})
    services.results_publish(contest=contest, override=True, reason="Published early for this test")

    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 1, colour.pk: 1})

    assert exc.value.code == "published"
    assert saved(judge, entry) == {"Idea": Decimal("7.0"), "Colour": Decimal("5.0")}


def test_score_sheet_submit_judge_not_assigned_refused(entry, criteria):
    idea, colour = criteria

    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=UserFactory(), entry=entry, points={idea.pk: 1, colour.pk: 1})

    assert exc.value.code == "not_assigned"
    assert Score.objects.count() == 0


@pytest.mark.parametrize(
    "status",
    [
        {"moderation_status": Entry.Moderation.PENDING},
        {"moderation_status": Entry.Moderation.REJECTED},
        {"processing_status": Entry.Processing.PROCESSING},
        {"processing_status": Entry.Processing.FAILED},
    ],
)
def test_score_sheet_submit_entry_not_judgeable_refused(contest, judge, criteria, status):
    entry = EntryFactory(contest=contest, **status)
    idea, colour = criteria

    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 1, colour.pk: 1})

    assert exc.value.code == "not_judgeable"
    assert Score.objects.count() == 0


@pytest.mark.parametrize(
    "colour_points, code",
    [
        (6, "out_of_range"),
        (-1, "out_of_range"),
        (Decimal("2.5"), "not_integer"),
        ("x", "not_integer"),
        (None, "required"),
    ],
)
def test_score_sheet_submit_bad_points_save_nothing(judge, entry, criteria, colour_points, code):
    idea, colour = criteria

    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 4, colour.pk: colour_points})

    assert [e.code for e in exc.value.error_list] == [code]
    assert Score.objects.count() == 0


def test_score_sheet_submit_missing_criterion_refused(judge, entry, criteria):
    idea, _colour = criteria

    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 4})

    assert [e.code for e in exc.value.error_list] == ["required"]
    assert Score.objects.count() == 0


def test_score_sheet_submit_criterion_of_other_contest_refused(judge, entry, criteria):
    idea, colour = criteria
    other = CriterionFactory()

    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: 4, colour.pk: 4, other.pk: 1})

    assert exc.value.code == "unknown_criterion"
    assert Score.objects.count() == 0


def test_awards_set_marks_winners_and_replaces_earlier_choice(contest):
    young, middle = contest.age_categories.order_by("min_age")[:2]
    a, b, c = EntryFactory.create_batch(3, contest=contest, age_category=young)
    d = EntryFactory(contest=contest, age_category=middle, child_age=middle.min_age)
    services.awards_set(contest=contest, awards={(young.pk, 1): a.pk, (young.pk, 2): b.pk}, reason="Unscored")

    services.awards_set(
        contest=contest, awards={(young.pk, 1): b.pk, (young.pk, 3): c.pk, (middle.pk, 1): d.pk}, reason="Unscored"
    )

    awards = dict(Entry.objects.filter(contest=contest).values_list("pk", "award"))
    assert awards == {a.pk: None, b.pk: 1, c.pk: 3, d.pk: 1}


def test_awards_set_entry_of_other_category_refused(contest):
    young, middle = contest.age_categories.order_by("min_age")[:2]
    entry = EntryFactory(contest=contest, age_category=middle, child_age=middle.min_age)

    with pytest.raises(ValidationError) as exc:
        services.awards_set(contest=contest, awards={(young.pk, 1): entry.pk})

    assert [e.code for e in exc.value.error_list] == ["category"]
    assert Entry.objects.get(pk=entry.pk).award is None


def test_awards_set_entry_not_approved_refused(contest):
    young = contest.age_categories.order_by("min_age").first()
    entry = EntryFactory(contest=contest, moderation_status=Entry.Moderation.REJECTED)

    with pytest.raises(ValidationError) as exc:
        services.awards_set(contest=contest, awards={(young.pk, 1): entry.pk})

    assert [e.code for e in exc.value.error_list] == ["not_judgeable"]


def test_awards_set_same_entry_twice_refused(contest):
    young = contest.age_categories.order_by("min_age").first()
    entry = EntryFactory(contest=contest)

    with pytest.raises(ValidationError) as exc:
        services.awards_set(contest=contest, awards={(young.pk, 1): entry.pk, (young.pk, 2): entry.pk})

    assert [e.code for e in exc.value.error_list] == ["twice"]
    assert Entry.objects.get(pk=entry.pk).award is None


def test_awards_set_after_publication_refused(contest):
    young = contest.age_categories.order_by("min_age").first()
    entry = EntryFactory(contest=contest)
    services.results_publish(contest=contest, override=True, reason="Published early for this test")

    with pytest.raises(ValidationError) as exc:
        services.awards_set(contest=contest, awards={(young.pk, 1): entry.pk})

    assert exc.value.code == "published"
    assert Entry.objects.get(pk=entry.pk).award is None


def test_results_publish_sets_publication_time(contest):
    before = timezone.now()

    services.results_publish(contest=contest)

    published_at = Contest.objects.get(pk=contest.pk).results_published_at
    assert before <= published_at <= timezone.now()
    assert contest.results_published_at == published_at


def test_results_publish_twice_refused(contest):
    services.results_publish(contest=contest)
    first = Contest.objects.get(pk=contest.pk).results_published_at

    with pytest.raises(ValidationError) as exc:
        services.results_publish(contest=Contest.objects.get(pk=contest.pk))

    assert exc.value.code == "published"
    assert Contest.objects.get(pk=contest.pk).results_published_at == first


def test_results_publish_while_submissions_open_refused():
    contest = ContestFactory()

    with pytest.raises(ValidationError) as exc:
        services.results_publish(contest=contest)

    assert exc.value.code == "still_open"
    assert Contest.objects.get(pk=contest.pk).results_published_at is None


def test_conflict_refused_for_an_entry_outside_the_judges_categories(contest):
    from judging.models import AuditEvent, Conflict

    young, middle = contest.age_categories.order_by("min_age")[:2]
    judge = services.judge_assign(contest=contest, judge=UserFactory(), categories=[young]).judge
    older = EntryFactory(contest=contest, age_category=middle, child_age=middle.min_age)
    own = EntryFactory(contest=contest, age_category=young)

    with pytest.raises(ValidationError) as refused:
        services.conflict_declare(judge=judge, entry=older, reason="Curious")
    services.conflict_declare(judge=judge, entry=own, reason="My niece")

    assert refused.value.code == "not_assigned"
    assert list(Conflict.objects.values_list("entry_id", "reason")) == [(own.pk, "My niece")]
    assert list(AuditEvent.objects.values_list("action", "entry_id")) == [("conflict_declared", own.pk)]


def test_conflict_refused_for_an_entry_assigned_to_other_judges(contest):
    from judging.models import Conflict, EntryAssignment

    organizer = OrganizerFactory(contests=[contest])
    first, second = JudgeAssignmentFactory(contest=contest).judge, JudgeAssignmentFactory(contest=contest).judge
    entries = [EntryFactory(contest=contest) for _ in range(2)]
    services.entries_assign(contest=contest, actor=organizer, min_judges=1)
    mine = EntryAssignment.objects.get(judge=first).entry
    theirs = EntryAssignment.objects.get(judge=second).entry

    with pytest.raises(ValidationError) as refused:
        services.conflict_declare(judge=first, entry=theirs)
    services.conflict_declare(judge=first, entry=mine)

    assert sorted(e.pk for e in entries) == sorted([mine.pk, theirs.pk])
    assert refused.value.code == "not_assigned"
    assert list(Conflict.objects.values_list("judge_id", "entry_id")) == [(first.pk, mine.pk)]
