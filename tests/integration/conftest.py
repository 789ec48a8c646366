"""Integration tests: real PostgreSQL, Redis and Celery worker and beat processes.

`make test` points TEST_DATABASE_URL and TEST_REDIS_URL at the local servers.
When they cannot be reached these tests are skipped with the reason, or fail
instead when REQUIRE_SERVICES=1 (as in CI).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

# The teaching fixtures, for the race tests that need PostgreSQL's row locks.
from tests.teaching.conftest import assignment, deck, questions, quiz_set  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
START_HINT = (
    "start them with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
    "and `redis-server --daemonize yes --port 6379 --save ''`, create the role and database "
    "(`createuser -s studyapp; createdb -O studyapp studyapp` as postgres), then run `make test`"
)


def _services_problem() -> str | None:
    database_url = os.environ.get("TEST_DATABASE_URL", "")
    redis_url = os.environ.get("TEST_REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis"):
        return "TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL (Redis) are not set"
    try:
        import psycopg

        parts = urlsplit(database_url)
        with psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname=parts.path.lstrip("/") or "postgres",
            connect_timeout=3,
        ):
            pass
    except Exception as exc:
        return f"PostgreSQL at {database_url} is not reachable ({exc.__class__.__name__}: {exc})"
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"Redis at {redis_url} is not reachable ({exc.__class__.__name__}: {exc})"
    return None


@pytest.fixture(scope="session", autouse=True)
def services() -> None:
    problem = _services_problem()
    if problem is None:
        return
    message = f"{problem}; {START_HINT}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def redis_client(services):
    import redis

    client = redis.Redis.from_url(os.environ["TEST_REDIS_URL"])
    client.flushdb()  # the test suite's own Redis database, nothing else
    return client


def _test_database_url() -> str:
    """The URL of the database pytest-django created (test_<name>)."""
    from django.db import connection

    parts = urlsplit(os.environ["TEST_DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def _process_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "studyapp.settings",
            "SECRET_KEY": "integration-tests-only-" + "k" * 40,
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": os.environ["TEST_REDIS_URL"],
            "CELERY_RESULT_BACKEND": "django-db",
            "PYTHONPATH": str(ROOT),
            **extra,
        }
    )
    return env


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_for_log(log: Path, text: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"process did not log {text!r}:\n{log.read_text(errors='replace')}")


@pytest.fixture
def celery_worker_process(
    django_db_setup, django_db_blocker, redis_client, tmp_path
) -> Iterator[subprocess.Popen[bytes]]:
    """A real `celery worker` process on the test database and the test Redis."""
    with django_db_blocker.unblock():
        env = _process_env()
    log = tmp_path / "worker.log"
    process = _start(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "studyapp",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            "itest@%h",
        ],
        env,
        log,
    )
    _wait_for_log(log, "ready.", process, 60)
    yield process
    _stop(process)


@pytest.fixture
def celery_beat_process(
    django_db_setup, django_db_blocker, redis_client, tmp_path
) -> Iterator[subprocess.Popen[bytes]]:
    """A real `celery beat` process whose schedule fires every second."""
    with django_db_blocker.unblock():
        env = _process_env(DJANGO_SETTINGS_MODULE="tests.integration.beat_settings")
    log = tmp_path / "beat.log"
    process = _start(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "studyapp",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--pidfile",
            "",
        ],
        env,
        log,
    )
    yield process
    _stop(process)
