"""Media on S3: private objects, handed out through short-lived signed URLs
after the portal's own access check."""

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from contest.models import Contest
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory, published_winner
from tests.factories.judging import ModeratorFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_rendition_on_s3_redirects_to_signed_url_private_until_published(client):
    contest = ContestFactory()
    winner = published_winner(contest, place=1)
    other = RenditionFactory(entry=EntryFactory(contest=contest), kind="display").entry
    staff = ModeratorFactory(username="org", contests=[contest])
    winner_url = reverse("contest:rendition", args=[winner.public_id, "display", "jpeg"])
    other_url = reverse("contest:rendition", args=[other.public_id, "display", "jpeg"])
    Contest.objects.filter(pk=contest.pk).update(closes_at=timezone.now() - timezone.timedelta(seconds=1))

    anonymous_before = client.get(winner_url).status_code
    Contest.objects.filter(pk=contest.pk).update(results_published_at=timezone.now())
    anonymous_after = client.get(winner_url)
    anonymous_other = client.get(other_url).status_code
    client.force_login(staff)
    staff_other = client.get(other_url)

    assert (anonymous_before, anonymous_other) == (404, 404)
    assert anonymous_after.status_code == 302
    assert "public" in anonymous_after["Cache-Control"]
    assert staff_other.status_code == 302
    assert "no-store" in staff_other["Cache-Control"]
    signed = staff_other["Location"]
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == other.renditions.get(kind="display").file.read()
    assert fetched.headers["Cache-Control"] == "private, max-age=300"
    # The same object without the signature: the bucket is private.
    assert requests.get(signed.split("?")[0], timeout=10).status_code == 403


def test_judges_image_on_s3_is_streamed_never_a_signed_url_naming_the_public_id(client):
    from tests.factories.judging import JudgeAssignmentFactory
    from tests.helpers import judge_entry_url

    contest = ContestFactory()
    entry = RenditionFactory(entry=EntryFactory(contest=contest), kind="display").entry
    judge = JudgeAssignmentFactory(contest=contest).judge
    client.force_login(judge)

    response = client.get(judge_entry_url("judging:entry_image", contest, judge, entry, "display", "jpeg"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == entry.renditions.get(kind="display").file.read()
    assert "no-store" in response["Cache-Control"]
    assert str(entry.public_id) not in str(response.headers)
