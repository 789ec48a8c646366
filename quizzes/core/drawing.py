"""Drawing questions for a quiz set: spread across passages, best-scored first.

Pure code: takes plain candidates, returns their ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from quizzes.core.coverage import normalise_answer

_TRUTH_VALUES = frozenset({"true", "false"})


@dataclass(frozen=True, slots=True)
class Candidate:
    question_id: int
    passage_key: tuple[int, ...]  # reading order of the passage (source, deck, passage)
    score: float
    evidence: tuple[int, int] = (0, 0)  # character span of the evidence in the passage
    prompt: str = ""
    key: str = ""
    choices: tuple[str, ...] = ()
    kind: str = ""
    _texts: tuple[tuple[str, ...], ...] = field(init=False, repr=False, compare=False)
    _key: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        texts = tuple(_tokens(text) for text in (self.prompt, *self.choices) if text)
        key = () if self.kind == "true_false" else _tokens(self.key)
        if len(key) == 1 and key[0] in _TRUTH_VALUES:
            key = ()
        object.__setattr__(self, "_texts", texts)
        object.__setattr__(self, "_key", key)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(normalise_answer(re.sub(r"_{2,}", " ", text)).split())


def _contains(tokens: tuple[str, ...], run: tuple[str, ...]) -> bool:
    width = len(run)
    return any(tokens[i : i + width] == run for i in range(len(tokens) - width + 1))


def gives_away(item: Candidate, other: Candidate) -> bool:
    """Does ``item``'s prompt or one of its choices contain ``other``'s key (normalised)?

    Keys and texts are compared as word sequences after the answer normalisation of
    ``quizzes.core.coverage`` (case, quotes, dashes, articles, number words, dates),
    so "Which congress met in March 1921?" gives away the key "march 1921" and
    "ten" gives away "10". True/false keys give nothing away.
    """
    return bool(other._key) and any(_contains(text, other._key) for text in item._texts)


def same_sentence(item: Candidate, other: Candidate) -> bool:
    """Are both items about one passage and do their evidence spans overlap?"""
    if item.passage_key != other.passage_key:
        return False
    (start, end), (other_start, other_end) = item.evidence, other.evidence
    return start < other_end and other_start < end


def clash(item: Candidate, other: Candidate) -> bool:
    """May the two not stand in one quiz set (one sentence, or one answers the other)?"""
    return same_sentence(item, other) or gives_away(item, other) or gives_away(other, item)


def draw_spread(candidates: Sequence[Candidate], count: int) -> list[int]:
    """Pick up to `count` questions, then return them in reading order.

    Picking goes in rounds: each round takes every passage's best remaining
    question; within a round the better-scored question comes first. So no passage
    gives a second question before every passage has given one, and among equals
    the higher quality score wins. Ties fall to the passage earlier in the text,
    then the lower id, so a draw is repeatable.

    A question that clashes with one already picked (see :func:`clash`: evidence
    overlapping in the same passage, i.e. the same sentence, or a prompt or choice
    containing the other's key) is passed over for good, and its passage offers its
    next question instead. Fewer than `count` come back when the clashes leave too
    few.
    """
    by_passage: dict[tuple[int, ...], list[Candidate]] = {}
    for candidate in candidates:
        by_passage.setdefault(candidate.passage_key, []).append(candidate)
    for group in by_passage.values():
        group.sort(key=lambda c: (-c.score, c.question_id))

    picked: list[Candidate] = []
    while len(picked) < count:
        heads: list[Candidate] = []
        for group in by_passage.values():
            while group and any(clash(group[0], chosen) for chosen in picked):
                group.pop(0)
            if group:
                heads.append(group[0])
        if not heads:
            break
        heads.sort(key=lambda c: (-c.score, c.passage_key, c.question_id))
        for head in heads:
            if len(picked) == count:
                break
            if any(clash(head, chosen) for chosen in picked):
                continue  # clashes with a pick of this round; dropped next round
            picked.append(head)
            by_passage[head.passage_key].remove(head)
    picked.sort(key=lambda c: (c.passage_key, -c.score, c.question_id))
    return [c.question_id for c in picked]
