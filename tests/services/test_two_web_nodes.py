"""Two running web nodes (gunicorn, production settings, each with its own
local upload folder) behind the round-robin proxy of the benchmarks: one
browser's resumable upload, every step to the other node (open, resume
after each part, complete, submit, receipt), completes on the shared
storage (S3 and the database) and leaves nothing on either node's disk."""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bench.load_client import Gunicorn, Resumable, collectstatic, free_port, production_env, resumable_upload_one
from contest.models import Entry, StagedUpload
from tests.factories.contest import ContestFactory
from tests.helpers import worker_database_url

from .support import s3_multipart_uploads, wait_for_port

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_nodes_behind_a_proxy(tmp_path, broker_clean):
    """(proxy URL, [node folders], [nodes]); the renditions queued by the
    nodes stay in the broker, flushed afterwards (no worker here)."""
    env = production_env(database_url=worker_database_url(), static_root=tmp_path / "static", mail_dir=tmp_path / "mail",
                         extra={"UPLOAD_DIRECT_S3": "true"})
    collectstatic(env)
    folders = [tmp_path / f"node{n}-chunks" for n in (0, 1)]
    nodes = [Gunicorn(env={**env, "CHUNKED_UPLOAD_DIR": str(folder)}, log_path=tmp_path / f"node{n}.log", workers=1)
             for n, folder in enumerate(folders)]
    port = free_port()
    proxy = subprocess.Popen([sys.executable, str(Path(__file__).resolve().parents[2] / "bench" / "load_proxy.py"),
                              "--port", str(port), *(f"127.0.0.1:{node.port}" for node in nodes)])
    try:
        for node in nodes:
            node.wait_ready()
        wait_for_port(port, timeout=20, what="the proxy")
        yield f"http://127.0.0.1:{port}", folders, nodes
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        for node in nodes:
            node.stop()


def noise_png(path) -> bytes:
    """A real PNG over 5 MiB (random pixels do not compress): two parts of S3's minimum."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1500, 1500), os.urandom(1500 * 1500 * 3)).save(buffer, "PNG", compress_level=1)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_a_resumed_upload_alternating_between_two_running_nodes_completes_on_shared_storage(
    two_nodes_behind_a_proxy, tmp_path
):
    base_url, folders, nodes = two_nodes_behind_a_proxy
    contest = ContestFactory()
    data = noise_png(tmp_path / "drawing.png")

    upload = resumable_upload_one(base_url, contest.slug, Resumable(index=0, path=tmp_path / "drawing.png"))

    assert (upload.status, upload.error) == (302, ""), [node.log()[-2000:] for node in nodes]
    assert upload.parts == 2
    # form, open, resume (which parts are held?), complete, submit, receipt
    assert upload.nodes == ("0", "1", "0", "1", "0", "1")
    entry = Entry.objects.get(contest=contest)
    assert entry.reference == upload.reference
    assert entry.original.name.startswith(f"originals/{contest.pk}/")
    assert entry.original.read() == data
    assert entry.original_sha256 == hashlib.sha256(data).hexdigest()
    assert (entry.original_format, entry.original_width, entry.original_height) == ("PNG", 1500, 1500)
    assert StagedUpload.objects.count() == 0
    assert s3_multipart_uploads(f"originals/{contest.pk}/") == []
    # Neither node kept a byte of it on its own disk.
    assert [sorted(p.name for p in f.iterdir()) if f.exists() else [] for f in folders] == [[], []]
    for node in nodes:
        assert '" 5' not in node.log()
