"""Error summaries (WCAG 3.3.1): every error listed at the top of the form,
each linking to a field that exists on the page."""

import re

import pytest
from django.urls import reverse

from tests.helpers import judge_entry_url
from tests.factories.judging import (
    ContestFactory,
    CriterionFactory,
    EntryFactory,
    JudgeAssignmentFactory,
    ModeratorFactory,
)

pytestmark = [pytest.mark.django_db]


def summary_links(html):
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


def test_score_sheet_error_summary_links_to_each_invalid_field(client):
    contest = ContestFactory()
    idea = CriterionFactory(contest=contest, name="Idea", max_points=10)
    colour = CriterionFactory(contest=contest, name="Colour", max_points=5)
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)
    client.force_login(judge)
    url = judge_entry_url("judging:entry_score", contest, judge, entry)

    response = client.post(url, {f"criterion_{idea.pk}": "11", f"criterion_{colour.pk}": ""})
    html = response.content.decode()

    links = summary_links(html)
    assert [(target, text.split(":")[0]) for target, text in links] == [
        (f"id_criterion_{idea.pk}", "Idea"), (f"id_criterion_{colour.pk}", "Colour"),
    ]
    assert all(f'id="{target}"' in html for target, _text in links)


def test_moderation_error_summary_links_to_its_fields(client):
    contest = ContestFactory()
    EntryFactory(contest=contest, moderation_status="pending")
    client.force_login(ModeratorFactory(username="org", contests=[contest]))

    response = client.post(reverse("contest:moderation", args=[contest.slug]) + "?filter=new", {"action": "reject"})
    html = response.content.decode()

    links = summary_links(html)
    assert [target for target, _text in links] == ["id_entries", "id_reason"]
    assert all(f'id="{target}"' in html for target, _text in links)
