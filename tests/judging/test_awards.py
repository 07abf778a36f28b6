"""Awards given drawing by drawing: any place from 1 up (one entry per
place and age category, enforced by the database), the contest's named
special awards (any number of entries each, once per entry), the audit
rows, the override rule for places 1-3 and the lock after publication."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from contest.models import AuditLog, Entry, SpecialAward, SpecialAwardHolder, place_label
from judging import services
from judging.models import AuditEvent
from tests.factories.judging import ContestFactory, EntryFactory, JudgingSettingsFactory, OrganizerFactory

pytestmark = [pytest.mark.django_db]

REASON = "The jury preferred the composition."


def score(judge, entry, criteria, idea, colour=Decimal(3)):
    services.score_sheet_submit(judge=judge, entry=entry, points={criteria[0].pk: Decimal(idea), criteria[1].pk: colour})


@pytest.fixture
def ranked(contest, criteria, judge):
    """Five scored entries of the youngest category, best first (one judge
    is enough: min_judges 1)."""
    JudgingSettingsFactory(contest=contest, min_judges=1)
    entries = [EntryFactory(contest=contest, reference=f"RANK-000{i}") for i in range(5)]
    for i, entry in enumerate(entries):
        score(judge, entry, criteria, idea=10 - i)
    return entries


def give(contest, entry, place=None, specials=(), reason="", actor=None):
    return services.entry_awards_set(
        contest=contest, entry_id=entry.pk, place=place, special_award_ids=[a.pk for a in specials], reason=reason,
        actor=actor,
    )


def test_fourth_and_seventh_places_need_no_reason_and_are_audited(contest, ranked):
    organizer = OrganizerFactory(username="olga")

    give(contest, ranked[3], place=4, actor=organizer)
    give(contest, ranked[4], place=7, actor=organizer)

    assert dict(Entry.objects.filter(award__isnull=False).values_list("reference", "award")) == {
        "RANK-0003": 4, "RANK-0004": 7,
    }
    rows = list(AuditLog.objects.filter(action=AuditLog.Action.AWARDED).order_by("id"))
    assert [(r.entry_reference, r.actor_label, r.detail["place"], r.detail["previous_place"]) for r in rows] == [
        ("RANK-0003", "olga", 4, None), ("RANK-0004", "olga", 7, None),
    ]
    assert not AuditEvent.objects.filter(action__startswith="awards").exists()


def test_a_place_taken_in_the_category_is_refused_naming_its_holder(contest, ranked):
    give(contest, ranked[3], place=4)

    with pytest.raises(ValidationError) as exc:
        give(contest, ranked[4], place=4)

    assert exc.value.code == "place_taken"
    assert "RANK-0003" in exc.value.messages[0] and "4th place" in exc.value.messages[0]
    assert Entry.objects.get(pk=ranked[4].pk).award is None


def test_the_same_place_in_another_category_is_allowed(contest, ranked):
    older = contest.age_categories.order_by("min_age")[1]
    other = EntryFactory(contest=contest, age_category=older, child_age=older.min_age)
    give(contest, ranked[3], place=4)

    give(contest, other, place=4)

    assert Entry.objects.filter(award=4).count() == 2


def test_place_below_one_refused_and_nothing_saved(contest, ranked):
    with pytest.raises(ValidationError) as exc:
        give(contest, ranked[4], place=0)

    assert exc.value.code == "invalid_place"
    assert not AuditLog.objects.exists()


def test_database_refuses_place_zero_and_two_entries_on_one_place(contest):
    a, b = EntryFactory(contest=contest), EntryFactory(contest=contest)
    Entry.objects.filter(pk=a.pk).update(award=5)

    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=b.pk).update(award=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=b.pk).update(award=5)
    Entry.objects.filter(pk=b.pk).update(award=12)

    assert Entry.objects.get(pk=b.pk).award == 12


def test_first_place_other_than_suggested_needs_a_reason_and_goes_to_the_judging_trail(contest, ranked):
    with pytest.raises(ValidationError) as exc:
        give(contest, ranked[2], place=1)

    give(contest, ranked[2], place=1, reason=REASON)

    assert exc.value.code == "reason_required"
    event = AuditEvent.objects.get(action__startswith="awards")
    assert (event.action, event.entry_id, event.reason) == ("awards_overridden", ranked[2].pk, REASON)
    assert event.detail["awards"] == [[ranked[2].age_category_id, 1, ranked[2].pk]]


def test_the_suggested_place_needs_no_reason(contest, ranked):
    give(contest, ranked[0], place=1)

    assert Entry.objects.get(pk=ranked[0].pk).award == 1
    assert not AuditEvent.objects.filter(action__startswith="awards").exists()


def test_confirming_the_suggestions_keeps_later_places(contest, ranked):
    give(contest, ranked[3], place=4)
    young = ranked[0].age_category_id

    services.awards_set(
        contest=contest, awards={(young, 1): ranked[0].pk, (young, 2): ranked[1].pk, (young, 3): ranked[2].pk}
    )

    assert list(Entry.objects.filter(award__isnull=False).order_by("award").values_list("award", flat=True)) == [
        1, 2, 3, 4,
    ]
    assert AuditEvent.objects.get(action__startswith="awards").action == "awards_confirmed"


def test_special_awards_go_to_any_number_of_entries_once_each(contest, ranked):
    jury = services.special_award_create(contest=contest, name="Jury prize", names={"ru": "Приз жюри", "kk": ""})
    mention = services.special_award_create(contest=contest, name="Honourable mention")

    give(contest, ranked[0], place=1, specials=[jury])
    give(contest, ranked[3], specials=[jury, mention])
    give(contest, ranked[4], specials=[mention])
    give(contest, ranked[3], specials=[mention])

    assert (jury.order, mention.order, jury.names) == (0, 1, {"ru": "Приз жюри"})
    assert sorted(SpecialAwardHolder.objects.values_list("award__name", "entry__reference")) == [
        ("Honourable mention", "RANK-0003"), ("Honourable mention", "RANK-0004"), ("Jury prize", "RANK-0000"),
    ]
    last = AuditLog.objects.filter(action="awarded", entry_reference="RANK-0003").order_by("id").last()
    assert (last.detail["special_awards"], last.detail["previous_special_awards"]) == (
        ["Honourable mention"], ["Honourable mention", "Jury prize"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecialAwardHolder.objects.create(award=mention, entry=ranked[4])


def test_special_award_names_in_each_language(contest):
    jury = services.special_award_create(contest=contest, name="Jury prize", names={"ru": "Приз жюри"})

    assert [jury.name_in("ru"), jury.name_in("uz-cyrl"), str(jury)] == ["Приз жюри", "Jury prize", "Jury prize"]


def test_special_award_needs_a_name_unique_in_its_contest(contest):
    services.special_award_create(contest=contest, name="Jury prize")

    with pytest.raises(ValidationError) as empty:
        services.special_award_create(contest=contest, name="  ")
    with pytest.raises(ValidationError) as taken:
        services.special_award_create(contest=contest, name="Jury prize")
    with pytest.raises(ValidationError) as language:
        services.special_award_create(contest=contest, name="Mention", names={"xx": "?"})
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecialAward.objects.create(contest=contest, name="")
    services.special_award_create(contest=ContestFactory(), name="Jury prize")

    assert [empty.value.code, taken.value.code, language.value.code] == ["name", "name_taken", "language"]
    assert SpecialAward.objects.count() == 2


def test_special_award_of_another_contest_refused(contest, ranked):
    foreign = services.special_award_create(contest=ContestFactory(), name="Jury prize")

    with pytest.raises(ValidationError) as exc:
        give(contest, ranked[0], specials=[foreign])

    assert exc.value.code == "special_award"
    assert not SpecialAwardHolder.objects.exists()


def test_entry_of_another_contest_or_not_approved_refused(contest, ranked):
    with pytest.raises(ValidationError) as foreign:
        give(contest, EntryFactory(), place=4)
    pending = EntryFactory(contest=contest, guardian_confirmed_at=None, moderation_status="pending")
    with pytest.raises(ValidationError) as not_ready:
        give(contest, pending, place=4)

    assert [foreign.value.code, not_ready.value.code] == ["entry", "not_judgeable"]


def test_deleting_a_special_award_takes_it_back_and_is_audited(contest, ranked):
    jury = services.special_award_create(contest=contest, name="Jury prize")
    give(contest, ranked[2], specials=[jury])

    assert services.special_award_delete(contest=contest, award_id=jury.pk) is True

    assert not SpecialAwardHolder.objects.exists()
    row = AuditLog.objects.filter(action="awarded").order_by("id").last()
    assert row.detail == {"special_award_deleted": "Jury prize", "taken_from": ["RANK-0002"]}


def test_awards_are_locked_after_publication(contest, ranked):
    jury = services.special_award_create(contest=contest, name="Jury prize")
    give(contest, ranked[3], place=4, specials=[jury])
    contest.results_published_at = timezone.now()
    contest.save()

    refusals = []
    for attempt in (
        lambda: give(contest, ranked[3], place=5),
        lambda: give(contest, ranked[4], specials=[jury]),
        lambda: services.special_award_create(contest=contest, name="Mention"),
        lambda: services.special_award_delete(contest=contest, award_id=jury.pk),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        refusals.append(exc.value.code)

    assert refusals == ["published"] * 4
    assert Entry.objects.get(pk=ranked[3].pk).award == 4
    assert SpecialAwardHolder.objects.count() == 1 and SpecialAward.objects.count() == 1


def test_organizer_gives_a_place_and_a_special_award_with_the_cards_form(client, contest, ranked):
    jury = services.special_award_create(contest=contest, name="Jury prize")
    client.force_login(OrganizerFactory(contests=[contest]))

    response = client.post(
        reverse("judging:results_awards", args=[contest.slug]),
        {"entry": ranked[4].pk, "place": "4", "special_awards": [str(jury.pk)], "back": "page_1=2&x=<b>"},
    )

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("judging:results", args=[contest.slug]) + f"?page_1=2&x=%3Cb%3E#entry-{ranked[4].pk}"
    )
    assert Entry.objects.get(pk=ranked[4].pk).award == 4
    assert list(SpecialAwardHolder.objects.values_list("entry_id", flat=True)) == [ranked[4].pk]
    page = client.get(response["Location"]).content.decode()
    assert "The awards of this drawing are saved." in page


def test_cards_form_refusal_is_a_clear_message_and_nothing_saved(client, contest, ranked):
    client.force_login(OrganizerFactory(contests=[contest]))
    url = reverse("judging:results_awards", args=[contest.slug])

    refused = client.post(url, {"entry": ranked[2].pk, "place": "1"}, follow=True)
    invalid = client.post(url, {"entry": ranked[2].pk, "place": "-3"}, follow=True)

    assert "differ from the suggested ones; give a reason." in refused.content.decode()
    assert "A place is a whole number from 1 up." in invalid.content.decode()
    assert not Entry.objects.filter(award__isnull=False).exists()


def test_special_award_form_adds_with_translations_and_deletes(client, contest):
    client.force_login(OrganizerFactory(contests=[contest]))

    client.post(
        reverse("judging:special_award_create", args=[contest.slug]),
        {"name": "Jury prize", "name_ru": "Приз жюри", "name_uz-cyrl": "Ҳакамлар мукофоти"},
    )
    jury = SpecialAward.objects.get()
    response = client.post(reverse("judging:special_award_delete", args=[contest.slug, jury.pk]))

    assert jury.names == {"ru": "Приз жюри", "uz-cyrl": "Ҳакамлар мукофоти"}
    assert response["Location"].endswith("#special-awards")
    assert not SpecialAward.objects.exists()


def test_organizer_posts_after_publication_change_nothing(client, contest, ranked):
    contest.results_published_at = timezone.now()
    contest.save()
    client.force_login(OrganizerFactory(contests=[contest]))

    page = client.post(
        reverse("judging:results_awards", args=[contest.slug]), {"entry": ranked[4].pk, "place": "4"}, follow=True
    )
    client.post(reverse("judging:special_award_create", args=[contest.slug]), {"name": "Jury prize"})

    assert "awards can no longer change" in page.content.decode()
    assert not Entry.objects.filter(award__isnull=False).exists() and not SpecialAward.objects.exists()


@pytest.mark.parametrize(
    ("place", "label"), [(1, "1st place"), (3, "3rd place"), (4, "4th place"), (11, "11th place"), (22, "22nd place")]
)
def test_place_label_in_english(place, label):
    with translation.override("en"):
        assert place_label(place) == label
