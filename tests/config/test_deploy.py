"""The byte cap is the same in the web server in front, Django's upload
handler and the form."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from contest.uploads import FORM_OVERHEAD_BYTES

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.unit]


def test_proxy_body_limit_matches_the_upload_cap():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()

    limit = int(re.search(r"client_max_body_size (\d+);", conf).group(1))

    assert limit == settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES == 25_065_536


def compose_proxy_conf() -> str:
    return (ROOT / "deploy" / "compose-nginx.conf").read_text()


def directives(conf: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;{{}}\n]+);", conf, re.M)


def test_compose_proxy_buffers_uploads_and_refuses_an_oversized_body_unread():
    conf = compose_proxy_conf()

    assert int(directives(conf, "client_max_body_size")[0]) == settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES
    assert directives(conf, "proxy_request_buffering") == ["on"]
    assert directives(conf, "proxy_buffering") == ["on"]
    assert directives(conf, "client_body_timeout") == ["120s"]


def test_compose_proxy_passes_to_gunicorn_and_sets_the_client_address():
    conf = compose_proxy_conf()

    assert directives(conf, "server") == ["web:8000"]
    assert directives(conf, "proxy_pass") == ["http://portal"]
    assert "X-Real-IP $remote_addr" in directives(conf, "proxy_set_header")
    assert directives(conf, "listen") == ["8080"]


def test_compose_proxy_leaves_compression_to_the_portal():
    # nginx would gzip every text/html response, private ones included
    # (BREACH); the portal compresses its public pages itself.
    assert directives(compose_proxy_conf(), "gzip") == ["off"]
    assert "config.middleware.PublicPagesGZipMiddleware" in settings.MIDDLEWARE
