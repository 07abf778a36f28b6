"""Every corpus file through the real upload view and the real rendition
task: accepted files end ready with the documented renditions and no byte
of their metadata; refused files get the manifest's reason in the response
and leave no entry row, no stored file, no temporary file and no task.

The corpus lives outside the repository (`settings.CORPUS_DIR`); when it is
missing these tests fail, they never skip.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from contest import imaging
from contest.models import Entry
from contest.validators import UPLOAD_MESSAGES
from tests.factories.contest import ContestFactory
from tests.helpers import stored_files
from tests.contest.test_submission import form_data
from tests.contest.test_corpus_imaging import CORPUS, assert_no_metadata, corpus_cases, expected_outcome, require_corpus

pytestmark = [pytest.mark.corpus, pytest.mark.django_db]


def reason_message(reason: str, settings) -> str:
    params = {"megapixels": f"{settings.UPLOAD_MAX_PIXELS / 1e6:g}", "megabytes": f"{settings.UPLOAD_MAX_BYTES / 1e6:g}"}
    return escape(str(UPLOAD_MESSAGES[imaging.Reason(reason)]) % params)


@pytest.mark.parametrize("name,cell", corpus_cases())
def test_corpus_file_through_upload_view_and_task(name, cell, client, settings, tmp_path, django_capture_on_commit_callbacks):
    require_corpus()
    assert cell is not None, f"{name} is not in MANIFEST.md"
    verdict, reasons = expected_outcome(cell)
    # Every upload goes to a temporary file (corpus files are all under the
    # in-memory limit), so "no temporary file remains" can fail.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    url = reverse("contest:entry_submit", args=[contest.slug])

    with django_capture_on_commit_callbacks(execute=True) as callbacks, (CORPUS / name).open("rb") as fh:
        response = client.post(url, form_data(fh))

    uploaded = response.wsgi_request.FILES.get("image")
    if uploaded is not None:
        assert Path(uploaded.temporary_file_path()).parent == tmp_path / "upload-tmp"
    if verdict == "ACCEPT":
        assert response.status_code == 302, response.content.decode()[:2000]
        entry = Entry.objects.get()
        assert (entry.processing_status, entry.processing_error) == ("ready", "")
        size = (entry.original_width, entry.original_height)
        # The public set, and the judges' zoom when the original is larger than the display rendition.
        assert entry.renditions.count() == len([s for s in imaging.WORKER_SPECS if s.wanted_for(size)])
        assert entry.renditions.filter(kind="zoom").exists() == (max(size) > imaging.DISPLAY_LONG_SIDE)
        # The stored original may carry its orientation alone (kept, not re-encoded).
        for stored in [entry.original, *[r.file for r in entry.renditions.all()]]:
            with stored.open("rb") as f:
                data = f.read()
            assert_no_metadata(data, stored.name, orientation=stored == entry.original)
    else:
        assert response.status_code == 400
        page = response.content.decode()
        assert [r for r in reasons if reason_message(r, settings) in page], (name, reasons)
        assert Entry.objects.count() == 0
        assert stored_files(settings.MEDIA_ROOT) == []
        assert callbacks == []
    assert list((tmp_path / "upload-tmp").iterdir()) == []
