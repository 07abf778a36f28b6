"""Setting a contest up without the admin: /organize/contests/new/ and the
steps of /organize/<slug>/settings/. Every time is typed and shown in the
contest's own zone (18:00 in Tashkent is 13:00 UTC), every step saves all
or nothing, and whoever may not organize gets a 404."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest import services
from contest.models import AgeCategory, Contest, ContestTranslation
from contest.zoned import zoned_localize
from judging import services as judging_services
from judging.models import AuditEvent, Criterion
from tests.factories.contest import ContestFactory, EntryFactory
from tests.factories.judging import CriterionFactory, JudgeAssignmentFactory, OrganizerFactory, ScoreFactory, UserFactory

pytestmark = [pytest.mark.django_db]

UTC = dt.timezone.utc


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def basics(**overrides):
    data = {
        "title": "People of the border 2027", "slug": "borders-2027", "theme": "Draw the border.",
        "rules": "One drawing per child.", "timezone": "Asia/Tashkent", "default_language": "ru",
        "opens_at": "2027-02-01T09:00", "closes_at": "2027-03-01T18:00", "age_reference_date": "2027-06-01",
        "countries": ["KZ", "KG", "UZ"],
    }
    data.update(overrides)
    return data


def formset_data(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is not None:
                data[f"{prefix}-{i}-{key}"] = value
    return data


def input_value(page, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return tag.split('value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def creator(client):
    user = OrganizerFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_contest", content_type__app_label="contest"))
    user = get_user_model().objects.get(pk=user.pk)
    client.force_login(user)
    return user


@pytest.fixture
def organizer(client, contest):
    user = OrganizerFactory(contests=[contest])
    client.force_login(user)
    return user


@pytest.fixture
def contest():
    return ContestFactory(slug="tashkent", timezone="Asia/Tashkent", opens_at=utc(2027, 2, 1, 4),
                          closes_at=utc(2027, 3, 1, 13))


def test_creating_reads_the_times_in_the_zone_chosen_in_the_same_form(client, creator):
    response = client.post(reverse("organize:contest_new"), basics())

    contest = Contest.objects.get(slug="borders-2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("organize:settings", args=["borders-2027"])
    # 18:00 typed in Tashkent (UTC+5) is 13:00 UTC, never 18:00 UTC or Bishkek's 12:00.
    assert (contest.timezone, contest.closes_at, contest.opens_at) == ("Asia/Tashkent", utc(2027, 3, 1, 13), utc(2027, 2, 1, 4))
    assert (contest.default_language, contest.countries) == ("ru", ["KZ", "KG", "UZ"])


def test_the_settings_page_after_creation_links_every_step(client, creator):
    client.post(reverse("organize:contest_new"), basics())

    page = client.get(reverse("organize:settings", args=["borders-2027"])).content.decode()

    assert "The contest is created. Go on with its age categories." in page
    for name in ("settings_basics", "settings_ages", "settings_rubric", "settings_texts", "settings_uploads",
                 "settings_judges"):
        assert f'href="{reverse(f"organize:{name}", args=["borders-2027"])}"' in page
    assert "March 1, 2027, 6 p.m." in page


def test_a_new_contest_form_names_the_default_zone_beside_each_time(client, creator):
    page = client.get(reverse("organize:contest_new")).content.decode()

    assert page.count("Local time of Asia/Bishkek (UTC+06:00).") == 2
    assert 'href="/organize/' not in page.split('class="setup-steps"')[1].split("</nav>")[0]


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"closes_at": "2027-01-01T18:00"}, "closes_at", "The closing time must come after the opening time."),
    ({"timezone": "Mars/Olympus"}, "timezone", "Select a valid choice."),
    ({"slug": "tashkent"}, "slug", "Contest with this Slug already exists."),
    ({"closes_at": "yesterday"}, "closes_at", "Enter a valid date/time."),
])
def test_creating_refuses_bad_input_with_a_specific_message_and_saves_nothing(client, creator, contest, overrides,
                                                                              field, words):
    response = client.post(reverse("organize:contest_new"), basics(**overrides))

    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors[field])
    assert words in response.content.decode()
    assert Contest.objects.count() == 1


def test_a_time_the_zone_skips_is_refused(client, creator):
    response = client.post(reverse("organize:contest_new"),
                           basics(timezone="Europe/Berlin", opens_at="2027-03-28T02:30"))

    assert response.status_code == 400
    assert "does not exist in Europe/Berlin" in " ".join(response.context["form"].errors["opens_at"])
    assert not Contest.objects.filter(slug="borders-2027").exists()


def test_the_basics_step_shows_and_reads_times_in_the_contest_zone(client, organizer, contest):
    url = reverse("organize:settings_basics", args=[contest.slug])
    page = client.get(url).content.decode()
    assert input_value(page, "closes_at") == "2027-03-01T18:00"
    assert page.count("Local time of Asia/Tashkent (UTC+05:00).") == 2

    response = client.post(url, basics(slug="ignored", timezone="Asia/Bishkek", closes_at="2027-03-01T18:00"))

    contest.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("organize:settings_ages", args=[contest.slug])
    # A change of zone re-reads the times typed beside it; the address stays.
    assert (contest.slug, contest.timezone, contest.closes_at) == ("tashkent", "Asia/Bishkek", utc(2027, 3, 1, 12))


def test_age_categories_shift_together_in_one_save(client, organizer, contest):
    first, second, third = contest.age_categories.order_by("min_age")
    url = reverse("organize:settings_ages", args=[contest.slug])
    rows = [
        {"id": first.pk, "name": "6-10", "min_age": 6, "max_age": 10},
        {"id": second.pk, "name": "11-13", "min_age": 11, "max_age": 13},
        {"id": third.pk, "name": third.name, "min_age": 14, "max_age": 17, "DELETE": "on"},
        {"name": "Teenagers", "min_age": 14, "max_age": 18},
    ]

    response = client.post(url, formset_data("age_categories", rows, initial=3))

    assert response.status_code == 302
    assert response["Location"] == reverse("organize:settings_rubric", args=[contest.slug])
    assert list(contest.age_categories.order_by("min_age").values_list("name", "min_age", "max_age")) == [
        ("6-10", 6, 10), ("11-13", 11, 13), ("Teenagers", 14, 18),
    ]


@pytest.mark.parametrize(("rows", "words"), [
    ([{"name": "A", "min_age": 6, "max_age": 10}, {"name": "B", "min_age": 10, "max_age": 12}],
     "Age categories 6–10 and 10–12 overlap."),
    ([{"name": "A", "min_age": 9, "max_age": 6}], "minimum age must not be above its maximum age"),
    ([{"name": "A", "min_age": 6, "max_age": 8}, {"name": "a", "min_age": 9, "max_age": 12}],
     "Two age categories have the same name."),
])
def test_age_categories_refuse_bad_bands_and_save_nothing(client, organizer, rows, words):
    contest = ContestFactory(categories=[])
    services.role_grant(contest=contest, user=organizer, role="organizer")

    response = client.post(reverse("organize:settings_ages", args=[contest.slug]), formset_data("age_categories", rows))

    assert response.status_code == 400
    assert words in response.content.decode()
    assert not AgeCategory.objects.filter(contest=contest).exists()


def test_a_category_with_entries_keeps_its_ages(client, organizer, contest):
    category = contest.age_categories.order_by("min_age").first()
    EntryFactory(contest=contest, age_category=category)
    rows = [{"id": category.pk, "name": "Little ones", "min_age": 5, "max_age": 9}]

    response = client.post(reverse("organize:settings_ages", args=[contest.slug]),
                           formset_data("age_categories", rows, initial=1))

    assert response.status_code == 400
    assert "Drawings were already sent in the age category “6-9”" in response.content.decode()
    category.refresh_from_db()
    assert (category.name, category.min_age) == ("6-9", 6)


def criteria_rows(*rows):
    return [{"order": i, "description": "", **row} for i, row in enumerate(rows)]


def test_the_rubric_step_saves_criteria_and_records_them(client, organizer, contest):
    rows = criteria_rows({"name": "Idea", "weight": "2", "max_points": 10}, {"name": "Colour", "weight": "1.5", "max_points": 5})

    response = client.post(reverse("organize:settings_rubric", args=[contest.slug]), formset_data("criteria", rows))

    assert response.status_code == 302
    assert response["Location"] == reverse("organize:settings_texts", args=[contest.slug])
    assert list(Criterion.objects.filter(contest=contest).values_list("name", "weight", "max_points", "round_number")) == [
        ("Idea", Decimal("2"), 10, 1), ("Colour", Decimal("1.5"), 5, 1),
    ]
    assert AuditEvent.objects.filter(contest=contest, action="rubric_changed", actor=organizer).count() == 2


@pytest.mark.parametrize(("row", "field", "words"), [
    ({"name": "Idea", "weight": "0", "max_points": 10}, "weight", "The weight must be above zero."),
    ({"name": "Idea", "weight": "1", "max_points": 0}, "max_points", "The maximum must be at least 1 point."),
])
def test_the_rubric_refuses_a_weight_or_maximum_of_zero(client, organizer, contest, row, field, words):
    response = client.post(reverse("organize:settings_rubric", args=[contest.slug]),
                           formset_data("criteria", criteria_rows(row)))

    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Criterion.objects.filter(contest=contest).exists()


def test_changing_the_rubric_after_scores_is_refused_with_a_clear_message(client, organizer, contest):
    idea = CriterionFactory(contest=contest, name="Idea", weight=Decimal(2), max_points=10, order=0)
    ScoreFactory(criterion=idea, entry=EntryFactory(contest=contest))
    url = reverse("organize:settings_rubric", args=[contest.slug])
    page = client.get(url).content.decode()
    assert "Judges have already scored this round" in page
    assert re.search(r'<input[^>]*name="criteria-0-weight"[^>]*disabled', page)
    rows = [{"id": idea.pk, "order": 0, "description": "", "name": "Idea", "weight": "2", "max_points": 10},
            {"order": 1, "description": "", "name": "Colour", "weight": "1", "max_points": 5}]

    response = client.post(url, formset_data("criteria", rows, initial=1))

    assert response.status_code == 400
    assert "This round has scores: criteria cannot be added or removed" in response.content.decode()
    assert list(Criterion.objects.filter(contest=contest).values_list("name", flat=True)) == ["Idea"]


def test_after_scores_a_criterion_can_still_be_renamed_but_not_reweighted(client, organizer, contest):
    idea = CriterionFactory(contest=contest, name="Idea", weight=Decimal(2), max_points=10, order=0)
    ScoreFactory(criterion=idea, entry=EntryFactory(contest=contest))
    rows = [{"id": idea.pk, "order": 0, "description": "", "name": "Idea and theme", "weight": "5", "max_points": 3}]

    response = client.post(reverse("organize:settings_rubric", args=[contest.slug]),
                           formset_data("criteria", rows, initial=1))

    idea.refresh_from_db()
    assert response.status_code == 302
    # The disabled fields keep their saved values whatever is posted.
    assert (idea.name, idea.weight, idea.max_points) == ("Idea and theme", Decimal(2), 10)


TEXTS = {"title": "Люди границы", "theme": "Нарисуйте границу.", "rules": "Один рисунок от ребёнка.",
         "receipt_subject": "", "receipt_body": "", "link_subject": "", "link_body": "", "rejection_subject": "",
         "rejection_body": ""}


def test_the_texts_step_previews_then_saves_one_language(client, organizer, contest):
    url = reverse("organize:settings_texts_language", args=[contest.slug, "ru"])

    preview = client.post(url, {**TEXTS, "preview": "1"})
    assert not ContestTranslation.objects.exists()
    saved = client.post(url, TEXTS)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Preview of what you typed (not saved yet)" in page
    preview_part = page.split('class="preview-page"')[1]
    assert "Люди границы" in preview_part
    # The public page's own wording, in the previewed language.
    assert "Возрастные категории" in preview_part or "Age categories" in preview_part
    assert saved.status_code == 302
    assert saved["Location"] == reverse("organize:settings_uploads", args=[contest.slug])
    row = ContestTranslation.objects.get(contest=contest, language="ru")
    assert (row.title, row.rules) == ("Люди границы", "Один рисунок от ребёнка.")


def test_the_texts_step_names_the_age_categories_in_its_language(client, organizer, contest):
    younger, middle, _older = contest.age_categories.all()
    AgeCategory.objects.filter(pk=middle.pk).update(names={"kk": "Ортаңғы топ", "ru": "Старое"})
    url = reverse("organize:settings_texts_language", args=[contest.slug, "ru"])
    typed = {**TEXTS, f"category_{younger.pk}": " Младшие ", f"category_{middle.pk}": ""}

    preview = client.post(url, {**typed, "preview": "1"})
    unsaved = [c.names for c in contest.age_categories.all()]
    saved = client.post(url, typed)

    preview_part = preview.content.decode().split('class="preview-page"')[1]
    assert "<li>Младшие:" in preview_part
    assert unsaved == [{}, {"kk": "Ортаңғы топ", "ru": "Старое"}, {}]
    assert saved.status_code == 302
    assert [c.names for c in contest.age_categories.all()] == [{"ru": "Младшие"}, {"kk": "Ортаңғы топ"}, {}]


def test_the_texts_step_in_the_default_language_has_no_category_names(client, organizer, contest):
    page = client.get(reverse("organize:settings_texts_language", args=[contest.slug, contest.default_language]))

    assert 'name="category_' not in page.content.decode()


def test_the_texts_step_refuses_an_email_without_its_links(client, organizer, contest):
    url = reverse("organize:settings_texts_language", args=[contest.slug, "kk"])

    response = client.post(url, {**TEXTS, "receipt_body": "Thank you {name}! {nonsense}"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown placeholders: nonsense." in page
    assert not ContestTranslation.objects.exists()


def test_the_texts_step_of_an_unknown_language_is_a_404(client, organizer, contest):
    assert client.get(reverse("organize:settings_texts_language", args=[contest.slug, "xx"])).status_code == 404


def test_the_upload_step_saves_limits(client, organizer, contest):
    data = {"max_entries_per_child": 2, "max_entries_per_guardian": 6, "upload_max_megabytes": 10,
            "upload_max_megapixels": "", "upload_min_side": 800, "upload_max_aspect": "4.0"}

    response = client.post(reverse("organize:settings_uploads", args=[contest.slug]), data)

    contest.refresh_from_db()
    assert response["Location"] == reverse("organize:settings_judges", args=[contest.slug])
    assert (contest.max_entries_per_child, contest.upload_max_megabytes, contest.upload_max_megapixels,
            contest.upload_min_side, contest.upload_max_aspect) == (2, 10, None, 800, Decimal("4.0"))


def test_the_upload_step_refuses_an_aspect_below_one(client, organizer, contest):
    data = {"max_entries_per_child": 1, "max_entries_per_guardian": 5, "upload_max_aspect": "0.5"}

    response = client.post(reverse("organize:settings_uploads", args=[contest.slug]), data)

    assert response.status_code == 400
    assert "upload_max_aspect" in response.context["form"].errors
    contest.refresh_from_db()
    assert contest.upload_max_aspect is None


def test_the_judges_step_lists_the_panel_and_links_the_judging_pages(client, organizer, contest):
    JudgeAssignmentFactory(contest=contest, judge=UserFactory(username="aigerim"))

    page = client.get(reverse("organize:settings_judges", args=[contest.slug])).content.decode()

    assert "aigerim" in page
    assert f'href="{reverse("judging:judges", args=[contest.slug])}"' in page
    assert f'href="{reverse("judging:panel", args=[contest.slug])}"' in page


STEPS = ["settings", "settings_basics", "settings_ages", "settings_rubric", "settings_texts", "settings_uploads",
         "settings_judges"]


@pytest.mark.parametrize("name", STEPS)
def test_each_step_issues_a_constant_number_of_queries(client, organizer, name):
    """One contest with little, one with much: the same count."""
    small = ContestFactory(categories=[("A", 6, 9)])
    CriterionFactory(contest=small)
    JudgeAssignmentFactory(contest=small)
    ContestTranslation.objects.create(contest=small, language="ru", title="T ru")
    large = ContestFactory()
    for i in range(6):
        CriterionFactory(contest=large, name=f"C{i}")
        JudgeAssignmentFactory(contest=large)
    for language in ("ru", "kk", "uz"):
        ContestTranslation.objects.create(contest=large, language=language, title=f"T {language}")
    counts = []
    for contest in (small, large):
        services.role_grant(contest=contest, user=organizer, role="organizer")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"organize:{name}", args=[contest.slug])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_new_contest_page_queries(client, creator, django_assert_num_queries):
    # The session, its user, the user's and their groups' permissions, and
    # the user's contest roles (the header's link to the organizers' home).
    with django_assert_num_queries(5):
        assert client.get(reverse("organize:contest_new")).status_code == 200


@pytest.mark.parametrize("who", ["judge", "staff_without_add_contest"])
def test_creating_is_refused_with_a_404(client, who):
    user = UserFactory() if who == "judge" else OrganizerFactory()
    client.force_login(user)

    assert client.get(reverse("organize:contest_new")).status_code == 404
    assert client.post(reverse("organize:contest_new"), basics()).status_code == 404
    assert not Contest.objects.exists()


def test_a_judge_cannot_reach_the_settings(client, contest):
    client.force_login(UserFactory())

    for name in STEPS:
        assert client.get(reverse(f"organize:{name}", args=[contest.slug])).status_code == 404
    assert client.post(reverse("organize:settings_basics", args=[contest.slug]), basics()).status_code == 404
    contest.refresh_from_db()
    assert contest.title != "People of the border 2027"


def test_the_closing_time_reads_the_same_in_the_setup_form_the_admin_and_the_public_page(admin_client, client, contest):
    setup = admin_client.get(reverse("organize:settings_basics", args=[contest.slug])).content.decode()
    admin = admin_client.get(reverse("admin:contest_contest_change", args=[contest.pk])).content.decode()
    public = client.get(reverse("contest:contest_detail", args=[contest.slug])).content.decode()
    overview = admin_client.get(reverse("organize:settings", args=[contest.slug])).content.decode()

    date, time = input_value(setup, "closes_at").split("T")
    assert f"{date} {time}" == f"{input_value(admin, 'closes_at_0')} {input_value(admin, 'closes_at_1')[:5]}"
    assert (date, time) == ("2027-03-01", "18:00")
    shown = zoned_localize(contest.closes_at, contest.timezone)
    assert shown == "March 1, 2027, 6 p.m."
    assert f"until {shown} (Tashkent time)" in public
    assert shown in overview


def test_the_organizer_nav_and_home_link_the_setup(client, creator, contest):
    services.role_grant(contest=contest, user=creator, role="organizer")
    home = client.get(reverse("organize:home")).content.decode()
    dashboard = client.get(reverse("contest:dashboard", args=[contest.slug])).content.decode()

    assert f'href="{reverse("organize:contest_new")}"' in home
    assert f'href="{reverse("organize:settings", args=[contest.slug])}"' in home
    assert f'href="{reverse("organize:settings", args=[contest.slug])}">Settings</a>' in dashboard


def test_contest_create_refuses_a_taken_slug_and_saves_nothing(contest):
    user = OrganizerFactory()
    fields = {"title": "Again", "slug": contest.slug, "theme": "T", "rules": "R", "timezone": "Asia/Tashkent",
              "opens_at": utc(2027, 1, 1), "closes_at": utc(2027, 2, 1), "age_reference_date": dt.date(2027, 6, 1)}

    with pytest.raises(ValidationError) as refused:
        services.contest_create(user=user, **fields)

    assert "slug" in refused.value.message_dict
    assert Contest.objects.count() == 1


def test_two_age_categories_may_swap_their_bands_and_names(contest):
    first, second = contest.age_categories.order_by("min_age")[:2]
    rows = [{"id": first.pk, "name": second.name, "min_age": second.min_age, "max_age": second.max_age, "delete": False},
            {"id": second.pk, "name": first.name, "min_age": first.min_age, "max_age": first.max_age, "delete": False}]

    services.age_categories_save(contest=contest, rows=rows)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, first.min_age, second.name, second.min_age) == ("10-13", 10, "6-9", 6)


def test_two_criteria_may_swap_their_names(contest):
    idea = CriterionFactory(contest=contest, name="Idea", order=0)
    colour = CriterionFactory(contest=contest, name="Colour", order=1)
    row = {"description": "", "weight": Decimal(1), "max_points": 10, "delete": False}

    judging_services.rubric_save(contest=contest, actor=None, round_number=1, rows=[
        {**row, "id": idea.pk, "name": "Colour", "order": 0}, {**row, "id": colour.pk, "name": "Idea", "order": 1},
    ])

    assert list(Criterion.objects.filter(contest=contest).values_list("pk", "name")) == [(idea.pk, "Colour"), (colour.pk, "Idea")]


def test_the_rubric_is_locked_after_publication(contest):
    idea = CriterionFactory(contest=contest, name="Idea")
    Contest.objects.filter(pk=contest.pk).update(results_published_at=utc(2027, 4, 1))
    contest.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        judging_services.rubric_save(contest=contest, actor=None, round_number=1, rows=[
            {"id": idea.pk, "name": "Idea!", "description": "", "weight": Decimal(1), "max_points": 10, "order": 0,
             "delete": False},
        ])

    assert refused.value.code == "published"
    idea.refresh_from_db()
    assert idea.name == "Idea"
