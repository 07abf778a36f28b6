"""The demo's regional contest (`seed_demo`): a final for the five
countries with a national round each (a few drawings of the corpus per
round, the demo judge on each national jury), a coordinator per country
(the organizer role of its round), the demo organizer as the regional
organizer (the final's organizer role), an international judge on the
final's panel, and an approved teacher from Kazakhstan who can send a
class's drawings to the open contest and the Kazakh round. Idempotent like
the rest of the demo."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from contest import services as contest_services
from contest.models import Contest, ContestRole, Country, Teacher
from judging import services as judging_services
from judging.management.demo_content import regional_contest_texts

REGIONAL_SLUG = "borders-region-2026"
PER_ROUND = 3
# username -> the account's label in var/demo-accounts.txt.
REGIONAL_ACCOUNTS = {
    **{f"coordinator-{code.lower()}": f"Coordinator of the national round: {code.label}" for code in Country},
    "international-judge": "International judge",
    "teacher-kz": "Teacher (Kazakhstan; signs in to /teachers/)",
}
DEMO_TEACHER = "teacher-kz"


class RegionalDemo:
    """The regional part of the `seed_demo` command (a mixin of it: it uses
    the command's `_contest` and `_enter`)."""

    def _regional(self, files, rng, accounts):
        """Seed the regional contest unless it exists; `files` are the
        drawings to share among the rounds, `accounts` username -> user."""
        now = timezone.now()
        final, created = self._contest(
            slug=REGIONAL_SLUG, texts=regional_contest_texts(year=2026),
            opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=60),
        )
        if created:
            plans = [
                contest_services.RoundPlan(
                    country=code, opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30),
                )
                for code in final.countries
            ]
            rounds = contest_services.national_rounds_create(contest=final, plans=plans)
            judging_services.national_rounds_rubric_copy(contest=final)
            for n, round_ in enumerate(rounds):
                entries = self._enter(round_, files[n * PER_ROUND:(n + 1) * PER_ROUND], rng, render_now=False)
                judging_services.judge_assign(contest=round_, judge=accounts["judge"])
                self.stdout.write(f"National round {round_.country}: {len(entries)} entries queued for the worker.")
            judging_services.judge_assign(contest=final, judge=accounts["international-judge"])
        self._regional_roles(final, accounts)
        self._demo_teacher(accounts)

    def _demo_teacher(self, accounts):
        """The demo teacher's profile: address verified, approved by the demo organizer (audited)."""
        user = accounts[DEMO_TEACHER]
        if Teacher.objects.filter(user=user).exists():
            return
        user.email = f"{DEMO_TEACHER}@example.org"
        user.save(update_fields=["email"])
        teacher = Teacher.objects.create(
            user=user, full_name="Aigerim Sadykova", school="School No. 12, art studio", country=Country.KAZAKHSTAN,
            region="Almaty", language="ru", email_verified_at=timezone.now(),
        )
        contest_services.teacher_approve(teacher=teacher, actor=accounts["organizer"])

    def _regional_roles(self, final, accounts):
        """Each coordinator organizes its country's round, the demo organizer the final (given once)."""
        wanted = [(final, accounts["organizer"])] + [
            (round_, accounts[f"coordinator-{round_.country.lower()}"])
            for round_ in Contest.objects.filter(parent=final)
        ]
        for contest, user in wanted:
            if not ContestRole.objects.filter(contest=contest, user=user, role=ContestRole.Role.ORGANIZER).exists():
                contest_services.role_grant(contest=contest, user=user, role=ContestRole.Role.ORGANIZER)
