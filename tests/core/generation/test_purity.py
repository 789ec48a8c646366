"""The generator is pure: importing and running it loads no Django and no network client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_generation_runs_without_django_or_network_modules():
    code = (
        "import sys\n"
        "from quizzes.core.generation import PassageInput, build_inventory, generate\n"
        "from quizzes.core.generation import llm  # noqa: F401\n"
        "text = 'In 1921, the Tenth Party Congress adopted the New Economic Policy after debate.'\n"
        "generate(PassageInput(1, text, 'h', 't', 'Simon Pirani', 'd'), build_inventory([text]))\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('django', 'rest_framework', 'requests', 'urllib3', 'httpx', 'socket')]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
