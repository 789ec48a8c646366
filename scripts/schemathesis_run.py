"""Fuzz the whole API from its OpenAPI schema, as a student and as a teacher.

Starts a server on a free port against a throwaway database (a fresh PostgreSQL
database next to TEST_DATABASE_URL when that is set, dropped at the end, else
SQLite in a temporary folder), seeds a class with a quiz and a study target,
then runs schemathesis once per role with one worker and a time budget. Fails
(exit 1) on any 5xx or any response that does not match the schema.

    .venv/bin/python scripts/schemathesis_run.py [--max-time SECONDS] [--max-examples N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "fuzz-Password-2026"

SEED = f"""
from datetime import timedelta
from django.utils import timezone
from accounts.models import Membership, User
from accounts.services import classroom_create
from quizzes.content.models import Question
from quizzes.content.services import source_import
from quizzes.teaching.models import Assignment, QuizSet, QuizSetItem

teacher = User.objects.create_user("fuzz_teacher", "t@example.com", "{PASSWORD}", role="teacher")
student = User.objects.create_user("fuzz_student", "s@example.com", "{PASSWORD}")
classroom = classroom_create(teacher=teacher, name="Fuzzing class")
Membership.objects.create(classroom=classroom, student=student)
text = ("In March 1921 the sailors of Kronstadt rose against the Bolshevik government. "
        "They demanded free elections to the soviets and freedom of speech. ") * 12
source = source_import(raw=text, title="Kronstadt", created_by=teacher).source
passage = source.decks.first().passages.first()
questions = [Question.objects.create(passage=passage, kind="cloze", status="approved",
                                     prompt=f"In ____ the sailors rose ({{i}}).",
                                     answer="March 1921", evidence_end=20) for i in range(3)]
quiz_set = QuizSet.objects.create(owner=teacher, title="Kronstadt quiz")
for position, question in enumerate(questions, start=1):
    QuizSetItem.objects.create(quiz_set=quiz_set, question=question, position=position)
now = timezone.now()
Assignment.objects.create(classroom=classroom, quiz_set=quiz_set, opens_at=now - timedelta(days=1),
                          due_at=now + timedelta(days=7), attempts_allowed=3, created_by=teacher)
Assignment.objects.create(classroom=classroom, deck=source.decks.first(), target_mastery=0.8,
                          opens_at=now - timedelta(days=1), due_at=now + timedelta(days=7),
                          created_by=teacher)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_database(tmp: Path) -> tuple[str, str | None]:
    """(DATABASE_URL, name of a PostgreSQL database to drop afterwards or None)."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{tmp / 'fuzz.sqlite3'}", None
    import psycopg

    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'studyapp'}_fuzz_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_database(name: str) -> None:
    import psycopg

    parts = urlsplit(os.environ["TEST_DATABASE_URL"])
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def token(base: str, username: str) -> str:
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["access"]


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer /healthz in time")


def fuzz(
    base: str, role: str, access: str, args: argparse.Namespace, env: dict, report: Path
) -> tuple[int, str]:
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{base}/api/schema/",
        "--header",
        f"Authorization: Bearer {access}",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--workers",
        "1",
        "--max-time",
        str(args.max_time),
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--request-timeout",
        "30",
        "--no-color",
        "--suppress-health-check",
        "all",
        "--exclude-path",
        "/api/v1/auth/logout",
        "--generation-database",
        "none",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    (report.parent / f"schemathesis-{role}.txt").write_text(output)
    took = time.monotonic() - started
    print(f"--- as the {role}: schemathesis exit {result.returncode} in {took:.0f} s ---")
    lines = output.splitlines()
    for index, line in enumerate(lines):
        heading = re.match(r"^_{3,} (.+?) _{3,}$", line)
        if heading and heading.group(1) not in ("SUMMARY", "WARNINGS", "FAILURES"):
            checks = [
                item.strip()
                for item in lines[index + 1 : index + 12]
                if item.startswith("- ") or item.startswith("[")
            ]
            print(f"  {heading.group(1)}: {'; '.join(checks[:4])}")
        elif re.match(r"^\s+(\d+ generated|❌|Selected|Tested)", line):
            print(line)
    return result.returncode, output


def server_errors(log: Path) -> list[str]:
    """The exception line of each traceback in the server's log."""
    found, lines = [], log.read_text().splitlines()
    for index, line in enumerate(lines):
        if "Internal Server Error" in line:
            tail = next(
                (
                    item
                    for item in lines[index + 1 : index + 200]
                    if re.match(r"^[A-Za-z_.]+(Error|Exception)\b", item)
                ),
                "?",
            )
            found.append(f"{line.split('Internal Server Error: ')[-1]}: {tail}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-time", type=int, default=90, help="seconds per role")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="schemathesis-"))
    database_url, pg_name = throwaway_database(tmp)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TEST_"))},
        "DJANGO_SETTINGS_MODULE": "studyapp.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VAR_DIR": str(tmp),
        "STATIC_ROOT": str(tmp / "static"),
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": "",
        "JWT_ACCESS_MINUTES": "60",
        "AUTH_THROTTLE_RATE": "100000/minute",
        "AUTH_ACCOUNT_THROTTLE_RATE": "100000/minute",
        "JOIN_THROTTLE_RATE": "100000/minute",
        "JOIN_USER_THROTTLE_RATE": "100000/minute",
    }
    server = None
    server_log = (tmp / "server.log").open("w")
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SEED], cwd=ROOT, env=env, check=True
        )
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "studyapp.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--timeout",
                "60",
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=server_log,
        )
        wait_until_up(base, server)
        failed = False
        for role in ("student", "teacher"):
            code, _ = fuzz(
                base, role, token(base, f"fuzz_{role}"), args, env, tmp / f"junit-{role}.xml"
            )
            failed |= code != 0
        errors = server_errors(tmp / "server.log")
        print(f"server log: {len(errors)} internal server errors")
        for error in sorted(set(errors)):
            print(f"  {error}")
        return 1 if failed or errors else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        server_log.close()
        if pg_name:
            drop_database(pg_name)
        if os.environ.get("KEEP_FUZZ_DIR"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
