"""Drawing questions for a quiz set: spread across passages, best-scored first.

Pure code: takes plain candidates, returns their ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    question_id: int
    passage_key: tuple[int, ...]  # reading order of the passage (source, deck, passage)
    score: float


def draw_spread(candidates: Sequence[Candidate], count: int) -> list[int]:
    """Pick `count` questions, then return them in reading order.

    Picking goes in rounds: round 1 takes each passage's best question, round 2
    each passage's second best, and so on; within a round the better-scored
    question comes first. So no passage gives a second question before every
    passage has given one, and among equals the higher quality score wins. Ties
    fall to the passage earlier in the text, then the lower id, so a draw is
    repeatable.
    """
    by_passage: dict[tuple[int, ...], list[Candidate]] = {}
    for candidate in candidates:
        by_passage.setdefault(candidate.passage_key, []).append(candidate)
    for group in by_passage.values():
        group.sort(key=lambda c: (-c.score, c.question_id))

    picked: list[Candidate] = []
    depth = 0
    while len(picked) < count:
        round_ = [group[depth] for group in by_passage.values() if len(group) > depth]
        if not round_:
            break
        round_.sort(key=lambda c: (-c.score, c.passage_key, c.question_id))
        picked.extend(round_[: count - len(picked)])
        depth += 1
    picked.sort(key=lambda c: (c.passage_key, -c.score, c.question_id))
    return [c.question_id for c in picked]
