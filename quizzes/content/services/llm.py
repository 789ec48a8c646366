"""Drafting questions with an OpenAI-compatible chat-completions endpoint.

Used only when QGEN_LLM_URL is set (for example a local Ollama or vLLM). The
model drafts under a JSON schema; every item is validated against the passage
by the core (key present, evidence a real span) and scored like rule-based
questions. Any failure returns None so the caller falls back to the rules.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from quizzes.core.generation import Candidate, PassageInput
from quizzes.core.generation.llm import build_request, parse_reply

logger = logging.getLogger(__name__)


def llm_enabled() -> bool:
    return bool(settings.QGEN_LLM_URL and settings.QGEN_LLM_MODEL)


def llm_candidates(passage: PassageInput, *, max_questions: int) -> list[Candidate] | None:
    """The model's validated questions for a passage, or None on any error."""
    body = build_request(
        passage, model=settings.QGEN_LLM_MODEL, max_questions=max_questions, seed=passage.passage_id
    )
    headers = {"Content-Type": "application/json"}
    if settings.QGEN_LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.QGEN_LLM_API_KEY}"
    request = urllib.request.Request(
        settings.QGEN_LLM_URL,
        data=json.dumps(body).encode("utf-8"),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.QGEN_LLM_TIMEOUT) as response:
            reply = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        logger.warning("LLM request for passage %s failed: %s", passage.passage_id, exc)
        return None
    parsed = parse_reply(passage, reply)
    for index, reason in parsed.rejected:
        logger.info("LLM item %s for passage %s dropped: %s", index, passage.passage_id, reason)
    if not parsed.candidates:
        return None
    return list(parsed.candidates)[:max_questions]
