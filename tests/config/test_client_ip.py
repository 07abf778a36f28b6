"""The client's address behind the proxy: rate limits and sign-in
throttling count each parent separately when CLIENT_IP_HEADER names the
header the proxy overwrites, ignore that header otherwise, and never fail on
a malformed value."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from config.client_ip import client_ip, header_meta_key
from tests.factories.contest import ContestFactory

pytestmark = [pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
PROXY = "127.0.0.1"  # every request reaches gunicorn from the proxy


def _post(url, client_address, **extra):
    # Refused by the form (no image): only the limiter decides between 400 and 429.
    return Client().post(
        url, {"guardian_email": f"{client_address}@example.org"}, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=client_address,
        **extra,
    ).status_code


def test_two_parents_behind_the_proxy_get_separate_limits(settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    settings.RATELIMIT_SUBMIT_IP = "2/h"
    url = reverse("contest:entry_submit", args=[ContestFactory().slug])

    first = [_post(url, "203.0.113.7") for _ in range(3)]
    second = _post(url, "198.51.100.20")

    assert first == [400, 400, 429]
    assert second == 400


def test_without_the_setting_the_header_is_ignored(settings):
    """A client-sent header must not choose the address unless a proxy is declared."""
    settings.CLIENT_IP_HEADER = ""
    settings.RATELIMIT_SUBMIT_IP = "2/h"
    url = reverse("contest:entry_submit", args=[ContestFactory().slug])

    codes = [_post(url, f"203.0.113.{i}") for i in range(3)]

    assert codes == [400, 400, 429]


@pytest.mark.parametrize("value", ["not-an-address", "", "203.0.113.7:443", "999.1.1.1", "fe80::1%eth0", "a, b", ",,"])
def test_a_malformed_header_falls_back_to_the_connection_address(settings, value):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    settings.RATELIMIT_SUBMIT_IP = "1/h"
    url = reverse("contest:entry_submit", args=[ContestFactory().slug])

    codes = [_post(url, value), _post(url, value)]

    assert codes == [400, 429]  # no 500; counted on the proxy's address
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=value)
    assert client_ip(request) == PROXY


def test_a_comma_separated_header_counts_the_address_the_proxy_added(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    factory = RequestFactory()

    spoofed = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    no_remote = factory.get("/", REMOTE_ADDR="")

    assert client_ip(spoofed) == "203.0.113.7"
    assert client_ip(no_remote) == "0.0.0.0"
    assert header_meta_key("X-Real-IP") == "HTTP_X_REAL_IP"
    assert header_meta_key("HTTP_X_REAL_IP") == "HTTP_X_REAL_IP"


def test_sign_in_lockout_uses_the_same_client_address(settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    get_user_model().objects.create_user("judgelock", password="right-password-1")
    url = reverse("login")

    def sign_in(address, password):
        return Client().post(
            url, {"username": "judgelock", "password": password}, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=address
        ).status_code

    wrong = [sign_in("203.0.113.7", "nope") for _ in range(5)]
    locked = sign_in("203.0.113.7", "right-password-1")
    elsewhere = sign_in("198.51.100.20", "right-password-1")

    assert wrong == [200, 200, 200, 200, 429]
    assert locked == 429
    assert elsewhere == 302


def test_nginx_overwrites_the_header_the_portal_is_told_to_read():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    env_example = (ROOT / ".env.example").read_text()

    assert re.search(r"^\s*proxy_set_header X-Real-IP \$remote_addr;", nginx, re.M)
    assert re.search(r"^# CLIENT_IP_HEADER=$", env_example, re.M)
    assert "set X-Real-IP" in env_example
