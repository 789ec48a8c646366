"""Per-passage analysis shared by the templates: sentences, mentions, checks, attribution."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from .entities import Inventory, find_mentions
from .quality import SentenceCheck, check_sentence
from .text import split_sentences, surname
from .types import Mention, PassageInput, Sentence


@dataclass(frozen=True)
class SentenceContext:
    """One sentence with everything a template needs to turn it into questions."""

    passage: PassageInput
    sentence: Sentence
    mentions: tuple[Mention, ...]  # offsets relative to ``sentence.text``
    check: SentenceCheck
    author_name: str  # "Pirani", or "" when the source is unsigned
    passage_keys: frozenset[str]  # canonical keys of every entity in the passage
    inventory: Inventory

    @property
    def prefix(self) -> str:
        """ "According to Pirani, " (every statement says whose account it follows).

        Unsigned sources are named by title; a sentence that already attributes its
        claim ("According to Evans, ...") keeps its own attribution only.
        """
        if "according to" in self.sentence.text.lower():
            return ""
        if self.author_name:
            return f"According to {self.author_name}, "
        if self.passage.source_title:
            return f"According to “{self.passage.source_title}”, "
        return ""

    def opening(self) -> str:
        """The sentence text ready to follow the prefix (first letter lowered if not a name)."""
        text = self.sentence.text
        if not self.prefix:
            return text
        first = text.split(" ", 1)[0].strip("‘“\"'")
        starts_with_name = any(m.start == 0 for m in self.mentions)
        acronym = len(first) > 1 and first.isupper()
        if starts_with_name or acronym or self.inventory.is_name(first):
            return text
        return text[0].lower() + text[1:]


@dataclass(frozen=True)
class Analysis:
    """A passage split into sentence contexts."""

    passage: PassageInput
    contexts: tuple[SentenceContext, ...]
    word_count: int


def seed_for(passage: PassageInput, version: str) -> int:
    """A seed derived from the passage text and the generator version (no global state)."""
    digest = hashlib.sha256(f"{version}\x00{passage.text}".encode()).hexdigest()
    return int(digest[:16], 16)


def rng_for(passage: PassageInput, version: str, salt: str) -> random.Random:
    """A private, deterministic random generator for one decision."""
    return random.Random(
        seed_for(passage, version) ^ int(hashlib.sha256(salt.encode()).hexdigest()[:16], 16)
    )


def analyse(passage: PassageInput, inventory: Inventory) -> Analysis:
    """Split, tag and check every sentence of ``passage``."""
    sentences = split_sentences(passage.text)
    per_sentence = [tuple(find_mentions(s.text, inventory)) for s in sentences]
    keys = frozenset(m.entity.key for mentions in per_sentence for m in mentions)
    author_name = surname(passage.author)
    contexts = tuple(
        SentenceContext(
            passage=passage,
            sentence=s,
            mentions=mentions,
            check=check_sentence(s, list(mentions)),
            author_name=author_name,
            passage_keys=keys,
            inventory=inventory,
        )
        for s, mentions in zip(sentences, per_sentence, strict=True)
    )
    return Analysis(passage=passage, contexts=contexts, word_count=len(passage.text.split()))
