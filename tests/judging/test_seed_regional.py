"""The demo's regional contest (`seed_demo`, `judging.management.demo_regional`):
five national rounds with a few drawings each, a coordinator per country,
an international judge, their accounts written with the others."""

import io
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse

from contest import rules
from contest.models import AuditLog, Contest, ContestRole, Entry, Teacher
from judging.management.demo_regional import PER_ROUND, REGIONAL_SLUG
from judging.models import Criterion, JudgeAssignment
from tests.helpers import corpus_dir

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


@pytest.fixture
def seeded(settings, tmp_path):
    settings.BASE_DIR = tmp_path  # the demo accounts' file goes there
    folder = tmp_path / "drawings"
    folder.mkdir()
    for path in sorted((corpus_dir() / "drawings").glob("drawing-0[0-9][0-9].jp*"))[:5 * PER_ROUND]:
        shutil.copy(path, folder / path.name)
    call_command("seed_demo", images=folder, per_contest=0, stdout=io.StringIO())
    return Contest.objects.get(slug=REGIONAL_SLUG), tmp_path


def test_the_demo_seeds_a_regional_contest_with_five_national_rounds(seeded):
    final, _root = seeded

    rounds = {r.country: r for r in Contest.objects.filter(parent=final)}

    assert sorted(rounds) == ["KG", "KZ", "TJ", "TM", "UZ"]
    for code, round_ in rounds.items():
        entries = Entry.objects.filter(contest=round_)
        assert entries.count() == PER_ROUND, code
        assert set(entries.values_list("country", flat=True)) == {code}
        assert Criterion.objects.filter(contest=round_).count() == Criterion.objects.filter(contest=final).count()
        assert round_.age_categories.count() == final.age_categories.count()
    assert not Entry.objects.filter(contest=final).exists()


def test_the_demo_accounts_hold_the_coordinators_and_the_international_judge(seeded):
    final, root = seeded
    rounds = {r.country: r for r in Contest.objects.filter(parent=final)}
    written = (root / "var" / "demo-accounts.txt").read_text()

    for code, round_ in rounds.items():
        username = f"coordinator-{code.lower()}"
        assert f"{username} / " in written
        coordinator = ContestRole.objects.get(contest=round_, role="organizer").user
        assert coordinator.username == username
        assert [r.country for r in rounds.values() if rules.is_contest_organizer(coordinator, r)] == [code]
    assert "organizer / " in written and "international-judge / " in written
    assert list(JudgeAssignment.objects.filter(contest=final).values_list("judge__username", flat=True)) == [
        "international-judge"]
    organizer = ContestRole.objects.get(contest=final, role="organizer").user
    assert all(rules.is_contest_organizer(organizer, r) for r in rounds.values())


def test_seeding_again_keeps_everything(seeded, settings):
    final, root = seeded
    before = (Entry.objects.count(), ContestRole.objects.count(), (root / "var" / "demo-accounts.txt").read_text())

    call_command("seed_demo", stdout=io.StringIO())

    assert (Entry.objects.count(), ContestRole.objects.count(),
            (root / "var" / "demo-accounts.txt").read_text()) == before


def test_the_demo_teacher_is_approved_and_may_send_to_the_open_contest_and_the_kazakh_round(seeded, client):
    final, root = seeded
    written = (root / "var" / "demo-accounts.txt").read_text()
    line = next(line for line in written.splitlines() if "teacher-kz / " in line)
    password = line.split(" / ")[1].strip()

    teacher = Teacher.objects.get(user__username="teacher-kz")
    assert (teacher.country, teacher.is_approved, teacher.approved_by.username) == ("KZ", True, "organizer")
    assert AuditLog.objects.filter(action=AuditLog.Action.TEACHER_APPROVED, detail__teacher=teacher.pk).count() == 1

    signed_in = client.post(reverse("login"), {"username": "teacher-kz", "password": password})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("contest:teacher_home")
    home = client.get(reverse("contest:teacher_home")).content.decode()
    kazakh_round = Contest.objects.get(parent=final, country="KZ")
    assert reverse("contest:teacher_batch", args=[kazakh_round.slug]) in home
    assert reverse("contest:teacher_batch", args=["borders-2026"]) in home
    kyrgyz_round = Contest.objects.get(parent=final, country="KG")
    assert client.get(reverse("contest:teacher_batch", args=[kyrgyz_round.slug])).status_code == 404
    assert client.get(reverse("contest:teacher_batch", args=[kazakh_round.slug])).status_code == 200

    call_command("seed_demo", stdout=io.StringIO())  # idempotent: one profile, one approval
    assert Teacher.objects.filter(user__username="teacher-kz").count() == 1
    assert AuditLog.objects.filter(action=AuditLog.Action.TEACHER_APPROVED).count() == 1
