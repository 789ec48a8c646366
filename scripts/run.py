"""`make run`: prepare the database and start the web server, a Celery worker and beat.

Ctrl-C (or SIGTERM) stops every process this started. Running it again keeps
the data: migrations and demo setup are idempotent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("demo_setup")
    manage("import_sources")
    manage("generate_questions", "--curated", "--approve")

    broker_args = [] if os.environ.get("REDIS_URL") else ["--without-mingle", "--without-gossip"]
    commands = {
        "web": [
            str(BIN / "gunicorn"), "studyapp.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", "2", "--threads", "4",
            "--no-control-socket", "--access-logfile", "-",
        ],
        "worker": [
            str(BIN / "celery"), "-A", "studyapp", "worker", "--loglevel", "INFO",
            "--concurrency", os.environ.get("WORKER_CONCURRENCY", "2"), *broker_args,
        ],
        "beat": [
            str(BIN / "celery"), "-A", "studyapp", "beat", "--loglevel", "INFO",
            "--schedule", str(var / "celerybeat-schedule"), "--pidfile", "",
        ],
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    for name, command in commands.items():
        processes[name] = subprocess.Popen(command, cwd=ROOT)

    print(f"\nStudy service: http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs/)")
    print("Press Ctrl-C to stop the web server, worker and beat.\n", flush=True)

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} exited with code {process.returncode}; stopping the rest.")
                exit_code = process.returncode or 1
                stopping = True
                break
        time.sleep(0.5)

    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
