"""National rounds of a regional final: their creation, the database's
guards, who organizes them, and the final taking no direct entries."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from contest import rules, selectors, services
from contest.models import Contest
from tests.factories.contest import ContestFactory, published_winner, regional_contest
from tests.factories.judging import ModeratorFactory, OrganizerFactory

pytestmark = [pytest.mark.django_db]


def test_rounds_get_the_finals_categories_and_their_countrys_zone_and_language():
    final, rounds = regional_contest(title="Borders")

    kg = rounds["KG"]

    assert sorted(rounds) == ["KG", "KZ", "TJ", "TM", "UZ"]
    assert (kg.parent_id, kg.country, kg.countries, kg.slug) == (final.pk, "KG", ["KG"], f"{final.slug}-kg")
    assert kg.title == "Borders — Kyrgyzstan"
    assert [(c.name, c.min_age, c.max_age) for c in kg.age_categories.all()] == [
        (c.name, c.min_age, c.max_age) for c in final.age_categories.all()]
    assert {code: r.timezone for code, r in rounds.items()} == {
        "KZ": "Asia/Almaty", "KG": "Asia/Bishkek", "TJ": "Asia/Dushanbe", "TM": "Asia/Ashgabat", "UZ": "Asia/Tashkent"}
    assert {code: r.default_language for code, r in rounds.items()} == {
        "KZ": "kk", "KG": "ky", "TJ": "tg", "TM": "tk", "UZ": "uz"}


def test_round_offsets_come_from_the_zone_database():
    _final, rounds = regional_contest()
    at = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)

    offsets = {code: zoneinfo.ZoneInfo(r.timezone).utcoffset(at) for code, r in rounds.items()}

    assert offsets["KG"] == dt.timedelta(hours=6)
    assert offsets["TJ"] == offsets["TM"] == offsets["UZ"] == dt.timedelta(hours=5)
    # Kazakhstan moved to UTC+5 in 2024: whatever the installed tzdata says.
    assert offsets["KZ"] == zoneinfo.ZoneInfo("Asia/Almaty").utcoffset(at)


def test_the_database_wants_a_round_to_have_both_parent_and_country():
    final = ContestFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ContestFactory(parent=final)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContestFactory(country="KG")


def test_one_round_per_country_and_only_the_finals_countries():
    final, _rounds = regional_contest(countries=("KG",))
    ContestFactory.reset_sequence(1000)
    plan = services.RoundPlan(country="KG", opens_at=final.opens_at, closes_at=final.closes_at)

    with pytest.raises(IntegrityError), transaction.atomic():
        ContestFactory(parent=final, country="KG")
    with pytest.raises(ValidationError):
        services.national_rounds_create(contest=final, plans=[plan])
    Contest.objects.filter(pk=final.pk).update(countries=["KG", "TJ"])
    final.refresh_from_db()
    with pytest.raises(ValidationError):
        services.national_rounds_create(contest=final, plans=[
            services.RoundPlan(country="UZ", opens_at=final.opens_at, closes_at=final.closes_at)])
    assert Contest.objects.filter(parent=final).count() == 1


def test_a_coordinator_organizes_their_round_only_and_the_regional_organizer_every_round(django_assert_num_queries):
    final, rounds = regional_contest()
    coordinator = OrganizerFactory(contests=[rounds["KG"]])
    regional = OrganizerFactory(contests=[final])
    moderator = ModeratorFactory(contests=[final])

    with django_assert_num_queries(1):  # the roles, once
        regional_sees = {code: rules.is_contest_organizer(regional, r) for code, r in rounds.items()}
    coordinator_sees = {code: rules.is_contest_organizer(coordinator, r) for code, r in rounds.items()}

    assert regional_sees == dict.fromkeys(rounds, True)
    assert coordinator_sees == {code: code == "KG" for code in rounds}
    assert rules.is_contest_organizer(coordinator, final) is False
    # A moderator of the final moderates the final, not the rounds.
    assert rules.is_contest_moderator(moderator, final) is True
    assert rules.is_contest_moderator(moderator, rounds["KG"]) is False


def test_the_organizers_list_holds_the_rounds_of_the_finals_they_organize():
    final, rounds = regional_contest(countries=("KG", "TJ"))
    ContestFactory()
    regional = OrganizerFactory(contests=[final])
    coordinator = OrganizerFactory(contests=[rounds["TJ"]])

    from_regional = set(selectors.contest_list_with_role(user=regional).values_list("pk", flat=True))
    from_coordinator = set(selectors.contest_list_with_role(user=coordinator).values_list("pk", flat=True))

    assert from_regional == {final.pk, rounds["KG"].pk, rounds["TJ"].pk}
    assert from_coordinator == {rounds["TJ"].pk}



def test_the_final_takes_no_direct_entries_and_lists_its_rounds(client):
    final, rounds = regional_contest(countries=("KG", "TJ"))

    page = client.get(reverse("contest:contest_detail", args=[final.slug])).content.decode()
    submit = client.get(reverse("contest:entry_submit", args=[final.slug])).content.decode()

    assert reverse("contest:entry_submit", args=[rounds["KG"].slug]) in page
    assert reverse("contest:entry_submit", args=[rounds["TJ"].slug]) in page
    assert 'name="child_first_name"' not in submit
    assert "national rounds" in submit
    with pytest.raises(ValidationError) as refused:
        services.window_check(contest=final)
    assert refused.value.code == "rounds"
    services.window_check(contest=rounds["KG"])  # the round is open


def test_a_round_shows_its_window_in_its_own_zone(client):
    now = timezone.now()
    final, rounds = regional_contest(countries=("KG",))
    Contest.objects.filter(pk=rounds["KG"].pk).update(
        opens_at=dt.datetime(2026, 3, 1, 4, 0, tzinfo=dt.UTC), closes_at=now + dt.timedelta(days=3))

    page = client.get(reverse("contest:contest_detail", args=[final.slug])).content.decode()

    assert "from March 1, 2026, 10 a.m." in page  # 04:00 UTC is 10:00 in Bishkek


@pytest.mark.parametrize("per_round", [1, 3])
def test_the_finals_gallery_shows_each_published_rounds_winners_in_constant_queries(
    client, django_assert_num_queries, per_round
):
    final, rounds = regional_contest(countries=("KG", "TJ", "UZ"))
    now = timezone.now()
    final_winner = published_winner(final, place=1, country="KG")
    shown, hidden = [], []
    for code in ("KG", "UZ"):
        Contest.objects.filter(pk=rounds[code].pk).update(results_published_at=now)
        rounds[code].refresh_from_db()
        shown += [published_winner(rounds[code], place=p, country=code) for p in range(1, per_round + 1)]
    hidden.append(published_winner(rounds["TJ"], place=1, country="TJ"))  # TJ's results not published
    hidden.append(published_winner(rounds["KG"], place=per_round + 1, country="KG", publish_consent=False))
    Contest.objects.filter(pk=final.pk).update(results_published_at=now)
    url = reverse("contest:gallery", args=[final.slug])

    # The final's 6 (as any contest's) and 4 for the rounds: the rounds, winners, renditions, special awards.
    with django_assert_num_queries(10):
        page = client.get(url).content.decode()

    assert reverse("contest:entry_detail", args=[final_winner.public_id]) in page
    for entry in shown:
        assert reverse("contest:entry_detail", args=[entry.public_id]) in page
    for entry in hidden:
        assert reverse("contest:entry_detail", args=[entry.public_id]) not in page
    assert re.findall(r'data-national-winners="(\w+)"', page) == ["KG", "UZ"]
    assert client.get(reverse("contest:entry_detail", args=[shown[0].public_id])).status_code == 200
