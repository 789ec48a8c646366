"""The optional LLM backend: request building and strict validation of replies."""

from __future__ import annotations

import json

from quizzes.core.generation.llm import RESPONSE_SCHEMA, build_request, parse_reply

from .conftest import make_passage

TEXT = (
    "In 1921, the Tenth Party Congress adopted the New Economic Policy.\n"
    "Isaak Zelensky, the Moscow party secretary, complained that the party was like a pump."
)


def _item(**overrides):
    item = {
        "kind": "short_answer",
        "prompt": "According to Pirani, who was the Moscow party secretary?",
        "answer": "Isaak Zelensky",
        "accepted_answers": ["Zelensky"],
        "choices": [],
        "evidence": "Isaak Zelensky, the Moscow party secretary, complained",
        "explanation": "Stated in the passage.",
    }
    item.update(overrides)
    return item


def test_request_asks_for_json_schema_output_and_names_the_author():
    body = build_request(make_passage(TEXT), model="qwen2.5:7b", max_questions=4)
    assert body["model"] == "qwen2.5:7b"
    assert body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == RESPONSE_SCHEMA
    assert "According to Pirani" in body["messages"][0]["content"]
    assert TEXT in body["messages"][1]["content"]
    json.dumps(body)  # serialisable as is


def test_valid_item_becomes_a_candidate_with_a_real_evidence_span():
    reply = {"choices": [{"message": {"content": json.dumps({"questions": [_item()]})}}]}
    parsed = parse_reply(make_passage(TEXT), reply)
    assert parsed.rejected == ()
    [candidate] = parsed.candidates
    assert candidate.answer == "Isaak Zelensky"
    evidence = TEXT[candidate.evidence_start : candidate.evidence_end]
    assert evidence == "Isaak Zelensky, the Moscow party secretary, complained"


def test_invalid_items_are_dropped_with_a_reason():
    items = [
        _item(kind="essay"),
        _item(evidence="Zelensky was the leader of the Red Army"),
        _item(answer="Trotsky"),
        _item(prompt="Who was he?"),
        _item(kind="cloze", prompt="According to Pirani, Isaak Zelensky was the Moscow secretary."),
        _item(
            kind="multiple_choice",
            choices=["Isaak Zelensky", "Zelensky", "Lenin", "Trotsky"],
        ),
        _item(kind="true_false", answer="Maybe"),
    ]
    parsed = parse_reply(make_passage(TEXT), json.dumps({"questions": items}))
    assert parsed.candidates == ()
    assert [reason for _, reason in parsed.rejected] == [
        "invalid kind 'essay'",
        "evidence not found in passage",
        "key not in evidence",
        "prompt depends on context (pronoun or 'this')",
        "cloze prompt needs exactly one blank",
        "distractor 'Zelensky' is a variant of the key",
        "true/false answer must be True or False",
    ]


def test_unreadable_reply_is_rejected_not_raised():
    parsed = parse_reply(make_passage(TEXT), "not json")
    assert parsed.candidates == ()
    assert parsed.rejected[0][0] == -1
