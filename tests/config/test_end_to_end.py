"""The whole job through HTTP with CSRF checks on: an organizer sets up a
contest in the admin, parents submit real drawings, the rendition task runs,
entries are approved, two judges score, results are published and the
gallery shows the winners with working images."""

import datetime as dt
import io
import re
import urllib.request
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contest.models import Contest, Entry, Rendition
from judging import selectors as judging_selectors
from judging.models import Score
from tests.factories.contest import ContestFactory, EntryFactory
from tests.helpers import csrf_token, drawings, judge_entry_url

pytestmark = [pytest.mark.django_db(transaction=True)]

N_DRAWINGS = 20
FIRST = ["Aigerim", "Timur", "Madina", "Bekzod", "Dilnoza"]


def csrf_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def organizer_creates_contest(organizer_client, judges):
    url = reverse("admin:contest_contest_add")
    now = timezone.now()
    # Typed as wall times in the contest's zone, as the admin reads them.
    bishkek = ZoneInfo("Asia/Bishkek")
    opens, closes = (now - dt.timedelta(days=1)).astimezone(bishkek), (now + dt.timedelta(hours=2)).astimezone(bishkek)
    data = {
        "csrfmiddlewaretoken": csrf_token(organizer_client, url),
        "title": "People of the border",
        "slug": "people-of-the-border",
        "theme": "Draw the people who work at our borders.",
        "rules": "One drawing per child.",
        "timezone": "Asia/Bishkek",
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": closes.strftime("%Y-%m-%d"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "age_reference_date": "2026-06-15",
        "countries": ["KZ", "KG", "TJ", "TM", "UZ"],
        "consent_version": "2026-1",
        "consent_text": "I am the guardian and I agree.",
        "retention_days": 90,
        "max_entries_per_child": 1,
        "max_entries_per_guardian": 5,
        "max_entries_per_teacher": 40,
        "max_teacher_entries": 2000,
        "default_language": "en",
        "_save": "Save",
    }
    inlines = {
        "age_categories": [
            {"name": "6-9", "min_age": 6, "max_age": 9},
            {"name": "10-13", "min_age": 10, "max_age": 13},
            {"name": "14-17", "min_age": 14, "max_age": 17},
        ],
        "criteria": [
            {"order": 0, "name": "Idea", "weight": "2", "max_points": 10, "description": ""},
            {"order": 1, "name": "Technique", "weight": "1", "max_points": 10, "description": ""},
            {"order": 2, "name": "Originality", "weight": "1", "max_points": 5, "description": ""},
        ],
        "judge_assignments": [{"judge": judge.pk} for judge in judges],
        "translations": [
            {"language": "ru", "title": "Люди границы", "theme": "", "rules": "", "receipt_subject": "", "receipt_body": ""},
        ],
    }
    for prefix, rows in inlines.items():
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    response = organizer_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Contest.objects.get(slug="people-of-the-border")


def parent_submits(contest, path, i):
    parent, response = parent_posts(contest, path, i)
    assert response.status_code == 302, (response.status_code, response.content.decode())
    receipt = parent.get(response["Location"]).content.decode()
    return re.search(r"data-reference>([A-Z0-9-]+)<", receipt).group(1)


def parent_posts(contest, path, i):
    parent = csrf_client()
    url = reverse("contest:entry_submit", args=[contest.slug])
    page = parent.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    submission_token = found.group(1) if found else ""
    age = 6 + i % 12
    with path.open("rb") as fh:
        response = parent.post(url, {
            "csrfmiddlewaretoken": token,
            "submission_token": submission_token,
            "child_first_name": FIRST[i % len(FIRST)],
            "child_last_name": f"Privatesurname{i}",
            "child_birth_date": f"{2026 - age - 1}-12-0{1 + i % 9}",
            "country": ["KZ", "KG", "TJ", "TM", "UZ"][i % 5],
            "region": "Region",
            "school": f"Privateschool {i}",
            "title": f"Border drawing {i}",
            "description": f"Drawing number {i} of the people at the border.",
            "image": fh,
            "guardian_name": f"Guardian {i}",
            "guardian_email": f"guardian{i}@example.org",
            "guardian_relationship": "mother",
            "consent": "on",
            "publish_consent": "on" if i % 4 else "",
        })
    return parent, response


def test_portal_end_to_end():
    User = get_user_model()
    organizer = User.objects.create_user("organizer", password="x", is_staff=True, is_superuser=True)
    judges = [User.objects.create_user(f"judge{n}", password="x") for n in (1, 2)]
    org = csrf_client(organizer)
    other_contest = ContestFactory(slug="another-contest")
    other_entry = EntryFactory(contest=other_contest)

    # The organizer sets up the contest in the admin.
    contest = organizer_creates_contest(org, judges)
    assert [(c.name, c.min_age, c.max_age) for c in contest.age_categories.all()] == [
        ("6-9", 6, 9), ("10-13", 10, 13), ("14-17", 14, 17)]
    assert contest.criteria.count() == 3
    assert contest.judge_assignments.count() == 2

    # Parents submit real drawings (JPEG and PNG); the task renders each.
    files = drawings(N_DRAWINGS)
    assert {p.suffix.lower() for p in files} >= {".png", ".jpg"}
    references = [parent_submits(contest, path, i) for i, path in enumerate(files)]
    entries = Entry.objects.filter(contest=contest)
    assert sorted(entries.values_list("reference", flat=True)) == sorted(references)
    assert set(entries.values_list("processing_status", flat=True)) == {"ready"}
    # Six public renditions and the moderators' photo each, and the judges'
    # zoom of the originals larger than the display one.
    larger = sum(1 for w, h in entries.values_list("original_width", "original_height") if max(w, h) > 1200)
    assert larger >= 1
    assert Rendition.objects.filter(entry__contest=contest).count() == N_DRAWINGS * 7 + larger
    assert Rendition.objects.filter(entry__contest=contest, kind="zoom").count() == larger

    # Nothing is visible to the public before moderation and publication.
    anon = csrf_client()
    some = entries.first()
    assert anon.get(reverse("contest:rendition", args=[some.public_id, "card", "jpeg"])).status_code == 404

    # Unconfirmed entries cannot be approved; each guardian confirms through
    # the link in their e-mail (GET shows a button, POST confirms).
    assert set(entries.values_list("guardian_confirmed_at", flat=True)) == {None}
    for i in range(N_DRAWINGS):
        message = next(m for m in mail.outbox if m.to == [f"guardian{i}@example.org"])
        link = re.search(r"https?://[^/\s]+(/guardian/confirm/\S+)", message.body).group(1)
        guardian = csrf_client()
        assert guardian.get(link).status_code == 200
        assert guardian.post(link, {"csrfmiddlewaretoken": csrf_token(guardian, link)}).status_code == 302
    assert None not in set(entries.values_list("guardian_confirmed_at", flat=True))

    # The organizer approves every entry from the admin changelist.
    changelist = reverse("admin:contest_entry_changelist")
    response = org.post(changelist, {
        "csrfmiddlewaretoken": csrf_token(org, changelist),
        "action": "approve",
        "_selected_action": list(entries.values_list("pk", flat=True)),
    })
    assert response.status_code == 302
    assert set(entries.values_list("moderation_status", flat=True)) == {"approved"}

    # Two judges score every entry; they never see who the child is.
    criteria = list(contest.criteria.order_by("order"))
    judge_pages = []
    for j, judge in enumerate(judges):
        client = csrf_client(judge)
        listing = client.get(reverse("judging:entry_list", args=[contest.slug]))
        assert listing.status_code == 200
        judge_pages.append(listing.content.decode())
        for i, entry in enumerate(entries.order_by("id")):
            url = judge_entry_url("judging:entry_score", contest, judge, entry)
            page = client.get(url)
            judge_pages.append(page.content.decode())
            # The judge's own token names the entry, never its public id.
            image_url = judge_entry_url("judging:entry_image", contest, judge, entry, "display", "jpeg")
            assert image_url in page.content.decode()
            assert str(entry.public_id) not in page.content.decode()
            # Streamed by the portal, from local files or S3 alike (a signed
            # URL would name the storage key, which holds the public id).
            image = client.get(image_url)
            assert (image.status_code, image["Content-Type"]) == (200, "image/jpeg")
            data = {"csrfmiddlewaretoken": csrf_token(client, url)}
            # Points from positions only, so every database gives the same
            # ranking (primary keys differ between runs on PostgreSQL).
            for k, c in enumerate(criteria):
                data[f"criterion_{c.pk}"] = (i * 3 + j + k) % (c.max_points + 1)
            assert client.post(url, data).status_code == 302
        assert client.get(reverse("judging:entry_list", args=[other_contest.slug])).status_code == 404
        assert client.get(
            judge_entry_url("judging:entry_score", other_contest, judge, other_entry)
        ).status_code == 404
        assert client.get(reverse("judging:results", args=[contest.slug])).status_code == 404
    assert Score.objects.filter(entry__contest=contest).count() == 2 * N_DRAWINGS * 3
    for page in judge_pages:
        assert "Privatesurname" not in page
        assert "Privateschool" not in page
        assert "guardian" not in page.lower() or "@example.org" not in page
        assert other_entry.title not in page

    # A submission one second after closing is refused, and nothing is kept.
    Contest.objects.filter(pk=contest.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    _client, response = parent_posts(contest, drawings(N_DRAWINGS + 1)[-1], N_DRAWINGS)
    assert response.status_code == 403
    assert "Submissions closed on" in response.content.decode()
    assert Entry.objects.filter(contest=contest).count() == N_DRAWINGS

    # The organizer ranks, awards the top three of each category, publishes.
    # Two judges on the panel: two score sheets make an entry complete (the
    # default K of 3 would leave every place for the organizer to decide).
    panel_url = reverse("judging:panel", args=[contest.slug])
    assert org.post(panel_url, {
        "csrfmiddlewaretoken": csrf_token(org, panel_url), "settings-normalization": "raw",
        "settings-min_judges": 2, "settings-peer_scores": "never",
    }).status_code == 302
    results_url = reverse("judging:results", args=[contest.slug])
    ranking = judging_selectors.contest_ranking(contest=contest)
    consented = set(entries.filter(publish_consent=True).values_list("id", flat=True))
    # The reason counts only where a place was the organizer's to decide
    # (a tie left after the median and the top-3 votes).
    awards = {"csrfmiddlewaretoken": csrf_token(org, results_url), "reason": "Ties decided by the jury's chair."}
    winners = {}
    for block in ranking:
        assert [row.judges for row in block.rows] == [2] * len(block.rows)
        means = [row.mean for row in block.rows]
        assert means == sorted(means, reverse=True)
        for place, row in enumerate(block.rows[:3], start=1):
            awards[f"award_{block.category.pk}_{place}"] = row.entry_id
            winners[row.entry_id] = place
    assert org.post(results_url, awards).status_code == 302
    publish_url = reverse("judging:results_publish", args=[contest.slug])
    assert org.post(publish_url, {
        "csrfmiddlewaretoken": csrf_token(org, publish_url), "confirm": "on",
        "override": "on", "reason": "Winners without consent stay out of the gallery.",
    }).status_code == 302
    contest.refresh_from_db()
    assert contest.results_published_at is not None
    assert dict(entries.filter(award__isnull=False).values_list("id", "award")) == winners

    # Scores are locked after publication.
    judge_client = csrf_client(judges[0])
    first = entries.order_by("id").first()
    url = judge_entry_url("judging:entry_score", contest, judges[0], first)
    before = list(Score.objects.filter(entry=first, judge=judges[0]).order_by("criterion_id").values_list("points", flat=True))
    judge_client.post(url, {"csrfmiddlewaretoken": csrf_token(judge_client, url), **{f"criterion_{c.pk}": 0 for c in criteria}})
    after = list(Score.objects.filter(entry=first, judge=judges[0]).order_by("criterion_id").values_list("points", flat=True))
    assert after == before

    # The public gallery shows the consented winners, with working images.
    gallery = anon.get(reverse("contest:gallery", args=[contest.slug])).content.decode()
    shown = {e.id for e in entries if e.id in winners and e.id in consented}
    assert shown
    for entry in entries:
        entry_url = reverse("contest:entry_detail", args=[entry.public_id])
        assert (entry_url in gallery) == (entry.id in shown), entry
    image_urls = set(re.findall(r'(/images/[0-9a-f-]+/[a-z0-9]+\.(?:jpeg|webp))', gallery))
    # card and card2x in WebP for the cards (the lightbox builds the display
    # image's address from the card's).
    assert len(image_urls) == 2 * len(shown)
    for url in image_urls:
        response = anon.get(url)
        if settings.S3_BUCKET:
            # On S3 the portal redirects to a short-lived signed URL.
            assert response.status_code == 302, url
            with urllib.request.urlopen(response["Location"], timeout=10) as signed:
                data = signed.read()
        else:
            assert response.status_code == 200, url
            data = b"".join(response.streaming_content)
        image = Image.open(io.BytesIO(data))
        assert image.format in {"JPEG", "WEBP"}
        assert "exif" not in image.info
    for entry_id in shown:
        entry = entries.get(pk=entry_id)
        page = anon.get(reverse("contest:entry_detail", args=[entry.public_id])).content.decode()
        assert entry.title in page and entry.child_first_name in page
        assert entry.child_last_name not in page and entry.school not in page
