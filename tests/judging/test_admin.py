"""Judging in the admin: criteria and judges on the contest page, read-only
scores. The admin is the superusers' (`admin_client_`); a contest's
organizers work in /organize/ and are sent to the admin's sign-in."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from decimal import Decimal

from django.utils import timezone

from judging.models import AuditEvent, Criterion, JudgeAssignment, JudgingSettings
from tests.factories.judging import (
    ContestFactory,
    CriterionFactory,
    JudgingSettingsFactory,
    OrganizerFactory,
    ScoreFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db]


def test_contest_change_page_has_criterion_and_judge_inlines(admin_client_):
    contest = ContestFactory()
    CriterionFactory(contest=contest, name="Originality")
    judge = UserFactory(username="aigerim")
    JudgeAssignment.objects.create(contest=contest, judge=judge)

    response = admin_client_.get(reverse("admin:contest_contest_change", args=[contest.pk]))

    assert response.status_code == 200
    prefixes = [formset.formset.prefix for formset in response.context["inline_admin_formsets"]]
    assert prefixes == ["age_categories", "translations", "criteria", "judge_assignments"]
    assert "Originality" in response.content.decode()


def test_a_contests_organizer_with_staff_status_and_model_permissions_is_kept_out(client):
    contest = ContestFactory()
    organizer = OrganizerFactory(contests=[contest], is_staff=True)
    organizer.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["contest", "judging"]))
    client.force_login(organizer)

    responses = [
        client.get(reverse("admin:contest_contest_change", args=[contest.pk])),
        client.get(reverse("admin:judging_criterion_changelist")),
        client.post(reverse("admin:judging_criterion_add"), {"contest": contest.pk, "name": "Extra"}),
    ]

    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r["Location"].split("?")[0] for r in responses} == {reverse("admin:login")}
    assert not Criterion.objects.filter(name="Extra").exists()
    assert client.get(reverse("judging:panel", args=[contest.slug])).status_code == 200


def test_score_admin_is_read_only(admin_client_):
    score = ScoreFactory()

    listing = admin_client_.get(reverse("admin:judging_score_changelist"))
    add = admin_client_.get(reverse("admin:judging_score_add"))
    detail = admin_client_.get(reverse("admin:judging_score_change", args=[score.pk]))

    assert listing.status_code == 200
    assert add.status_code == 403
    assert detail.status_code == 200
    assert detail.context["has_change_permission"] is False


def test_criterion_max_points_read_only_once_scored(admin_client_):
    score = ScoreFactory()

    response = admin_client_.get(reverse("admin:contest_contest_change", args=[score.entry.contest_id]))

    criteria_formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "criteria")
    assert criteria_formset.readonly_fields == ["weight", "max_points"]
    assert criteria_formset.has_add_permission is False
    assert criteria_formset.has_delete_permission is False


SETTINGS_FORM = {"normalization": "zscore", "half_points": "on", "min_judges": "5", "peer_scores": "never"}


def criterion_form(criterion, **changes):
    data = {
        "contest": criterion.contest_id, "round_number": criterion.round_number, "order": criterion.order,
        "name": criterion.name, "description": criterion.description, "weight": str(criterion.weight),
        "max_points": criterion.max_points,
    }
    return {**data, **changes}


def test_published_contest_judging_settings_are_read_only(admin_client_):
    published = ContestFactory(results_published_at=timezone.now())
    settings = JudgingSettingsFactory(contest=published, normalization="raw", min_judges=3)
    unpublished = ContestFactory()

    page = admin_client_.get(reverse("admin:judging_judgingsettings_change", args=[settings.pk]))
    post = admin_client_.post(reverse("admin:judging_judgingsettings_change", args=[settings.pk]), SETTINGS_FORM)
    delete = admin_client_.get(reverse("admin:judging_judgingsettings_delete", args=[settings.pk]))
    add_page = admin_client_.get(reverse("admin:judging_judgingsettings_add"))

    assert page.context["has_change_permission"] is False
    assert post.status_code == 403
    assert delete.status_code == 403
    assert list(add_page.context["adminform"].form.fields["contest"].queryset) == [unpublished]
    settings.refresh_from_db()
    assert (settings.normalization, settings.min_judges) == ("raw", 3)
    assert not AuditEvent.objects.exists()


def test_judging_settings_admin_change_is_audited(admin_client_):
    settings = JudgingSettingsFactory(normalization="raw", min_judges=3)

    response = admin_client_.post(reverse("admin:judging_judgingsettings_change", args=[settings.pk]), SETTINGS_FORM)

    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.normalization, settings.half_points, settings.min_judges) == ("zscore", True, 5)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor.username, event.contest_id) == ("settings_changed", "root", settings.contest_id)
    assert event.detail == {"normalization": ["raw", "zscore"], "half_points": [False, True], "min_judges": [3, 5]}


def test_judging_settings_admin_add_for_published_contest_refused(admin_client_):
    published = ContestFactory(results_published_at=timezone.now())

    response = admin_client_.post(reverse("admin:judging_judgingsettings_add"), {**SETTINGS_FORM, "contest": published.pk})

    assert response.status_code == 200
    assert "contest" in response.context["adminform"].form.errors
    assert not JudgingSettings.objects.exists()


def test_published_contest_criteria_cannot_change_be_added_or_deleted(admin_client_):
    criterion = CriterionFactory(contest=ContestFactory(results_published_at=timezone.now()), name="Colour")

    change = admin_client_.post(
        reverse("admin:judging_criterion_change", args=[criterion.pk]), criterion_form(criterion, name="Hue")
    )
    delete = admin_client_.post(reverse("admin:judging_criterion_delete", args=[criterion.pk]), {"post": "yes"})
    add = admin_client_.post(reverse("admin:judging_criterion_add"), criterion_form(criterion, name="Extra"))
    inline = admin_client_.get(reverse("admin:contest_contest_change", args=[criterion.contest_id]))

    assert change.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 200 and "contest" in add.context["adminform"].form.errors
    criteria = next(f for f in inline.context["inline_admin_formsets"] if f.formset.prefix == "criteria")
    assert criteria.has_add_permission is False and criteria.has_change_permission is False
    assert list(Criterion.objects.values_list("name", flat=True)) == ["Colour"]
    assert not AuditEvent.objects.exists()


def test_scored_round_criteria_keep_their_structure(admin_client_):
    score = ScoreFactory(criterion__name="Colour", criterion__weight=Decimal("2"), criterion__max_points=10)
    criterion = score.criterion

    add = admin_client_.post(
        reverse("admin:judging_criterion_add"), criterion_form(criterion, name="Extra", order=9)
    )
    delete = admin_client_.post(reverse("admin:judging_criterion_delete", args=[criterion.pk]), {"post": "yes"})
    reweigh = admin_client_.post(
        reverse("admin:judging_criterion_change", args=[criterion.pk]),
        criterion_form(criterion, name="Use of colour", weight="5", max_points=20),
    )

    assert add.status_code == 200
    assert "This round has scores" in add.context["adminform"].form.non_field_errors()[0]
    assert delete.status_code == 403
    assert reweigh.status_code == 302
    assert list(Criterion.objects.values_list("name", "weight", "max_points")) == [
        ("Use of colour", Decimal("2"), 10)
    ]
    event = AuditEvent.objects.get()
    assert (event.action, event.actor.username, event.round_number) == ("rubric_changed", "root", 1)
    assert event.detail == {"change": "changed", "criterion": "Use of colour", "fields": {"name": ["Colour", "Use of colour"]}}


def test_unscored_criterion_added_and_deleted_in_admin_is_audited(admin_client_):
    contest = ContestFactory()
    CriterionFactory(contest=contest, name="Colour")

    add = admin_client_.post(
        reverse("admin:judging_criterion_add"),
        {"contest": contest.pk, "round_number": 1, "order": 2, "name": "Story", "description": "",
         "weight": "1", "max_points": 5},
    )
    story = Criterion.objects.get(name="Story")
    delete = admin_client_.post(reverse("admin:judging_criterion_delete", args=[story.pk]), {"post": "yes"})

    assert (add.status_code, delete.status_code) == (302, 302)
    assert sorted(AuditEvent.objects.values_list("action", "detail__change", "detail__criterion")) == [
        ("rubric_changed", "added", "Story"), ("rubric_changed", "deleted", "Story"),
    ]
