"""Private pages are never stored by a cache: every staff, judge, guardian,
account and admin URL (the permission matrix's whole URL list, for every
role) answers `Cache-Control: private, no-store`, whatever the status;
public pages keep their own, cacheable headers."""

import pytest
from django.test import Client
from django.test.client import RequestFactory
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.middleware import PrivatePagesNoStoreMiddleware
from tests.config.test_permission_matrix import (
    ROLES, admin_urls, client_for, kwargs_for, url_for, url_names, world,  # noqa: F401 (fixture)
)
from tests.factories.contest import published_winner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

# Every portal URL is one of these: private (no cache may keep it) or
# public (a cache may keep it as its view says).
PUBLIC = {
    "contest:home", "contest:contest_detail", "contest:contest_rules", "contest:entry_submit", "contest:upload_create",
    "contest:upload_chunk", "contest:gallery", "contest:entry_detail", "contest:rendition", "set_language",
    "favicon", "web_manifest",
}


def is_private(name: str) -> bool:
    return name not in PUBLIC


def directives(response) -> set[str]:
    return {d.strip().lower() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_the_public_list_names_real_urls_only():
    names = {name for name, _pattern in url_names() if not name.startswith("admin:")}
    assert PUBLIC <= names
    # Everything else (37 URLs today) is private and checked below.
    assert len(names - PUBLIC) >= 37


@pytest.mark.parametrize("role", ROLES[:4])
def test_private_pages_send_private_no_store_for_every_role(world, role):
    contest, entry, users = world
    client = client_for(role, users)

    wrong = {}
    for name, pattern in url_names():
        if name.startswith("admin:"):
            continue
        url = url_for(name, (), pattern, kwargs_for(pattern, name, contest, entry, role, users["judge"]))
        response = client.get(url)
        found = directives(response)
        if is_private(name) and not {"private", "no-store"} <= found:
            wrong[name] = (response.status_code, response.get("Cache-Control"))

    assert wrong == {}


def test_admin_pages_send_private_no_store(world):
    contest, entry, users = world
    client = client_for("organizer", users)
    device = TOTPDevice.objects.create(user=users["organizer"], name="phone")

    answers = {name: client.get(url) for name, url in admin_urls(object_id=str(device.pk))}

    wrong = {name: r.get("Cache-Control") for name, r in answers.items() if not {"private", "no-store"} <= directives(r)}

    assert wrong == {}


def test_public_pages_stay_cacheable(world):
    contest, entry, users = world
    contest.results_published_at = timezone.now()
    contest.save()
    winner = published_winner(contest, place=2, publish_consent=True)
    client = Client()

    pages = [
        client.get(reverse("contest:home")),
        client.get(reverse("contest:contest_detail", args=[contest.slug])),
        client.get(reverse("contest:gallery", args=[contest.slug])),
        client.get(reverse("contest:entry_detail", args=[winner.public_id])),
    ]

    assert [p.status_code for p in pages] == [200, 200, 200, 200]
    for page in pages:
        assert "no-store" not in directives(page)
        assert "private" not in directives(page)


def test_a_view_that_says_public_is_overruled_under_a_private_prefix():
    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=600, must-revalidate"
        return response

    middleware = PrivatePagesNoStoreMiddleware(view)
    private = middleware(RequestFactory().get("/judging/some-contest/"))
    public = middleware(RequestFactory().get("/contests/some-contest/"))

    assert private["Cache-Control"] == "private, no-store, must-revalidate"
    assert public["Cache-Control"] == "public, max-age=600, must-revalidate"
