"""A withdrawal or a retention purge leaves no free text about the child
anywhere: a judge's conflict of interest and another's abstention naming
the child, a moderation reason, private comments; the audit keeps that the
events happened, not their text."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contest import services as contest_services
from contest.models import AuditLog, Entry
from contest.services.audit import detail_without_text
from judging import services as judging_services
from judging.models import AuditEvent, Conflict, JudgeAssignment, SheetComment
from judging.selectors import entry_token
from tests.factories.contest import ContestFactory, EntryFactory
from tests.helpers import guardian_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

NAME = "Gulnorachild"
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def rows_naming(value: str) -> list:
    """Every row of every model (all apps) whose text or JSON fields hold `value`."""
    found = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model.objects.values("pk", *fields):
            if value.lower() in json.dumps(row, default=str, ensure_ascii=False).lower():
                found.append((model.__name__, row))
    return found


@pytest.fixture
def judged_entry():
    contest = ContestFactory()
    entry = EntryFactory(contest=contest, child_first_name=NAME, description=f"{NAME} drew her uncle.")
    User = get_user_model()
    first, second = User.objects.create_user("judge-one"), User.objects.create_user("judge-two")
    for judge in (first, second):
        JudgeAssignment.objects.create(contest=contest, judge=judge)
    # One judge abstains through the page, the other declares a conflict.
    client = Client()
    client.force_login(first)
    client.post(
        reverse("judging:entry_abstain", args=[contest.slug, entry_token(judge_id=first.pk, entry_id=entry.pk)]),
        {"reason": f"I teach {NAME} at school."},
    )
    judging_services.conflict_declare(judge=second, entry=entry, reason=f"{NAME} is my neighbour's daughter.")
    SheetComment.objects.create(judge=second, entry=entry, round_number=1, text=f"{NAME}'s colours are bold.")
    contest_services.audit_log_record(
        action=AuditLog.Action.FLAGGED, contest=contest, entry_reference=entry.reference,
        detail={"flagged": True, "note": f"Photo shows {NAME}'s face"},
    )
    assert Conflict.objects.filter(entry=entry).count() == 2
    assert rows_naming(NAME) != []
    return contest, entry


def test_withdrawal_leaves_no_text_naming_the_child(client, judged_entry, django_capture_on_commit_callbacks):
    contest, entry = judged_entry
    token = guardian_token(entry)

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("contest:guardian_withdraw", args=[token]), {"confirm": "on"})

    assert answer.status_code == 200
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert rows_naming(NAME) == []
    # The events are still there, without their words.
    declared = AuditEvent.objects.filter(contest=contest, action=AuditEvent.Action.CONFLICT_DECLARED)
    assert sorted(declared.values_list("reason", flat=True)) == ["", ""]
    assert AuditLog.objects.get(entry_reference=entry.reference, action=AuditLog.Action.FLAGGED).detail == {"flagged": True}
    assert AuditLog.objects.filter(entry_reference=entry.reference, action=AuditLog.Action.WITHDRAWN).exists()


def test_retention_purge_leaves_no_text_naming_a_winner_or_the_others(judged_entry, django_capture_on_commit_callbacks):
    contest, entry = judged_entry
    other = EntryFactory(contest=contest, child_first_name="Other", child_last_name=f"{NAME}ova")
    Entry.objects.filter(pk=entry.pk).update(award=1, publish_consent=False)
    contest.results_published_at = timezone.now() - dt.timedelta(days=contest.retention_days + 1)
    contest.save()

    with django_capture_on_commit_callbacks(execute=True):
        contest_services.entries_purge_retention()

    assert Entry.objects.filter(pk=entry.pk, personal_data_purged_at__isnull=False).exists()
    assert not Entry.objects.filter(pk=other.pk).exists()
    assert rows_naming(NAME) == []
    assert Conflict.objects.filter(entry_id=entry.pk).count() == 2  # the conflicts still count, without reasons


def test_detail_without_text_keeps_numbers_and_drops_words():
    detail = {"before": [True, False], "note": "Aisha", "n": 3, "nested": {"who": "Aisha", "k": None}, "ids": [1, "x"]}

    assert detail_without_text(detail) == {"before": [True, False], "n": 3, "nested": {"k": None}, "ids": [1]}
