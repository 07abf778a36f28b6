"""The client's address through django-ipware with a number of trusted
proxies (CLIENT_IP_TRUSTED_PROXIES): the address the proxies vouch for,
never one the client wrote to its left."""

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip

pytestmark = [pytest.mark.unit]

PROXY = "127.0.0.1"


def _ip(header, **meta):
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header, **meta))


def test_two_proxies_vouch_for_the_second_address_from_the_right(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.CLIENT_IP_TRUSTED_PROXIES = 2

    # spoofed by the client, the client as the far proxy saw it, the far proxy
    assert _ip("10.9.9.9, 203.0.113.7, 198.51.100.1") == "203.0.113.7"
    # fewer addresses than the proxies would write: not from them
    assert _ip("203.0.113.7") == PROXY


def test_one_proxy_vouches_for_the_last_address_only(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.CLIENT_IP_TRUSTED_PROXIES = 1

    assert _ip("198.51.100.1, 203.0.113.7") == "203.0.113.7"
    assert _ip("203.0.113.7, not-an-address") == PROXY
    assert _ip("::ffff:203.0.113.9") == "203.0.113.9"
    assert _ip("2001:DB8::1") == "2001:db8::1"


def test_the_count_is_ignored_without_a_header_setting(settings):
    settings.CLIENT_IP_HEADER = ""
    settings.CLIENT_IP_TRUSTED_PROXIES = 2

    assert _ip("203.0.113.7, 198.51.100.1") == PROXY
