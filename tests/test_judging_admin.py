"""Judging in the admin: criteria and judges on the contest page, read-only scores."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from judging.models import JudgeAssignment
from tests.factories.judging import ContestFactory, CriterionFactory, ScoreFactory, UserFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def admin_client_(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    return client


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
    assert criteria_formset.readonly_fields == ["max_points"]
