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
