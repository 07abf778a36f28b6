"""A contest's dates and times are typed and read in the contest's own time
zone, in the admin as on the public pages: 18:00 in Tashkent is 13:00 UTC,
never 18:00 UTC (contest/zoned.py)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from contest.admin import ContestAdminForm
from contest.models import Contest
from contest.zoned import ZonedDateTimeField, ZonedSplitDateTimeField, zone_city, zone_label, zoned_localize
from tests.factories.contest import ContestFactory
from tests.factories.judging import RoundFactory

UTC = dt.timezone.utc


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def contest_form_data(*, zone, opens=("2027-02-01", "09:00:00"), closes=("2027-03-01", "18:00:00"), **overrides):
    """What the admin's contest page posts, without inline rows."""
    data = {
        "title": "People of the border", "slug": "people-of-the-border", "theme": "Draw the border.",
        "rules": "One drawing per child.", "timezone": zone,
        "opens_at_0": opens[0], "opens_at_1": opens[1], "closes_at_0": closes[0], "closes_at_1": closes[1],
        "age_reference_date": "2027-06-01", "countries": ["KZ", "KG", "TJ", "TM", "UZ"],
        "consent_version": "1", "consent_text": "I agree.", "retention_days": 90,
        "max_entries_per_child": 1, "max_entries_per_guardian": 5, "max_entries_per_teacher": 40,
        "max_teacher_entries": 2000, "default_language": "en", "_save": "Save",
    }
    for prefix in ("age_categories", "translations", "criteria", "judge_assignments"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    data.update(overrides)
    return data


def input_value(page, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0).split('value="', 1)[1].split('"', 1)[0]


@pytest.mark.unit
@pytest.mark.parametrize(("zone", "label"), [
    ("Asia/Tashkent", "Asia/Tashkent (UTC+05:00)"),
    ("Asia/Bishkek", "Asia/Bishkek (UTC+06:00)"),
    ("America/St_Johns", "America/St_Johns (UTC-03:30)"),
])
def test_zone_label_names_the_zone_and_its_offset(zone, label):
    assert zone_label(zone, at=utc(2027, 1, 15, 12)) == label


@pytest.mark.unit
def test_a_single_input_field_reads_and_shows_wall_times_in_its_zone():
    field = ZonedDateTimeField(zone="Asia/Tashkent")

    assert field.clean("2027-03-01 18:00") == utc(2027, 3, 1, 13)
    assert field.prepare_value(utc(2027, 3, 1, 13)) == dt.datetime(2027, 3, 1, 18)
    assert not field.has_changed(utc(2027, 3, 1, 13), "2027-03-01 18:00")
    assert field.has_changed(utc(2027, 3, 1, 13), "2027-03-01 19:00")


@pytest.mark.unit
@pytest.mark.parametrize(("typed", "code", "words"), [
    (["2027-03-28", "02:30"], "nonexistent_time", "does not exist in Europe/Berlin"),
    (["2027-10-31", "02:30"], "ambiguous_time", "happens twice in Europe/Berlin"),
])
def test_a_time_the_zone_skips_or_repeats_is_refused(typed, code, words):
    field = ZonedSplitDateTimeField(zone="Europe/Berlin")

    with pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)

    assert refused.value.error_list[0].code == code
    assert words in refused.value.messages[0]
    assert field.clean(["2027-03-28", "03:30"]) == utc(2027, 3, 28, 1, 30)
    assert field.clean(["2027-10-31", "03:30"]) == utc(2027, 10, 31, 2, 30)


def admin_contest_form():
    """The form class the admin builds (split date and time inputs)."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()  # the related fields' widgets ask for permissions
    return admin.site._registry[Contest].get_form(request)


@pytest.mark.unit
@pytest.mark.parametrize("split", [True, False])
def test_an_unchanged_contest_form_reports_no_changed_times(split):
    contest = Contest(timezone="Asia/Tashkent", opens_at=utc(2027, 2, 1, 4), closes_at=utc(2027, 3, 1, 13))
    data = contest_form_data(zone="Asia/Tashkent")
    if not split:
        data |= {"opens_at": "2027-02-01 09:00", "closes_at": "2027-03-01 18:00"}
    form = (admin_contest_form() if split else ContestAdminForm)(instance=contest, data=data)

    assert "closes_at" not in form.changed_data
    assert "opens_at" not in form.changed_data
    assert "Asia/Tashkent (UTC+05:00)" in str(form.fields["closes_at"].help_text)
    assert "Submissions are refused" in str(form.fields["closes_at"].help_text)
    cleaned = [form.fields[name].clean(form[name].data) for name in ("opens_at", "closes_at")]
    assert cleaned == [utc(2027, 2, 1, 4), utc(2027, 3, 1, 13)]


@pytest.mark.django_db
@pytest.mark.parametrize(("zone", "closes_utc"), [
    ("Asia/Tashkent", utc(2027, 3, 1, 13)),
    ("Asia/Bishkek", utc(2027, 3, 1, 12)),
    ("UTC", utc(2027, 3, 1, 18)),
])
def test_a_new_contest_closes_at_the_wall_time_typed_in_its_zone(admin_client, zone, closes_utc):
    response = admin_client.post(reverse("admin:contest_contest_add"), contest_form_data(zone=zone))

    assert response.status_code == 302, response.content.decode()[:3000]
    contest = Contest.objects.get(slug="people-of-the-border")
    assert contest.closes_at == closes_utc
    assert contest.opens_at == closes_utc - dt.timedelta(days=28, hours=9)


@pytest.mark.django_db
def test_the_change_page_shows_the_closing_time_in_the_contest_zone(admin_client):
    contest = ContestFactory(
        timezone="Asia/Tashkent", opens_at=utc(2027, 2, 1, 4), closes_at=utc(2027, 3, 1, 13),
        peoples_choice=True, vote_opens_at=utc(2027, 3, 5, 4), vote_closes_at=utc(2027, 3, 12, 19),
    )

    page = admin_client.get(reverse("admin:contest_contest_change", args=[contest.pk])).content.decode()

    assert (input_value(page, "closes_at_0"), input_value(page, "closes_at_1")) == ("2027-03-01", "18:00:00")
    assert (input_value(page, "opens_at_0"), input_value(page, "opens_at_1")) == ("2027-02-01", "09:00:00")
    assert (input_value(page, "vote_closes_at_0"), input_value(page, "vote_closes_at_1")) == ("2027-03-13", "00:00:00")
    # Each of the four datetimes (entries and the people's choice window) names the zone.
    assert page.count("Asia/Tashkent (UTC+05:00)") == 4
    # The admin's "Now" button and its note on the time difference follow the contest's zone.
    assert 'data-admin-utc-offset="18000"' in page


@pytest.mark.django_db
def test_a_change_of_zone_reads_the_times_in_the_new_zone(admin_client):
    contest = ContestFactory(
        slug="people-of-the-border", timezone="Asia/Tashkent", opens_at=utc(2027, 2, 1, 4),
        closes_at=utc(2027, 3, 1, 13), categories=[],
    )
    url = reverse("admin:contest_contest_change", args=[contest.pk])

    response = admin_client.post(url, contest_form_data(zone="Asia/Bishkek"))

    assert response.status_code == 302, response.content.decode()[:3000]
    contest.refresh_from_db()
    assert (contest.timezone, contest.closes_at, contest.opens_at) == ("Asia/Bishkek", utc(2027, 3, 1, 12), utc(2027, 2, 1, 3))
    page = admin_client.get(url).content.decode()
    assert (input_value(page, "closes_at_0"), input_value(page, "closes_at_1")) == ("2027-03-01", "18:00:00")
    assert "Asia/Bishkek (UTC+06:00)" in page


@pytest.mark.django_db
def test_the_admin_and_the_public_page_show_the_same_closing_time(admin_client, client):
    admin_client.post(reverse("admin:contest_contest_add"), contest_form_data(zone="Asia/Tashkent"))
    contest = Contest.objects.get(slug="people-of-the-border")

    public = client.get(reverse("contest:contest_detail", args=[contest.slug])).content.decode()
    changelist = admin_client.get(reverse("admin:contest_contest_changelist")).content.decode()

    # The public page formats with DATETIME_FORMAT in the contest's zone.
    assert "until March 1, 2027, 6 p.m. (Tashkent time)" in public
    assert "March 1, 2027, 6 p.m." in changelist
    assert "Feb. 1, 2027, 9 a.m." in changelist
    assert zoned_localize(contest.closes_at, contest.timezone) == "March 1, 2027, 6 p.m."


@pytest.mark.django_db
@pytest.mark.parametrize(("closes", "words"), [
    (("2027-03-28", "02:30:00"), "does not exist in Europe/Berlin"),
    (("2027-10-31", "02:30:00"), "happens twice in Europe/Berlin"),
])
def test_the_admin_refuses_a_time_the_zone_skips_or_repeats(admin_client, closes, words):
    response = admin_client.post(
        reverse("admin:contest_contest_add"), contest_form_data(zone="Europe/Berlin", closes=closes)
    )

    assert response.status_code == 200
    assert words in response.content.decode()
    assert words in " ".join(response.context["adminform"].form.errors["closes_at"])
    assert not Contest.objects.exists()


@pytest.mark.django_db
def test_a_new_contest_page_names_the_default_zone(admin_client):
    page = admin_client.get(reverse("admin:contest_contest_add")).content.decode()

    # Opening, closing, and the people's choice window's two times.
    assert page.count(zone_label("Asia/Bishkek")) == 4


@pytest.mark.django_db
def test_round_times_are_listed_in_the_contest_zone(admin_client):
    contest = ContestFactory(timezone="Asia/Tashkent")
    round_ = RoundFactory(contest=contest, number=1, is_open=False)
    round_.closed_at = utc(2027, 3, 10, 13)
    round_.save()

    changelist = admin_client.get(reverse("admin:judging_round_changelist")).content.decode()
    change = admin_client.get(reverse("admin:judging_round_change", args=[round_.pk])).content.decode()

    assert "March 10, 2027, 6 p.m." in changelist
    assert "March 10, 2027, 6 p.m." in change
    assert timezone.get_current_timezone_name() == "UTC"  # the page's zone did not leak out of it


@pytest.mark.parametrize(("zone", "language", "city"), [
    ("Asia/Bishkek", "en", "Bishkek"),
    ("Asia/Bishkek", "ru", "Бишкек"),
    ("Asia/Tashkent", "uz-cyrl", "Тошкент"),
    ("Asia/Tashkent", "uz", "Toshkent"),
    ("Asia/Ashgabat", "tk", "Aşgabat"),
    ("Asia/Dushanbe", "tg", "Душанбе"),
    ("Asia/Almaty", "kk", "Алматы"),
    ("America/New_York", "ru", "New York"),
])
def test_public_pages_name_the_zone_by_its_city_in_the_visitors_language(zone, language, city):
    with translation.override(language):
        assert zone_city(zone) == city
