"""Save a screenshot of every main page, at desktop and phone width, to docs/screenshots/.

Usage: .venv/bin/python scripts/screenshots.py

Runs the browser test that visits each page (tests/browser/test_screenshots.py)
against a fresh test database with demo data, using Debian's Chromium
(/usr/bin/chromium), and keeps the pictures. Needs no network.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = {
        **os.environ,
        "SAVE_SCREENSHOTS": "1",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        "REQUIRE_SERVICES": "1",
    }
    command = [sys.executable, "-m", "pytest", "tests/browser/test_screenshots.py", "-q"]
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if result.returncode == 0:
        print(f"Screenshots saved in {ROOT / 'docs' / 'screenshots'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
