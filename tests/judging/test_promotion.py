"""Promoting a national round's entries to the regional final: by rank
(refused at a tie on the cut), by the jury's choice, at most once each,
with the original copied and rendered for the final."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contest.models import AuditLog, Entry
from contest.services import contest_update
from judging import services
from judging.models import Criterion
from tests.factories.contest import EntryFactory, regional_contest
from tests.factories.judging import (
    CriterionFactory, JudgingSettingsFactory, ScoreFactory, UserFactory, judging_finished,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


@pytest.fixture
def kyrgyz():
    final, rounds = regional_contest(countries=("KG", "TJ"))
    CriterionFactory(contest=final, name="Idea")
    assert services.national_rounds_rubric_copy(contest=final) == 2
    kg = rounds["KG"]
    JudgingSettingsFactory(contest=kg, min_judges=1, normalization="raw")
    judging_finished(kg)
    return final, kg


def scored(round_, points):
    """Entries of the youngest category of `round_`, one judge's points each."""
    judge = UserFactory()
    criterion = Criterion.objects.get(contest=round_)
    category = round_.age_categories.order_by("min_age").first()
    entries = []
    for value in points:
        entry = EntryFactory(contest=round_, age_category=category)
        ScoreFactory(criterion=criterion, entry=entry, judge=judge, points=Decimal(value))
        entries.append(entry)
    return category, entries


def test_the_top_of_the_ranking_goes_up_with_its_data_and_a_copy_of_its_drawing(
    kyrgyz, django_capture_on_commit_callbacks
):
    final, kg = kyrgyz
    category, entries = scored(kg, [3, 9, 5, 7])
    organizer = UserFactory(username="kg-coordinator")

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.round_promote(round=kg, category=category, quota=2, actor=organizer)

    assert [e.promoted_from_id for e in promoted] == [entries[1].pk, entries[3].pk]
    final_category = final.age_categories.get(min_age=category.min_age, max_age=category.max_age)
    for new, source in zip(promoted, (entries[1], entries[3])):
        new.refresh_from_db()
        assert (new.contest_id, new.age_category_id) == (final.pk, final_category.pk)
        assert (new.title, new.child_first_name, new.country, new.guardian_email) == (
            source.title, source.child_first_name, source.country, source.guardian_email)
        assert new.reference != source.reference
        assert new.is_judgeable
        assert new.original.name and new.original.name != source.original.name
        assert new.renditions.filter(kind="card").exists()
        source.refresh_from_db()
        assert source.original.storage.exists(source.original.name)  # the round keeps its own
    logged = AuditLog.objects.filter(action=AuditLog.Action.PROMOTED)
    assert sorted(logged.values_list("contest_id", flat=True)) == sorted([kg.pk, kg.pk, final.pk, final.pk])
    assert set(logged.values_list("detail__basis", flat=True)) == {"rank"}


def test_a_tie_at_the_cut_is_left_to_the_coordinator(kyrgyz):
    final, kg = kyrgyz
    category, entries = scored(kg, [9, 7, 7, 3])

    with pytest.raises(services.PromotionUndecided) as undecided:
        services.round_promote(round=kg, category=category, quota=2)
    chosen = services.round_promote(round=kg, category=category, quota=2, entry_ids=[entries[0].pk, entries[2].pk])

    assert sorted(undecided.value.references) == sorted([entries[1].reference, entries[2].reference])
    assert [e.promoted_from_id for e in chosen] == [entries[0].pk, entries[2].pk]
    assert Entry.objects.filter(contest=final).count() == 2


def test_an_entry_goes_up_once_and_only_from_its_round(kyrgyz):
    final, kg = kyrgyz
    category, entries = scored(kg, [9, 7])
    tj = final.national_rounds.get(country="TJ")
    services.round_promote(round=kg, category=category, quota=1)

    with pytest.raises(ValidationError):
        services.round_promote(round=kg, category=category, quota=1)
    with pytest.raises(ValidationError):
        services.round_promote(round=tj, category=tj.age_categories.first(), quota=1, entry_ids=[entries[1].pk])
    with pytest.raises(ValidationError):
        services.round_promote(round=kg, category=category, quota=1, entry_ids=[entries[0].pk, entries[1].pk])

    assert Entry.objects.filter(contest=final).count() == 1


def test_unapproved_entries_are_not_promoted(kyrgyz):
    final, kg = kyrgyz
    category, entries = scored(kg, [9])
    Entry.objects.filter(pk=entries[0].pk).update(moderation_status="pending")

    with pytest.raises(ValidationError):
        services.round_promote(round=kg, category=category, quota=1, entry_ids=[entries[0].pk])

    assert not Entry.objects.filter(contest=final).exists()


def test_promotion_waits_until_the_rounds_judging_is_over(kyrgyz):
    final, _kg = kyrgyz
    tj = final.national_rounds.get(country="TJ")  # submissions and judging still open
    JudgingSettingsFactory(contest=tj, min_judges=1, normalization="raw")
    category, entries = scored(tj, [9, 7])

    with pytest.raises(ValidationError) as open_round:
        services.round_promote(round=tj, category=category, quota=1)
    contest_update(contest=tj, user=None, fields={
        "opens_at": timezone.now() - dt.timedelta(days=2), "closes_at": timezone.now() - dt.timedelta(days=1)})
    with pytest.raises(ValidationError) as judging_open:  # submissions closed, the judging round still open
        services.round_promote(round=tj, category=category, quota=1, entry_ids=[entries[0].pk])
    assert not Entry.objects.filter(contest=final).exists()
    judging_finished(tj)
    promoted = services.round_promote(round=tj, category=category, quota=1)

    assert open_round.value.code == judging_open.value.code == "not_finished"
    assert [e.promoted_from_id for e in promoted] == [entries[0].pk]
