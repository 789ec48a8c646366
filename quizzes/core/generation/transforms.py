"""Simplified clauses -> questions, by subject-auxiliary inversion and wh-movement.

Each function takes a :class:`~.clauses.Clause` and returns :class:`Draft` items:
the question, its answer, the answer's entity label and the transformation used.
Nothing here knows the subject of the text; every rule reads the parse only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import Clause, Part, render, sentence_initial_common, tidy

DO_FORMS = {"VBD": "did", "VBZ": "does", "VBP": "do"}
PEOPLE_LABELS = frozenset({"PERSON", "NORP"})
GROUP_LABELS = frozenset({"ORG", "NORP"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
YEAR = re.compile(r"^(?:in\s)?(1[0-9]{3}|20[0-9]{2})$")
CAUSE_MARKS = frozenset({"because"})
LIGHT_VERBS = frozenset(
    [
        "see",
        "have",
        "get",
        "make",
        "take",
        "give",
        "follow",
        "mark",
        "become",
        "represent",
        "include",
        "involve",
        "reflect",
        "mean",
        "need",
        "find",
        "remain",
        "seem",
        "show",
        "realize",
        "realise",
        "do",
        "know",
        "lack",
        "say",
        "tell",
        "want",
        "like",
        "provide",
        "offer",
        "come",
        "go",
        "put",
        "set",
        "keep",
        "bring",
    ]
) - {"take"}
_UNUSED = frozenset([])
NO_PURPOSE_VERBS = frozenset(
    [
        "come",
        "go",
        "be",
        "seem",
        "appear",
        "begin",
        "start",
        "continue",
        "fail",
        "tend",
        "have",
        "try",
        "want",
        "need",
        "able",
        "decide",
        "choose",
        "agree",
        "refuse",
        "attempt",
        "hope",
        "plan",
        "expect",
    ]
)
VAGUE_SUBJECTS = frozenset(
    [
        "people",
        "man",
        "men",
        "woman",
        "women",
        "person",
        "group",
        "result",
        "effect",
        "outcome",
        "change",
        "process",
        "situation",
        "problem",
        "question",
        "idea",
        "view",
        "approach",
        "policy",
        "system",
        "state",
        "party",
        "government",
        "year",
        "period",
        "time",
    ]
)
TIME_NOUNS = frozenset(
    re.findall(
        r"\w+",
        "year years decade decades month months week weeks day days century centuries period "
        "periods time times moment hour hours era",
    )
)
GENERIC_HEADS = frozenset(
    [
        "thing",
        "things",
        "way",
        "ways",
        "part",
        "parts",
        "kind",
        "kinds",
        "sort",
        "lot",
        "number",
        "numbers",
        "fact",
        "facts",
        "case",
        "cases",
        "time",
        "times",
        "point",
        "points",
        "one",
        "ones",
        "other",
        "others",
        "matter",
        "matters",
        "aspect",
        "aspects",
        "issue",
        "issues",
        "role",
        "sense",
        "means",
        "end",
        "term",
        "terms",
        "level",
        "levels",
        "place",
        "places",
        "form",
        "forms",
        "area",
        "areas",
        "type",
        "types",
        "result",
        "results",
    ]
)


@dataclass
class Draft:
    """A question before distractors, gates and ranking."""

    kind: str  # "short_answer" | "cloze" | "list"
    rule: str
    prompt: str
    answer: str
    label: str = ""  # entity label of the answer (PERSON, DATE, CARDINAL...)
    answer_tokens: list = field(default_factory=list)
    clause: Clause | None = None
    unit: str = ""  # for numbers: the counted noun's lemma


def _ent_label(tokens) -> str:
    """The entity label covering most of ``tokens`` (or "")."""
    labels = [t.ent_type_ for t in tokens if t.ent_type_]
    if not labels:
        return ""
    label = max(set(labels), key=labels.count)
    content = [t for t in tokens if not t.is_punct and t.lower_ not in {"the", "a", "an"}]
    if content and sum(t.ent_type_ == label for t in content) >= len(content) * 0.8:
        return label
    return ""


def _is_propn_phrase(tokens) -> bool:
    content = [t for t in tokens if not t.is_punct and t.dep_ not in {"det", "case"}]
    return bool(content) and all(t.pos_ == "PROPN" or t.text[:1].isupper() for t in content)


def _part_text(part: Part, moved: bool) -> str:
    text = render(part.tokens)
    if moved and part.tokens and part.tokens[0].pos_ != "PROPN" and text[:1].isupper():
        text = text[0].lower() + text[1:]
    return text


# An adjunct with an unresolved pronoun ("for his work against hunger") is left out of
# a question's body: the question stays true and needs no antecedent.
DROPPABLE_ADJUNCTS = frozenset(
    {
        "for",
        "with",
        "against",
        "despite",
        "through",
        "without",
        "as",
        "because",
        "after",
        "before",
        "among",
        "amongst",
        "beyond",
        "like",
        "unlike",
        "via",
        "alongside",
    }
)
_ANAPHORIC = frozenset(
    {
        "he",
        "she",
        "it",
        "they",
        "him",
        "her",
        "them",
        "his",
        "its",
        "their",
        "this",
        "these",
        "those",
        "such",
        "latter",
        "former",
    }
)


def _droppable(part: Part) -> bool:
    return (
        part.dep == "prep"
        and not part.fronted
        and part.head.lower_ in DROPPABLE_ADJUNCTS
        and any(t.lower_ in _ANAPHORIC for t in part.tokens)
    )


def _parts_text(parts: list[Part], skip: Part | None = None, front_last: bool = True) -> str:
    """Dependents in document order; fronted adverbials moved after the others."""
    kept = [p for p in parts if p is not skip and not _droppable(p)]
    if front_last:
        kept = [p for p in kept if not p.fronted] + [p for p in kept if p.fronted]
    return " ".join(_part_text(p, p.fronted and front_last) for p in kept if p.tokens)


def _inverted(clause: Clause, rest: str) -> str | None:
    """aux + subject + verb + rest, for a question on a non-subject constituent."""
    verb = clause.verb
    negation = " ".join(t.text for t in clause.negation)
    subject = clause.subject_text
    auxes = [a for a in clause.auxes if a.lower_ != "to"]
    if auxes:
        first, others = auxes[0].text.lower(), " ".join(a.text for a in auxes[1:])
        body = " ".join(x for x in (subject, negation, others, verb.text, rest) if x)
        return f"{first} {body}"
    if verb.lemma_ == "be":
        body = " ".join(x for x in (subject, negation, rest) if x)
        return f"{verb.text.lower()} {body}"
    do = DO_FORMS.get(verb.tag_)
    if do is None:
        return None
    if verb.lemma_ == "have" and not rest:
        return None
    body = " ".join(x for x in (subject, negation, verb.lemma_, rest) if x)
    return f"{do} {body}"


def _verb_group(clause: Clause) -> str:
    """Auxiliaries, negation and verb in declarative order ("is not", "did not ban")."""
    auxes = [a.text for a in clause.auxes]
    negation = [t.text for t in clause.negation]
    verb = clause.verb.text
    if not negation:
        return " ".join([*auxes, verb])
    if auxes:
        return " ".join([auxes[0], *negation, *auxes[1:], verb])
    if clause.verb.lemma_ == "be":
        return " ".join([verb, *negation])
    do = DO_FORMS.get(clause.verb.tag_, "did")
    return " ".join([do, *negation, clause.verb.lemma_])


def third_person(lemma: str) -> str:
    """ "decompose" -> "decomposes" (for "What decomposes the soap?")."""
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if lemma in irregular:
        return irregular[lemma]
    if re.search(r"(?:s|sh|ch|x|z|o)$", lemma):
        return lemma + "es"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ies"
    return lemma + "s"


def _declarative(clause: Clause, skip: Part | None = None, replace: str = "") -> str:
    before = [p for p in clause.parts if p.fronted and p is not skip]
    after = [p for p in clause.parts if not p.fronted]
    front = " ".join(render(p.tokens) for p in before)
    tail = " ".join((replace if p is skip else render(p.tokens)) for p in after if p.tokens)
    core = " ".join(x for x in (clause.subject_text, _verb_group(clause), tail) if x)
    return tidy(f"{front}, {core}" if front else core)


def _question(clause: Clause, wh: str, body: str) -> str:
    text = tidy(f"{wh} {body}")
    if clause.attribution:
        text = (
            f"{clause.attribution[0].upper()}{clause.attribution[1:]}, {text[0].lower()}{text[1:]}"
        )
    text = text[0].upper() + text[1:]
    return text.rstrip(".,;: ") + "?"


def _pobj(part: Part):
    objects = [c for c in part.head.children if c.dep_ == "pobj"]
    return objects[0] if objects else None


def _answer_tokens(part: Part, head) -> list:
    return [t for t in part.tokens if t.i >= head.left_edge.i and t.i <= head.right_edge.i]


def _specific_subject(clause: Clause) -> bool:
    """The subject names something: a proper name, a dated clause or a modified noun."""
    tokens = clause.subject_tokens
    if any(t.pos_ == "PROPN" for t in tokens) or clause.resolved:
        return True
    if any(t.ent_type_ == "DATE" for p in clause.parts for t in p.tokens):
        return True
    content = [t for t in tokens if t.pos_ in {"NOUN", "ADJ", "PROPN", "NUM"}]
    head = clause.subject_head
    return len(content) >= 2 or (
        head is not None
        and head.pos_ == "NOUN"
        and head.lemma_.lower() not in GENERIC_HEADS
        and head.lemma_.lower() not in VAGUE_SUBJECTS
    )


def subject_questions(clause: Clause) -> list[Draft]:
    """Who/which for a named subject: "Kollontai led the opposition" -> "Who led ...?"."""
    if clause.resolved or clause.subject_head is None:
        return []
    tokens = clause.subject_tokens
    label = _ent_label(tokens)
    if not _is_propn_phrase(tokens) or not label:
        return []
    if clause.verb.lemma_ == "be":
        return []
    rest = _parts_text(clause.parts, front_last=True)
    if not rest:
        return []
    if label != "PERSON" or len(rest.split()) < 3:
        return []
    wh = "Who"
    auxes = " ".join(a.text for a in clause.auxes)
    negation = " ".join(t.text for t in clause.negation)
    verb = clause.verb.text
    if clause.verb.tag_ == "VBP" and not auxes:
        verb = clause.verb.lemma_ + ("s" if not clause.verb.lemma_.endswith("s") else "es")
        if clause.verb.lemma_ == "have":
            verb = "has"
    if auxes.split() and auxes.split()[0] in {"have", "are", "were"}:
        auxes = {"have": "has", "are": "is", "were": "was"}[auxes.split()[0]] + auxes[
            len(auxes.split()[0]) :
        ]
    body = " ".join(x for x in (auxes, negation, verb, rest) if x)
    return [
        Draft(
            "short_answer",
            "subject_who",
            _question(clause, wh, body),
            render(tokens),
            label,
            tokens,
            clause,
        )
    ]


def object_questions(clause: Clause) -> list[Draft]:
    """What/who for a direct object: "Lenin banned factions" -> "What did Lenin ban?"."""
    out: list[Draft] = []
    for part in clause.parts:
        if part.dep != "dobj":
            continue
        tokens = part.tokens
        head = part.head
        if head.pos_ not in {"NOUN", "PROPN"} or len(tokens) > 9:
            continue
        if head.lemma_.lower() in GENERIC_HEADS or any(c.dep_ == "nummod" for c in head.children):
            continue
        if any(c.dep_ == "conj" for c in head.children) or clause.verb.lemma_ in LIGHT_VERBS:
            continue
        if not _specific_subject(clause):
            continue
        if any(p.dep in {"xcomp", "ccomp", "oprd"} for p in clause.parts):
            continue
        label = _ent_label(tokens)
        if label in {"DATE", "CARDINAL", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}:
            continue
        wh = "Who" if label in PEOPLE_LABELS else "What"
        rest = _parts_text(clause.parts, skip=part)
        body = _inverted(clause, rest)
        if body is None:
            continue
        out.append(
            Draft(
                "short_answer",
                "object_what",
                _question(clause, wh, body),
                render(tokens),
                label,
                tokens,
                clause,
            )
        )
    return out


def _date_wh(prep: str, answer: str, answer_tokens) -> str | None:
    if prep == "by":
        return "By what year" if YEAR.match(answer) else "By when"
    if prep not in {"in", "on", "during", ""}:
        return None
    if YEAR.match(answer):
        return "In what year"
    if re.match(r"^(?:the\s)?1[0-9]{3}s$", answer):
        return "In which decade"
    return "When"


def when_questions(clause: Clause) -> list[Draft]:
    """When / in what year from a dated dependent: "banned factions in 1921"."""
    out: list[Draft] = []
    for part in clause.parts:
        if part.dep == "prep":
            obj = _pobj(part)
            if obj is None:
                continue
            answer_tokens = _answer_tokens(part, obj)
            prep = part.head.lower_
        elif part.dep == "npadvmod":
            answer_tokens = part.tokens
            prep = ""
        else:
            continue
        if _ent_label(answer_tokens) != "DATE" or len(answer_tokens) > 5:
            continue
        answer = render(answer_tokens)
        if not re.search(r"\d", answer):
            continue
        wh = _date_wh(prep, answer, answer_tokens)
        if wh is None:
            continue
        rest = _parts_text(clause.parts, skip=part)
        body = _inverted(clause, rest)
        if body is None:
            continue
        out.append(
            Draft(
                "short_answer",
                "when",
                _question(clause, wh, body),
                answer,
                "DATE",
                answer_tokens,
                clause,
            )
        )
    return out


def where_questions(clause: Clause) -> list[Draft]:
    """Where / in which place from a locative dependent: "met in Moscow"."""
    out: list[Draft] = []
    for part in clause.parts:
        if part.dep != "prep" or part.head.lower_ not in {"in", "at"}:
            continue
        obj = _pobj(part)
        if obj is None:
            continue
        answer_tokens = _answer_tokens(part, obj)
        if _ent_label(answer_tokens) not in PLACE_LABELS or len(answer_tokens) > 4:
            continue
        rest = _parts_text(clause.parts, skip=part)
        if not rest:
            continue
        body = _inverted(clause, rest)
        if body is None:
            continue
        out.append(
            Draft(
                "short_answer",
                "where",
                _question(clause, "Where", body),
                render(answer_tokens),
                _ent_label(answer_tokens),
                answer_tokens,
                clause,
            )
        )
    return out


def _counted(head):
    numbers = [c for c in head.children if c.dep_ == "nummod" and c.like_num]
    if len(numbers) != 1 or head.tag_ not in {"NNS", "NNPS"}:
        return None
    number = numbers[0]
    if any(c.dep_ == "prep" and c.i < number.i for c in head.children):
        return None
    number_tokens = list(number.subtree)
    if any(t.lower_ in {"%", "percent", "per"} for t in number_tokens):
        return None
    modifiers = [t for t in head.subtree if t.i > number.right_edge.i and t.i <= head.i]
    trailing = [t for t in head.subtree if t.i > head.i]
    return number_tokens, modifiers, trailing


def how_many_questions(clause: Clause) -> list[Draft]:
    """How many from a counted noun: "elected 37 delegates" -> "How many delegates ...?"."""
    out: list[Draft] = []
    candidates: list[tuple[str, object, Part | None]] = []
    if clause.subject_head is not None and not clause.resolved:
        candidates.append(("subject", clause.subject_head, None))
    for part in clause.parts:
        if part.dep in {"dobj", "attr"}:
            candidates.append(("object", part.head, part))
    for role, head, part in candidates:
        counted = _counted(head)
        if counted is None:
            continue
        number_tokens, modifiers, trailing = counted
        answer = render(number_tokens)
        noun_phrase = render(modifiers)
        trail = render(trailing) if trailing and len(trailing) <= 6 else ""
        if trailing and not trail:
            continue
        if role == "subject":
            rest = _parts_text(clause.parts)
            auxes = " ".join(a.text for a in clause.auxes)
            negation = " ".join(t.text for t in clause.negation)
            body = " ".join(
                x for x in (noun_phrase, trail, auxes, negation, clause.verb.text, rest) if x
            )
        else:
            rest = _parts_text(clause.parts, skip=part)
            inverted = _inverted(clause, rest)
            if inverted is None:
                continue
            body = " ".join(x for x in (noun_phrase, trail, inverted) if x)
        out.append(
            Draft(
                "short_answer",
                "how_many",
                _question(clause, "How many", body),
                answer,
                "CARDINAL",
                number_tokens,
                clause,
                unit=head.lemma_.lower(),
            )
        )
    return out


def _advcl_answer(advcl) -> tuple[str, str] | None:
    """(rule, answer) for a because-, so-that- or purpose clause."""
    from .clauses import _in_brackets

    marks = [c.lower_ for c in advcl.children if c.dep_ == "mark"]
    drop = _in_brackets(advcl.doc)
    tokens = [t for t in advcl.subtree if t.i not in drop]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return None
    if len(tokens) > 30 or len(tokens) < 3:
        return None
    if any(m in CAUSE_MARKS for m in marks):
        return "why_because", render(tokens)
    if "so" in marks and "that" in marks:
        return "why_so_that", render(tokens)
    first = tokens[0]
    if advcl.i < advcl.head.i or advcl.head.lemma_ in NO_PURPOSE_VERBS:
        return None
    if first.lower_ == "to" and first.dep_ == "aux" and advcl.tag_ == "VB":
        return "why_purpose", render(tokens)
    if (
        first.lower_ == "in"
        and len(tokens) > 3
        and tokens[1].lower_ == "order"
        and tokens[2].lower_ == "to"
    ):
        return "why_purpose", render(tokens)
    return None


def why_questions(clause: Clause) -> list[Draft]:
    """Why from because-, so-that- and purpose clauses; how from by-ing phrases."""
    out: list[Draft] = []
    rest = _parts_text(clause.parts)
    for advcl in clause.advcls:
        found = _advcl_answer(advcl)
        if found is None:
            continue
        if any(
            t.pos_ == "PRON" and t.lower_ not in {"which", "that", "who"} for t in advcl.subtree
        ):
            continue
        rule, answer = found
        body = _inverted(clause, rest)
        if body is None:
            continue
        out.append(
            Draft(
                "short_answer",
                rule,
                _question(clause, "Why", body),
                answer,
                "CAUSE",
                list(advcl.subtree),
                clause,
            )
        )
    for part in clause.parts:
        if part.dep == "prep" and part.head.lower_ == "because":
            objects = [c for c in part.head.children if c.dep_ in {"pobj", "prep"}]
            if not objects:
                continue
            answer = render(part.tokens)
            rest_ = _parts_text(clause.parts, skip=part)
            body = _inverted(clause, rest_)
            if body is None:
                continue
            out.append(
                Draft(
                    "short_answer",
                    "why_because_of",
                    _question(clause, "Why", body),
                    answer,
                    "CAUSE",
                    part.tokens,
                    clause,
                )
            )
        if part.dep == "prep" and part.head.lower_ == "by":
            pcomps = [c for c in part.head.children if c.dep_ == "pcomp" and c.tag_ == "VBG"]
            if not pcomps or len(part.tokens) > 20:
                continue
            if any(t.pos_ == "PRON" for t in part.tokens):
                continue
            rest_ = _parts_text(clause.parts, skip=part)
            body = _inverted(clause, rest_)
            if body is None:
                continue
            out.append(
                Draft(
                    "short_answer",
                    "how_by",
                    _question(clause, "How", body),
                    render(part.tokens),
                    "MANNER",
                    part.tokens,
                    clause,
                )
            )
    return out


def _tense_be(clause: Clause, plural: bool) -> str:
    past = clause.verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in clause.auxes)
    if past:
        return "were" if plural else "was"
    return "are" if plural else "is"


def definition_questions(clause: Clause) -> list[Draft]:
    """Copulas and appositions: "X is a N ..." -> "What is X?"; "X, the N of Y" -> "Who was X?"."""
    out: list[Draft] = []
    subject = clause.subject_tokens
    if clause.verb.lemma_ == "be" and clause.subject_head is not None and not clause.negation:
        attrs = [p for p in clause.parts if p.dep == "attr"]
        others = [p for p in clause.parts if p.dep not in {"attr"}]
        head = clause.subject_head
        dets = [t.lower_ for t in subject if t.dep_ == "det" and t.head.i == head.i]
        term = head.pos_ == "PROPN" or (
            head.pos_ == "NOUN" and (not dets or dets == ["a"] or dets == ["an"])
        )
        if attrs and not others and term and len(subject) <= 6 and not clause.resolved:
            attr = attrs[0]
            if attr.head.pos_ in {"NOUN", "PROPN"} and 2 <= len(attr.tokens) <= 22:
                label = _ent_label(subject)
                wh = "Who" if label == "PERSON" else "What"
                verb = clause.verb.text.lower()
                aux = " ".join(a.text for a in clause.auxes)
                if aux:
                    return out
                out.append(
                    Draft(
                        "short_answer",
                        "definition_copula",
                        _question(clause, wh, f"{verb} {clause.subject_text}"),
                        render(attr.tokens),
                        "DEFINITION",
                        attr.tokens,
                        clause,
                    )
                )
                if (
                    label == "PERSON"
                    and any(c.dep_ == "prep" for c in attr.head.children)
                    and (attr.tokens[0].lower_ == "the")
                ):
                    out.append(
                        Draft(
                            "short_answer",
                            "definition_reverse",
                            _question(clause, "Who", f"{verb} {render(attr.tokens)}"),
                            clause.subject_text,
                            "PERSON",
                            subject,
                            clause,
                        )
                    )
    return out


def apposition_questions(sentence, clause: Clause | None, drop: set[int]) -> list[Draft]:
    """ "Kollontai, the leader of the Workers' Opposition, ..." -> "Who was Kollontai?"."""
    out: list[Draft] = []
    for token in sentence:
        if token.dep_ != "appos" or token.i in drop:
            continue
        named = token.head
        if named.pos_ not in {"PROPN", "NOUN"} or token.pos_ != "NOUN":
            continue
        ent = next((e for e in sentence.ents if e.start <= named.i < e.end), None)
        if ent is not None and ent.label_ not in {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}:
            continue
        if ent is None:
            phrase = [
                t
                for t in named.subtree
                if t.i <= named.i and t.dep_ in {"compound", "amod"} or t.i == named.i
            ]
            if named.pos_ == "NOUN" and (
                named.lemma_.lower() in GENERIC_HEADS
                or any(c.dep_ == "det" for c in named.children)
            ):
                continue
            text = render(phrase)
            if sentence_initial_common(phrase[0]):
                text = text[0].lower() + text[1:]
            label = ""
        else:
            text, label = ent.text, ent.label_
            if ent.start > 0 and sentence.doc[ent.start - 1].lower_ == "the":
                text = "the " + text
        appos = [t for t in token.subtree if t.i not in drop]
        if not appos or appos[0].lower_ not in {"the", "a", "an"} or len(appos) > 14:
            continue
        doc = token.doc
        before = appos[0].i - 1
        after = appos[-1].i + 1
        if before < 1 or doc[before].text != "," or doc[before - 1].i != named.i:
            continue
        if after >= len(doc) or doc[after].text not in {",", "."}:
            continue
        if ent is not None and ent.label_ == "PERSON" and token.tag_ != "NN":
            continue
        if any(t.pos_ == "PRON" or t.lower_ in {"this", "these"} for t in appos):
            continue
        root = sentence.root
        past = root.tag_ in {"VBD", "VBN"} or any(
            a.tag_ == "VBD" for a in root.children if a.dep_ in {"aux", "auxpass"}
        )
        be = "was" if past else "is"
        wh = "Who" if label == "PERSON" else "What"
        prompt = f"{wh} {be} {text}?"
        out.append(
            Draft(
                "short_answer",
                "definition_appos",
                prompt,
                render(appos),
                "DEFINITION",
                appos,
                clause,
            )
        )
        if (
            label == "PERSON"
            and any(c.dep_ == "prep" for c in token.children)
            and appos[0].lower_ == "the"
        ):
            out.append(
                Draft(
                    "short_answer",
                    "appos_reverse",
                    f"Who {be} {render(appos)}?",
                    text,
                    "PERSON",
                    list(ent),
                    clause,
                )
            )
    return out


def list_questions(clause: Clause) -> list[Draft]:
    """ "Name the three ..." from a coordinated list of named objects or subjects."""
    out: list[Draft] = []
    targets: list[tuple[str, object, Part | None]] = []
    for part in clause.parts:
        if part.dep == "dobj":
            targets.append(("object", part.head, part))
    if clause.subject_head is not None and not clause.resolved:
        targets.append(("subject", clause.subject_head, None))
    for role, head, part in targets:
        items = [head]
        current = head
        while True:
            nxt = [c for c in current.children if c.dep_ == "conj"]
            if not nxt:
                break
            current = nxt[0]
            items.append(current)
        if len(items) < 3 or len(items) > 6:
            continue
        phrases = []
        labels: list[str] = []
        propn = True
        for item in items:
            tokens = [
                t
                for t in item.subtree
                if t.i <= item.i
                and (
                    t.i == item.i
                    or t.dep_ not in {"cc", "punct", "conj"}
                    and (t.head.i == item.i or t.head.head.i == item.i)
                )
            ]
            tokens = [
                t
                for t in tokens
                if not any(
                    a.dep_ == "conj" and a.i != item.i and t in list(a.subtree)
                    for a in item.children
                )
            ]
            labels.append(_ent_label(tokens))
            propn = propn and _is_propn_phrase(tokens)
            phrases.append(render(tokens))
        label = max(set(labels), key=labels.count)
        if not label or labels.count(label) < len(items) - 1 or (label != "PERSON" and not propn):
            continue
        if label == "PERSON" and not propn:
            continue
        noun = {"PERSON": "people", "ORG": "organisations", "NORP": "groups", "GPE": "places"}.get(
            label
        )
        if noun is None or any(len(p.split()) > 5 for p in phrases):
            continue
        count = {3: "three", 4: "four", 5: "five", 6: "six"}[len(items)]
        if role == "object":
            rest = _parts_text(clause.parts, skip=part)
            auxes = " ".join(a.text for a in clause.auxes)
            negation = " ".join(t.text for t in clause.negation)
            clause_text = " ".join(
                x for x in (clause.subject_text, auxes, negation, clause.verb.text, rest) if x
            )
            rel = "whom" if label == "PERSON" else "that"
        else:
            rest = _parts_text(clause.parts)
            auxes = " ".join(a.text for a in clause.auxes)
            negation = " ".join(t.text for t in clause.negation)
            clause_text = " ".join(x for x in (auxes, negation, clause.verb.text, rest) if x)
            rel = "who" if label in PEOPLE_LABELS else "that"
        prefix = (
            f"{clause.attribution[0].upper()}{clause.attribution[1:]}, name"
            if clause.attribution
            else "Name"
        )
        prompt = tidy(f"{prefix} the {count} {noun} {rel} {clause_text}") + "."
        answer = ", ".join(phrases[:-1]) + " and " + phrases[-1]
        out.append(Draft("short_answer", "name_list", prompt, answer, label, [], clause))
    return out


def cloze_questions(clause: Clause) -> list[Draft]:
    """One blank in a rewritten short statement of one fact: a name, date or number."""
    out: list[Draft] = []
    statement_parts = clause.parts
    words = len(_declarative(clause).split())
    if words > 25 or words < 6:
        return out
    for part in statement_parts:
        targets = []
        if part.dep == "prep":
            obj = _pobj(part)
            if obj is not None:
                targets.append(_answer_tokens(part, obj))
        elif part.dep in {"dobj", "npadvmod", "attr"}:
            targets.append(part.tokens)
        for tokens in targets:
            label = _ent_label(tokens)
            if label not in {
                "DATE",
                "PERSON",
                "ORG",
                "GPE",
                "NORP",
                "LOC",
                "CARDINAL",
                "EVENT",
                "LAW",
                "FAC",
                "WORK_OF_ART",
                "PRODUCT",
            }:
                continue
            if len(tokens) > 5 or any(t.dep_ in {"cc", "conj"} for t in part.tokens):
                continue
            if label == "DATE" and not re.search(r"\d", render(tokens)):
                continue  # "within seven years": a duration, not a date
            if len(_declarative(clause).split()) < 8 or not _specific_subject(clause):
                continue
            answer = render(tokens)
            full = render(part.tokens)
            if answer not in full:
                continue
            replaced = full.replace(answer, "_____", 1)
            statement = _declarative(clause, skip=part, replace=replaced)
            if part.fronted:
                statement = _declarative_fronted(clause, part, replaced)
            if clause.attribution:
                statement = f"{clause.attribution[0].upper()}{clause.attribution[1:]}, {statement}"
            statement = statement[0].upper() + statement[1:]
            if "_____" not in statement:
                continue
            out.append(
                Draft(
                    "cloze", "cloze", statement.rstrip(".,;: ") + ".", answer, label, tokens, clause
                )
            )
    return out


def _declarative_fronted(clause: Clause, skip: Part, replaced: str) -> str:
    before = [(replaced if p is skip else render(p.tokens)) for p in clause.parts if p.fronted]
    after = [render(p.tokens) for p in clause.parts if not p.fronted]
    core = " ".join(x for x in (clause.subject_text, _verb_group(clause), *after) if x)
    return tidy(", ".join([" ".join(before), core]))


def passive_agent_questions(clause: Clause) -> list[Draft]:
    """ "X was founded by Y in 1920" -> "Who founded X in 1920?"; "the soap is decomposed
    by sulphuric acid" -> "What decomposes the soap?"."""
    out: list[Draft] = []
    if not clause.passive or clause.resolved or clause.negation:
        return out
    agents = [p for p in clause.parts if p.dep == "agent"]
    if len(agents) != 1:
        return out
    agent = agents[0]
    objects = [c for c in agent.head.children if c.dep_ == "pobj"]
    if not objects or objects[0].pos_ not in {"NOUN", "PROPN"}:
        return out
    answer_tokens = _answer_tokens(agent, objects[0])
    if len(answer_tokens) > 8 or any(t.dep_ in {"relcl", "acl"} for t in answer_tokens):
        return out
    label = _ent_label(answer_tokens)
    person = label in PEOPLE_LABELS and _is_propn_phrase(answer_tokens)
    auxes = list(clause.auxes)
    if len(auxes) != 1 or auxes[0].dep_ != "auxpass":
        return out
    tense = auxes[0].lower_
    if tense in {"was", "were"}:
        if not clause.verb.text.endswith("ed"):
            return out
        verb = clause.verb.text
    elif tense in {"is", "are"}:
        verb = third_person(clause.verb.lemma_)
    else:
        return out
    rest = _parts_text(clause.parts, skip=agent)
    obj = clause.subject_text
    body = " ".join(x for x in (verb, obj, rest) if x)
    wh = "Who" if person else "What"
    out.append(
        Draft(
            "short_answer",
            "passive_agent",
            _question(clause, wh, body),
            render(answer_tokens),
            label,
            answer_tokens,
            clause,
        )
    )
    return out


PIED_PREPS = frozenset(
    {
        "to",
        "from",
        "by",
        "with",
        "for",
        "into",
        "on",
        "against",
        "between",
        "through",
        "under",
        "of",
        "upon",
        "towards",
    }
)


def prep_object_questions(clause: Clause) -> list[Draft]:
    """Pied-piped prepositional objects: "sent the specimens to Ehrenberg" -> "To whom
    were the specimens sent?"; never a stranded preposition."""
    out: list[Draft] = []
    for part in clause.parts:
        if part.dep != "prep" or part.head.lower_ not in PIED_PREPS:
            continue
        obj = _pobj(part)
        if obj is None or obj.pos_ not in {"NOUN", "PROPN"}:
            continue
        answer_tokens = _answer_tokens(part, obj)
        if not 1 <= len(answer_tokens) <= 7 or len(part.tokens) != len(answer_tokens) + 1:
            continue
        if any(t.dep_ in {"relcl", "acl", "conj"} for t in answer_tokens):
            continue
        label = _ent_label(answer_tokens)
        if label in {"DATE", "CARDINAL", "TIME", "PERCENT", "MONEY", "QUANTITY"}:
            continue
        if obj.lemma_.lower() in GENERIC_HEADS | TIME_NOUNS:
            continue
        person = label == "PERSON" or label == "NORP" and _is_propn_phrase(answer_tokens)
        if part.head.lower_ == "by" and not person:
            continue
        wh = f"{part.head.lower_} {'whom' if person else 'what'}"
        rest = _parts_text(clause.parts, skip=part)
        body = _inverted(clause, rest)
        if body is None:
            continue
        out.append(
            Draft(
                "short_answer",
                "prep_object",
                _question(clause, wh, body),
                render(answer_tokens),
                label,
                answer_tokens,
                clause,
            )
        )
    return out


CLAUSE_RULES = (
    subject_questions,
    object_questions,
    when_questions,
    where_questions,
    how_many_questions,
    why_questions,
    definition_questions,
    list_questions,
    cloze_questions,
    passive_agent_questions,
    prep_object_questions,
)
