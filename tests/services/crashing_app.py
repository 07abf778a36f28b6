"""The portal's Celery app, with a renderer that kills its own process on
chosen drawings, as an out-of-memory kill or a crash in the image library
would: `celery -A tests.services.crashing_app worker --pool=prefork`.

CRASH_DIR names a folder; a file `<sha256 of the upload>.always` in it kills
every rendering of that drawing, `<sha256>.once` only the first (the file
is removed before the kill)."""

import hashlib
import os
import signal
from pathlib import Path

from config.celery import app  # noqa: F401 - the app the worker runs
from contest import imaging

_render = imaging.render


def _crashing_render(fh, *args, **kwargs):
    data = fh.read()
    fh.seek(0)
    folder = Path(os.environ.get("CRASH_DIR", "/nonexistent"))
    digest = hashlib.sha256(data).hexdigest()
    once = folder / f"{digest}.once"
    if (folder / f"{digest}.always").exists():
        os.kill(os.getpid(), signal.SIGKILL)
    if once.exists():
        once.unlink()
        os.kill(os.getpid(), signal.SIGKILL)
    return _render(fh, *args, **kwargs)


imaging.render = _crashing_render
