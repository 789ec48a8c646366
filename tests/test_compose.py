import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"


def _services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_file_matches_the_compose_specification():
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={"SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_compose_has_the_services_of_a_deployment():
    services = _services()
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert "healthcheck" in services["postgres"]
    assert any(v.startswith("postgres-data:") for v in services["postgres"]["volumes"])
    # a worker must not pin a container name or a host port, or --scale worker=N fails
    assert "container_name" not in services["worker"]
    assert "ports" not in services["worker"]


def test_each_service_command_exists_in_the_project():
    services = _services()
    web = services["web"]["command"]
    assert web[:2] == ["sh", "docker/web.sh"]
    script = (ROOT / web[1]).read_text()
    assert "manage.py migrate" in script
    assert "gunicorn studyapp.wsgi:application" in script
    for name in ("worker", "beat"):
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "studyapp"]
        assert command[3] == name
    # the named modules import, and the Celery app is the project's
    from studyapp import celery_app, wsgi

    assert wsgi.application is not None
    assert celery_app.main == "studyapp"
    assert shlex.split("sh docker/web.sh") == web


def test_dockerfile_installs_the_locked_dependencies_and_runs_the_web_script():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps -r requirements.lock" in dockerfile
    assert 'CMD ["sh", "docker/web.sh"]' in dockerfile
    assert (ROOT / "requirements.lock").exists()
