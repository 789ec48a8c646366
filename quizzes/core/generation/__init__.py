"""Question generation from curated passages: pure Python, deterministic, offline.

Public API: :func:`generate`, :func:`build_inventory`, the value types and
:data:`GENERATOR_VERSION`.

Stages (``pipeline.generate``):

1. ``analysis``: split the passage into sentences (rule-based, offsets kept), find
   entity mentions (``entities``: regex dates and numbers, the curated ``gazetteer``,
   capitalised names typed by head words), and check each sentence can stand alone
   (``quality``: no unresolved pronoun, no "this/these", no context opener, no hedge,
   no first person, no damage). A sentence that fails is rewritten when that is safe
   (``analysis``): discourse connectives dropped ("However, ..."), an opening pronoun
   replaced by an unambiguous antecedent in the previous sentence ("He said" ->
   "Shliapnikov said"; never asked for), or the first of two coordinated clauses kept.
   Explanations always quote the sentence as the passage gives it.
2. templates: ``cloze`` (one blank on a name, date, number or key concept; multiple
   choice when three same-kind distractors exist, from ``choices``; no options for a
   date bounding a period, "after 1957", nor for the holder of a view), ``short_answer``
   (who/which, in/by what year, passive "X was formed in 1889", "the X revolt began in
   March", what did X dissolve/introduce, in which city, who put forward the theory of
   Y, appositive, role and acronym definitions), ``true_false`` (the statement, or one
   date/number/person swapped for another of the same kind).
3. rank by a hand-weighted score, keep one question per fact, at most two per sentence,
   one true/false item per passage, and a budget that grows with passage length, plus
   up to two more strong questions (score >= 0.8) in dense passages.

Every statement is attributed ("According to Pirani, ...") because the sources are
argumentative and sometimes disagree. Two questions on the same sentence (same
``evidence_start``) may reveal each other's answers: fine as flashcards; a quiz
builder should take at most one of them.

Rarity scores use wordfreq (code Apache-2.0, data CC BY-SA 4.0: attribute it).
The optional LLM backend (``llm``) only builds requests and validates replies.
"""

from .entities import Inventory, build_inventory
from .pipeline import GENERATOR_VERSION, generate, overgenerate
from .types import Candidate, Entity, PassageInput

__all__ = [
    "GENERATOR_VERSION",
    "Candidate",
    "Entity",
    "Inventory",
    "PassageInput",
    "build_inventory",
    "generate",
    "overgenerate",
]
