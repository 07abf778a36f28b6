"""The run command serves with gunicorn (threads, a deep listen backlog,
WhiteNoise for static files), keeping Django's development server only for
`--reload`; 50 parents at once all get an answer."""

import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.load_client import free_port
from tests.helpers import ROOT, process_stop, worker_database_url
from tests.services.support import wait_for_port

RUN = (ROOT / "scripts" / "run.sh").read_text()


@pytest.mark.unit
def test_run_command_serves_with_gunicorn_and_keeps_runserver_for_reload():
    assert "-m gunicorn -c config/gunicorn.py config.wsgi:application" in RUN
    assert re.search(r'if \[ -n "\$RELOAD" \]; then\n.*\n\s+DJANGO_DEBUG="\$\{DJANGO_DEBUG:-true\}" \$PY manage.py runserver', RUN)
    assert "--reload) RELOAD=1" in RUN
    assert "./scripts/run.sh $(ARGS)" in (ROOT / "Makefile").read_text()


@pytest.mark.unit
def test_a_web_only_node_starts_no_worker_and_seeds_nothing():
    guarded = re.findall(r'if \[ -z "\$WEB_ONLY" \]; then\n(.*?)\nfi\n', RUN, flags=re.S)

    assert "--web-only) WEB_ONLY=1" in RUN
    assert len(guarded) == 2
    assert "manage.py migrate" in guarded[0] and "seed_demo" in guarded[0]
    assert guarded[1].strip().startswith("$PY -m celery -A config worker -B")
    assert RUN.count("-m celery -A config worker") == 1
    # An empty $WORKER must not become an argument of `wait`.
    assert "wait -n $SERVER $WORKER" in RUN


@pytest.mark.unit
def test_gunicorn_settings_take_a_burst():
    settings = {}
    exec((ROOT / "config" / "gunicorn.py").read_text(), settings)  # noqa: S102 - our own settings file

    assert settings["backlog"] >= 256
    assert (settings["worker_class"], settings["workers"], settings["threads"]) == ("gthread", 2, 8)
    assert settings["control_socket_disable"] is True
    assert re.fullmatch(r"gunicorn==\d+\.\d+\.\d+", next(
        line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("gunicorn")))


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_requests_to_the_run_commands_server_all_get_an_answer(tmp_path):
    port = free_port()
    # As run.sh starts it: local settings (debug off), not the test run's environment.
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "CELERY_TASK_ALWAYS_EAGER")}
    env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": worker_database_url(),
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
           "DJANGO_MEDIA_ROOT": str(tmp_path / "media")}
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, what="gunicorn")
        start = threading.Barrier(50)

        def get(path):
            start.wait(timeout=30)
            return requests.get(f"http://127.0.0.1:{port}{path}", timeout=60)

        with ThreadPoolExecutor(max_workers=50) as pool:
            responses = list(pool.map(get, ["/"] * 45 + ["/static/css/site.css"] * 5))
        # Visitors of the demo get the portal's own 404 page, in their language, not Django's debug page.
        missing = requests.get(f"http://127.0.0.1:{port}/no-such-page/", headers={"Accept-Language": "ru"}, timeout=60)
    finally:
        process_stop(server)
        log.close()

    assert [r.status_code for r in responses] == [200] * 50, (tmp_path / "gunicorn.log").read_text()[-3000:]
    assert responses[-1].headers["Content-Type"].startswith("text/css")
    assert missing.status_code == 404
    assert 'class="error-page"' in missing.text and "Страница не найдена" in missing.text
    assert "URLconf" not in missing.text
