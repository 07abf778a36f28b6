"""Flags for discussion: a judge flags a drawing with a note to the
organizers and can remove the flag; other judges never see it, organizers
see every flag with its note on the panel page; both are audited."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contest.models import Entry
from judging import selectors, services
from judging.models import AuditEvent, DiscussionFlag
from tests.factories.contest import PRIVATE_CHILD_DATA as PRIVATE
from tests.factories.judging import EntryFactory, JudgeAssignmentFactory, OrganizerFactory, UserFactory
from tests.helpers import judge_entry_url

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def entry(contest, criteria):
    return EntryFactory(contest=contest, title="Camels at Torugart", **PRIVATE)


def flag_url(entry, judge):
    return judge_entry_url("judging:entry_flag", entry.contest, judge, entry)


def test_flag_with_note_then_change_then_remove_is_audited(contest, judge, entry):
    flag = services.discussion_flag_set(judge=judge, entry=Entry(pk=entry.pk), note="  Traced from a book?  ")
    again = services.discussion_flag_set(judge=judge, entry=Entry(pk=entry.pk), note="Traced from a book?")
    changed = services.discussion_flag_set(judge=judge, entry=Entry(pk=entry.pk), note="Looks traced.")
    removed = services.discussion_flag_remove(judge=judge, entry=Entry(pk=entry.pk))
    removed_twice = services.discussion_flag_remove(judge=judge, entry=Entry(pk=entry.pk))

    assert (flag.contest_id, flag.entry_id, flag.judge_id, flag.note) == (contest.pk, entry.pk, judge.pk,
                                                                            "Traced from a book?")
    assert again.pk == flag.pk and changed.pk == flag.pk
    assert (removed, removed_twice) == (True, False)
    assert DiscussionFlag.objects.count() == 0
    events = list(AuditEvent.objects.filter(contest=contest).order_by("id").values_list(
        "action", "actor_id", "entry_id", "reason", "detail"))
    assert events == [
        ("discussion_flagged", judge.pk, entry.pk, "Traced from a book?", {"changed": False}),
        ("discussion_flagged", judge.pk, entry.pk, "Looks traced.", {"changed": True}),
        ("discussion_unflagged", judge.pk, entry.pk, "", {}),
    ]


def test_one_flag_per_judge_and_entry_in_the_database(contest, judge, entry):
    DiscussionFlag.objects.create(contest=contest, entry=entry, judge=judge, note="a")

    with pytest.raises(IntegrityError), transaction.atomic():
        DiscussionFlag.objects.create(contest=contest, entry=entry, judge=judge, note="b")


def test_flag_refused_outside_the_queue_after_publication_and_for_a_long_note(contest, judge, entry):
    stranger = UserFactory()
    with pytest.raises(ValidationError) as outside:
        services.discussion_flag_set(judge=stranger, entry=Entry(pk=entry.pk), note="x")
    with pytest.raises(ValidationError) as long_note:
        services.discussion_flag_set(judge=judge, entry=Entry(pk=entry.pk), note="x" * 1001)
    services.discussion_flag_set(judge=judge, entry=Entry(pk=entry.pk), note="kept")
    contest.results_published_at = timezone.now()
    contest.save()
    with pytest.raises(ValidationError) as published:
        services.discussion_flag_remove(judge=judge, entry=Entry(pk=entry.pk))

    assert outside.value.code == "not_assigned"
    assert long_note.value.code == "note_too_long"
    assert long_note.value.messages == ["Keep the note to the organizers within 1000 characters."]
    assert published.value.code == "published"
    assert list(DiscussionFlag.objects.values_list("note", flat=True)) == ["kept"]


def test_judge_flags_and_unflags_from_the_sheet(client, contest, judge, entry):
    client.force_login(judge)

    flagged = client.post(flag_url(entry, judge), {"action": "flag", "note": "Is it a copy?"}, follow=True)
    page = flagged.content.decode()
    unflagged = client.post(flag_url(entry, judge), {"action": "unflag"}, follow=True)

    assert flagged.redirect_chain[-1][0] == judge_entry_url("judging:entry_score", contest, judge, entry)
    assert "is flagged for discussion; the organizers see your note." in page
    assert "Is it a copy?</textarea>" in page
    assert 'value="unflag"' in page
    assert "The flag for discussion of" in unflagged.content.decode()
    assert DiscussionFlag.objects.count() == 0


def test_flag_note_too_long_from_the_page_saves_nothing(client, contest, judge, entry):
    client.force_login(judge)

    response = client.post(flag_url(entry, judge), {"action": "flag", "note": "x" * 1001}, follow=True)

    assert "Ensure this value has at most 1000 characters (it has 1001)." in response.content.decode()
    assert DiscussionFlag.objects.count() == 0


def test_other_judges_never_see_a_flag_and_organizers_see_every_one(client, contest, judge, entry):
    other = JudgeAssignmentFactory(contest=contest).judge
    services.discussion_flag_set(judge=judge, entry=Entry(pk=entry.pk), note="Ask the teacher qz-note")

    client.force_login(other)
    other_sheet = client.get(judge_entry_url("judging:entry_score", contest, other, entry)).content.decode()
    other_queue = client.get(reverse("judging:entry_list", args=[contest.slug]) + "?show=flagged").content.decode()
    client.force_login(OrganizerFactory(contests=[contest]))
    panel = client.get(reverse("judging:panel", args=[contest.slug])).content.decode()

    assert "qz-note" not in other_sheet and "qz-note" not in other_queue
    assert "For discussion (0)" in other_queue
    assert "Drawings flagged for discussion" in panel
    assert "Ask the teacher qz-note" in panel
    assert entry.reference in panel and judge.username in panel


def test_flagged_filter_lists_the_judges_flagged_drawings(client, contest, judge, entry):
    plain = EntryFactory(contest=contest, title="Plain one")
    services.discussion_flag_set(judge=judge, entry=Entry(pk=entry.pk))
    client.force_login(judge)

    page = client.get(reverse("judging:entry_list", args=[contest.slug]) + "?show=flagged").content.decode()

    assert "Camels at Torugart" in page and "Plain one" not in page and plain.title not in page
    assert "For discussion (1)" in page
    assert selectors.discussion_flags_for_judge(contest=contest, user=judge) == {entry.pk: ""}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_panel_page_queries_constant_in_the_number_of_flags(client, contest, entry):
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(3)]
    client.force_login(OrganizerFactory(contests=[contest]))
    url = reverse("judging:panel", args=[contest.slug])
    services.discussion_flag_set(judge=judges[0], entry=Entry(pk=entry.pk), note="one")
    one, _page = count_queries(client, url)
    for i, judge in enumerate(judges[1:]):
        for _ in range(3):
            services.discussion_flag_set(judge=judge, entry=Entry(pk=EntryFactory(contest=contest).pk), note=f"n{i}")
    many, page = count_queries(client, url)

    assert (page.count("<td>one</td>"), page.count("<td>n0</td>"), page.count("<td>n1</td>")) == (1, 3, 3)
    assert many == one
