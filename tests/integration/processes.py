"""Real worker and beat processes for the job and fault tests, killable as a group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.integration.conftest import ROOT, _process_env

# Short job timings for the processes these tests start (production: 10 s, 60 s, 30 s).
FAST_JOBS = {
    "JOB_HEARTBEAT_SECONDS": "1",
    "JOB_HEARTBEAT_TIMEOUT_SECONDS": "4",
    "JOB_RESEND_SECONDS": "8",
}


class Process:
    """One `celery` process in its own process group, with its log."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._handle = log.open("ab")
        self.popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, text: str, seconds: float, *, count: int = 1) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.text().count(text) >= count:
                return
            if self.popen.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"process did not log {text!r} x{count}:\n{self.text()[-6000:]}")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_group(self) -> None:
        """SIGKILL the process and every child: a crashed machine, an OOM kill."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill_group()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)  # orphaned pool children
        self._handle.close()


def worker_command(*, name: str, pool: str = "prefork", concurrency: int = 1) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "studyapp",
        "worker",
        "--pool",
        pool,
        "--loglevel",
        "INFO",
        "--without-mingle",
        "--without-gossip",
        "--hostname",
        f"{name}@%h",
    ]
    if pool == "prefork":
        command += ["--concurrency", str(concurrency)]
    return command


def beat_command(schedule: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "studyapp",
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(schedule),
        "--pidfile",
        "",
    ]


def filesystem_broker_env(var_dir: Path) -> dict[str, str]:
    """Environment for processes on the embedded broker kept in files (`make run`'s)."""
    return {"REDIS_URL": "", "CELERY_BROKER_URL": "filesystem://", "VAR_DIR": str(var_dir)}


@contextlib.contextmanager
def app_broker(url: str, options: dict | None = None) -> Iterator[None]:
    """Point this (the test) process's Celery app at another broker for a while."""
    from studyapp.celery import app

    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = url
    app.conf.broker_transport_options = options or {}
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved


def filesystem_broker_options(var_dir: Path) -> dict[str, str]:
    broker = var_dir / "broker"
    for folder in ("queue", "processed", "control"):
        (broker / folder).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(broker / "queue"),
        "data_folder_out": str(broker / "queue"),
        "processed_folder": str(broker / "processed"),
        "control_folder": str(broker / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }


class SlowModel:
    """A chat-completions endpoint that answers every request after `delay` seconds
    with an error, so each passage takes that long and the rules then generate it."""

    def __init__(self, delay: float) -> None:
        outer = self
        self.requests = 0
        self.delay = delay

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests += 1
                time.sleep(outer.delay)
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.env = {
            "QGEN_LLM_URL": f"http://127.0.0.1:{self.server.server_port}/v1/chat/completions",
            "QGEN_LLM_MODEL": "slow-test-model",
            "QGEN_LLM_TIMEOUT": "30",
        }
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_until(predicate: Callable[[], object], seconds: float, what: str) -> float:
    """Poll until `predicate()` is true; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def env_for(**extra: str) -> dict[str, str]:
    return _process_env(**extra)
