"""A judge sees drawings only while their own round is open: after the round
is closed or the results are published, the judges' image URLs (and the
entry image rule) refuse with 404, and the judging pages show no image."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judging.models import JudgeAssignment, Round
from judging.selectors import entry_token
from judging.services import results_publish
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


@pytest.fixture
def judged():
    contest = ContestFactory()
    entry = EntryFactory(contest=contest, award=None)
    RenditionFactory(entry=entry, kind="card", format="jpeg")
    RenditionFactory(entry=entry, kind="display", format="jpeg")
    judge = get_user_model().objects.create_user("round-judge")
    rnd = Round.objects.create(contest=contest, number=1)
    JudgeAssignment.objects.create(contest=contest, judge=judge)
    client = Client()
    client.force_login(judge)
    token = entry_token(judge_id=judge.pk, entry_id=entry.pk)
    url = reverse("judging:entry_image", args=[contest.slug, token, "card", "jpeg"])
    return contest, entry, judge, rnd, client, url, token


def test_images_load_while_the_round_is_open(judged):
    contest, entry, judge, rnd, client, url, token = judged

    answer = client.get(url)
    page = client.get(reverse("judging:entry_list", args=[contest.slug]))

    assert answer.status_code == 200
    assert url in page.content.decode()


def test_a_closed_round_closes_its_images(judged):
    contest, entry, judge, rnd, client, url, token = judged
    Round.objects.filter(pk=rnd.pk).update(is_open=False, closed_at=timezone.now())

    answer = client.get(url)
    queue = client.get(reverse("judging:entry_list", args=[contest.slug]))
    sheet = client.get(reverse("judging:entry_score", args=[contest.slug, token]))

    assert answer.status_code == 404
    assert queue.status_code == sheet.status_code == 200
    assert "/judging/" + contest.slug + "/images/" not in queue.content.decode()
    assert "/judging/" + contest.slug + "/images/" not in sheet.content.decode()
    assert "This judging round is closed: its drawings are no longer shown." in sheet.content.decode()


def test_after_publication_a_judge_fetches_no_drawing(judged):
    contest, entry, judge, rnd, client, url, token = judged
    organizer = get_user_model().objects.create_user("round-organizer", is_staff=True)
    contest.closes_at = timezone.now() - dt.timedelta(days=1)
    contest.save()
    results_publish(contest=contest, actor=organizer, override=True, reason="Publishing for the image access test.")

    answer = client.get(url)
    public_url = client.get(reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"]))

    assert answer.status_code == 404
    # Not a winner: the public image view refuses the judge too.
    assert public_url.status_code == 404


def test_without_a_recorded_round_publication_still_closes_the_images(judged):
    contest, entry, judge, rnd, client, url, token = judged
    Round.objects.filter(pk=rnd.pk).delete()  # no round recorded: round 1 counts as open
    assert client.get(url).status_code == 200
    contest.results_published_at = timezone.now()
    contest.save()

    assert client.get(url).status_code == 404
