"""The 404 and 500 pages: in the site's style and the visitor's language;
the 500 page renders without a request, a database or a context."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

pytestmark = [pytest.mark.django_db]


def test_404_page_in_site_style_and_visitor_language(client, settings):
    settings.DEBUG = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    response = client.get("/no-such-page/")
    html = response.content.decode()

    assert response.status_code == 404
    assert '<html lang="ru">' in html
    assert 'class="site-header"' in html
    assert 'class="error-page"' in html
    assert 'id="language-select"' in html
    assert 'href="/"' in html


def test_404_page_for_a_missing_contest_is_the_same_page(client):
    response = client.get("/contests/no-such-contest/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.urls("tests.config.error_urls")
@pytest.mark.parametrize("language", ["en", "ru", "uz-cyrl"])
def test_500_page_when_a_view_fails(settings, language):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/broken/")
    html = response.content.decode()

    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert 'class="error-page"' in html
    assert "/static/css/site.css" in html
    assert "RuntimeError" not in html


def test_500_page_renders_without_request_or_database(django_assert_num_queries):
    with translation.override("en"), django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Something went wrong" in html
    assert '<a class="button" href="/">Go to the home page</a>' in html
