"""Plain value types shared by the question generator.

Everything here is immutable and free of Django, so the generator can be tested and
run anywhere (a Celery task, a script, a notebook).
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS: tuple[str, ...] = ("cloze", "short_answer", "multiple_choice", "true_false")

# Entity kinds that are safe to swap for distractors and true/false items.
TYPED_KINDS: frozenset[str] = frozenset(
    {"PERSON", "ORG", "PLACE", "EVENT", "DATE", "NUMBER", "TERM"}
)


@dataclass(frozen=True)
class PassageInput:
    """One passage of a curated source, as the generator receives it."""

    passage_id: int
    text: str
    heading: str
    source_title: str
    author: str
    deck_title: str


@dataclass(frozen=True)
class Entity:
    """A typed span: a person, organisation, place, event, date, number or key term.

    ``key`` is the canonical form used to recognise spelling variants of the same
    entity (``Kronshtadt`` / ``Kronstadt``); ``subkind`` refines the kind for
    distractor choice (a party for a party, a city for a city).
    """

    text: str
    kind: str
    key: str = ""
    subkind: str = ""


@dataclass(frozen=True)
class Mention:
    """An entity found at a character span of a text."""

    entity: Entity
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage: its character span and its text with whitespace collapsed."""

    start: int
    end: int
    text: str
    index: int


@dataclass(frozen=True)
class Candidate:
    """One generated question.

    ``choices`` holds the key and three distractors for multiple choice (in a
    deterministic shuffled order) and ``("True", "False")`` for true/false.
    ``evidence_start``/``evidence_end`` delimit the span of ``PassageInput.text``
    that supports the key. ``score`` is in 0..1 and ``reasons`` explain it.
    """

    kind: str
    prompt: str
    answer: str
    accepted_answers: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    evidence_start: int = 0
    evidence_end: int = 0
    explanation: str = ""
    score: float = 0.0
    reasons: tuple[str, ...] = field(default_factory=tuple)
    answer_kind: str = ""
    template: str = ""
    # what the ranker reads (rule, kinds, lengths, flags); not stored with the question
    features: dict = field(default_factory=dict, compare=False, hash=False)
