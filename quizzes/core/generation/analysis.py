"""Per-passage analysis shared by the templates: sentences, mentions, checks, attribution."""

from __future__ import annotations

import hashlib
import os
import random
import re
from dataclasses import dataclass

from .entities import Inventory, find_mentions
from .quality import SentenceCheck, check_sentence, inside_quotes
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
    # The sentence as the passage gives it, when ``sentence.text`` was rewritten (an
    # opening pronoun replaced by its antecedent, or a trailing clause dropped).
    source_text: str = ""
    rewrite: str = ""  # "resolved" or "clause" when rewritten
    # Characters at the start of ``sentence.text`` that name a resolved antecedent: not in
    # this sentence of the passage, so never asked for.
    inserted_end: int = 0

    def is_inserted(self, start: int) -> bool:
        """True when a span starting at ``start`` is the inserted antecedent."""
        return start < self.inserted_end

    @property
    def evidence_text(self) -> str:
        """The sentence exactly as the passage gives it (for explanations)."""
        return self.source_text or self.sentence.text

    @property
    def prefix(self) -> str:
        """ "According to Pirani, " (every statement says whose account it follows).

        Unsigned sources are named by title; a sentence that already attributes its
        claim ("According to Evans, ...") keeps its own attribution only.
        """
        if re.search(r"\b[Aa]ccording to (?:[A-Z]|the\s[a-z]+\s[A-Z])", self.sentence.text):
            return ""  # "According to Evans, ..." (not "according to work done")
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


_PRONOUN_OPENER = re.compile(r"^(?P<pro>He|She|His|Her|They|Their|It|Its)\s(?=[a-z])")
_IT_DUMMY = re.compile(
    r"^It\s(?:is|was|has|had|seems|seemed|appears|appeared|may|might|would|could|can|will|"
    r"must|should|became|remains|remained|took|makes|made)\b(?:\s[\w’'-]+){0,6}?\s"
    r"(?:that|to|for|whether|until|if|how|what|why|when)\b"
)
_SUBJECT_VERB = re.compile(
    r"\s(?:[a-z]+ly\s)?(?:was|were|had|has|is|are|did|became|[a-z]{3,}ed|wrote|led|took|"
    r"made|gave|saw|held|won|lost|began|fought|sought|said|thought|found|left|became|rose|fell)\b"
)
# "The social historians of the 1970s and 1980s had ...": a plural definite subject.
_PLURAL_SUBJECT = re.compile(
    r"^(?P<np>The\s(?:[a-z-]+\s){0,3}[a-z-]{3,}[^s\W]s(?:\sof\s(?:the\s)?[\w’'-]+"
    r"(?:\s(?:and|of|the)\s[\w’'-]+|\s[\w’'-]+){0,4}?)?)(?=\s(?:[a-z]+ly\s)?"
    r"(?:were|had|did|[a-z]{3,}ed|wrote|led|took|made|gave|saw|held|won|lost|began|fought|"
    r"sought|said|thought|found|left|became|rose|fell)\b)"
)
_CLAUSE_SPLIT = re.compile(
    r"(?:,\s(?:and|but)|;)\s(?=(?:the|a|an|it|its|this|these|there|in|on|at|by|although|"
    r"though|when|while|after|before|since|as|so|his|her|their|they|he|she|many|most|some|"
    r"no|yet|only|[A-Z])\b)"
)
_MIN_CLAUSE_WORDS = 8
_FINITE_VERB = re.compile(
    r"\b(?:was|were|is|are|had|has|did|does|do|could|would|can|will|[a-z]{3,}ed|became|began|"
    r"took|led|made|gave|saw|held|won|lost|fought|sought|said|thought|found|left|rose|fell|"
    r"wrote|brought|kept|met|sent|stood|ran|grew|came|went|knew|meant|remained|exists?|"
    r"remains?|means?|seems?|argues?|claims?|becomes?)\b"
)
# The second of two coordinated clauses: a subordinator, or a short subject and its verb.
_CLAUSE_START = re.compile(
    r"^(?:(?:although|though|so|yet|while|when|since|as)\b|"
    r"(?:it|they|he|she|there|this|these|[A-Z][\w’'-]+|(?:the|a|an|its|his|their|many|most|"
    r"some|no)(?:\s(?!(?:was|were|had|has|is|are)\b)[\w’'-]+){1,4}?)\s(?:[a-z]+ly\s)?"
    r"(?:was|were|is|are|had|has|did|does|could|would|can|will|became|began|took|led|made|"
    r"gave|saw|held|won|lost|remained|[a-z]{3,}ed)\b)"
)
# Heads of plural groups "they" can refer to: people and organised bodies.
_GROUP_HEADS = frozenset(
    {
        "historians",
        "workers",
        "peasants",
        "leaders",
        "members",
        "delegates",
        "sailors",
        "soldiers",
        "officials",
        "communists",
        "socialists",
        "anarchists",
        "activists",
        "unionists",
        "specialists",
        "experts",
        "parties",
        "unions",
        "soviets",
        "factions",
        "scholars",
        "writers",
        "economists",
        "theorists",
        "revolutionaries",
        "intellectuals",
        "students",
        "women",
        "men",
        "people",
        "managers",
        "bureaucrats",
        "delegations",
        "oppositionists",
        "kulaks",
        "reformers",
        "planners",
        "critics",
        "commissars",
    }
)


def _possessive(name: str, passage_text: str) -> str:
    mark = "’" if "’" in passage_text else "'"
    return f"{name}{mark}" if name.endswith("s") else f"{name}{mark}s"


def _antecedent(pronoun: str, previous: SentenceContext) -> str | None:
    """The entity an opening pronoun refers to, when the previous sentence makes it clear.

    He/she: the previous sentence names exactly one person, as its first mention.
    They: the previous sentence's subject is a plural group (named, or "the Ns of X").
    It: the previous sentence's subject is a named organisation, event or term.
    """
    text = previous.sentence.text
    mentions = [m for m in previous.mentions if not inside_quotes(text, m.start, m.end)]
    low = pronoun.lower()
    if low in ("he", "she", "his", "her"):
        people = {m.entity.key for m in mentions if m.entity.kind == "PERSON"}
        if len(people) != 1 or not mentions or mentions[0].entity.kind != "PERSON":
            return None
        person = mentions[0]
        if person.start > 60:
            return None  # a person named late in a long sentence is rarely the topic
        return person.entity.text
    subject = next((m for m in mentions if m.start in (0, 4)), None)
    if subject is not None and (subject.start == 0 or text.startswith("The ")):
        if not _SUBJECT_VERB.match(text, subject.end):
            subject = None
    else:
        subject = None
    if low in ("they", "their"):
        if subject is not None:
            plural = subject.entity.text.endswith("s") and subject.entity.kind in ("ORG", "PERSON")
            if plural and not any(
                m.entity.text.endswith("s") and m.entity.kind == "ORG"
                for m in mentions
                if m is not subject
            ):
                return ("the " if subject.start == 4 else "") + subject.entity.text
            return None
        match = _PLURAL_SUBJECT.match(text)
        if match is None or "," in match.group("np"):
            return None
        head = re.split(r"\sof\s", match.group("np"))[0].split()[-1]
        if head not in _GROUP_HEADS:
            return None
        return "the " + match.group("np")[4:]
    if low in ("it", "its"):
        if subject is None or subject.entity.kind not in ("ORG", "EVENT", "TERM"):
            return None
        if subject.entity.text.endswith("s") and subject.entity.kind != "EVENT":
            return None
        others = [
            m for m in mentions if m is not subject and m.entity.kind in ("ORG", "EVENT", "TERM")
        ]
        if others:
            return None
        return ("the " if subject.start == 4 else "") + subject.entity.text
    return None


def _resolved(text: str, previous: SentenceContext | None, passage_text: str) -> str | None:
    """``text`` with its opening pronoun replaced by an unambiguous antecedent, if any."""
    if previous is None:
        return None
    match = _PRONOUN_OPENER.match(text)
    if match is None:
        return None
    pronoun = match.group("pro")
    if pronoun == "It" and _IT_DUMMY.match(text):
        return None
    if pronoun == "Her":
        return None  # object or possessive: too ambiguous to rewrite
    name = _antecedent(pronoun, previous)
    if not name:
        return None
    if pronoun in ("His", "Their", "Its"):
        name = _possessive(name, passage_text)
    rest = text[match.end() :]
    return name[0].upper() + name[1:] + " " + rest


# "This measure", "This party": a demonstrative and a head noun naming the kind of thing
# meant, with the entity kinds (and subkinds) it can refer back to.
_DEMONSTRATIVE_OPENER = re.compile(
    r"^(?:This|That)\s(?P<noun>measure|policy|decree|reform|tax|party|faction|group|"
    r"organisation|organization|body|congress|conference|city|town)\s(?=[a-z])"
)
_DEMONSTRATIVE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "measure": ("EVENT", ("POLICY",)),
    "policy": ("EVENT", ("POLICY",)),
    "decree": ("EVENT", ("POLICY",)),
    "reform": ("EVENT", ("POLICY",)),
    "tax": ("EVENT", ("POLICY",)),
    "party": ("ORG", ("PARTY",)),
    "faction": ("ORG", ("FACTION",)),
    "group": ("ORG", ("FACTION", "PARTY")),
    "organisation": ("ORG", ()),
    "organization": ("ORG", ()),
    "body": ("ORG", ()),
    "congress": ("EVENT", ("CONGRESS",)),
    "conference": ("EVENT", ("CONGRESS",)),
    "city": ("PLACE", ("CITY",)),
    "town": ("PLACE", ("CITY",)),
}


def _demonstrative_resolved(
    text: str, previous: SentenceContext | None, passage_text: str
) -> str | None:
    """"This measure was adopted ..." -> "The tax in kind was adopted ...".

    Only when the previous sentence names exactly one entity of the kind the head noun
    stands for (outside quotations), so the reference is unambiguous.
    """
    if previous is None:
        return None
    match = _DEMONSTRATIVE_OPENER.match(text)
    if match is None:
        return None
    kind, subkinds = _DEMONSTRATIVE_KINDS[match.group("noun")]
    before = previous.sentence.text
    found = {
        m.entity.key: m.entity
        for m in previous.mentions
        if m.entity.kind == kind
        and (not subkinds or m.entity.subkind in subkinds)
        and not inside_quotes(before, m.start, m.end)
    }
    if len(found) != 1:
        return None
    name = next(iter(found.values())).text
    if not name[:1].isupper() or re.search(rf"\bthe\s{re.escape(name)}", passage_text):
        name = name if name.lower().startswith("the ") else f"the {name}"
    return name[0].upper() + name[1:] + " " + text[match.end() :]


# "These issues came to a head in late 1923, when an opposition was formed ...": the
# clause after "when" stands alone once it is dated.
_WHEN_CLAUSE = re.compile(
    r"\s(?:in|by)\s(?P<date>(?:(?:early|late|mid)[\s-])?(?:the\s)?[\w–-]{4,20}),\swhen\s"
    r"(?P<rest>[a-z].+)$"
)


def _dated_when_clause(context: SentenceContext) -> str | None:
    """"X happened in 1923, when Y." -> "In 1923, Y." if the date is a recognised date."""
    text = context.sentence.text
    match = _WHEN_CLAUSE.search(text)
    if match is None or len(match.group("rest").split()) < _MIN_CLAUSE_WORDS:
        return None
    start = match.start("date")
    dates = [m for m in context.mentions if m.entity.kind == "DATE"]
    if not any(m.start >= start and m.end <= match.end("date") for m in dates):
        return None
    return f"In {match.group('date')}, {match.group('rest')}"


_APPOSITION = re.compile(r",\s(?P<np>(?:the|a|an)\s[a-z][^,;:()“”‘]{8,120}?),\s")


def _appositive_statement(context: SentenceContext) -> str | None:
    """"Shliapnikov, the metalworker who had led X, reacted ..." -> "Shliapnikov was the
    metalworker who had led X." The apposition describes the person whatever the rest of
    the sentence (which may depend on its context) says.
    """
    text = context.sentence.text
    person = next((m for m in context.mentions if m.start == 0), None)
    if person is None or person.entity.kind != "PERSON":
        return None
    match = _APPOSITION.match(text, person.end)
    if match is None or not _FINITE_VERB.search(text, match.end()):
        return None
    verb = "were" if person.entity.text.endswith("s") else "was"
    return f"{person.entity.text} {verb} {match.group('np')}."


_CONNECTIVE_OPENER = re.compile(
    r"^(?:(?:But|Yet|And)(?:,\s|\s(?=[a-z]|[A-Z][a-z]+\s[a-z]))|"
    r"(?:However|Indeed|Moreover|Furthermore|In addition|Additionally|Interestingly|"
    r"Nevertheless|Nonetheless|Conversely|In fact|Of course),\s)"
)
_CONNECTIVE_INSIDE = re.compile(
    r",\s(?:however|moreover|indeed|therefore|though|in turn|in fact|of course|"
    r"nevertheless|thus),(?=\s)"
)


def _without_connectives(text: str) -> str | None:
    """``text`` without discourse connectives that only tie it to its neighbours.

    "However, the party ..." -> "The party ..."; "The party, however, ..." -> "The party
    ...". The claim itself is unchanged. "also" stays: "Stalin also asserted X" says
    someone else did too, so "who asserted X?" would have two true answers.
    """
    out = text
    match = _CONNECTIVE_OPENER.match(out)
    if match is not None:
        rest = out[match.end() :]
        out = rest[:1].upper() + rest[1:]
    out = _CONNECTIVE_INSIDE.sub(
        lambda m: "," if re.match(r"\s(?:and|but|or)\b", out[m.end() :]) else "", out
    )
    return out if out != text else None


def _first_clause(text: str) -> str | None:
    """The first of two coordinated clauses ("A, and B" -> "A."), if it can stand alone.

    Both parts must be clauses: the first has a finite verb after its subject and does
    not open with a preposition plus gerund ("By providing ..."); the second opens with
    a subject and has a verb soon after, and no comma that would make it a list item.
    """
    if not text.endswith("."):
        return None
    match = _CLAUSE_SPLIT.search(text)
    if match is None:
        return None
    first = text[: match.start()].rstrip()
    rest = text[match.end() :]
    if (
        "," in first
        or len(first.split()) < _MIN_CLAUSE_WORDS
        or first.count("(") != first.count(")")
        or first.count("“") != first.count("”")
        or re.match(r"^(?:In view|[A-Z][a-z]+\s[a-z]+ing\b|[A-Z][a-z]+ing\b)", first)
        or not _FINITE_VERB.search(first.split(" ", 2)[-1])
    ):
        return None
    if ";" in first:
        return None
    if match.group().startswith(",") and not _CLAUSE_START.match(rest):
        return None
    return first + "."


def _context(
    passage: PassageInput,
    sentence: Sentence,
    mentions: tuple[Mention, ...],
    author_name: str,
    keys: frozenset[str],
    inventory: Inventory,
    source_text: str = "",
    rewrite: str = "",
    inserted_end: int = 0,
) -> SentenceContext:
    return SentenceContext(
        passage=passage,
        sentence=sentence,
        mentions=mentions,
        check=check_sentence(sentence, list(mentions)),
        author_name=author_name,
        passage_keys=keys,
        inventory=inventory,
        source_text=source_text,
        rewrite=rewrite,
        inserted_end=inserted_end,
    )


def _rewritten(
    context: SentenceContext, text: str, rewrite: str, inventory: Inventory, inserted: int = 0
) -> SentenceContext:
    sentence = Sentence(
        start=context.sentence.start,
        end=context.sentence.end,
        text=text,
        index=context.sentence.index,
    )
    return _context(
        context.passage,
        sentence,
        tuple(find_mentions(text, inventory)),
        context.author_name,
        context.passage_keys,
        inventory,
        source_text=context.evidence_text,
        rewrite=rewrite if not context.rewrite else f"{context.rewrite}+{rewrite}",
        inserted_end=inserted or context.inserted_end,
    )


def analyse(passage: PassageInput, inventory: Inventory) -> Analysis:
    """Split, tag and check every sentence of ``passage``.

    A sentence that cannot stand alone is rewritten when that is safe: an opening
    pronoun is replaced by its antecedent in the previous sentence ("He said ..." ->
    "Shliapnikov said ..."), and of two coordinated clauses the first is kept when
    only the second depends on its context.
    """
    sentences = split_sentences(passage.text)
    per_sentence = [tuple(find_mentions(s.text, inventory)) for s in sentences]
    keys = frozenset(m.entity.key for mentions in per_sentence for m in mentions)
    author_name = surname(passage.author)
    contexts: list[SentenceContext] = []
    previous: SentenceContext | None = None
    for s, mentions in zip(sentences, per_sentence, strict=True):
        base = _context(passage, s, mentions, author_name, keys, inventory)
        context = base
        if not base.check.usable:
            text, steps, inserted = s.text, [], 0
            stripped = _without_connectives(text)
            if stripped is not None:
                text = stripped
                steps.append("stripped")
            resolved = _resolved(text, previous, passage.text)
            if resolved is None:
                resolved = _demonstrative_resolved(text, previous, passage.text)
            if resolved is not None:
                # the antecedent put in place of the opener: everything before the tail
                # that the two texts share
                tail = len(os.path.commonprefix([resolved[::-1], text[::-1]]))
                inserted = len(resolved) - tail
                text = resolved
                steps.append("resolved")
            if steps:
                candidate = _rewritten(base, text, "+".join(steps), inventory, inserted)
                if candidate.check.usable:
                    context = candidate
            for rewrite, make in (
                ("when-clause", _dated_when_clause),
                ("apposition", _appositive_statement),
            ):
                made = None if context.check.usable else make(base)
                if made is not None:
                    candidate = _rewritten(base, made, rewrite, inventory)
                    if candidate.check.usable:
                        context = candidate
            if not context.check.usable:
                clause = _first_clause(text)
                if clause is not None:
                    rewrite = "+".join([*steps, "clause"])
                    candidate = _rewritten(base, clause, rewrite, inventory, inserted)
                    if candidate.check.usable:
                        context = candidate
        contexts.append(context)
        previous = context
    return Analysis(passage=passage, contexts=tuple(contexts), word_count=len(passage.text.split()))
