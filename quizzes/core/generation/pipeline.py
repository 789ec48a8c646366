"""The generator: simplify, transform, gate, add options, rank, keep one item per fact.

Input is a passage with its spaCy analysis (parsed once, stored) and the inventory of
its deck. ``overgenerate`` returns every candidate that passes the gates, with the
features the ranker reads; ``generate`` scores them with the learned ranker and keeps
what is worth serving.
"""

from __future__ import annotations

import hashlib
import random
import re

from . import ranking
from .clauses import _in_brackets, passage_clauses
from .deck import DeckInventory
from .gates import cut_compound, refuse
from .text import surname
from .transforms import CLAUSE_RULES, Draft, apposition_questions
from .types import Candidate, PassageInput

GENERATOR_VERSION = "parse-2026.12.07.1"

# At most this many items share one sentence (a quiz draws at most one of them).
PER_SENTENCE = 2
PERSON_RULES = frozenset({"subject_who", "definition_reverse", "appos_reverse"})
NAMED_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT"})
MC_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC"})
# Rules blind judges almost never accepted (at most 7% of 15 or more judged items each):
# overgenerated for labelling, never served.
NEVER_SERVED = frozenset({"how_many", "passive_agent", "why_purpose", "definition_reverse"})
# Rules whose subject is the defined term itself: "What is chalk?" needs no other anchor.
SELF_ANCHORED = frozenset({"definition_copula", "definition_appos", "appos_reverse", "name_list"})
_PRESENT = re.compile(r"\b(?:does|do|is|are|shall|can|may|must|has|have)\b")
_PAST = re.compile(r"\b(?:did|was|were|had)\b")


def anchored(prompt: str) -> bool:
    """The question names what it is about (RUBRIC C2): a name outside its first word,
    or it states something timeless in the present tense ("From what does a sperm
    candle come?"). Judges nearly always found past-tense questions about an unnamed
    "party", "campaign" or "institute" not standalone, a year alone did not help."""
    body = re.sub(r"^According to [^,]+, ", "", prompt).replace("_____", " ")
    words = re.findall(r"[A-Za-z][\w'’-]*", body)
    if any(w[:1].isupper() for w in words[1:]):
        return True
    return bool(_PRESENT.search(body)) and not _PAST.search(body)


def servable(candidate: Candidate) -> bool:
    """Whether a gated candidate may be served at all (before its score is read)."""
    if candidate.template in NEVER_SERVED:
        return False
    return candidate.template in SELF_ANCHORED or anchored(candidate.prompt)


def fingerprint(kind: str, prompt: str, answer: str) -> str:
    """Stable id of an item (kind, prompt and answer)."""
    key = f"{kind}\x1f{prompt}\x1f{answer}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _rng(passage: PassageInput, salt: str) -> random.Random:
    seed = hashlib.sha256(f"{GENERATOR_VERSION}|{passage.text}|{salt}".encode()).hexdigest()
    return random.Random(int(seed[:16], 16))


def _accepted(draft: Draft, deck: DeckInventory | None, position: int) -> tuple[str, ...]:
    out: list[str] = []
    answer = draft.answer
    if draft.rule == "name_list":
        items = re.split(r", | and ", answer)
        if draft.label == "PERSON" and all(len(i.split()) >= 2 for i in items):
            out.append(
                ", ".join(i.split()[-1] for i in items[:-1]) + " and " + items[-1].split()[-1]
            )
        return tuple(out)
    if deck is not None and draft.label:
        out.extend(deck.variants(draft.label, answer, position))
    elif re.match(r"^(?:the|a|an)\s", answer, re.IGNORECASE):
        out.append(re.sub(r"^(?:the|a|an)\s+", "", answer, flags=re.IGNORECASE))
    tokens = draft.answer_tokens
    if tokens and draft.label in {"", "DEFINITION"} and draft.rule in {"object_what", "cloze"}:
        head = max(tokens, key=lambda t: (t.dep_ in {"dobj", "pobj", "attr", "ROOT"}, -t.i))
        if head.tag_ == "NNS" and head.i == tokens[-1].i and head.lemma_ != head.lower_:
            out.append(answer[: len(answer) - len(head.text)] + head.lemma_)
    bare = re.sub(r"^(?:only|just|some|a mere)\s+(?=\d)", "", answer, flags=re.IGNORECASE)
    if bare != answer:
        out.append(bare)
    if answer.lower().startswith("because of "):
        out.append(answer[len("because of ") :])
    elif draft.rule.startswith("why") and answer.lower().startswith("because "):
        out.append(answer[len("because ") :])
    return tuple(dict.fromkeys(a for a in out if a and a != answer))


def _choices(
    draft: Draft,
    deck: DeckInventory | None,
    position: int,
    passage: PassageInput,
    rng: random.Random,
) -> tuple[str, ...]:
    if deck is None:
        return ()
    key = draft.answer
    if draft.label in MC_LABELS:
        if not all(t.pos_ == "PROPN" or t.dep_ == "det" or t.is_punct for t in draft.answer_tokens):
            return ()
        distractors = deck.name_distractors(draft.label, key, position, passage.text, rng)
    elif draft.label == "DATE":
        distractors = deck.year_distractors(key, position, passage.text, rng)
    elif draft.label == "CARDINAL" and draft.unit:
        distractors = deck.number_distractors(draft.unit, key, passage.text, rng)
    else:
        return ()
    if len(distractors) < 3:
        return ()
    options = [key, *distractors[:3]]
    rng.shuffle(options)
    return tuple(options)


def _features(draft: Draft, kind: str, choices: tuple[str, ...], prompt: str) -> dict:
    clause = draft.clause
    sentence = clause.sentence if clause is not None else None
    body = re.sub(r"^According to [^,]+, ", "", prompt)
    return {
        "prompt": prompt,
        "answer": draft.answer,
        "evidence": sentence.text if sentence is not None else "",
        "wh": body.split()[0].lower() if kind != "cloze" else "cloze",
        "rule": draft.rule,
        "kind": kind,
        "label": draft.label or "NONE",
        "prompt_words": len(prompt.split()),
        "answer_words": len(draft.answer.split()),
        "sentence_words": len(sentence) if sentence is not None else 0,
        "attributed": bool(clause is not None and clause.attribution)
        or prompt.startswith("According"),
        "resolved": bool(clause is not None and clause.resolved),
        "clause_source": clause.source if clause is not None else "apposition",
        "opinion": bool(clause is not None and clause.opinion),
        "has_year": bool(re.search(r"\b1[0-9]{3}\b|\b20[0-9]{2}\b", prompt.replace("_____", ""))),
        "propn_in_prompt": sum(1 for w in prompt.split()[1:] if w[:1].isupper()),
        "parts": len(clause.parts) if clause is not None else 0,
        "moved": bool(clause is not None and any(p.fronted for p in clause.parts)),
        "passive": bool(clause is not None and clause.passive),
        "choices": len(choices),
        "subject_propn": bool(
            clause is not None and any(t.pos_ == "PROPN" for t in clause.subject_tokens)
        ),
        "sentence_index": sentence.start if sentence is not None else 0,
        "subject_words": len(clause.subject_tokens) if clause is not None else 0,
        "answer_propn": any(t.pos_ == "PROPN" for t in draft.answer_tokens),
        "answer_number": bool(re.search(r"\d", draft.answer)),
    }


def overgenerate(
    passage: PassageInput, doc, deck: DeckInventory | None = None, position: int = 0
) -> list[Candidate]:
    """Every gated candidate for ``passage`` (parsed as ``doc``), with features, unranked."""
    author = personal_surname(passage.author)
    drafts: list[Draft] = []
    clauses = passage_clauses(doc, author)
    for clause in clauses:
        for rule in CLAUSE_RULES:
            drafts.extend(rule(clause))
    drop = _in_brackets(doc)
    by_sentence = {c.sentence.start: c for c in clauses if c.source == "main"}
    for sent in doc.sents:
        clause = by_sentence.get(sent.start)
        drafts.extend(
            apposition_questions(sent, clause, drop)
            if clause is not None or not _refused(sent)
            else []
        )
    rng = _rng(passage, "choices")
    out: list[Candidate] = []
    seen: set[str] = set()
    for draft in drafts:
        if deck is not None and draft.label in NAMED_LABELS:
            draft.label = deck.label_of(draft.answer, draft.label)
        if draft.rule in PERSON_RULES and draft.label not in {"PERSON"}:
            continue
        if (
            draft.rule in PERSON_RULES
            and deck is not None
            and not deck.is_person_name(draft.answer)
        ):
            continue  # "Who ...?" keyed to a policy or a group the parser took for a person
        if draft.rule in {"object_what", "prep_object", "passive_agent"}:
            draft.prompt = _person_wh(draft.prompt, draft.label in {"PERSON"})
        sentence = draft.clause.sentence if draft.clause is not None else None
        if sentence is None:
            span = next(
                (
                    s
                    for s in doc.sents
                    if draft.answer_tokens and s.start <= draft.answer_tokens[0].i < s.end
                ),
                None,
            )
            if span is None:
                continue
            sentence = span
        evidence = (sentence.start_char, sentence.end_char)
        variants = [(draft.kind if draft.kind != "list" else "short_answer", ())]
        if draft.kind == "short_answer" and draft.rule not in {"name_list"}:
            choices = _choices(draft, deck, position, passage, rng)
            if choices:
                variants.append(("multiple_choice", choices))
        for kind, choices in variants:
            prompt = draft.prompt
            reason = refuse(prompt, draft.answer, kind, draft.rule, choices) or cut_compound(
                f"{prompt} {draft.answer}", sentence.text
            )
            if reason:
                continue
            key = fingerprint(kind, prompt, draft.answer)
            if key in seen:
                continue
            seen.add(key)
            features = _features(draft, kind, choices, prompt)
            out.append(
                Candidate(
                    kind=kind,
                    prompt=prompt,
                    answer=draft.answer,
                    accepted_answers=_accepted(draft, deck, position),
                    choices=choices,
                    evidence_start=evidence[0],
                    evidence_end=evidence[1],
                    explanation=f"The passage says: “{sentence.text.strip()}”",
                    score=0.0,
                    reasons=(draft.rule,),
                    answer_kind=draft.label,
                    template=draft.rule,
                    features=features,
                )
            )
    return out


def _person_wh(prompt: str, person: bool) -> str:
    """ "What did Stalin defeat?" -> "Who did ..." when the deck knows the key is a person."""
    if person:
        prompt = re.sub(
            r"(^|, )what (did|does|do)\b",
            lambda m: f"{m.group(1)}who {m.group(2)}",
            prompt,
            count=1,
        )
        prompt = re.sub(r"^What (did|does|do)\b", r"Who \1", prompt)
        prompt = re.sub(r"^(\w+) what\b", r"\1 whom", prompt)
        prompt = re.sub(r"^What (?=[a-z]+ed\b)", "Who ", prompt)  # a passive agent
    return prompt


def personal_surname(author: str) -> str:
    """The surname for "according to X" when ``author`` is a person's name ("" if not)."""
    name = author.strip()
    if (
        not name
        or "," in name
        or re.search(
            r"\b(?:Convention|Committee|Society|Institute|"
            r"Office|Council|University|Press|org)\b",
            name,
        )
    ):
        return ""
    words = re.sub(r"\s*\(.*?\)\s*", " ", name).split()
    if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return ""
    return surname(name)


def _refused(sent) -> bool:
    from .clauses import sentence_refused

    return bool(sentence_refused(sent))


def generate(
    passage: PassageInput,
    doc,
    deck: DeckInventory | None = None,
    position: int = 0,
    *,
    min_score: float | None = None,
) -> list[Candidate]:
    """Questions worth serving for ``passage``, best first, each scored by the ranker.

    As many as the passage has facts that pass: one item per fact (sentence and
    answer), at most :data:`PER_SENTENCE` per sentence, never the same answer twice,
    and clozes never more than the other kinds together.
    """
    floor = ranking.serve_floor() if min_score is None else min_score
    scored = [
        _with_score(c, ranking.score(c.features))
        for c in overgenerate(passage, doc, deck, position)
        if servable(c)
    ]
    scored.sort(key=lambda c: (-c.score, c.evidence_start, c.prompt))
    chosen: list[Candidate] = []
    answers: set[str] = set()
    per_sentence: dict[int, int] = {}
    prompts: set[str] = set()
    for candidate in scored:
        if candidate.score < floor:
            break
        answer = candidate.answer.casefold()
        if answer in answers or per_sentence.get(candidate.evidence_start, 0) >= PER_SENTENCE:
            continue
        stem = re.sub(r"\W+", " ", candidate.prompt.casefold()).strip()
        if stem in prompts:
            continue
        if candidate.kind == "cloze":
            clozes = sum(c.kind == "cloze" for c in chosen)
            if clozes + 1 > len(chosen) - clozes + 1:
                continue
        chosen.append(candidate)
        answers.add(answer)
        prompts.add(stem)
        per_sentence[candidate.evidence_start] = per_sentence.get(candidate.evidence_start, 0) + 1
    return chosen


def _with_score(candidate: Candidate, score: float) -> Candidate:
    from dataclasses import replace

    return replace(candidate, score=round(score, 4))
