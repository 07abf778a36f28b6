"""50 parents upload at once to gunicorn (4 sync workers, production
settings) on loopback; a real worker renders every entry. Figures for the
same run are measured by bench/load_upload.py, not asserted here."""

import datetime as dt
import re

import pytest
import requests

from bench.load_client import Gunicorn, collectstatic, production_env, run_uploads
from contest import imaging
from contest.models import Entry, Rendition
from tests.factories.contest import ContestFactory
from tests.helpers import drawings, worker_database_url

from .support import s3_keys, wait_for

pytestmark = [pytest.mark.services, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

UPLOADS = 50


@pytest.fixture
def gunicorn(tmp_path):
    env = production_env(
        database_url=worker_database_url(), static_root=tmp_path / "static", mail_dir=tmp_path / "mail"
    )
    collectstatic(env)
    server = Gunicorn(env=env, log_path=tmp_path / "gunicorn.log", workers=4)
    yield server.wait_ready()
    server.stop()


def test_fifty_concurrent_uploads_to_gunicorn_all_persisted_stored_and_rendered(worker, gunicorn):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    w = worker(pool="prefork", concurrency=2).wait_ready()

    uploads, _wall = run_uploads(base_url=gunicorn.base_url, slug=contest.slug, files=drawings(UPLOADS), concurrency=UPLOADS)

    assert [u.status for u in uploads if u.status >= 500 or u.error] == [], (
        [(u.status, u.error) for u in uploads if u.error][:3], gunicorn.log()[-3000:])
    assert [u.status for u in uploads] == [302] * UPLOADS
    entries = Entry.objects.filter(contest=contest)
    assert sorted(entries.values_list("reference", flat=True)) == sorted(u.reference for u in uploads)
    wait_for(
        lambda: not entries.exclude(processing_status__in=["ready", "failed"]).exists(),
        timeout=240, message=lambda: f"{UPLOADS} entries to be rendered; worker log:\n{w.log()[-5000:]}",
    )
    assert sorted(entries.values_list("processing_status", flat=True)) == ["ready"] * UPLOADS
    # The public set and the moderators' photo for every upload, and the
    # judges' zoom for the originals larger than the display rendition.
    larger = entries.filter(original_width__gt=imaging.DISPLAY_LONG_SIDE).count() + entries.filter(
        original_width__lte=imaging.DISPLAY_LONG_SIDE, original_height__gt=imaging.DISPLAY_LONG_SIDE).count()
    assert Rendition.objects.filter(entry__contest=contest).count() == UPLOADS * (len(imaging.DEFAULT_SPECS) + len(imaging.PHOTO_SPECS)) + larger
    # One clean original per entry in the bucket, once the raw uploads are deleted.
    wait_for(
        lambda: s3_keys(f"originals/{contest.pk}/") == sorted(entries.values_list("original", flat=True)),
        timeout=10, message="one original per entry in S3",
    )
    assert len(s3_keys(f"originals/{contest.pk}/")) == UPLOADS
    assert " 500 " not in gunicorn.log() and '" 5' not in gunicorn.log()


def test_gunicorn_serves_hashed_static_files_with_whitenoise_for_a_year(gunicorn):
    headers = {"X-Forwarded-Proto": "https"}
    home = requests.get(gunicorn.base_url + "/", headers=headers, timeout=10)
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.text)

    assert home.status_code == 200
    assert css, "the stylesheet link has no content hash"
    response = requests.get(gunicorn.base_url + css.group(1), headers=headers, timeout=10)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=315360000" in response.headers["Cache-Control"]
