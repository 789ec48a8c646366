"""The generator: overgenerate from every template, filter, rank, de-duplicate, keep a few."""

from __future__ import annotations

from .analysis import analyse, rng_for
from .cloze import cloze_candidates
from .entities import Inventory
from .noun_phrases import TEMPLATE as NP_TEMPLATE
from .noun_phrases import noun_phrase_candidates
from .quality import gives_away
from .short_answer import (
    by_agent_questions,
    definition_questions,
    event_date_questions,
    object_questions,
    role_first_questions,
    when_questions,
    who_questions,
)
from .text import content_stems
from .true_false import true_false_candidates
from .types import Candidate, PassageInput

GENERATOR_VERSION = "rules-2026.11.24.4"

MIN_SCORE = 0.6
# Beyond the length budget a passage may take up to EXTRA_STRONG more questions, each
# scoring at least STRONG_SCORE (dense passages with several safe facts).
STRONG_SCORE = 0.8
EXTRA_STRONG = 2
# A sentence may carry a third item only from this many words of prompt.
LONG_SENTENCE_WORDS = 24
# At most this many common-noun-phrase cloze items per passage.
MAX_NOUN_PHRASES = 2
# Ties are broken towards kinds that tell a teacher more about understanding.
_KIND_ORDER = {"short_answer": 0, "multiple_choice": 1, "cloze": 2, "true_false": 3}


def default_budget(word_count: int) -> int:
    """How many questions a passage of ``word_count`` words gets (longer, denser: more)."""
    return max(3, min(7, 1 + word_count // 30))


def overgenerate(passage: PassageInput, inventory: Inventory) -> list[Candidate]:
    """Every candidate every template produces for ``passage``, unfiltered and unranked."""
    analysis = analyse(passage, inventory)
    out: list[Candidate] = []
    for context in analysis.contexts:
        start = len(out)
        out.extend(definition_questions(context))
        out.extend(who_questions(context))
        out.extend(when_questions(context))
        out.extend(event_date_questions(context))
        out.extend(role_first_questions(context))
        out.extend(by_agent_questions(context))
        out.extend(object_questions(context))
        out.extend(cloze_candidates(context, GENERATOR_VERSION))
        out.extend(noun_phrase_candidates(context, GENERATOR_VERSION))
        out.extend(true_false_candidates(context, GENERATOR_VERSION))
        if context.prefix:
            # "According to “The Workers' Opposition”, which group ...": the title
            # that attributes the claim must not name the answer
            out[start:] = [
                c
                for c in out[start:]
                if c.kind == "true_false" or not gives_away(c.answer, context.prefix)
            ]
    return out


def _fact_key(candidate: Candidate) -> tuple[int, str]:
    return candidate.evidence_start, candidate.answer.lower()


def _blank_position(candidate: Candidate) -> int:
    """Where a cloze blank sits: of two equal blanks in a sentence the first is asked."""
    return max(0, candidate.prompt.find("_____"))


def generate(
    passage: PassageInput, inventory: Inventory, *, max_questions: int | None = None
) -> list[Candidate]:
    """Questions for ``passage``, best first.

    Deterministic for the same passage, inventory and :data:`GENERATOR_VERSION`.
    At most one question per fact (sentence and answer), at most two per sentence and
    then of different templates, one true/false item per passage, and never the same
    answer twice. Two questions on one sentence (same ``evidence_start``) may reveal
    each other's answers: they are fine as separate flashcards, but a quiz should take
    at most one of them. A passage gets :func:`default_budget` questions, and up to
    ``EXTRA_STRONG`` more when further candidates score ``STRONG_SCORE`` or better.
    """
    candidates = [c for c in overgenerate(passage, inventory) if c.score >= MIN_SCORE]
    rng = rng_for(passage, GENERATOR_VERSION, "tf-polarity")
    keep_true = rng.random() < 0.4
    candidates = [c for c in candidates if c.template != ("tf_false" if keep_true else "tf_true")]
    candidates.sort(
        key=lambda c: (
            -c.score,
            _KIND_ORDER[c.kind],
            c.evidence_start,
            _blank_position(c),
            c.prompt,
        )
    )
    budget = (
        max_questions if max_questions is not None else default_budget(len(passage.text.split()))
    )
    extra = EXTRA_STRONG if max_questions is None else 0  # an explicit cap is a cap
    chosen: list[Candidate] = []
    facts: set[tuple[int, str]] = set()
    answers: set[str] = set()
    per_sentence: dict[int, int] = {}
    kinds: dict[str, int] = {}
    seen_stems: list[set[str]] = []
    taken: set[int] = set()
    # First pass: one blank per template and sentence, two per sentence. Second pass,
    # only to fill the budget: a second blank of the same template. Third pass: a third
    # item on a long sentence (a list of three leaders, a date and a place).
    for sentence_cap, relaxed in ((2, False), (2, True), (3, True)):
        for index, candidate in enumerate(candidates):
            if len(chosen) >= budget + extra:
                break
            if len(chosen) >= budget and candidate.score < STRONG_SCORE:
                break  # candidates are sorted by score: no strong one follows
            if index in taken:
                continue
            fact = _fact_key(candidate)
            if fact in facts or per_sentence.get(candidate.evidence_start, 0) >= sentence_cap:
                continue
            if sentence_cap > 2 and len(candidate.prompt.split()) < LONG_SENTENCE_WORDS:
                continue
            if candidate.kind != "true_false" and candidate.answer.lower() in answers:
                continue
            if candidate.kind == "true_false" and kinds.get("true_false", 0) >= 1:
                continue
            if (
                candidate.template == NP_TEMPLATE
                and sum(c.template == NP_TEMPLATE for c in chosen) >= MAX_NOUN_PHRASES
            ):
                continue  # common-noun concepts fill gaps; names and dates come first
            same_sentence = [c for c in chosen if c.evidence_start == candidate.evidence_start]
            if candidate.kind != "true_false" and any(
                gives_away(candidate.answer, c.prompt)
                for c in chosen
                if c.kind != "true_false" and c.evidence_start != candidate.evidence_start
            ):
                continue  # a question on another sentence would give this one's answer away
            if not relaxed and any(c.template == candidate.template for c in same_sentence):
                continue  # two blanks in one sentence: keep the better one
            stems = content_stems(candidate.prompt)
            if not same_sentence and any(
                len(stems & s) / max(1, len(stems | s)) > 0.8 for s in seen_stems
            ):
                continue
            chosen.append(candidate)
            taken.add(index)
            facts.add(fact)
            answers.add(candidate.answer.lower())
            per_sentence[candidate.evidence_start] = (
                per_sentence.get(candidate.evidence_start, 0) + 1
            )
            kinds[candidate.kind] = kinds.get(candidate.kind, 0) + 1
            seen_stems.append(stems)
    order = {id(c): i for i, c in enumerate(candidates)}
    return sorted(chosen, key=lambda c: order[id(c)])
