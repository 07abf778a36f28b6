"""Teachers in the Django admin: the list, and the approve action through
`services.teacher_approve` (audited; unverified ones refused)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.models import AuditLog, Teacher
from tests.factories.contest import TeacherFactory

pytestmark = pytest.mark.django_db


def test_the_approve_action_approves_verified_teachers_audited_and_refuses_the_others(admin_client):
    verified = TeacherFactory(approved_at=None, full_name="Olga Petrova")
    unverified = TeacherFactory(approved_at=None, email_verified_at=None)

    response = admin_client.post(
        reverse("admin:contest_teacher_changelist"),
        {"action": "approve", "_selected_action": [verified.pk, unverified.pk]}, follow=True,
    )

    verified.refresh_from_db()
    unverified.refresh_from_db()
    assert verified.is_approved and verified.approved_by.is_superuser
    assert unverified.approved_at is None
    assert list(AuditLog.objects.filter(action=AuditLog.Action.TEACHER_APPROVED).values_list(
        "detail__teacher", flat=True)) == [verified.pk]
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["1 teacher approved.", "1 teacher has not verified the address yet."]


def test_the_teachers_list_takes_the_same_queries_for_two_teachers_or_twelve(admin_client):
    url = reverse("admin:contest_teacher_changelist")
    TeacherFactory.create_batch(2)
    with CaptureQueriesContext(connection) as two:
        page = admin_client.get(url)
    TeacherFactory.create_batch(10)
    with CaptureQueriesContext(connection) as twelve:
        assert admin_client.get(url).status_code == 200
    assert page.status_code == 200 and Teacher.objects.count() == 12
    assert len(twelve) == len(two)


def test_teachers_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:contest_teacher_add")).status_code == 403
