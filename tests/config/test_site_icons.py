"""The site's icons: /favicon.ico answers (a cacheable redirect to an ICO
file that is served), the pages link the SVG, ICO, apple-touch icon and
the manifest, and the manifest names its 192 and 512 px icons."""

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

pytestmark = [pytest.mark.django_db]


def served(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_favicon_redirects_to_a_served_ico_with_caching_headers(client):
    response = client.get("/favicon.ico")

    body = served(client, response["Location"])
    image = Image.open(io.BytesIO(body))
    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon.ico"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert image.format == "ICO"
    assert sorted(image.info["sizes"]) == [(16, 16), (32, 32), (48, 48)]


def test_pages_link_the_icons_and_the_manifest(client):
    html = client.get(reverse("contest:home")).content.decode()

    assert '<link rel="icon" href="/static/icons/favicon.ico" sizes="48x48">' in html
    assert '<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html
    assert f'<link rel="manifest" href="{reverse("web_manifest")}">' in html


def test_icon_files_have_their_sizes(client):
    sizes = {
        name: Image.open(io.BytesIO(served(client, f"/static/icons/{name}"))).size
        for name in ("apple-touch-icon.png", "icon-192.png", "icon-512.png", "icon-maskable-512.png")
    }
    svg = served(client, "/static/icons/icon.svg").decode()

    assert sizes == {"apple-touch-icon.png": (180, 180), "icon-192.png": (192, 192), "icon-512.png": (512, 512),
                     "icon-maskable-512.png": (512, 512)}
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"')


def test_manifest_lists_the_app_icons_in_the_visitor_language(settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    response = client.get(reverse("web_manifest"))
    manifest = json.loads(response.content)

    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["lang"] == "ru"
    assert manifest["start_url"] == "/"
    assert [(icon["src"], icon["sizes"]) for icon in manifest["icons"]] == [
        ("/static/icons/icon-192.png", "192x192"), ("/static/icons/icon-512.png", "512x512"),
        ("/static/icons/icon-maskable-512.png", "512x512"), ("/static/icons/icon.svg", "any"),
    ]
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
