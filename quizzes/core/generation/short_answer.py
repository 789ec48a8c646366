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
        explanation=f"The passage says: “{context.evidence_text}”",
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
    if subject is None or context.is_inserted(subject.start):
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


def _split_subject(clause: str) -> tuple[str, str, str] | None:
    """(subject, verb, rest) of a simple clause whose subject is a name or "the N ..."."""
    tokens = clause.split(" ")
    for i in range(1, min(6, len(tokens) - 1)):
        word = tokens[i]
        subject = tokens[:i]
        if any(re.search(r"[^\w’'-]", t) for t in subject):
            return None  # punctuation inside the would-be subject
        is_verb = word in ("was", "were") or (word != "had" and lemma(word) is not None)
        if not is_verb:
            continue
        if subject == ["the"] or subject == ["The"]:
            continue
        if any(t.lower() in STOP_WORDS - {"the"} for t in subject):
            return None
        if not subject[0][:1].isupper() and subject[0] != "the":
            return None
        return " ".join(subject), word, " ".join(tokens[i + 1 :])
    return None


def when_questions(context: SentenceContext) -> list[Candidate]:
    """ "In 1921, the party adopted X." -> "In what year did the party adopt X?".

    Also "By 1922 the party was ..." (by what year), a final "... in 1921." on a short
    clause, and a named subject's passive "The Second International was formed in 1889
    as ..." (the part after the year up to the first comma is kept).
    """
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
    template = "when"
    fronted = text[: date.start] in ("In ", "By ")
    if fronted and text[date.end : date.end + 2] == ", ":
        clause = text[date.end + 2 :].rstrip(" .")
    elif fronted and re.match(r" (?:the\s|[A-Z])", text[date.end :]):
        clause = text[date.end + 1 :].rstrip(" .")
    elif text.rstrip(" .").endswith(" in " + date.entity.text) and "," not in text:
        clause = text[: date.start - 4]
        if len(clause.split()) > 9:
            return []  # the year may belong to a noun phrase, not to the main verb
    else:
        clause = _passive_with_date(context, date)
        template = "when_passive"
    if text.startswith("By ") and fronted:
        what = "By what year" if date.entity.subkind == "YEAR" else "By what month and year"
    if clause is None or _BAD_REST.search(clause) or ";" in clause:
        return []
    parts = _split_subject(clause)
    if parts is None:
        return []
    subject, verb, rest = parts
    if len(rest.split()) < 2 and template == "when":
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
    if date.entity.text in body or re.search(r"\b1[5-9]\d\d\b", body):
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
            template,
            "DATE",
        )
    ]


def _passive_with_date(context: SentenceContext, date: Mention) -> str | None:
    """ "The Second International was formed in 1889 as a federation of parties, ..." ->
    "The Second International was formed as a federation of parties" (year removed)."""
    text = context.sentence.text
    offset = 4 if text.startswith("The ") else 0
    subject = _subject_at(context, offset)
    if subject is None or subject.entity.kind not in ("ORG", "EVENT", "TERM", "PERSON"):
        return None
    match = re.match(
        r"\s(?P<cop>was|were)\s(?P<vbn>[a-z]+ed|[a-z]+en|held|built|set up)\sin\s$",
        text[subject.end : date.start],
    )
    if match is None:
        return None
    rest = text[date.end :].rstrip(" .")
    rest = re.split(r",|\s–\s|\s—\s|;", rest)[0]
    if rest and not re.match(r"\s(?:as|by|to|under|at|with|for|after)\b", rest):
        return None
    return text[: subject.end] + f" {match.group('cop')} {match.group('vbn')}" + rest


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
        if (
            entity.kind not in ("PERSON", "ORG", "TERM", "EVENT")
            or inside_quotes(text, mention.start, mention.end)
            or context.is_inserted(mention.start)
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
        if entity.kind == "PERSON" and (
            re.search(r"(?:\sand|,)\s$", text[: mention.start])
            or re.search(r"(?:leaders|members|historians|writers|figures|men|women)\b", phrase)
        ):
            continue  # "Rosa Luxemburg and Karl Liebknecht, the leaders ...": shared, plural
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
    if re.search(r",\s(?:yet|but|and|although|though|while|whereas|so)\b", predicate):
        return []  # "an idealist, yet highlighted ...": a second clause, not a definition
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


_EVENT_VERBS: dict[str, str] = {
    "began": "did {x} begin",
    "started": "did {x} start",
    "ended": "did {x} end",
    "broke out": "did {x} break out",
    "took place": "did {x} take place",
    "opened": "did {x} open",
    "met": "did {x} meet",
    "collapsed": "did {x} collapse",
    "was held": "was {x} held",
    "was founded": "was {x} founded",
    "was formed": "was {x} formed",
    "was established": "was {x} established",
    "was launched": "was {x} launched",
    "was introduced": "was {x} introduced",
    "was abolished": "was {x} abolished",
    "was signed": "was {x} signed",
    "was dissolved": "was {x} dissolved",
    "was convened": "was {x} convened",
}
_EVENT_DATE = re.compile(
    rf"\s(?P<verb>{'|'.join(sorted(_EVENT_VERBS, key=len, reverse=True))})\sin\s$"
)
# Reasons that concern the rest of the sentence, not a clause "the X began in March".
_CLAUSE_SAFE = (
    "context-dependent opener",
    "connective refers to context",
    "demonstrative",
    "length",
    "list or lead-in",
    "bare definite noun refers back",
    "refers to its context",
)


def event_date_questions(context: SentenceContext) -> list[Candidate]:
    """ "... by the time the Kronshtadt revolt began in March." ->
    "In which month did the Kronshtadt revolt begin?".

    The clause names its own subject (a typed event, organisation or body), so the
    question stands alone even when the rest of the sentence leans on its context.
    """
    if not all(
        r in _CLAUSE_SAFE or r.startswith("unresolved pronoun") for r in context.check.reasons
    ):
        return []
    text = context.sentence.text
    out: list[Candidate] = []
    for date in context.mentions:
        if date.entity.kind != "DATE" or date.entity.subkind not in ("YEAR", "MONTH", "MONTHONLY"):
            continue
        if not re.match(r"\s*(?:[.,;]|\sand\b|$)", text[date.end :]):
            continue
        verb = _EVENT_DATE.search(text[: date.start])
        if verb is None:
            continue
        subject = next((m for m in context.mentions if m.end == verb.start()), None)
        if (
            subject is None
            or subject.entity.kind not in ("EVENT", "ORG")
            or not subject.entity.subkind
            or inside_quotes(text, subject.start, date.end)
            or context.is_inserted(subject.start)
        ):
            continue
        article = "the " if text[: subject.start].lower().endswith("the ") else ""
        if subject.entity.kind == "ORG" and verb.group("verb") in ("began", "started", "ended"):
            continue  # "the party began in 1903" reads oddly; organisations are founded
        what = {
            "YEAR": "In what year",
            "MONTH": "In what month and year",
            "MONTHONLY": "In which month",
        }[date.entity.subkind]
        phrase = _EVENT_VERBS[verb.group("verb")].format(x=article + subject.entity.text)
        body = f"{what} {phrase}"
        reasons = ["named event with its date", f"answer kind DATE/{date.entity.subkind}"]
        out.append(
            _candidate(
                context,
                _question(context, body),
                date.entity.text,
                (date.entity.text,),
                0.88,
                reasons,
                "event_when",
                "DATE",
            )
        )
    return out


_ROLE_FIRST = re.compile(
    r"^(?P<role>The\s(?:[a-z-]+\s){0,2}(?P<noun>[a-z-]+)\s(?:of|in|at|for)\s"
    r"[^,;:()‘“\"]{2,60}),\s"
)


def role_first_questions(context: SentenceContext) -> list[Candidate]:
    """ "The secretary of the Moscow party, Isaak Zelensky, said ..." -> "Who was Zelensky?"."""
    if not _definition_allowed(context):
        return []
    text = context.sentence.text
    match = _ROLE_FIRST.match(text)
    if match is None or match.group("noun") not in PERSON_ROLE_NOUNS:
        return []
    person = next((m for m in context.mentions if m.start == match.end()), None)
    if person is None or person.entity.kind != "PERSON" or not text[person.end :].startswith(", "):
        return []
    role = match.group("role")
    if re.search(r"\b(?:who|which|that|was|were|is|are|had|has|been)\b", role):
        return []
    if any(m.entity.kind == "PERSON" and m.end <= match.end() for m in context.mentions):
        return []
    phrase = "the " + role[4:]
    body = f"Who was {person.entity.text}"
    accepted = tuple(sorted({phrase, role[4:]}))
    return [
        _candidate(
            context,
            _question(context, body),
            phrase,
            accepted,
            0.84 + 0.06 * rarity(phrase),
            ["role apposition before a name", "answer kind PERSON"],
            "role",
            "DEFINITION",
        )
    ]


_AGENT_VERBS: dict[str, str] = {
    "put forward": "put forward",
    "written": "wrote",
    "founded": "founded",
    "proposed": "proposed",
    "formulated": "formulated",
    "devised": "devised",
    "drafted": "drafted",
    "developed": "developed",
    "introduced": "introduced",
    "launched": "launched",
    "headed": "headed",
    "led": "led",
    "coined": "coined",
    "advanced": "advanced",
}
# "the theory of ‘reformism’ put forward by the German social-democrat, E. Bernstein"
_BY_AGENT = re.compile(
    r"(?:^|\s)(?P<np>the\s(?P<head>theory|idea|doctrine|concept|notion|slogan|policy|programme|"
    r"program|plan|book|pamphlet|article|essay|resolution|decree|term|thesis|law|principle)"
    r"\sof\s(?P<what>[‘“][^’”]{2,40}[’”]|[a-z][\w-]+(?:\s[a-z][\w-]+){0,2}))"
    rf"\s(?:was\s)?(?P<vbn>{'|'.join(sorted(_AGENT_VERBS, key=len, reverse=True))})\sby\s"
    r"(?:(?:the|a|an)\s(?:[\w-]+\s){0,3}?[\w-]+,?\s)?$"
)


def by_agent_questions(context: SentenceContext) -> list[Candidate]:
    """ "... the theory of ‘reformism’ put forward by E. Bernstein" ->
    "Who put forward the theory of ‘reformism’?" and "Which theory did E. Bernstein put
    forward?". The phrase names its own subject, so the rest of the sentence may lean
    on its context."""
    if not all(
        r in _CLAUSE_SAFE or r.startswith("unresolved pronoun") for r in context.check.reasons
    ):
        return []
    text = context.sentence.text
    out: list[Candidate] = []
    for person in context.mentions:
        if person.entity.kind != "PERSON" or context.is_inserted(person.start):
            continue
        match = _BY_AGENT.search(text[: person.start])
        if match is None or inside_quotes(text, match.start("np"), person.end):
            continue
        if not re.match(r"\s*(?:[.,;–—]|$)", text[person.end :]):
            continue  # "by Lenin and Trotsky": one of several authors
        np, verb = match.group("np"), _AGENT_VERBS[match.group("vbn")]
        reasons = ["agent of a named work or idea", "answer kind PERSON"]
        out.append(
            _candidate(
                context,
                _question(context, f"who {verb} {np}"),
                person.entity.text,
                accepted_for(person.entity, context),
                0.86,
                reasons,
                "by_agent",
                "PERSON",
            )
        )
        what = match.group("what").strip("‘’“”")
        if match.group("what")[0] in "‘“" or rarity(what) >= 0.5:
            base = {"wrote": "write", "led": "lead"}.get(verb, verb)
            if verb.endswith("ed") and verb not in ("led",):
                base = lemma(verb) or verb
            if verb == "put forward":
                base = "put forward"
            head = match.group("head")
            out.append(
                _candidate(
                    context,
                    _question(context, f"which {head} did {person.entity.text} {base}"),
                    what,
                    (what, np, f"{head} of {what}"),
                    0.84,
                    ["named work or idea of a person", "answer kind TERM"],
                    "by_agent_what",
                    "TERM",
                )
            )
    return out


_OBJECT_VERBS: dict[str, str] = {
    "introduced": "introduce",
    "established": "establish",
    "abolished": "abolish",
    "founded": "found",
    "created": "create",
    "launched": "launch",
    "banned": "ban",
    "outlawed": "outlaw",
    "adopted": "adopt",
    "proposed": "propose",
    "announced": "announce",
    "set up": "set up",
    "signed": "sign",
    "dissolved": "dissolve",
    "nationalised": "nationalise",
    "nationalized": "nationalize",
    "replaced": "replace",
    "formed": "form",
    "convened": "convene",
    "suppressed": "suppress",
    "crushed": "crush",
}
_OBJECT_VERB = re.compile(
    rf"\s(?P<verb>{'|'.join(sorted(_OBJECT_VERBS, key=len, reverse=True))})\s(?P<the>the\s)?"
)
_OBJECT_END = re.compile(r"(?:\.$|\s(?P<date>in|during)\s)")
_PLACE_AFTER = re.compile(r"\s(?P<cop>was|were)\s(?P<vbn>[a-z]+ed|held|set up|built)\sin\s$")


def _named_subject(context: SentenceContext) -> tuple[Mention, str, str] | None:
    """The named subject of a sentence: (mention, fronted adverbial tail, article)."""
    text = context.sentence.text
    front = re.match(rf"{_FRONTED}\s[^,]{{3,45}},\s", text)
    offset = front.end() if front else 0
    article = ""
    if text[offset : offset + 4] in ("The ", "the "):
        offset += 4
        article = "the "
    subject = _subject_at(context, offset)
    if subject is None or context.is_inserted(subject.start):
        return None
    tail = ""
    if front:
        tail = " " + front.group()[0].lower() + front.group()[1:].rstrip(", ")
    return subject, tail, article


def object_questions(context: SentenceContext) -> list[Candidate]:
    """ "Lenin introduced the New Economic Policy in 1921." -> "What did Lenin introduce
    in 1921?" (a named subject, a verb of founding or ending, a named object);
    "The RSDLP was formed in Minsk." -> "Where was the RSDLP formed?"."""
    if not context.check.usable:
        return []
    text = context.sentence.text
    found = _named_subject(context)
    if found is None:
        return []
    subject, tail, article = found
    if subject.entity.kind not in ("PERSON", "ORG") or (
        subject.entity.kind == "ORG" and not subject.entity.subkind
    ):
        return []
    out: list[Candidate] = []
    subject_text = article + subject.entity.text
    verb = _OBJECT_VERB.match(text, subject.end)
    if verb is not None:
        obj = _subject_at(context, verb.end())
        if (
            obj is not None
            and obj.entity.kind in ("EVENT", "ORG", "TERM")
            and obj.entity.subkind
            and not inside_quotes(text, obj.start, obj.end)
        ):
            after = text[obj.end :]
            acronym = re.match(r"\s\([A-Z][A-Za-z]{1,9}\)", after)
            if acronym:
                after = after[acronym.end() :]
            end = re.match(
                r"(?:\.$|,|\s(?:in|during|at|after|before|on|to|as|from)\s[^,;()–—]+?(?:\.$|,))",
                after,
            )
            rest = ""
            if end is not None and not end.group().startswith((".", ",")):
                rest = end.group().rstrip(" .,")
            qualified = bool(re.search(r"\b(?:1[5-9]\d\d|20[0-4]\d)", rest + tail)) or (
                len(rest.split()) >= 4
            )
            if end is not None and qualified:
                body = f"what did {subject_text} {_OBJECT_VERBS[verb.group('verb')]}{rest}{tail}"
                answer = (verb.group("the") or "") + obj.entity.text
                accepted = tuple(sorted({answer, *accepted_for(obj.entity, context)}))
                if not leaks(answer, body):
                    out.append(
                        _candidate(
                            context,
                            _question(context, body),
                            answer,
                            accepted,
                            0.87,
                            ["named subject, verb of founding or ending, named object"],
                            "what_object",
                            obj.entity.kind,
                        )
                    )
    for place in context.mentions:
        if place.entity.kind != "PLACE" or place.entity.subkind != "CITY":
            continue
        between = text[subject.end : place.start]
        match = _PLACE_AFTER.match(between)
        if match is None or not re.match(r"\s*(?:\.$|,|\sin\s)", text[place.end :]):
            continue
        rest = text[place.end :].rstrip(" .")
        if rest.startswith(","):
            rest = ""
        body = f"in which city {match.group('cop')} {subject_text} {match.group('vbn')}{rest}{tail}"
        out.append(
            _candidate(
                context,
                _question(context, body),
                place.entity.text,
                accepted_for(place.entity, context),
                0.86,
                ["named subject, passive verb, city"],
                "where",
                "PLACE",
            )
        )
    return out
