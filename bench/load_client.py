"""Upload load against a running portal, as parents' browsers would send it,
and the gunicorn process that serves it. Used by the load tests
(tests/services/test_load.py, test_two_web_nodes.py) and the benchmarks
(bench/load_upload.py: one form post with the file; bench/load_rush.py:
resumable uploads straight to S3, paced, through two nodes).

No Django in here: only HTTP. The portal runs with the production settings
behind an imaginary TLS proxy, so every request carries
`X-Forwarded-Proto: https` and an `Origin`, and cookies (marked Secure) are
sent back by hand.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent

FIELDS = {
    "child_first_name": "Aigerim",
    "child_last_name": "Loadova",
    "child_birth_date": "2016-03-01",
    "country": "KZ",
    "region": "Almaty",
    "school": "",
    "description": "People at the border.",
    "guardian_name": "Saule Loadova",
    "guardian_email": "saule@example.org",
    "guardian_relationship": "mother",
    "consent": "on",
    "publish_consent": "on",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn config.wsgi` with `workers` sync workers on 127.0.0.1."""

    def __init__(self, *, env: dict, log_path: Path, workers: int = 4, port: int | None = None):
        self.port = port or free_port()
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "10",
             "--access-logfile", "-", "--error-logfile", "-"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> "Gunicorn":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not listen within {timeout}s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@dataclass
class Upload:
    index: int
    path: Path
    started: float = 0.0  # time.time() when the form was requested
    submitted: float = 0.0  # time.time() when the POST was answered
    latency: float = 0.0  # seconds for the POST alone
    status: int = 0
    reference: str = ""
    error: str = ""


class Parent:
    """One browser session: cookies kept by hand (they are Secure)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.cookies: dict[str, str] = {}

    def _headers(self, referer: str) -> dict:
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": "https://" + self.base_url.split("://", 1)[1],
            "Referer": "https://" + self.base_url.split("://", 1)[1] + referer,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, response):
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value

    def get(self, path: str):
        response = self.session.get(self.base_url + path, headers=self._headers(path), allow_redirects=False, timeout=120)
        self._keep(response)
        return response

    def post(self, path: str, data: dict, files: dict):
        response = self.session.post(
            self.base_url + path, data=data, files=files, headers=self._headers(path), allow_redirects=False,
            timeout=120,
        )
        self._keep(response)
        return response


def letters(n: int) -> str:
    """`n` (0 or more) written in letters: 0 -> "a", 25 -> "z", 26 -> "ba"."""
    word = ""
    while True:
        n, rest = divmod(n, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[rest] + word
        if n == 0:
            return word


def upload_one(base_url: str, slug: str, upload: Upload) -> Upload:
    """GET the form, POST the drawing, GET the receipt."""
    parent = Parent(base_url)
    path = f"/contests/{slug}/submit/"
    upload.started = time.time()
    try:
        page = parent.get(path)
        if page.status_code != 200:
            upload.status, upload.error = page.status_code, f"form: {page.status_code}"
            return upload
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        found = re.search(r'name="submission_token" value="([^"]+)"', page.text)
        data = {**FIELDS, "title": f"Load drawing {upload.index}", "csrfmiddlewaretoken": token,
                "submission_token": found.group(1) if found else "",
                # One child and one guardian per upload: the entry caps count
                # the same child and the same address. The name is never in
                # the title (that would ask the parent to check the title).
                "child_first_name": f"Aigerim {letters(upload.index)}",
                "guardian_email": f"saule+{upload.index}@example.org"}
        with upload.path.open("rb") as fh:
            t0 = time.perf_counter()
            response = parent.post(path, data, {"image": (upload.path.name, fh, "application/octet-stream")})
            upload.latency = time.perf_counter() - t0
        upload.submitted = time.time()
        upload.status = response.status_code
        if response.status_code != 302:
            upload.error = response.text[:500]
            return upload
        receipt = parent.get(response.headers["Location"].replace("https://" + base_url.split("://", 1)[1], ""))
        match = re.search(r"data-reference>([A-Z0-9-]+)<", receipt.text)
        upload.reference = match.group(1) if match else ""
        if not match:
            upload.error = f"receipt: {receipt.status_code}"
    except Exception as exc:  # noqa: BLE001 - reported per upload
        upload.error = repr(exc)
    return upload


@dataclass
class Resumable(Upload):
    """A resumable upload's figures beyond `Upload`'s: `latency` runs from
    opening the upload to the submit form's answer (every part included)."""

    parts: int = 0
    nodes: tuple = ()  # the web node (X-Served-By) of each step, in order
    submitted_from: str = ""


def resumable_upload_one(base_url: str, slug: str, upload: Resumable, *, first_node: int = 0) -> Resumable:
    """One browser's resumable upload straight to S3, as static/js/entry-upload.js
    sends it, each step to the other web node behind the proxy (`X-Bench-Node`,
    bench/load_proxy.py): the form; open the upload; for every part after the
    first, ask which parts S3 holds (as after a dropped connection) and PUT
    the next part to its fresh presigned URL; complete; submit naming the
    upload; the receipt. Errors are recorded on `upload`, never raised."""
    parent = Parent(base_url)
    node = itertools.count(first_node)
    path = f"/contests/{slug}/submit/"
    data = upload.path.read_bytes()
    nodes = []

    def step(method: str, url: str, **kwargs):
        headers = {**parent._headers(path), "X-Bench-Node": str(next(node) % 2), **kwargs.pop("headers", {})}
        response = parent.session.request(method, base_url + url, headers=headers, allow_redirects=False,
                                          timeout=120, **kwargs)
        parent._keep(response)
        nodes.append(response.headers.get("X-Served-By", "?"))
        return response

    upload.started = time.time()
    try:
        page = step("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        found = re.search(r'name="submission_token" value="([^"]+)"', page.text)
        t0 = time.perf_counter()
        opened = step("POST", f"/contests/{slug}/uploads/", headers={"X-CSRFToken": token},
                      data={"size": len(data), "name": upload.path.name, "type": "image/jpeg"})
        if opened.status_code != 201:
            upload.status, upload.error = opened.status_code, f"open: {opened.text[:300]}"
            return upload
        state = opened.json()
        step_url, part_size = f"/contests/{slug}/uploads/{state['id']}/", state["part_size"]
        upload.parts = len(state["parts"])
        for i in range(upload.parts):
            if i:  # resumed from the other node: which parts does S3 hold, fresh URLs for the rest
                state = step("GET", step_url).json()
            part = state["parts"][0]
            start = (part["number"] - 1) * part_size
            put = requests.put(part["url"], data=data[start : start + part_size], timeout=120)
            if put.status_code != 200:
                upload.status, upload.error = put.status_code, f"part {part['number']}: {put.text[:300]}"
                return upload
        completed = step("POST", step_url, headers={"X-CSRFToken": token})
        if completed.status_code != 200:
            upload.status, upload.error = completed.status_code, f"complete: {completed.text[:300]}"
            return upload
        form = {**FIELDS, "title": f"Rush drawing {upload.index}", "csrfmiddlewaretoken": token,
                "submission_token": found.group(1) if found else "", "upload_id": state["id"],
                "child_first_name": f"Aigerim {letters(upload.index)}",
                "guardian_email": f"saule+{upload.index}@example.org"}
        response = step("POST", path, data=form)
        upload.latency = time.perf_counter() - t0
        upload.submitted = time.time()
        upload.status = response.status_code
        if response.status_code != 302:
            upload.error = response.text[:500]
            return upload
        upload.submitted_from = nodes[-1]
        receipt = step("GET", response.headers["Location"].replace("https://" + base_url.split("://", 1)[1], ""))
        match = re.search(r"data-reference>([A-Z0-9-]+)<", receipt.text)
        upload.reference = match.group(1) if match else ""
        if not match:
            upload.error = f"receipt: {receipt.status_code}"
    except Exception as exc:  # noqa: BLE001 - reported per upload
        upload.error = repr(exc)
    finally:
        upload.nodes = tuple(nodes)
    return upload


def run_paced(*, base_url: str, slug: str, files: list[Path], rate: float, threads: int = 64) -> tuple[list[Resumable], float]:
    """Start one resumable upload every 1/`rate` seconds (an open loop: a
    slow answer does not slow the arrivals), each on `threads` browsers at
    most; returns the uploads and the wall time in seconds until the last
    one is answered."""
    uploads = [Resumable(index=i, path=p) for i, p in enumerate(files)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        t0 = time.perf_counter()
        futures = []
        for i, upload in enumerate(uploads):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(resumable_upload_one, base_url, slug, upload, first_node=i))
        done = [future.result() for future in futures]
    return done, time.perf_counter() - t0


def run_uploads(*, base_url: str, slug: str, files: list[Path], concurrency: int) -> tuple[list[Upload], float]:
    """Send every file at once (up to `concurrency` in flight); returns the
    uploads and the wall time in seconds."""
    uploads = [Upload(index=i, path=p) for i, p in enumerate(files)]
    # Every thread is started and waiting before the first request leaves.
    go_signal = threading.Event()

    def go(upload):
        go_signal.wait(timeout=60)
        return upload_one(base_url, slug, upload)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(go, upload) for upload in uploads]
        time.sleep(0.2)
        t0 = time.perf_counter()
        go_signal.set()
        done = [future.result() for future in futures]
    return done, time.perf_counter() - t0


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency_summary(values: list[float]) -> dict:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": max(values) if values else float("nan"),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


# Production refuses a short or placeholder key (config.secret_key): one
# random key per run, shared by every process of the run.
LOAD_SECRET_KEY = secrets.token_urlsafe(48)


def production_env(*, database_url: str, static_root: Path, mail_dir: Path, extra: dict | None = None) -> dict:
    """The environment of a production web process on loopback: every
    service from the current environment (CELERY_BROKER_URL, CACHE_URL,
    S3_*), the given database, secure settings with the TLS proxy assumed."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=LOAD_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        EMAIL_URL=f"filemail://{mail_dir}",
        EMAIL_FILE_PATH=str(mail_dir),
        CELERY_TASK_ALWAYS_EAGER="false",
        # Every simulated parent comes from 127.0.0.1: the per-address limit
        # would refuse all but the first few. The limiter is tested elsewhere.
        RATELIMIT_SUBMIT_IP="1000000/h",
        RATELIMIT_SUBMIT_GUARDIAN="1000000/h",
    )
    env.update(extra or {})
    return env


def collectstatic(env: dict) -> None:
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )
