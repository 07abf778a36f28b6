"""National rounds to the regional final, through HTTP with CSRF checks
on: a Kyrgyz family submits into the Kyrgyz round (the final itself takes
no entry), the guardians confirm, the coordinator approves, the national
jury scores, the coordinator promotes the top of the ranking, the
international judge's queue holds only the promoted drawings and scores
them, and the regional organizer publishes the final's results."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contest.models import Contest, Entry
from judging.models import Criterion, JudgeAssignment, Score
from judging.services import national_rounds_rubric_copy
from tests.factories.contest import regional_contest
from tests.factories.judging import CriterionFactory, JudgingSettingsFactory, OrganizerFactory, UserFactory
from tests.helpers import csrf_token, drawings, judge_entry_url

pytestmark = [pytest.mark.django_db(transaction=True)]

N_DRAWINGS = 4


def csrf_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def family_submits(round_, path, i):
    """A Kyrgyz parent sends drawing `path` (child aged 7) into `round_`;
    returns the response."""
    parent = csrf_client()
    url = reverse("contest:entry_submit", args=[round_.slug])
    page = parent.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    birth = round_.age_reference_date.replace(year=round_.age_reference_date.year - 8)
    with path.open("rb") as fh:
        return parent.post(url, {
            "csrfmiddlewaretoken": token, "submission_token": found.group(1) if found else "",
            "child_first_name": f"Aibek{i}", "child_last_name": f"Privatesurname{i}",
            "child_birth_date": birth.isoformat(), "country": "KG", "region": "Naryn", "school": f"School {i}",
            "title": f"The pass at Torugart {i}", "description": "Border guards and a truck.", "image": fh,
            "guardian_name": f"Guardian {i}", "guardian_email": f"kg-guardian{i}@example.org",
            "guardian_relationship": "mother", "consent": "on", "publish_consent": "on",
        })


def test_a_kyrgyz_drawing_goes_from_its_national_round_to_the_published_regional_final():
    final, rounds = regional_contest(countries=("KG", "TJ"), title="Borders of Central Asia")
    kg = rounds["KG"]
    for order, name in enumerate(("Idea", "Technique")):
        CriterionFactory(contest=final, name=name, order=order)
    national_rounds_rubric_copy(contest=final)
    JudgingSettingsFactory(contest=kg, min_judges=1, normalization="raw")
    JudgingSettingsFactory(contest=final, min_judges=1, normalization="raw")
    coordinator = OrganizerFactory(username="kg-coordinator", contests=[kg])
    regional = OrganizerFactory(username="regional-organizer", contests=[final])
    kg_judge, international = UserFactory(username="kg-judge"), UserFactory(username="international-judge")
    JudgeAssignment.objects.create(contest=kg, judge=kg_judge)
    JudgeAssignment.objects.create(contest=final, judge=international)

    # The final takes no entry itself; the family sends into the Kyrgyz round.
    final_form = csrf_client().get(reverse("contest:entry_submit", args=[final.slug])).content.decode()
    assert 'name="child_first_name"' not in final_form
    for i, path in enumerate(drawings(N_DRAWINGS)):
        response = family_submits(kg, path, i)
        assert response.status_code == 302, response.content.decode()[:2000]
    entries = Entry.objects.filter(contest=kg)
    assert entries.count() == N_DRAWINGS
    assert set(entries.values_list("processing_status", flat=True)) == {"ready"}
    assert not Entry.objects.filter(contest=final).exists()

    # The guardians confirm; the coordinator approves in the round's moderation.
    for i in range(N_DRAWINGS):
        message = next(m for m in mail.outbox if m.to == [f"kg-guardian{i}@example.org"])
        link = re.search(r"https?://[^/\s]+(/guardian/confirm/\S+)", message.body).group(1)
        guardian = csrf_client()
        assert guardian.post(link, {"csrfmiddlewaretoken": csrf_token(guardian, link)}).status_code == 302
    org = csrf_client(coordinator)
    moderation = reverse("contest:moderation", args=[kg.slug]) + "?filter=new"
    assert org.post(moderation, {
        "csrfmiddlewaretoken": csrf_token(org, moderation), "entries": list(entries.values_list("pk", flat=True)),
        "action": "approve",
    }).status_code == 302
    assert set(entries.values_list("moderation_status", flat=True)) == {"approved"}

    # The national jury scores: distinct totals, so the ranking decides.
    judge = csrf_client(kg_judge)
    criteria = list(Criterion.objects.filter(contest=kg).order_by("order"))
    ordered = list(entries.order_by("id"))
    for i, entry in enumerate(ordered):
        url = judge_entry_url("judging:entry_score", kg, kg_judge, entry)
        data = {"csrfmiddlewaretoken": csrf_token(judge, url)}
        data.update({f"criterion_{c.pk}": 2 + 2 * i for c in criteria})
        assert judge.post(url, data).status_code == 302
    best_two = [ordered[3].pk, ordered[2].pk]

    # Promotion waits for the round's judging to be over: the page says so, a post is refused.
    category = ordered[0].age_category
    results = reverse("judging:results", args=[kg.slug])
    page = org.get(results).content.decode()
    promote = reverse("judging:results_promote", args=[kg.slug])
    assert "data-promotion-waits" in page and promote not in page
    refused = org.post(promote, {
        "csrfmiddlewaretoken": csrf_token(org, results), "category": category.pk, "quota": 2, "references": "",
    }, follow=True)
    assert "once the round&#x27;s judging is over" in refused.content.decode()
    assert not Entry.objects.filter(contest=final).exists()

    # The coordinator finishes the round: submissions closed, the judging round closed.
    Contest.objects.filter(pk=kg.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    rounds_page = reverse("judging:rounds", args=[kg.slug])
    assert org.post(rounds_page, {
        "csrfmiddlewaretoken": csrf_token(org, rounds_page), "round-action": "close",
    }).status_code == 302

    # The coordinator promotes the top two of the category.
    page = org.get(results).content.decode()
    assert "data-promotion-waits" not in page and promote in page
    assert org.post(promote, {
        "csrfmiddlewaretoken": csrf_token(org, results), "category": category.pk, "quota": 2, "references": "",
    }).status_code == 302
    promoted = Entry.objects.filter(contest=final).order_by("id")
    assert [e.promoted_from_id for e in promoted] == best_two
    assert set(promoted.values_list("processing_status", flat=True)) == {"ready"}
    assert all(e.is_judgeable for e in promoted)

    # The international judge's queue holds the promoted drawings only, blind.
    intl = csrf_client(international)
    listing = intl.get(reverse("judging:entry_list", args=[final.slug])).content.decode()
    assert intl.get(reverse("judging:entry_list", args=[kg.slug])).status_code == 404
    for entry in ordered:
        assert intl.get(judge_entry_url("judging:entry_score", kg, international, entry)).status_code == 404
    final_criteria = list(Criterion.objects.filter(contest=final).order_by("order"))
    for n, entry in enumerate(promoted):
        url = judge_entry_url("judging:entry_score", final, international, entry)
        assert url in listing
        page = intl.get(url).content.decode()
        assert "Privatesurname" not in page and "kg-guardian" not in page
        data = {"csrfmiddlewaretoken": csrf_token(intl, url)}
        data.update({f"criterion_{c.pk}": 9 - n for c in final_criteria})
        assert intl.post(url, data).status_code == 302
    tokens = set(re.findall(rf"/judging/{final.slug}/entries/([^/\"]+)/", listing))
    assert len(tokens) == len(promoted)
    assert set(Score.objects.filter(judge=international).values_list("entry__contest_id", flat=True)) == {final.pk}

    # The final's own window closes; the regional organizer awards and publishes.
    Contest.objects.filter(pk=final.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    regional_client = csrf_client(regional)
    final_results = reverse("judging:results", args=[final.slug])
    final_category = promoted[0].age_category
    awards = {"csrfmiddlewaretoken": csrf_token(regional_client, final_results), "reason": ""}
    awards.update({f"award_{final_category.pk}_{place}": e.pk for place, e in enumerate(promoted, start=1)})
    assert regional_client.post(final_results, awards).status_code == 302
    publish = reverse("judging:results_publish", args=[final.slug])
    published = regional_client.post(publish, {
        "csrfmiddlewaretoken": csrf_token(regional_client, publish), "confirm": "on",
        "override": "on", "reason": "The national rounds published on their own.",
    })
    assert published.status_code == 302, re.findall(r'class="[^"]*error[^"]*"[^>]*>(.{0,300})', published.content.decode())
    final.refresh_from_db()
    assert final.results_published_at is not None and final.results_published_at <= timezone.now()
    assert list(promoted.values_list("award", flat=True)) == [1, 2]
    gallery = Client().get(reverse("contest:gallery", args=[final.slug])).content.decode()
    for entry in promoted:
        assert reverse("contest:entry_detail", args=[entry.public_id]) in gallery
