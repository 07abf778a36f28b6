"""Adding national rounds from a contest's settings
(/organize/<slug>/settings/rounds/): times typed in each country's zone,
all rounds or none, refusals saving nothing, and a 404 for whoever does
not organize the final."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.audit_sentences import sentence
from contest.models import AuditLog, Contest
from tests.factories.contest import ContestFactory, EntryFactory, regional_contest
from tests.factories.judging import JudgeAssignmentFactory, OrganizerFactory

pytestmark = [pytest.mark.django_db]

UTC = dt.timezone.utc


def final_contest():
    return ContestFactory(
        slug="silk-2027", opens_at=dt.datetime(2027, 2, 1, 4, tzinfo=UTC),
        closes_at=dt.datetime(2027, 3, 1, 13, tzinfo=UTC),
    )


def url(contest):
    return reverse("organize:settings_rounds", args=[contest.slug])


def row(code, opens, closes, language):
    code = code.lower()
    return {f"include_{code}": "on", f"opens_{code}": opens, f"closes_{code}": closes, f"language_{code}": language}


def test_two_rounds_are_stored_at_the_utc_instants_of_their_local_times(client):
    final = final_contest()
    client.force_login(OrganizerFactory(contests=[final]))
    data = {**row("KG", "2027-02-01T09:00", "2027-03-01T18:00", "ky"),
            **row("UZ", "2027-02-02T09:00", "2027-03-02T18:00", "uz-cyrl")}

    response = client.post(url(final), data, follow=True)

    assert response.redirect_chain == [(reverse("organize:settings", args=[final.slug]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"National rounds created: {final.title} — Kyrgyzstan, {final.title} — Uzbekistan."]
    rounds = {r.country: r for r in Contest.objects.filter(parent=final)}
    assert set(rounds) == {"KG", "UZ"}
    assert rounds["KG"].opens_at == dt.datetime(2027, 2, 1, 3, tzinfo=UTC)  # Bishkek UTC+6
    assert rounds["KG"].closes_at == dt.datetime(2027, 3, 1, 12, tzinfo=UTC)
    assert rounds["UZ"].opens_at == dt.datetime(2027, 2, 2, 4, tzinfo=UTC)  # Tashkent UTC+5
    assert rounds["UZ"].default_language == "uz-cyrl"
    assert rounds["KG"].timezone == "Asia/Bishkek"
    log = AuditLog.objects.get(contest=final, action=AuditLog.Action.ROUNDS_CREATED)
    assert log.detail["countries"] == ["KG", "UZ"]
    assert sentence(log) == f"Organizer {log.actor.get_username()} added national rounds: Kyrgyzstan, Uzbekistan."
    page = client.get(reverse("organize:settings", args=[final.slug])).content.decode()
    assert reverse("organize:settings", args=[rounds["KG"].slug]) in page
    assert url(final) in page


def test_the_form_is_prefilled_with_the_finals_window_in_each_zone_and_the_countrys_language(client):
    final = final_contest()
    client.force_login(OrganizerFactory(contests=[final]))
    page = client.get(url(final)).content.decode()
    assert 'name="opens_kg" value="2027-02-01T10:00"' in page  # 04:00 UTC in Bishkek
    assert 'name="opens_uz" value="2027-02-01T09:00"' in page
    assert "Asia/Bishkek (UTC+06:00)" in page
    assert '<option value="tg" selected>' in page


@pytest.mark.parametrize("case", ["closing_first", "existing_country", "round_itself", "own_entries", "one_bad_row"])
def test_refusals_save_nothing(client, case):
    final, rounds = regional_contest(countries=("KG",))
    target, data = final, {**row("UZ", "2027-02-01T09:00", "2027-03-01T18:00", "uz")}
    if case == "closing_first":
        data = row("UZ", "2027-03-01T09:00", "2027-02-01T18:00", "uz")
    elif case == "existing_country":
        data = {**data, **row("KG", "2027-02-01T09:00", "2027-03-01T18:00", "ky")}
    elif case == "round_itself":
        target = rounds["KG"]
    elif case == "own_entries":
        EntryFactory(contest=final)
    elif case == "one_bad_row":
        data = {**data, **row("TJ", "2027-02-01T09:00", "", "tg")}
    client.force_login(OrganizerFactory(contests=[final]))
    before = Contest.objects.count()

    response = client.post(url(target), data)

    assert response.status_code == 400
    assert Contest.objects.count() == before
    assert not AuditLog.objects.filter(action=AuditLog.Action.ROUNDS_CREATED).exists()


def test_a_coordinator_of_a_round_and_a_judge_get_404(client):
    final, rounds = regional_contest(countries=("KG",))
    for user in (OrganizerFactory(contests=[rounds["KG"]]), JudgeAssignmentFactory(contest=final).judge):
        client.force_login(user)
        assert client.get(url(final)).status_code == 404
        assert client.post(url(final), row("UZ", "2027-02-01T09:00", "2027-03-01T18:00", "uz")).status_code == 404
    assert Contest.objects.filter(parent=final).count() == 1


def test_the_page_issues_a_constant_number_of_queries(client):
    final, _rounds = regional_contest(countries=("KG",))
    client.force_login(OrganizerFactory(contests=[final]))
    client.get(url(final))
    with CaptureQueriesContext(connection) as few:
        client.get(url(final))
    regional_contest(countries=("KZ", "TJ", "TM"), slug="other")
    Contest.objects.filter(slug__startswith="other-").update(parent=final)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(final)).status_code == 200
    assert len(many) == len(few)


def test_a_rounds_organizers_read_as_its_coordinators_on_the_team_page_and_dashboard(client):
    final, rounds = regional_contest(countries=("KG",))
    kg = rounds["KG"]
    coordinator = OrganizerFactory(username="kg-coordinator", contests=[kg])
    client.force_login(coordinator)

    team = client.get(reverse("contest:team", args=[kg.slug])).content.decode()
    dashboard = client.get(reverse("contest:dashboard", args=[kg.slug])).content.decode()
    final_team = client.get(reverse("contest:team", args=[final.slug]))
    teachers = client.get(reverse("contest:teachers_waiting")).content.decode()

    assert team.count("Coordinator of the national round: Kyrgyzstan") == 2  # the row and the role to give
    assert '<p class="lead" data-round-team>Coordinator of the national round: Kyrgyzstan</p>' in dashboard
    assert '<p class="lead" data-round-team>Coordinator of the national round: Kyrgyzstan</p>' in teachers
    assert final_team.status_code == 404  # permissions unchanged: the round's alone
