"""docker-compose.yml, the Dockerfile and .env.example cannot drift from the
settings: Docker does not run here, so the files are parsed and every
command and environment variable name is checked against what the code
reads and runs."""

import ast
import importlib.util
import inspect
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = ROOT / "config" / "settings"
APP_SERVICES = {"migrate", "web", "worker", "beat"}
ONE_OFF = {"migrate", "createbucket"}
# Read by programs other than the settings: Django itself, gunicorn, the
# images of PostgreSQL and MinIO, and compose's own interpolation.
FOREIGN_NAMES = {
    "DJANGO_SETTINGS_MODULE", "FORWARDED_ALLOW_IPS", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD",
    "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD",
    # Read by the run command (scripts/run.sh): the demo server's address.
    "HOST", "PORT",
}
# Only for the test settings; listed (commented) in .env.example, not for deployment.
TEST_ONLY = {"TEST_SQLITE_NAME"}

pytestmark = [pytest.mark.unit]


def settings_reads() -> dict[str, bool]:
    """Every environment variable the settings read -> whether it is
    required (read without a default) in the module that reads it."""
    names: dict[str, bool] = {}
    for path in sorted(SETTINGS_DIR.glob("*.py")) + [ROOT / "config" / "env.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            func = node.func
            is_env = (isinstance(func, ast.Name) and func.id == "env") or (
                isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"
            )
            is_setdefault = (
                isinstance(func, ast.Attribute) and func.attr == "setdefault"
                and isinstance(func.value, ast.Attribute) and func.value.attr == "ENVIRON"
            )
            if is_env or is_setdefault:
                required = is_env and path.name == "production.py" and not any(k.arg == "default" for k in node.keywords)
                names[first.value] = names.get(first.value, False) or required
    return names


def env_example() -> dict[str, str]:
    """Names in .env.example, set (NAME=value) or shown commented (# NAME=value)."""
    found = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, with `env`."""
    def one(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if env.get(name):
            return env[name]
        if op == ":-":
            return arg
        raise AssertionError(f"${{{name}}} is not set in .env.example")
    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", one, str(value)).replace("$$", "$")


def command_words(service: dict) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else [str(w) for w in command]


def test_every_variable_the_settings_read_is_in_env_example():
    listed = set(env_example())

    missing = set(settings_reads()) - listed

    assert sorted(missing) == []


def test_env_example_names_only_variables_something_reads():
    unknown = set(env_example()) - set(settings_reads()) - FOREIGN_NAMES

    assert sorted(unknown) == []


def test_compose_app_services_set_only_variables_the_settings_read():
    services = compose()["services"]
    known = set(settings_reads()) | FOREIGN_NAMES

    for name in APP_SERVICES:
        environment = services[name].get("environment", {})
        assert sorted(set(environment) - known) == [], name
        assert services[name]["env_file"] == ".env", name


def test_compose_app_services_get_every_required_production_variable():
    services = compose()["services"]
    # DJANGO_SECRET_KEY is read with a default so that the system check
    # config.E001 can refuse a missing one with its own message: required all the same.
    required = {name for name, req in settings_reads().items() if req} | {"DJANGO_SECRET_KEY"}
    from_env_file = {name for name, value in env_example().items() if value}
    assert required >= {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL"}

    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        assert sorted(required - set(environment) - from_env_file) == [], name


def test_compose_addresses_point_at_the_services_that_provide_them():
    services = compose()["services"]
    example = env_example()
    example.pop("S3_ENDPOINT_URL", None)  # the example names a public address; compose's default is MinIO

    for name in APP_SERVICES:
        env = {k: interpolate(v, example) for k, v in services[name]["environment"].items()}
        db = re.match(r"postgres://([^:]+):([^@]+)@([^:/]+):(\d+)/(\w+)$", env["DATABASE_URL"])
        assert db, env["DATABASE_URL"]
        user, password, host, port, database = db.groups()
        db_env = {k: interpolate(v, example) for k, v in services["db"]["environment"].items()}
        assert (host, port, user, password, database) == (
            "db", "5432", db_env["POSTGRES_USER"], db_env["POSTGRES_PASSWORD"], db_env["POSTGRES_DB"])
        assert re.match(r"redis://redis:6379/\d+$", env["CELERY_BROKER_URL"])
        assert re.match(r"redis://redis:6379/\d+$", env["CACHE_URL"])
        assert env["CACHE_URL"] != env["CELERY_BROKER_URL"]
        assert env["S3_ENDPOINT_URL"] == "http://minio:9000"
        minio_env = {k: interpolate(v, example) for k, v in services["minio"]["environment"].items()}
        assert (env["S3_ACCESS_KEY_ID"], env["S3_SECRET_ACCESS_KEY"]) == (
            minio_env["MINIO_ROOT_USER"], minio_env["MINIO_ROOT_PASSWORD"])
        bucket_env = {k: interpolate(v, example) for k, v in services["createbucket"]["environment"].items()}
        assert env["S3_BUCKET"] == bucket_env["S3_BUCKET"]


def test_compose_bucket_is_created_private_on_start():
    service = compose()["services"]["createbucket"]
    script = " ".join(command_words(service))

    assert "mc mb --ignore-existing" in script
    assert "mc anonymous set none" in script
    assert service["depends_on"]["minio"]["condition"] == "service_healthy"
    for name in APP_SERVICES - {"migrate"}:
        assert compose()["services"][name]["depends_on"]["createbucket"] == {"condition": "service_completed_successfully"}


def test_compose_commands_run_what_the_code_provides():
    services = compose()["services"]
    commands = get_commands()

    web = command_words(services["web"])
    assert web[0] == "gunicorn"
    module, attr = web[1].split(":")
    assert importlib.util.find_spec(module) is not None
    assert f"\n{attr} = " in "\n" + (ROOT / Path(*module.split("."))).with_suffix(".py").read_text()
    assert web[web.index("--workers") + 1] == "4"
    for name, role in (("worker", "worker"), ("beat", "beat")):
        words = command_words(services[name])
        assert words[:4] == ["celery", "-A", "config", role], name
        assert importlib.util.find_spec("config.celery") is not None
    migrate = command_words(services["migrate"])
    assert migrate[:2] == ["python", "manage.py"] and migrate[2] in commands


def test_compose_every_long_running_service_has_a_health_check():
    services = compose()["services"]

    for name, service in services.items():
        if name in ONE_OFF:
            continue
        assert "healthcheck" in service, name
        words = service["healthcheck"]["test"]
        text = " ".join(words) if isinstance(words, list) else words
        for script in re.findall(r"scripts/[\w./-]+", text):
            assert (ROOT / script).is_file(), script


def test_compose_volumes_are_named_and_declared():
    data = compose()
    declared = set(data["volumes"])

    used = set()
    for service in data["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert not source.startswith((".", "/")), f"bind mount {volume}"
            used.add(source)

    assert used == declared
    assert {"pgdata", "redisdata", "miniodata"} <= declared


def test_compose_dependencies_exist_and_images_are_pinned():
    services = compose()["services"]

    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)
        image = service.get("image", "")
        if "build" not in service:
            assert re.search(r":[\w.-]*\d[\w.-]*$", image) and not image.endswith(":latest"), (name, image)


def test_dockerfile_pinned_base_non_root_user_gunicorn():
    text = (ROOT / "Dockerfile").read_text()
    base = re.search(r"^FROM\s+(\S+)", text, re.M).group(1)

    assert re.match(r"python:\d+\.\d+\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?$", base), base
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "collectstatic" in text
    assert re.search(r'^CMD \["gunicorn", "config\.wsgi:application"', text, re.M)


def test_compose_beat_runs_a_schedule_of_registered_tasks():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert {entry["task"] for entry in schedule.values()} == {
        "contest.entries_requeue_stuck",
        "contest.entries_purge_unconfirmed",
        "contest.entries_purge_rejected",
        "contest.entries_purge_retention",
        "contest.storage_orphans_purge", "contest.guardian_mails_requeue",
        "contest.staged_uploads_sweep", "judging.exports_purge_expired",
    }
    for entry in schedule.values():
        task = app.tasks[entry["task"]]
        assert set(entry.get("kwargs", {})) <= set(inspect.signature(task.run).parameters)


def test_site_url_is_required_in_production_and_set_for_every_app_service():
    """Guardians' e-mail links start with SITE_URL: production must not fall
    back to base.py's loopback address."""
    example = env_example()
    services = compose()["services"]

    assert settings_reads()["SITE_URL"] is True
    assert example["SITE_URL"].startswith("https://")
    for name in APP_SERVICES:
        value = services[name]["environment"]["SITE_URL"]
        assert ":?" in value, name  # compose refuses to start without it
        assert interpolate(value, example) == example["SITE_URL"], name


def test_production_settings_refuse_to_start_without_site_url():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env.update(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="contest.example.org",
        DATABASE_URL="postgres://u:p@db:5432/contest", CELERY_BROKER_URL="redis://redis:6379/0",
        CACHE_URL="redis://redis:6379/1", EMAIL_URL="smtp+tls://u:p@smtp.example.org:587",
    )
    code = "import config.settings.production as s; print(s.SITE_URL)"

    without = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    with_it = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "SITE_URL": "https://contest.example.org"},
        capture_output=True, text=True,
    )

    assert without.returncode != 0 and "SITE_URL" in without.stderr
    assert with_it.stdout.strip() == "https://contest.example.org", with_it.stderr


def test_readme_deploy_steps_name_every_required_production_variable():
    readme = (ROOT / "README.md").read_text()
    deploying = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    required = {name for name, req in settings_reads().items() if req}

    assert sorted(name for name in required if f"`{name}`" not in deploying) == []


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [("127.0.0.1", "8001", "http://127.0.0.1:8001"), ("0.0.0.0", "9000", "http://127.0.0.1:9000"),
     ("::1", "8002", "http://[::1]:8002")],
)
def test_run_script_points_e_mail_links_at_its_own_port(host, port, expected):
    import os
    import subprocess

    lines = [
        line for line in (ROOT / "scripts" / "run.sh").read_text().splitlines()
        if "LINK_HOST" in line or line.startswith("export SITE_URL=")
    ]
    assert any(line.startswith("export SITE_URL=") for line in lines)
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    script = "\n".join(lines) + '\nprintf %s "$SITE_URL"'

    out = subprocess.run(["bash", "-c", script], env={**env, "HOST": host, "PORT": port}, capture_output=True, text=True)

    assert out.stdout == expected, out.stderr


def test_production_file_mail_goes_to_the_given_absolute_folder(tmp_path):
    # The load benchmark and the services tests write production mail to a
    # temporary folder; django-environ's filemail:// URL loses the leading slash.
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env.update(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="contest.example.org", SITE_URL="https://contest.example.org",
        DATABASE_URL="postgres://u:p@db:5432/contest", CELERY_BROKER_URL="redis://redis:6379/0",
        CACHE_URL="redis://redis:6379/1", EMAIL_URL=f"filemail://{tmp_path}", EMAIL_FILE_PATH=str(tmp_path),
    )
    code = "import config.settings.production as s; print(s.EMAIL_FILE_PATH)"

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)

    assert result.stdout.strip() == str(tmp_path), result.stderr


def test_compose_web_is_reached_only_through_its_proxy():
    services = compose()["services"]
    proxy, web = services["proxy"], services["web"]

    assert proxy["image"].startswith("nginx:")
    assert proxy["configs"] == [{"source": "proxy_conf", "target": "/etc/nginx/conf.d/default.conf"}]
    assert compose()["configs"]["proxy_conf"] == {"file": "./deploy/compose-nginx.conf"}
    assert (ROOT / "deploy" / "compose-nginx.conf").is_file()
    assert proxy["ports"] == ["8000:8080"]
    assert proxy["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "ports" not in web and web["expose"] == ["8000"]
    # The proxy overwrites X-Real-IP and nothing else reaches gunicorn.
    assert interpolate(web["environment"]["CLIENT_IP_HEADER"], {}) == "X-Real-IP"
