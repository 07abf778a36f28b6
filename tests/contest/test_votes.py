"""The people's choice: votes count only once confirmed by their e-mailed
link, once per mailbox and age category; disposable addresses and hurried
or filled-in honeypot forms are refused; counts stay hidden until the
window closes; organizers see bursts from one network and void them."""

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contest import selectors, services
from contest.models import AuditLog, ContestTranslation, Entry, Vote
from contest.vote_forms import VoteForm, form_stamp
from tests.factories.contest import EntryFactory, RenditionFactory, VoteFactory, ballot_contest
from tests.factories.judging import OrganizerFactory

pytestmark = [pytest.mark.django_db]


def _first_entry(contest):
    return Entry.objects.filter(contest=contest, shortlisted=True).order_by("age_category__min_age", "id").first()


def _post_vote(client, contest, entry, email, *, rendered_ago=30, website="", ip="198.51.100.7"):
    prefix = f"c{entry.age_category_id}"
    data = {
        "category": entry.age_category_id, f"{prefix}-entry": entry.pk, f"{prefix}-email": email,
        f"{prefix}-website": website, f"{prefix}-stamp": form_stamp(at=time.time() - rendered_ago),
    }
    return client.post(reverse("contest:vote", args=[contest.slug]), data, REMOTE_ADDR=ip)


def _close(contest):
    contest.vote_closes_at = timezone.now() - dt.timedelta(minutes=1)
    contest.vote_opens_at = contest.vote_closes_at - dt.timedelta(days=1)
    contest.save(update_fields=["vote_opens_at", "vote_closes_at"])


def _counts(contest):
    return {entry.pk: n for _category, rows in selectors.peoples_choice_results(contest=contest) for entry, n in rows}


def _confirm_link(message) -> str:
    return re.search(r"https?://\S+/votes/confirm/\S+/", message.body).group(0)


def test_vote_unconfirmed_does_not_count(client, django_capture_on_commit_callbacks):
    contest = ballot_contest()
    entry = _first_entry(contest)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_vote(client, contest, entry, "Voter@Example.org")
    _close(contest)

    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["Voter@Example.org"]]
    assert Vote.objects.get().confirmed_at is None
    assert _counts(contest)[entry.pk] == 0


def test_vote_confirmed_by_its_link_counts_once(client, django_capture_on_commit_callbacks):
    contest = ballot_contest()
    entry = _first_entry(contest)
    with django_capture_on_commit_callbacks(execute=True):
        _post_vote(client, contest, entry, "voter@example.org")
    path = _confirm_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]

    shown = client.get("/" + path)
    client.post("/" + path)
    client.post("/" + path)
    _close(contest)

    assert shown.status_code == 200
    assert Vote.objects.counted().count() == 1
    assert _counts(contest)[entry.pk] == 1


def test_vote_confirmation_mail_in_the_voters_language(client, django_capture_on_commit_callbacks):
    contest = ballot_contest()
    ContestTranslation.objects.create(contest=contest, language="ru", title="Люди границы")
    entry = _first_entry(contest)

    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(contest=contest, entry=entry, email="v@example.org", language="ru", ip="198.51.100.7")

    assert Vote.objects.get().language == "ru"
    assert "Люди границы" in mail.outbox[0].body


@pytest.mark.parametrize("second", ["VOTER@example.org", "vo.ter+again@gmail.com", "Voter@GoogleMail.com"])
def test_vote_second_from_the_same_mailbox_refused(client, second):
    contest = ballot_contest()
    entry = _first_entry(contest)
    first_address = "voter@example.org" if "example" in second else "voter@gmail.com"
    first = services.vote_cast(contest=contest, entry=entry, email=first_address, language="en", ip="198.51.100.7")
    services.vote_confirm(vote=first)
    other = Entry.objects.filter(age_category=entry.age_category, shortlisted=True).exclude(pk=entry.pk).get()

    response = _post_vote(client, contest, other, second)

    assert response.status_code == 400
    assert "has already voted in this age category" in response.content.decode()
    assert list(Vote.objects.values_list("entry_id", flat=True)) == [entry.pk]


def test_email_key_reads_gmail_dots_tags_and_case():
    assert services.email_key(" J.Doe+Contest@GoogleMail.com ") == "jdoe@gmail.com"
    assert services.email_key("J.Doe+x@Example.org") == "j.doe@example.org"


def test_vote_confirmed_twice_in_one_category_refused_by_the_database():
    contest = ballot_contest()
    entry = _first_entry(contest)
    VoteFactory(entry=entry, email_key="same@example.org", confirmed_at=timezone.now())
    pending = VoteFactory(entry=entry, email_key="same@example.org")

    with pytest.raises(ValidationError) as refused:
        services.vote_confirm(vote=pending)

    assert refused.value.code == "already_voted"
    assert Vote.objects.counted().count() == 1


def test_vote_pending_is_replaced_by_a_new_one():
    contest = ballot_contest()
    entry = _first_entry(contest)
    other = Entry.objects.filter(age_category=entry.age_category, shortlisted=True).exclude(pk=entry.pk).get()
    services.vote_cast(contest=contest, entry=entry, email="a@example.org", language="en", ip="198.51.100.7")

    services.vote_cast(contest=contest, entry=other, email="A@example.org", language="en", ip="198.51.100.7")

    assert list(Vote.objects.values_list("entry_id", "confirmed_at")) == [(other.pk, None)]


def test_vote_disposable_domain_refused(client):
    contest = ballot_contest()
    entry = _first_entry(contest)

    response = _post_vote(client, contest, entry, "someone@mailinator.com")
    sub = _post_vote(client, contest, entry, "someone@eu.mailinator.com")

    assert response.status_code == 400
    assert "temporary mailboxes cannot vote" in response.content.decode()
    assert sub.status_code == 400
    assert Vote.objects.count() == 0


def test_vote_form_refuses_a_too_fast_or_filled_honeypot():
    contest = ballot_contest()
    entry = _first_entry(contest)
    now = 1_000_000.0

    def form(rendered_at, website=""):
        data = {"entry": entry.pk, "email": "v@example.org", "website": website, "stamp": form_stamp(at=rendered_at)}
        return VoteForm(data, entries=[entry], now=now)

    assert form(now - 30).is_valid() is True
    assert form(now - 1).is_valid() is False
    assert form(now - 30, website="http://spam.example").is_valid() is False
    assert VoteForm({"entry": entry.pk, "email": "v@example.org", "stamp": "forged"}, entries=[entry], now=now).is_valid() is False


def test_vote_too_fast_over_http_stores_nothing(client):
    contest = ballot_contest()
    entry = _first_entry(contest)

    response = _post_vote(client, contest, entry, "v@example.org", rendered_ago=0)

    assert response.status_code == 400
    assert Vote.objects.count() == 0


def test_vote_counts_hidden_until_the_window_closes(client):
    contest = ballot_contest()
    entry = _first_entry(contest)
    VoteFactory(entry=entry, confirmed_at=timezone.now())

    during = client.get(reverse("contest:vote", args=[contest.slug])).content.decode()
    hidden = selectors.peoples_choice_results(contest=contest)
    _close(contest)
    after = client.get(reverse("contest:vote", args=[contest.slug])).content.decode()

    assert hidden == []
    assert "1 vote" not in during
    assert entry.title in during
    assert f'data-result="{entry.public_id}">{entry.title}: 1 vote<' in after


def test_ballot_shows_title_never_the_childs_name_or_school(client):
    contest = ballot_contest(per_category=1)
    entry = _first_entry(contest)

    page = client.get(reverse("contest:vote", args=[contest.slug])).content.decode()

    assert entry.title in page
    assert entry.child_last_name not in page
    assert entry.school not in page


def test_ballot_images_public_during_the_vote_only_for_shortlisted(client, local_files):
    contest = ballot_contest(per_category=1)
    entry = _first_entry(contest)
    outsider = EntryFactory(contest=contest, age_category=entry.age_category)
    RenditionFactory(entry=outsider, kind="card")

    shown = client.get(reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"]))
    hidden = client.get(reverse("contest:rendition", args=[outsider.public_id, "card", "jpeg"]))

    assert shown.status_code == 200
    assert hidden.status_code == 404


def test_votes_void_removes_the_vote_from_the_count_and_audits():
    contest = ballot_contest()
    entry = _first_entry(contest)
    kept = VoteFactory(entry=entry, confirmed_at=timezone.now())
    voided = VoteFactory(entry=entry, confirmed_at=timezone.now())
    organizer = OrganizerFactory(contests=[contest])

    n = services.votes_void(contest=contest, vote_ids=[voided.pk], actor=organizer)
    _close(contest)

    assert n == 1
    assert _counts(contest)[entry.pk] == 1
    assert list(Vote.objects.counted().values_list("pk", flat=True)) == [kept.pk]
    row = AuditLog.objects.get(action=AuditLog.Action.VOTES_VOIDED)
    assert (row.actor, row.contest, row.detail["votes"]) == (organizer, contest, 1)


def test_burst_report_lists_a_burst_from_one_network(client, settings):
    settings.VOTE_BURST_NETWORK_VOTES = 3
    contest = ballot_contest()
    entry = _first_entry(contest)
    burst = [VoteFactory(entry=entry, network="203.0.113.0/24") for _n in range(3)]
    VoteFactory(entry=entry, network="192.0.2.0/24")
    organizer = OrganizerFactory(contests=[contest])
    client.force_login(organizer)

    found = selectors.vote_bursts(contest=contest, window_minutes=10, network_votes=3, entry_votes=50)
    page = client.get(reverse("contest:votes_report", args=[contest.slug]))

    assert [(b.kind, b.key, b.vote_ids) for b in found] == [("network", "203.0.113.0/24", tuple(v.pk for v in burst))]
    assert 'data-burst="network:203.0.113.0/24"' in page.content.decode()
    assert f'href="{reverse("contest:votes_report", args=[contest.slug])}" aria-current="page"' in page.content.decode()


def test_burst_report_void_button_voids_its_votes(client, settings):
    settings.VOTE_BURST_NETWORK_VOTES = 2
    contest = ballot_contest()
    entry = _first_entry(contest)
    votes = [VoteFactory(entry=entry, confirmed_at=timezone.now(), email_key=f"v{n}@example.org") for n in range(2)]
    client.force_login(OrganizerFactory(contests=[contest]))

    response = client.post(
        reverse("contest:votes_report", args=[contest.slug]), {"votes": ",".join(str(v.pk) for v in votes)}
    )

    assert response.status_code == 302
    assert Vote.objects.counted().count() == 0


def test_burst_report_is_404_for_others(client):
    contest = ballot_contest()
    other = ballot_contest()
    client.force_login(OrganizerFactory(contests=[other]))

    response = client.get(reverse("contest:votes_report", args=[contest.slug]))

    assert response.status_code == 404


def test_burst_report_is_404_without_a_peoples_choice(client):
    contest = ballot_contest()
    contest.peoples_choice = False
    contest.save(update_fields=["peoples_choice"])
    client.force_login(OrganizerFactory(contests=[contest]))

    response = client.get(reverse("contest:votes_report", args=[contest.slug]))

    assert response.status_code == 404


def test_network_of_ipv4_and_ipv6():
    assert services.network_of("203.0.113.77") == "203.0.113.0/24"
    assert services.network_of("2001:db8:1:2:3::9") == "2001:db8:1:2::/64"
    assert services.network_of("unknown") == ""


def test_vote_rate_limited_per_browser(client, settings):
    settings.RATELIMIT_VOTE_BROWSER = "2/h"
    contest = ballot_contest()
    entry = _first_entry(contest)
    client.get(reverse("contest:vote", args=[contest.slug]))

    codes = [_post_vote(client, contest, entry, f"v{n}@example.org").status_code for n in range(3)]

    assert codes == [200, 200, 429]


def test_gallery_shows_the_peoples_choice_apart_once_the_vote_closed(client):
    contest = ballot_contest(per_category=1)
    contest.results_published_at = timezone.now()
    contest.save(update_fields=["results_published_at"])
    entry = _first_entry(contest)
    VoteFactory(entry=entry, confirmed_at=timezone.now())
    url = reverse("contest:gallery", args=[contest.slug])

    during = client.get(url).content.decode()
    _close(contest)
    # The cached gallery expires when the vote closes (`public.gallery`);
    # clearing the cache stands for that moment passing.
    services.public_cache_clear(contest_id=contest.pk)
    after = client.get(url).content.decode()

    assert 'id="peoples-choice-heading"' not in during
    assert f'data-peoples-choice="{entry.age_category_id}">{entry.age_category.name}: {entry.title} (1 vote)' in after


def test_vote_rate_limited_per_network_across_browsers(settings):
    settings.RATELIMIT_VOTE_IP = "2/h"
    contest = ballot_contest()
    entry = _first_entry(contest)

    codes = []
    for n in range(3):
        browser = Client()
        browser.get(reverse("contest:vote", args=[contest.slug]), REMOTE_ADDR="198.51.100.7")
        codes.append(_post_vote(browser, contest, entry, f"v{n}@example.org").status_code)

    assert codes == [200, 200, 429]
