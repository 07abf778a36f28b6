"""The moderators' page "The drawing" through HTTP, with the worker run
eagerly: a moderator's corners and hidden regions change what judges see
and never the stored original; a face or a written name keeps an entry
from judges, from the gallery and from approval until a moderator dealt
with it; every change is audited; the page costs a constant number of
queries."""

import datetime as dt
import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from django.utils import timezone
from PIL import Image, ImageStat

from contest import imaging, phrases, renditions
from contest.models import AuditLog, Entry, Rendition
from judging.selectors.queue import judge_queue
from tests.factories.contest import ContestFactory, EntryFactory, sheet_photo_bytes
from tests.factories.judging import JudgeAssignmentFactory, ModeratorFactory
from tests.helpers import judge_entry_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

SHEET = {"tl_x": "25", "tl_y": "25", "tr_x": "75", "tr_y": "25", "br_x": "75", "br_y": "75", "bl_x": "25", "bl_y": "75"}


@pytest.fixture
def contest():
    now = timezone.now()
    return ContestFactory(opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1))


@pytest.fixture
def moderator(client, contest):
    user = ModeratorFactory(contests=[contest])
    client.force_login(user)
    return user


def rendered(contest, run, **fields):
    """An entry whose photo is `sheet_photo_bytes`, rendered by the worker."""
    entry = EntryFactory(
        contest=contest, original__data=sheet_photo_bytes(), original__filename="upload",
        processing_status=Entry.Processing.RECEIVED, **fields,
    )
    with run(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)
    entry.refresh_from_db()
    return entry


def page_url(entry):
    return reverse("contest:entry_drawing", args=[entry.contest.slug, entry.reference])


def display(entry) -> Image.Image:
    row = Rendition.objects.get(entry=entry, kind="display", format="jpeg")
    with row.file.open("rb") as fh:
        return Image.open(io.BytesIO(fh.read())).convert("L")


def original_bytes(entry) -> bytes:
    entry.refresh_from_db()
    with entry.original.open("rb") as fh:
        return fh.read()


def faces_found(monkeypatch, boxes):
    monkeypatch.setattr("contest.imaging.rendering.find_faces", lambda image, sheet=None: list(boxes))


def test_the_worker_finds_the_sheet_on_the_dark_table_and_straightens_it(contest, django_capture_on_commit_callbacks):
    entry = rendered(contest, django_capture_on_commit_callbacks)

    rows = {(r.kind, r.format): (r.width, r.height) for r in entry.renditions.all()}
    # The sheet's corners lie at 25 % and 75 % of the 1000 x 800 photo.
    expected = [[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75]]
    assert all(abs(a - b) <= 0.01 for found, want in zip(entry.sheet_corners, expected) for a, b in zip(found, want))
    width, height = rows[("display", "jpeg")]
    assert abs(width - 500) <= 10 and abs(height - 400) <= 10
    assert rows[("photo", "jpeg")] == (1000, 800)  # the moderators see the photo as sent


def test_the_worker_makes_the_moderators_photo_and_keeps_the_photo_as_the_drawing_without_a_sheet(contest, django_capture_on_commit_callbacks):
    entry = rendered(contest, django_capture_on_commit_callbacks, sheet_mode="photo")

    rows = {(r.kind, r.format): (r.width, r.height) for r in entry.renditions.all()}
    assert rows[("photo", "jpeg")] == (1000, 800)
    assert rows[("display", "jpeg")] == (1000, 800)
    assert ("photo", "webp") not in rows
    assert (entry.sheet_corners, entry.privacy_review, entry.privacy_findings) == (None, "none", {})


def test_manual_corners_change_the_judges_drawing_and_not_the_original(client, contest, moderator, django_capture_on_commit_callbacks):
    entry = rendered(contest, django_capture_on_commit_callbacks)
    before = original_bytes(entry)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(entry), {**SHEET, "sheet": "corners"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.sheet_mode, entry.processing_status) == ("manual", "ready")
    assert entry.sheet_corners_set == [[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75]]
    assert entry.sheet_corners == entry.sheet_corners_set
    drawing = display(entry)
    assert drawing.size == (500, 400)
    # The dark table is gone: the straightened sheet's bottom right is white paper.
    assert ImageStat.Stat(drawing.crop((260, 210, 490, 390))).mean[0] > 240
    assert Rendition.objects.get(entry=entry, kind="photo").width == 1000
    assert original_bytes(entry) == before
    audit = AuditLog.objects.get(action="sheet")
    assert (audit.actor, audit.entry_reference, audit.detail) == (moderator, entry.reference, {"mode": "manual"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The drawing is being straightened along your corners; it will be ready in a minute."
    ]


def test_back_to_the_photo_as_sent_and_to_the_automatic_sheet(client, contest, moderator, django_capture_on_commit_callbacks):
    entry = rendered(contest, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(entry), {**SHEET, "sheet": "corners"})
        client.post(page_url(entry), {"sheet": "as_sent"})
    entry.refresh_from_db()
    as_sent = (entry.sheet_mode, entry.sheet_corners_set, entry.sheet_corners, display(entry).size)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(entry), {"sheet": "auto"})
    entry.refresh_from_db()

    assert as_sent == ("photo", None, None, (1000, 800))
    assert entry.sheet_mode == "auto"
    assert list(AuditLog.objects.filter(action="sheet").order_by("pk").values_list("detail__mode", flat=True)) == ["manual", "photo", "auto"]


def test_a_mask_covers_the_judges_drawing_and_not_the_original(client, contest, moderator, django_capture_on_commit_callbacks):
    # The photo as sent, so that the box names the same pixels in the photo and the drawing.
    entry = rendered(contest, django_capture_on_commit_callbacks, sheet_mode="photo")
    before = original_bytes(entry)
    box = (260, 210, 490, 390)  # inside the checkerboard (25..50 % of 1000 x 800)
    spread_before = ImageStat.Stat(display(entry).crop(box)).stddev[0]
    masks = [{"x": 0.25, "y": 0.25, "w": 0.25, "h": 0.25, "style": "fill"}]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(entry), {"masks": json.dumps(masks), "masks_save": "1"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.image_masks == masks
    assert spread_before > 100
    assert ImageStat.Stat(display(entry).crop(box)).stddev[0] < 3
    assert original_bytes(entry) == before
    # The moderators' photo shows what was sent.
    with Rendition.objects.get(entry=entry, kind="photo").file.open("rb") as fh:
        photo = Image.open(io.BytesIO(fh.read())).convert("L")
    assert ImageStat.Stat(photo.crop(box)).stddev[0] > 100
    assert AuditLog.objects.get(action="masked").detail == {"masks": 1}


@pytest.mark.parametrize("data, message", [
    ({**SHEET, "tr_x": "10", "sheet": "corners"}, phrases.SHEET_CORNERS_INVALID),  # crossed
    ({**SHEET, "br_y": "", "sheet": "corners"}, phrases.SHEET_CORNERS_INVALID),
    ({**SHEET, "br_y": "140", "sheet": "corners"}, None),  # outside the photo: the field says so
    ({"masks": "[{\"x\": 0.9, \"y\": 0.1, \"w\": 0.2}]", "masks_save": "1"}, phrases.MASKS_INVALID),
    ({"masks": "not json", "masks_save": "1"}, phrases.MASKS_INVALID),
    ({"masks": json.dumps([{"x": 0.1, "y": 0.1, "w": 0.1, "h": 0.1, "style": "paint"}]), "masks_save": "1"}, phrases.MASKS_INVALID),
    ({"masks": json.dumps([{"x": 0.01 * i, "y": 0.1, "w": 0.1, "h": 0.1} for i in range(21)]), "masks_save": "1"}, phrases.MASKS_INVALID),
])
def test_invalid_corners_or_masks_say_so_and_save_nothing(client, contest, moderator, data, message, django_capture_on_commit_callbacks):
    entry = rendered(contest, django_capture_on_commit_callbacks)

    response = client.post(page_url(entry), data)

    assert response.status_code == 400
    if message is not None:
        assert escape(str(message)) in response.content.decode()
    entry.refresh_from_db()
    assert (entry.sheet_mode, entry.sheet_corners_set, entry.image_masks, entry.processing_status) == ("auto", None, [], "ready")
    assert not AuditLog.objects.filter(action__in=["sheet", "masked"]).exists()


def test_a_change_while_the_worker_renders_asks_to_try_again(client, contest, moderator):
    entry = EntryFactory(
        contest=contest, processing_status=Entry.Processing.PROCESSING,
        render_lease_until=timezone.now() + dt.timedelta(minutes=2),
    )

    response = client.post(page_url(entry), {**SHEET, "sheet": "corners"})

    assert response.status_code == 400
    assert escape(str(phrases.RERENDER_BUSY)) in response.content.decode()
    entry.refresh_from_db()
    assert (entry.sheet_mode, entry.processing_status) == ("auto", "processing")


def test_a_face_keeps_the_entry_from_judges_the_gallery_and_approval_until_cleared(
    client, contest, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    faces_found(monkeypatch, [imaging.Box(0.05, 0.05, 0.1, 0.12)])
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = rendered(contest, django_capture_on_commit_callbacks, moderation_status="approved")
    image_url = judge_entry_url("judging:entry_image", contest, judge, entry, "display", "jpeg")
    judge_client = type(client)()
    judge_client.force_login(judge)

    flagged = (
        entry.privacy_review, entry.moderation_status, entry.privacy_findings,
        [e.id for e in judge_queue(contest=contest, user=judge).entries], judge_client.get(image_url).status_code,
        list(Entry.objects.judgeable().filter(contest=contest)),
    )
    queue = client.get(reverse("contest:moderation", args=[contest.slug]))
    approve = client.post(reverse("contest:moderation", args=[contest.slug]), {"entries": [entry.pk], "action": "approve"}, follow=True)
    entry.refresh_from_db()
    refused = entry.moderation_status
    cleared = client.post(page_url(entry), {"privacy": "clear"})
    client.post(reverse("contest:moderation", args=[contest.slug]), {"entries": [entry.pk], "action": "approve"})
    entry.refresh_from_db()

    assert flagged == ("flagged", "pending", {"faces": [{"x": 0.05, "y": 0.05, "w": 0.1, "h": 0.12}], "names": []}, [], 404, [])
    assert "face found" in queue.content.decode()
    assert reverse("contest:entry_drawing", args=[contest.slug, entry.reference]) in queue.content.decode()
    assert refused == "pending"
    assert "1 entry was not approved: a face or the child&#x27;s written name was found in its photo." in approve.content.decode()
    assert cleared.status_code == 302
    assert (entry.privacy_review, entry.moderation_status) == ("cleared", "approved")
    assert [e.id for e in judge_queue(contest=contest, user=judge).entries] == [entry.pk]
    assert judge_client.get(image_url).status_code == 200
    rows = list(AuditLog.objects.filter(action__in=["privacy_flag", "privacy_ok", "approved"]).order_by("pk").values_list("action", "actor_label", "detail"))
    assert rows == [
        ("privacy_flag", "system", {"faces": 1, "names": 0, "unapproved": True}),
        ("privacy_ok", moderator.get_username(), {}),
        ("approved", moderator.get_username(), {}),
    ]


def test_a_flagged_winner_leaves_the_public_gallery_until_masked(
    client, contest, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    contest.results_published_at = timezone.now()
    contest.save()
    faces_found(monkeypatch, [imaging.Box(0.3, 0.3, 0.1, 0.1)])
    entry = rendered(contest, django_capture_on_commit_callbacks, award=1)
    anonymous = type(client)()
    gallery = reverse("contest:gallery", args=[contest.slug])
    hidden = entry.title in anonymous.get(gallery).content.decode()
    masks = [{"x": 0.3, "y": 0.3, "w": 0.1, "h": 0.1, "style": "blur"}]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(entry), {"masks": json.dumps(masks), "masks_save": "1"})
        client.post(reverse("contest:moderation", args=[contest.slug]), {"entries": [entry.pk], "action": "approve"})
    entry.refresh_from_db()

    assert hidden is False
    assert (entry.privacy_review, entry.moderation_status, entry.processing_status) == ("cleared", "approved", "ready")
    assert entry.title in anonymous.get(gallery).content.decode()


def test_a_cleared_photo_is_not_checked_again_when_rendered_again(
    client, contest, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    faces_found(monkeypatch, [imaging.Box(0.3, 0.3, 0.1, 0.1)])
    entry = rendered(contest, django_capture_on_commit_callbacks)
    client.post(page_url(entry), {"privacy": "clear"})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(entry), {"sheet": "as_sent"})
    entry.refresh_from_db()

    assert (entry.privacy_review, entry.processing_status) == ("cleared", "ready")
    assert AuditLog.objects.filter(action="privacy_flag").count() == 1


def test_a_written_name_is_suggested_and_one_click_hides_it(
    client, contest, moderator, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.DRAWING_NAME_OCR = True
    asked = []
    monkeypatch.setattr(
        "contest.imaging.rendering.find_words", lambda image, names: asked.append(tuple(names)) or [imaging.Box(0.6, 0.6, 0.2, 0.1)]
    )
    entry = rendered(contest, django_capture_on_commit_callbacks, child_first_name="Aigerim", child_last_name="Nurlanova")
    page = client.get(page_url(entry)).content.decode()
    suggestion = json.dumps([{"x": 0.6, "y": 0.6, "w": 0.2, "h": 0.1, "style": "blur"}], separators=(",", ":"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(entry), {"masks": suggestion, "masks_save": "1"})
    entry.refresh_from_db()

    assert asked == [("Aigerim", "Nurlanova")]
    assert entry.privacy_findings == {"faces": [], "names": [{"x": 0.6, "y": 0.6, "w": 0.2, "h": 0.1}]}
    assert "Aigerim" not in json.dumps(entry.privacy_findings)
    assert "name found" not in page  # the badge is the queue's; the page says it in words
    assert "The child's name seems to be written on the drawing." in page
    assert suggestion.replace('"', "&quot;") in page
    assert (entry.privacy_review, entry.image_masks) == ("cleared", json.loads(suggestion))


def test_asking_the_guardian_for_a_photo_of_the_drawing_alone(
    client, contest, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    faces_found(monkeypatch, [imaging.Box(0.3, 0.3, 0.1, 0.1)])
    entry = rendered(contest, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(entry), {"privacy": "ask"})
    entry.refresh_from_db()

    assert response.status_code == 302
    assert entry.photo_requested_at is not None
    assert entry.privacy_review == "flagged"
    assert [m.to for m in mail.outbox] == [[entry.guardian_email]]
    assert AuditLog.objects.filter(action="photo_asked", entry_reference=entry.reference).count() == 1


def test_the_photo_rendition_is_for_the_contests_moderators_only(client, contest, django_capture_on_commit_callbacks):
    entry = rendered(contest, django_capture_on_commit_callbacks, award=1)
    contest.results_published_at = timezone.now()
    contest.save()
    judge = JudgeAssignmentFactory(contest=contest).judge
    url = reverse("contest:rendition", args=[entry.public_id, "photo", "jpeg"])
    statuses = {"anonymous": client.get(url).status_code}
    for role, user in (("judge", judge), ("moderator", ModeratorFactory(contests=[contest])),
                       ("other", ModeratorFactory(contests=[ContestFactory()]))):
        client.force_login(user)
        statuses[role] = client.get(url).status_code
    client.force_login(judge)
    statuses["judge_token"] = client.get(judge_entry_url("judging:entry_image", contest, judge, entry, "photo", "jpeg")).status_code
    statuses["judge_display"] = client.get(judge_entry_url("judging:entry_image", contest, judge, entry, "display", "jpeg")).status_code

    assert statuses == {"anonymous": 404, "judge": 404, "moderator": 200, "other": 404, "judge_token": 404, "judge_display": 404}


@pytest.mark.parametrize("masks", [0, 3])
def test_the_page_costs_the_same_queries_whatever_it_shows(
    client, contest, moderator, masks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    entry = rendered(contest, django_capture_on_commit_callbacks)
    Entry.objects.filter(pk=entry.pk).update(
        image_masks=[{"x": 0.1 * i, "y": 0.1, "w": 0.05, "h": 0.05, "style": "blur"} for i in range(masks)],
        privacy_review="flagged" if masks else "none", moderation_status="pending",
        privacy_findings={"faces": [{"x": 0.1, "y": 0.1, "w": 0.1, "h": 0.1}] * masks, "names": []},
    )

    with django_assert_num_queries(7):
        response = client.get(page_url(entry))

    assert response.status_code == 200
    assert response.content.decode().count("drawing-box-mask") == masks
