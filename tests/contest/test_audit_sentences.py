"""Audit logs in sentences: the contest's log (`contest.audit_sentences`)
and the judging trail (`judging.audit_sentences`): who did what, in the
active language, times in the contest's zone with its name, consecutive
score changes grouped with a count, filters by person, kind and days in
the contest's zone, and the raw record kept under each line."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from contest import audit_sentences
from contest.models import AuditLog
from judging.models import AuditEvent
from tests.factories.contest import ContestFactory, EntryFactory

pytestmark = [pytest.mark.django_db]
UTC = dt.timezone.utc


@pytest.fixture
def contest():
    return ContestFactory(timezone="Asia/Bishkek")


@pytest.fixture
def organizer(client, organizer_of_every_contest):
    user = organizer_of_every_contest(get_user_model().objects.create_user("dana"))
    client.force_login(user)
    return user


def log(contest, action, at, *, actor=None, label="", ref="7QK4M2ZP", **detail):
    row = AuditLog.objects.create(
        contest=contest, action=action, actor=actor, actor_label=label or (actor.username if actor else "system"),
        entry_reference=ref, detail=detail,
    )
    AuditLog.objects.filter(pk=row.pk).update(at=at)
    row.refresh_from_db()
    return row


def visible(html):
    return re.sub(r"<details>.*?</details>", "", html, flags=re.S)


# --- the contest's log ------------------------------------------------------------


def test_contest_sentences_say_who_did_what(contest, organizer):
    at = dt.datetime(2026, 3, 1, 12, tzinfo=UTC)
    rows = [
        log(contest, "rejected", at, actor=organizer, reason="off_theme"),
        log(contest, "approved", at, actor=organizer),
        log(contest, "confirmed", at, label="guardian"),
        log(contest, "flagged", at, actor=organizer, flagged=False),
        log(contest, "text_edited", at, actor=organizer, fields=["description"]),
        log(contest, "purged", at, ref="", rule="orphan_files"),
    ]

    with translation.override("en"):
        texts = [audit_sentences.sentence(r) for r in rows]

    assert texts == [
        "Organizer dana rejected entry 7QK4M2ZP (reason: off theme).",
        "Organizer dana approved entry 7QK4M2ZP.",
        "The guardian confirmed entry 7QK4M2ZP.",
        "Organizer dana removed the flag of entry 7QK4M2ZP.",
        "Organizer dana changed the description of entry 7QK4M2ZP.",
        "The portal deleted personal data by a deletion rule.",
    ]


def test_contest_sentences_are_translated(contest, organizer):
    row = log(contest, "rejected", dt.datetime(2026, 3, 1, 12, tzinfo=UTC), actor=organizer, reason="off_theme")

    with translation.override("ru"):
        text = audit_sentences.sentence(row)

    assert text == "Организатор dana отклонил(а) работу 7QK4M2ZP (причина: не по теме)."


def test_contest_log_page_times_in_the_contest_zone_with_raw_details(client, contest, organizer):
    log(contest, "rejected", dt.datetime(2026, 3, 1, 19, 5, tzinfo=UTC), actor=organizer, reason="off_theme")

    html = client.get(reverse("contest:audit_log", args=[contest.slug])).content.decode()

    # 19:05 UTC is 01:05 on 2 March in Bishkek (UTC+6).
    assert 'datetime="2026-03-02T01:05:00+06:00"' in html and "(Asia/Bishkek)" in html
    assert "Organizer dana rejected entry 7QK4M2ZP (reason: off theme)." in visible(html)
    assert "<details>" in html and "&quot;reason&quot;: &quot;off_theme&quot;" in html
    assert "&quot;reason&quot;" not in visible(html)


def test_contest_log_filters_by_person_kind_and_days_in_the_contest_zone(client, contest, organizer):
    late = log(contest, "approved", dt.datetime(2026, 3, 1, 17, 30, tzinfo=UTC), actor=organizer, ref="AAAA2222")
    after_midnight = log(contest, "rejected", dt.datetime(2026, 3, 1, 18, 30, tzinfo=UTC), actor=organizer,
                         ref="BBBB3333", reason="duplicate")
    guardian = log(contest, "confirmed", dt.datetime(2026, 3, 3, 6, tzinfo=UTC), label="guardian", ref="CCCC4444")
    url = reverse("contest:audit_log", args=[contest.slug])

    def shown(**query):
        return [item.row.pk for item in client.get(url, query).context["lines"]]

    assert shown(actor="guardian") == [guardian.pk]
    assert shown(action="rejected") == [after_midnight.pk]
    # 2 March in Bishkek starts at 18:00 UTC on 1 March.
    assert shown(since="2026-03-02", until="2026-03-02") == [after_midnight.pk]
    assert shown(until="2026-03-01") == [late.pk]
    assert shown(actor="dana", since="2026-03-02") == [after_midnight.pk]
    bad = client.get(url, {"action": "nonsense", "since": "2026-03-05", "until": "2026-03-01"})
    assert len(bad.context["lines"]) == 3
    assert "Some filters were not understood" in bad.content.decode()
    page = client.get(url, {"actor": "guardian"}).content.decode()
    assert '<option value="guardian" selected>the guardian</option>' in page


# --- the judging trail ------------------------------------------------------------


def event(contest, actor, action, at, entry=None, **detail):
    row = AuditEvent.objects.create(contest=contest, actor=actor, action=action, entry=entry, round_number=1, detail=detail)
    AuditEvent.objects.filter(pk=row.pk).update(created_at=at)
    return row


def change(before, after, criterion="1"):
    return {"points": {criterion: [before, after]}, "criteria": {criterion: "Idea"}}


@pytest.fixture
def judged(contest, organizer):
    judge = get_user_model().objects.create_user("aigul")
    other = get_user_model().objects.create_user("marat")
    entry = EntryFactory(contest=contest, reference="7QK4M2ZP")
    second = EntryFactory(contest=contest, reference="8RR5N3AA")
    t = dt.datetime(2026, 3, 1, 10, tzinfo=UTC)
    minute = dt.timedelta(minutes=1)
    event(contest, judge, "scores_saved", t, entry, **change(None, 5))
    event(contest, judge, "scores_changed", t + minute, entry, **change(5, 6))
    event(contest, judge, "scores_changed", t + 2 * minute, entry,
          points={"1": [6, 7], "2": [3, 4]}, criteria={"1": "Idea", "2": "Colour"})
    event(contest, other, "scores_changed", t + 3 * minute, entry, **change(4, 5))
    event(contest, judge, "scores_changed", t + 4 * minute, second, **change(2, 3))
    event(contest, organizer, "round_closed", t + 5 * minute)
    return {"judge": judge, "entry": entry}


def test_judging_trail_groups_consecutive_changes_by_judge_and_entry(client, contest, judged):
    response = client.get(reverse("judging:audit", args=[contest.slug]))
    texts = [line.text for line in response.context["lines"]]

    assert texts == [
        "Organizer dana: Closed round 1.",
        "Judge aigul changed 1 score of entry 8RR5N3AA in round 1.",
        "Judge marat changed 1 score of entry 7QK4M2ZP in round 1.",
        "Judge aigul changed 3 scores of entry 7QK4M2ZP in round 1.",
        "Judge aigul scored entry 7QK4M2ZP in round 1.",
    ]
    grouped = response.context["lines"][3]
    assert [row.text for row in grouped.rows] == [
        "Changed the scores of 7QK4M2ZP in round 1: Idea: 6 → 7; Colour: 3 → 4.",
        "Changed the scores of 7QK4M2ZP in round 1: Idea: 5 → 6.",
    ]
    html = response.content.decode()
    assert "(Asia/Bishkek)" in html and 'datetime="2026-03-01T16:02:00+06:00"' in html
    assert "Raw records (2)" in html


def test_judging_trail_plural_forms_in_russian(client, contest, judged):
    client.cookies["django_language"] = "ru"

    html = visible(client.get(reverse("judging:audit", args=[contest.slug])).content.decode())

    assert "Судья aigul изменил(а) 3 оценки работы 7QK4M2ZP в туре 1." in html
    assert "Судья aigul изменил(а) 1 оценку работы 8RR5N3AA в туре 1." in html


def test_judging_trail_filter_by_judge_keeps_the_grouping(client, contest, judged):
    response = client.get(reverse("judging:audit", args=[contest.slug]), {"actor": judged["judge"].pk})

    assert [line.text for line in response.context["lines"]] == [
        "Judge aigul changed 1 score of entry 8RR5N3AA in round 1.",
        "Judge aigul changed 3 scores of entry 7QK4M2ZP in round 1.",
        "Judge aigul scored entry 7QK4M2ZP in round 1.",
    ]
