"""Short-answer items from patterns that are safe without a parser.

* who/which: a sentence whose subject is a named person or organisation followed by a
  past-tense verb ("Isaac Deutscher famously wrote ..." -> "who famously wrote ...?");
* when: a fronted "In 1921, S V ..." or a final "S V O in 1921." with a named subject;
* definitions: appositions ("Isaak Zelensky, the Moscow party secretary, ..."),
  role phrases ("the American historian Diane Koenker"), acronym expansions
  ("the State Planning Commission (Gosplan)") and "X is a N ..." sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

from .analysis import SentenceContext
from .cloze import accepted_for
from .gazetteer import PERSON_ROLE_NOUNS
from .quality import inside_quotes, leaks, rarity
from .text import STOP_WORDS, collapse
from .types import Candidate, Entity, Mention

IRREGULAR_PAST: dict[str, str] = {
    "became": "become",
    "began": "begin",
    "brought": "bring",
    "built": "build",
    "came": "come",
    "chose": "choose",
    "drew": "draw",
    "fell": "fall",
    "felt": "feel",
    "fought": "fight",
    "found": "find",
    "gave": "give",
    "got": "get",
    "grew": "grow",
    "held": "hold",
    "kept": "keep",
    "knew": "know",
    "led": "lead",
    "left": "leave",
    "lost": "lose",
    "made": "make",
    "meant": "mean",
    "met": "meet",
    "put": "put",
    "ran": "run",
    "rose": "rise",
    "said": "say",
    "sat": "sit",
    "saw": "see",
    "sent": "send",
    "set": "set",
    "shot": "shoot",
    "sought": "seek",
    "spoke": "speak",
    "spent": "spend",
    "split": "split",
    "stood": "stand",
    "struck": "strike",
    "swept": "sweep",
    "took": "take",
    "taught": "teach",
    "thought": "think",
    "told": "tell",
    "understood": "understand",
    "won": "win",
    "wrote": "write",
    "broke": "break",
    "overthrew": "overthrow",
    "undertook": "undertake",
    "withdrew": "withdraw",
    "forbade": "forbid",
    "oversaw": "oversee",
}
_COPULAS = {"was", "were", "had"}
_FRONTED = r"(?:In|By|During|After|Before|At|On|From|Between|Under|Following|Throughout|Until)"
_BAD_REST = re.compile(r"\b(?:who|which|whom|whose)\b")


@lru_cache(maxsize=4096)
def lemma(verb: str) -> str | None:
    """Base form of a past-tense verb ("introduced" -> "introduce"), or None if unsure."""
    if verb in IRREGULAR_PAST:
        return IRREGULAR_PAST[verb]
    if not verb.endswith("ed") or len(verb) < 5:
        return None
    if verb.endswith("ied"):
        return verb[:-3] + "y"
    options = [verb[:-1], verb[:-2]]
    if len(verb) > 5 and verb[-3] == verb[-4] and verb[-3] not in "lsfz":
        options.append(verb[:-3])
    best = max(options, key=lambda w: (zipf_frequency(w, "en"), -len(w)))
    return best if zipf_frequency(best, "en") >= 2.5 else None


def _is_past(verb: str) -> bool:
    return verb in IRREGULAR_PAST or verb in _COPULAS or lemma(verb) is not None


def _wh_for(entity: Entity) -> str | None:
    if entity.kind == "PERSON":
        return "who"
    if entity.kind == "ORG" and entity.subkind in ("PARTY", "FACTION"):
        return "which party" if entity.subkind == "PARTY" else "which group"
    if entity.kind == "ORG" and entity.subkind == "BODY":
        return "which body"
    return None


def _question(context: SentenceContext, body: str) -> str:
    text = collapse(body).rstrip(" .")
    if context.prefix:
        return context.prefix + text[0].lower() + text[1:] + "?"
    return text[0].upper() + text[1:] + "?"


def _candidate(
    context: SentenceContext,
    prompt: str,
    answer: str,
    accepted: tuple[str, ...],
    score: float,
    reasons: list[str],
    template: str,
    answer_kind: str,
) -> Candidate:
    sentence = context.sentence
    return Candidate(
        kind="short_answer",
        prompt=prompt,
        answer=answer,
        accepted_answers=accepted,
        evidence_start=sentence.start,
        evidence_end=sentence.end,
        explanation=f"The passage says: “{sentence.text}”",
        score=round(min(score, 1.0), 3),
        reasons=tuple(reasons),
        answer_kind=answer_kind,
        template=template,
    )


def _subject_at(context: SentenceContext, start: int) -> Mention | None:
    return next((m for m in context.mentions if m.start == start), None)


def who_questions(context: SentenceContext) -> list[Candidate]:
    """ "Isaac Deutscher wrote X." -> "According to Pirani, who wrote X?"."""
    if not context.check.usable:
        return []
    text = context.sentence.text
    front = re.match(rf"{_FRONTED}\s[^,]{{3,45}},\s", text)
    offset = front.end() if front else 0
    if text[offset : offset + 4] in ("The ", "the "):
        offset += 4
    subject = _subject_at(context, offset)
    if subject is None:
        return []
    wh = _wh_for(subject.entity)
    if wh is None:
        return []
    match = re.match(r"\s(?P<adv>[a-z]+ly\s)?(?P<verb>[a-z]+)\b(?P<rest>.*)$", text[subject.end :])
    if match is None or not _is_past(match.group("verb")):
        return []
    verb, rest = match.group("verb"), match.group("rest").rstrip(" .")
    if _BAD_REST.search(rest[:30]) or len(rest.split()) < 2:
        return []
    if re.search(r",\s(?:and|but)\s(?:a|an|the|[A-Z])", rest):
        return []  # a second clause with its own subject
    if wh != "who" and verb == "were":
        verb = "was"
    tail = ""
    if front:
        tail = " " + front.group()[0].lower() + front.group()[1:].rstrip(", ")
    body = f"{wh} {match.group('adv') or ''}{verb}{rest}{tail}"
    if leaks(subject.entity.text, body):
        return []
    reasons = ["named subject with past-tense verb", f"answer kind {subject.entity.kind}"]
    score = 0.88 + (0.04 if context.check.word_count <= 25 else -0.04)
    if context.check.word_count > 32:
        score -= 0.06
        reasons.append("long sentence")
    return [
        _candidate(
            context,
            _question(context, body),
            subject.entity.text,
            accepted_for(subject.entity, context),
            score,
            reasons,
            "who",
            subject.entity.kind,
        )
    ]


def when_questions(context: SentenceContext) -> list[Candidate]:
    """ "In 1921, the party adopted X." -> "In what year did the party adopt X?"."""
    if not context.check.usable:
        return []
    text = context.sentence.text
    date = next(
        (
            m
            for m in context.mentions
            if m.entity.kind == "DATE" and m.entity.subkind in ("YEAR", "MONTH")
        ),
        None,
    )
    if date is None:
        return []
    what = "In what year" if date.entity.subkind == "YEAR" else "In what month and year"
    clause: str | None = None
    if date.start == 3 and text.startswith("In ") and text[date.end : date.end + 2] == ", ":
        clause = text[date.end + 2 :].rstrip(" .")
    elif text.rstrip(" .").endswith(" in " + date.entity.text) and "," not in text:
        clause = text[: date.start - 4]
        if len(clause.split()) > 9:
            return []  # the year may belong to a noun phrase, not to the main verb
    if clause is None or _BAD_REST.search(clause) or ";" in clause:
        return []
    match = re.match(
        r"(?P<subj>(?:[Tt]he\s)?[A-Za-z’'-]+(?:\s[A-Za-z’'-]+){0,4}?)\s(?P<verb>[a-z]+)\s(?P<rest>.+)$",
        clause,
    )
    if match is None:
        return []
    subject, verb, rest = match.group("subj"), match.group("verb"), match.group("rest")
    if any(w.lower() in STOP_WORDS - {"the"} for w in subject.split()):
        return []
    if not subject[0].isupper() and not subject.startswith("the "):
        return []
    subject_lead = subject
    if subject_lead.startswith("The "):
        subject_lead = "the " + subject_lead[4:]
    if verb in ("was", "were"):
        body = f"{what} {verb} {subject_lead} {rest}"
    else:
        base = lemma(verb)
        if base is None or verb == "had":
            return []
        body = f"{what} did {subject_lead} {base} {rest}"
    if date.entity.text in body:
        return []
    score = 0.86 + (0.04 if context.check.word_count <= 25 else -0.04)
    reasons = ["date adverbial with simple clause", f"answer kind DATE/{date.entity.subkind}"]
    accepted = (date.entity.text,)
    return [
        _candidate(
            context,
            _question(context, body),
            date.entity.text,
            accepted,
            score,
            reasons,
            "when",
            "DATE",
        )
    ]


_APPOSITION = re.compile(r",\s(?P<app>(?:a|an|the)\s[^,;:()‘“\"]{3,80}?),\s(?P<next>[a-z]+)")
_PAREN_APPOSITION = re.compile(r"\s\((?P<app>(?:a|an|the)\s[^,;:()‘“\"]{3,80}?)\)(?P<next>)")
_ORG_HEAD_NOUNS = re.compile(
    r"\b(?:party|police|organi[sz]ation|commission|body|group|council|committee|faction|army|"
    r"union|movement|newspaper|journal|agency|institution|assembly|government|ministry)\b"
)


def _definition_allowed(context: SentenceContext) -> bool:
    harmless = ("context-dependent opener", "hedged", "length", "list or lead-in")
    return all(
        r in harmless or r.startswith("unresolved pronoun") or r == "demonstrative"
        for r in context.check.reasons
    )


def definition_questions(context: SentenceContext) -> list[Candidate]:
    """Definitions from appositions, role phrases, acronyms and "X is a N" sentences."""
    if not _definition_allowed(context):
        return []
    text = context.sentence.text
    out: list[Candidate] = []
    for mention in context.mentions:
        entity = mention.entity
        if entity.kind not in ("PERSON", "ORG", "TERM", "EVENT") or inside_quotes(
            text, mention.start, mention.end
        ):
            continue
        apposition = _APPOSITION.match(text, mention.end) or _PAREN_APPOSITION.match(
            text, mention.end
        )
        phrase: str | None = None
        template = ""
        if (
            apposition
            and apposition.group("next") not in ("and", "or", "but", "as", "of")
            and entity.text[:1].isupper()
            and not any(_is_past(w) for w in apposition.group("app").split()[1:])
        ):
            phrase = apposition.group("app")
            template = "apposition"
        else:
            role = re.search(
                r"(?:^|\s)(?P<role>(?:the|an?)\s(?:[A-Za-z-]+\s){1,3}?(?P<noun>[a-z-]+))\s$",
                text[: mention.start],
            )
            if role and role.group("noun") in PERSON_ROLE_NOUNS and entity.kind == "PERSON":
                phrase = role.group("role")
                template = "role"
        if phrase is None:
            continue
        tokens = phrase.split()
        if len(tokens) > 10 or re.search(
            r"\b(?:who|which|that|was|were|is|are|had|has|been)\b", phrase
        ):
            continue
        if entity.kind == "PERSON" and not any(t.lower() in PERSON_ROLE_NOUNS for t in tokens):
            continue
        if entity.kind != "PERSON" and not _ORG_HEAD_NOUNS.search(phrase):
            continue
        if any(
            m.entity.kind == entity.kind
            and m.start > mention.end
            and m.end <= mention.end + 2 + len(phrase) + 2
            for m in context.mentions
        ):
            continue  # a list of names, not an apposition
        if leaks(phrase, entity.text):
            continue
        wh = "Who" if entity.kind == "PERSON" else "What"
        article = "the " if text[: mention.start].lower().endswith("the ") else ""
        body = f"{wh} was {article}{entity.text}"
        accepted = tuple(sorted({phrase, re.sub(r"^(?:the|an?)\s", "", phrase)}))
        score = 0.84 + 0.06 * rarity(phrase)
        reasons = [f"{template} definition", f"answer kind {entity.kind}"]
        out.append(
            _candidate(
                context,
                _question(context, body),
                phrase,
                accepted,
                score,
                reasons,
                template,
                "DEFINITION",
            )
        )
    out.extend(_initial_term(context))
    out.extend(_acronyms(context))
    out.extend(_copular(context))
    return out


_INITIAL_TERM = re.compile(
    r"^(?P<term>[A-Z][a-z-]{4,}),\s(?P<app>(?:a|an|the)\s[^,;:()]{3,60}?),\s(?P<verb>[a-z]+)\b"
)


def _initial_term(context: SentenceContext) -> list[Candidate]:
    """ "Chlorophyll, a green pigment, absorbs ..." -> "What is chlorophyll?"."""
    match = _INITIAL_TERM.match(context.sentence.text)
    if (
        match is None
        or rarity(match.group("term")) < 0.5
        or context.inventory.is_name(match.group("term"))
    ):
        return []
    term, phrase, verb = match.group("term"), match.group("app"), match.group("verb")
    if any(_is_past(w) for w in phrase.split()[1:]) or leaks(phrase, term):
        return []
    copula = "was" if _is_past(verb) else "is"
    body = f"What {copula} {term.lower()}"
    accepted = tuple(sorted({phrase, re.sub(r"^(?:the|an?)\s", "", phrase)}))
    return [
        _candidate(
            context,
            _question(context, body),
            phrase,
            accepted,
            0.84,
            ["apposition definition of a rare term"],
            "apposition",
            "DEFINITION",
        )
    ]


_ACRONYM_AFTER = re.compile(
    r"(?P<full>(?:the\s)?[A-Z][\w’'-]+(?:\s(?:of\s(?:the\s)?|for\s|and\s)?[A-Z][\w’'-]+){1,7})"
    r"\s\((?P<acr>[A-Z][A-Za-z]{1,9})\)"
)


def _acronyms(context: SentenceContext) -> list[Candidate]:
    out: list[Candidate] = []
    for match in _ACRONYM_AFTER.finditer(context.sentence.text):
        full, acronym = match.group("full"), match.group("acr")
        article = ""
        if full.lower().startswith("the "):
            full, article = full[4:], "the "
        if acronym.lower() in full.lower():
            continue
        body = f"What was {article}{acronym}"
        accepted = (full, "the " + full)
        out.append(
            _candidate(
                context,
                _question(context, body),
                full,
                accepted,
                0.86,
                ["acronym expansion"],
                "acronym",
                "DEFINITION",
            )
        )
    return out


_COPULAR = re.compile(
    r"^(?P<subj>(?:The\s)?[A-Z]?[a-zA-Z-]+(?:\s[a-zA-Z-]+){0,2})\s(?P<cop>is|are|was|were)\s"
    r"(?P<pred>(?:a|an|the)\s[^;:]{5,110})\.$"
)


def _copular(context: SentenceContext) -> list[Candidate]:
    if not context.check.usable or context.check.opinion:
        return []
    match = _COPULAR.match(context.sentence.text)
    if not match:
        return []
    subject, copula, predicate = match.group("subj"), match.group("cop"), match.group("pred")
    if re.search(r"[‘“\"]", predicate):
        return []  # a quoted characterisation is an interpretation, not a definition
    head = subject.split()[-1]
    named = any(m.start in (0, 4) and m.end == match.end("subj") for m in context.mentions)
    if not named and (len(subject.split()) > 2 or rarity(subject) < 0.5):
        return []  # "the recognition of diversity" is no term to define
    if head.lower() in STOP_WORDS or len(predicate.split()) > 16:
        return []
    if subject.startswith("The "):
        subject = "the " + subject[4:]
    if not named and subject[0].isupper() and not subject.startswith("the "):
        subject = subject[0].lower() + subject[1:]
    if leaks(subject, predicate):
        return []
    body = f"What {copula} {subject}"
    return [
        _candidate(
            context,
            _question(context, body),
            predicate,
            (predicate, re.sub(r"^(?:the|an?)\s", "", predicate)),
            0.8,
            ["copular definition"],
            "copular",
            "DEFINITION",
        )
    ]
