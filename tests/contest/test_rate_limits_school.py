"""A school (or a mobile carrier) behind one address: submissions are
limited per guardian's e-mail and per browser, with only a high ceiling per
address; the page that refuses says which limit, in the family's language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories.contest import ContestFactory

pytestmark = [pytest.mark.django_db]

SCHOOL = "203.0.113.50"
GUARDIAN_TEXT = "Many drawings were sent with this e-mail address in the last hour. Please wait an hour and try again."
BROWSER_TEXT = "Many drawings were sent from this browser in the last hour. Please wait an hour and try again."
NETWORK_TEXT = (
    "Very many drawings were sent from your network (a school or a mobile operator, for example) in the last hour. "
    "Please wait an hour and try again, or use another connection."
)


@pytest.fixture
def url():
    return reverse("contest:entry_submit", args=[ContestFactory().slug])


def _browser(url, address=SCHOOL):
    """A family's own browser: it opened the form first (and so holds its cookies)."""
    client = Client(REMOTE_ADDR=address)
    assert client.get(url).status_code == 200
    return client


def _post(client, url, email, **extra):
    # No image: the form refuses (400) unless a limit refuses first (429).
    return client.post(url, {"guardian_email": email}, **extra)


def test_forty_families_of_one_school_all_get_through_with_the_defaults(url, settings):
    assert settings.RATELIMIT_SUBMIT_IP == "300/h"

    codes = [_post(_browser(url), url, f"family{i}@example.org").status_code for i in range(40)]

    assert codes == [400] * 40


def test_one_browser_is_limited_whatever_the_address_typed(url, settings):
    settings.RATELIMIT_SUBMIT_SESSION = "3/h"
    browser = _browser(url)
    neighbour = _browser(url)

    codes = [_post(browser, url, f"someone{i}@example.org").status_code for i in range(4)]
    refused = _post(browser, url, "someone-else@example.org")
    other = _post(neighbour, url, "neighbour@example.org")

    assert codes == [400, 400, 400, 429]
    assert refused.status_code == 429
    assert BROWSER_TEXT in refused.content.decode()
    assert other.status_code == 400


def test_one_guardian_address_is_limited_across_browsers_and_addresses(url, settings):
    settings.RATELIMIT_SUBMIT_GUARDIAN = "2/h"

    codes = [
        _post(_browser(url, address=f"198.51.100.{i}"), url, "Mother@Example.org ").status_code for i in range(3)
    ]
    refused = _post(_browser(url, address="198.51.100.9"), url, "mother@example.org")

    assert codes == [400, 400, 429]
    assert GUARDIAN_TEXT in refused.content.decode()


def test_the_per_address_ceiling_still_holds(url, settings):
    settings.RATELIMIT_SUBMIT_IP = "5/h"

    codes = [_post(_browser(url), url, f"family{i}@example.org").status_code for i in range(6)]
    refused = _post(_browser(url), url, "late@example.org")
    elsewhere = _post(_browser(url, address="192.0.2.1"), url, "home@example.org")

    assert codes == [400] * 5 + [429]
    assert NETWORK_TEXT in refused.content.decode()
    assert elsewhere.status_code == 400


def test_the_refusal_speaks_the_familys_language(url, settings):
    settings.RATELIMIT_SUBMIT_SESSION = "1/h"
    browser = _browser(url)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    _post(browser, url, "a@example.org")
    refused = _post(browser, url, "b@example.org")

    with translation.override("ru"):
        expected = translation.gettext(BROWSER_TEXT)
    page = refused.content.decode()
    assert refused.status_code == 429
    assert '<html lang="ru">' in page
    assert expected in page


def test_starting_uploads_is_limited_per_browser_not_per_school(url, settings):
    settings.RATELIMIT_SUBMIT_SESSION = "2/h"
    upload = url.replace("/submit/", "/uploads/")
    data = {"size": "1000", "name": "drawing.jpg", "type": "image/jpeg"}
    browser = _browser(url)

    codes = [browser.post(upload, data).status_code for _ in range(3)]
    others = [_browser(url).post(upload, data).status_code for _ in range(5)]

    assert codes == [201, 201, 429]
    assert others == [201] * 5
