"""The generator is pure: running it loads no Django and opens no network connection."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_generation_runs_without_django_or_network():
    code = (
        "import socket, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from quizzes.core.generation import PassageInput, generate, nlp\n"
        "from quizzes.core.generation import llm  # noqa: F401\n"
        "from quizzes.core.generation.deck import build_deck_inventory\n"
        "text = 'In 1921, the Tenth Party Congress adopted the New Economic Policy after debate.'\n"
        "docs = nlp.parse([text])\n"
        "out = generate(PassageInput(1, text, 'h', 't', 'Simon Pirani', 'd'), docs[0],\n"
        "               build_deck_inventory(docs), 0, min_score=0.0)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')]\n"
        "print(len(out) > 0, ','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"
