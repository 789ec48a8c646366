"""Optional LLM backend: build a chat-completions request, validate the model's reply.

Pure functions only. The HTTP call lives in a Django service; this module never
touches the network. Every item of a reply is checked the same way as rule-based
output: the evidence must be a real span of the passage, the key must occur in it,
the kind must be valid, and multiple-choice options must be distinct and contain the
key exactly once. Invalid items are dropped with a reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .text import (
    FIRST_PERSON,
    PRONOUNS_PERSON,
    PRONOUNS_PLURAL,
    stem,
    strip_quotes,
    surname,
    words,
)
from .types import KINDS, Candidate, PassageInput

LLM_PROMPT_VERSION = "llm-2026.11.24.1"
BLANK = "_____"

RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["questions"],
    "properties": {
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "kind",
                    "prompt",
                    "answer",
                    "accepted_answers",
                    "choices",
                    "evidence",
                    "explanation",
                ],
                "properties": {
                    "kind": {"type": "string", "enum": list(KINDS)},
                    "prompt": {"type": "string"},
                    "answer": {"type": "string"},
                    "accepted_answers": {"type": "array", "items": {"type": "string"}},
                    "choices": {"type": "array", "items": {"type": "string"}},
                    "evidence": {"type": "string"},
                    "explanation": {"type": "string"},
                },
            },
        }
    },
}

_SYSTEM = (
    "You write study questions a careful teacher would accept. Each question must make sense "
    "on its own (name its subject; never 'he', 'this group', 'the first'), be answerable from "
    "the passage alone, and have exactly one correct, complete key. Attribute the author's "
    "opinions and contested figures ('According to {author}, ...'). Kinds: cloze (one blank "
    "written as _____ on a key term, name, date or number, never a stop word), short_answer "
    "(who/what/when/where/how many), multiple_choice (the key and three distractors of the same "
    "kind: person for person, year for year; plausible but wrong; never a synonym or a second "
    "true answer), true_false (a statement; the answer is True or False; never insert 'not'). "
    "'evidence' must be copied exactly from the passage and contain the key. Prefer three "
    "excellent questions to ten mediocre ones."
)


def build_request(
    passage: PassageInput, *, model: str, max_questions: int = 5, seed: int = 0
) -> dict[str, Any]:
    """The JSON body of a POST /v1/chat/completions request for ``passage``."""
    author = surname(passage.author) or passage.source_title or "the text"
    user = (
        f"Source: {passage.source_title}\nAuthor: {passage.author or 'unsigned'}\n"
        f"Section: {passage.heading}\n\nPassage:\n{passage.text}\n\n"
        f"Write at most {max_questions} questions as JSON."
    )
    return {
        "model": model,
        "temperature": 0,
        "seed": seed,
        "messages": [
            {"role": "system", "content": _SYSTEM.format(author=author)},
            {"role": "user", "content": user},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "study_questions", "strict": True, "schema": RESPONSE_SCHEMA},
        },
    }


@dataclass(frozen=True)
class ParsedReply:
    """Valid candidates and the reasons invalid items were dropped (item index, reason)."""

    candidates: tuple[Candidate, ...]
    rejected: tuple[tuple[int, str], ...]


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).lower()


def find_evidence(passage_text: str, evidence: str) -> tuple[int, int] | None:
    """The span of ``evidence`` in ``passage_text``, tolerant of whitespace and quote style."""
    tokens = evidence.split()
    if not tokens:
        return None
    parts = [
        re.escape(t)
        .replace("'", "['’]")
        .replace("’", "['’]")
        .replace('"', '["“”]')
        .replace("“", '["“”]')
        .replace("”", '["“”]')
        for t in tokens
    ]
    match = re.search(r"\s+".join(parts), passage_text)
    return (match.start(), match.end()) if match else None


def _content(reply: str | dict[str, Any]) -> Any:
    if isinstance(reply, dict) and "choices" in reply:
        reply = reply["choices"][0]["message"]["content"]
    if isinstance(reply, str):
        return json.loads(reply)
    return reply


def _validate(item: Any, passage: PassageInput) -> Candidate | str:
    if not isinstance(item, dict):
        return "item is not an object"
    kind = item.get("kind")
    if kind not in KINDS:
        return f"invalid kind {kind!r}"
    prompt = str(item.get("prompt", "")).strip()
    answer = str(item.get("answer", "")).strip()
    if not prompt or not answer:
        return "empty prompt or answer"
    unresolved = PRONOUNS_PERSON | PRONOUNS_PLURAL | FIRST_PERSON | {"this", "these"}
    if any(w in unresolved for w in words(strip_quotes(prompt))):
        return "prompt depends on context (pronoun or 'this')"
    span = find_evidence(passage.text, str(item.get("evidence", "")))
    if span is None:
        return "evidence not found in passage"
    evidence = passage.text[span[0] : span[1]]
    choices = tuple(str(c).strip() for c in item.get("choices") or ())
    if kind == "true_false":
        if answer not in ("True", "False"):
            return "true/false answer must be True or False"
        choices = ("True", "False")
    elif _norm(answer) not in _norm(evidence):
        return "key not in evidence"
    if kind == "cloze" and prompt.count(BLANK) != 1:
        return "cloze prompt needs exactly one blank"
    if kind == "cloze" and _norm(answer) in _norm(prompt.replace(BLANK, " ")):
        return "answer given away in the stem"
    if kind == "multiple_choice":
        if len(choices) != 4 or len({_norm(c) for c in choices}) != 4:
            return "multiple choice needs four distinct options"
        if sum(_norm(c) == _norm(answer) for c in choices) != 1:
            return "key must appear exactly once among the options"
        key_stems = {stem(w) for w in words(answer)}
        for choice in choices:
            if _norm(choice) != _norm(answer) and (
                _norm(choice) in _norm(answer)
                or _norm(answer) in _norm(choice)
                or key_stems == {stem(w) for w in words(choice)}
            ):
                return f"distractor {choice!r} is a variant of the key"
    elif kind != "true_false":
        choices = ()
    accepted = tuple(str(a) for a in item.get("accepted_answers") or ()) or (answer,)
    return Candidate(
        kind=kind,
        prompt=prompt,
        answer=answer,
        accepted_answers=accepted,
        choices=choices,
        evidence_start=span[0],
        evidence_end=span[1],
        explanation=str(item.get("explanation", "")),
        score=0.7,
        reasons=("llm", LLM_PROMPT_VERSION, "validated"),
        answer_kind="LLM",
        template="llm",
    )


def parse_reply(passage: PassageInput, reply: str | dict[str, Any]) -> ParsedReply:
    """Validate a model reply (the message content, or the whole completion) for ``passage``."""
    try:
        data = _content(reply)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        return ParsedReply((), ((-1, f"unreadable reply: {error}"),))
    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return ParsedReply((), ((-1, "reply has no 'questions' list"),))
    candidates: list[Candidate] = []
    rejected: list[tuple[int, str]] = []
    for index, item in enumerate(items):
        result = _validate(item, passage)
        if isinstance(result, str):
            rejected.append((index, result))
        else:
            candidates.append(result)
    return ParsedReply(tuple(candidates), tuple(rejected))
