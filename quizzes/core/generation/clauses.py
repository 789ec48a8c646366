"""Sentence simplification on the dependency parse (after Heilman and Smith 2010).

A sentence becomes zero or more :class:`Clause` objects: a finite verb with its
subject, auxiliaries and the dependents that state one fact. Simplification:

- leading connectives ("However", "In particular", "But") and relative-time adverbs
  are dropped; a clause that needs an unanchored relative time ("a month later") is
  refused;
- parentheticals (brackets, dashes) and comma-delimited appositions and
  non-restrictive relative clauses are cut out of noun phrases (appositions are kept
  aside for definitions);
- coordinated clauses are split ("X founded A and led B": two clauses, the second
  inheriting the subject);
- a reported claim ("Pirani argues that ...") becomes a clause attributed to its
  speaker;
- a pronoun subject is replaced by a named antecedent (he/she: the single person of
  the previous sentence's subject; "this policy": a named phrase with the same head
  noun in the two previous sentences) or the clause is refused;
- hedged, first-person, quoted and interrogative sentences are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CONNECTIVES = frozenset(
    [
        "however",
        "thus",
        "therefore",
        "hence",
        "moreover",
        "furthermore",
        "nevertheless",
        "nonetheless",
        "also",
        "indeed",
        "instead",
        "meanwhile",
        "consequently",
        "accordingly",
        "still",
        "yet",
        "besides",
        "otherwise",
        "finally",
        "firstly",
        "secondly",
        "thirdly",
        "lastly",
        "overall",
        "anyway",
        "rather",
        "likewise",
        "similarly",
        "again",
        "further",
        "notably",
        "importantly",
        "admittedly",
        "certainly",
        "undoubtedly",
        "clearly",
        "obviously",
        "surely",
        "so",
        "but",
        "and",
        "or",
        "then",
        "too",
        "though",
        "although",
        "even",
        "just",
        "thereby",
    ]
)
RELATIVE_TIME = frozenset(
    [
        "later",
        "earlier",
        "soon",
        "subsequently",
        "afterwards",
        "afterward",
        "previously",
        "recently",
        "now",
        "today",
        "currently",
        "formerly",
        "eventually",
        "thereafter",
        "meanwhile",
        "already",
    ]
)
CONNECTIVE_PHRASES = (
    "in addition",
    "in particular",
    "in fact",
    "as a result",
    "in sum",
    "for example",
    "for instance",
    "on the other hand",
    "at the same time",
    "by contrast",
    "in contrast",
    "in short",
    "in turn",
    "of course",
    "in other words",
    "in any case",
    "at first",
    "at last",
    "in the end",
    "by then",
    "at that time",
    "at the time",
    "after that",
    "in this way",
    "in this sense",
    "in this respect",
    "on the contrary",
    "above all",
    "after all",
    "in general",
    "in practice",
    "in theory",
    "to some extent",
    "in the meantime",
    "for this reason",
    "as well",
)
HEDGES = re.compile(
    r"\b(?:perhaps|probably|possibly|maybe|might|"
    r"(?:may|could|must|would) (?:well |have |not have )|seems?|seemed|seemingly|"
    r"apparently|arguably|appears?|appeared|in the region of|some evidence|likely|unlikely|"
    r"suppose[sd]?|presumably|allegedly|reportedly|roughly|supposedly)\b",
    re.IGNORECASE,
)
OPINION = re.compile(
    r"\b(?:argue[sd]?|believe[sd]?|crucial|critical|important|significant|terrible|"
    r"disastrous|tragic|mistake|wrong|should|must|ought|genuine|real|true|false|failure|"
    r"success(?:ful)?|fundamental|essentially|decisive|inevitabl[ey]|betray\w*|best|worst|"
    r"great(?:est)?|famous(?:ly)?|one-sided|dramatic|monstrous|brilliant|heroic|vital|"
    r"merely|simply|only|bureaucratic|correct(?:ly)?|failed|mistaken|justified|"
    r"legitimate|deliberate(?:ly)?|cynical|brutal|ruthless(?:ly)?|notorious|remarkable)\b",
    re.IGNORECASE,
)
REPORT_VERBS = frozenset(
    [
        "argue",
        "claim",
        "believe",
        "suggest",
        "contend",
        "maintain",
        "insist",
        "say",
        "note",
        "show",
        "assert",
        "think",
        "state",
        "conclude",
        "stress",
        "emphasise",
        "emphasize",
        "write",
        "observe",
        "point",
        "explain",
        "declare",
        "warn",
        "acknowledge",
        "admit",
        "recall",
        "report",
        "estimate",
    ]
)
FIRST_PERSON = frozenset(
    [
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "ours",
        "myself",
        "ourselves",
        "you",
        "your",
        "yours",
    ]
)
DEICTIC_DETS = frozenset(["this", "these", "that", "those", "such"])
PRONOUN_SUBJECTS = frozenset(
    [
        "it",
        "they",
        "them",
        "this",
        "these",
        "that",
        "those",
        "such",
        "which",
        "who",
        "what",
        "there",
        "here",
        "one",
    ]
)
# "’" alone is an apostrophe ("the workers’ movement"); an opening "‘" marks a quotation
QUOTES = '"“”‘«»'
SKIP_CHILD_DEPS = frozenset(
    {
        "punct",
        "cc",
        "mark",
        "parataxis",
        "discourse",
        "intj",
        "dep",
        "meta",
        "preconj",
        "advcl",
        "conj",
        "csubj",
        "csubjpass",
        "expl",
    }
)
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})


@dataclass
class Part:
    """A dependent of the clause's verb: its relation, head token and kept tokens."""

    dep: str
    head: object  # spacy Token
    tokens: list  # spacy Tokens, in order
    fronted: bool = False

    @property
    def start(self) -> int:
        return self.tokens[0].i if self.tokens else self.head.i


@dataclass
class Clause:
    """One simplified clause: subject, auxiliaries, verb and dependents."""

    sentence: object  # spacy Span
    verb: object  # spacy Token
    subject_head: object | None
    subject_tokens: list
    subject_text: str
    auxes: list
    negation: list
    parts: list[Part]
    advcls: list = field(default_factory=list)  # spacy Tokens (heads of adverbial clauses)
    attribution: str = ""
    resolved: bool = False  # the subject was a pronoun replaced by its antecedent
    passive: bool = False
    opinion: bool = False
    source: str = "main"  # main | conj | reported
    index_in_sentence: int = 0

    @property
    def evidence(self) -> tuple[int, int]:
        return self.sentence.start_char, self.sentence.end_char


def render(tokens) -> str:
    """Text of ``tokens`` (in document order), spaced as in the document where adjacent."""
    ordered = sorted(tokens, key=lambda t: t.i)
    out: list[str] = []
    for index, token in enumerate(ordered):
        out.append(token.text)
        if index + 1 < len(ordered):
            following = ordered[index + 1]
            if following.i == token.i + 1:
                out.append(token.whitespace_)
            elif following.text not in {",", ".", ";", ":", ")", "'s", "’s", "'", "’"}:
                out.append(" ")
    return tidy("".join(out))


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:?!)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"^[,;:\s]+|[,;:\s]+$", "", text)
    return text


def _in_brackets(doc) -> set[int]:
    """Token indices inside brackets or between paired dashes (parentheticals)."""
    cached = doc.user_data.get("qgen_brackets")
    if cached is None:
        cached = _brackets(doc)
        doc.user_data["qgen_brackets"] = cached
    return cached


def _brackets(doc) -> set[int]:
    inside: set[int] = set()
    depth = 0
    for token in doc:
        if token.text in "([":
            depth += 1
            inside.add(token.i)
            continue
        if token.text in ")]":
            inside.add(token.i)
            depth = max(0, depth - 1)
            continue
        if depth:
            inside.add(token.i)
    for sent in doc.sents:
        dashes = [
            t.i
            for t in sent
            if t.text in {"—", "–", "--"}
            and t.whitespace_
            and t.i > sent.start
            and doc[t.i - 1].whitespace_
        ]
        for a, b in zip(dashes[::2], dashes[1::2], strict=False):
            inside.update(range(a, b + 1))
    return inside


def _np_tokens(head, drop: set[int]) -> list:
    """A noun phrase's tokens without comma-delimited appositions, non-restrictive
    relative clauses and parentheticals."""
    removed: set[int] = set()
    for token in head.subtree:
        if token.i in removed:
            continue
        if token.dep_ in {"appos", "relcl", "acl", "advcl"} or (
            token.dep_ == "conj" and token.head.dep_ == "appos"
        ):
            left = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
            if token.dep_ == "appos" or (left is not None and left.text in {",", "—", "–", "("}):
                removed.update(t.i for t in token.subtree)
                if left is not None and left.text == ",":
                    removed.add(left.i)
                right = token.right_edge.i + 1
                if right < len(token.doc) and token.doc[right].text == ",":
                    removed.add(right)
    tokens = [t for t in head.subtree if t.i not in removed and t.i not in drop]
    while tokens and (
        tokens[-1].is_punct
        and tokens[-1].text not in ")]'’\""
        or tokens[-1].dep_ in {"cc", "prep", "det"}
    ):
        tokens.pop()
    while tokens and tokens[0].is_punct and tokens[0].text not in '([‘“"':
        tokens.pop(0)
    return tokens


def _starts_with_phrase(tokens, phrases) -> bool:
    text = " ".join(t.lower_ for t in tokens)
    return any(text == p or text.startswith(p + " ") for p in phrases)


@dataclass
class Context:
    """What clause extraction knows beyond the sentence."""

    previous: list  # previous spacy Spans (sentences) of the passage, nearest last
    author_surname: str = ""
    drop: set[int] = field(default_factory=set)


def _resolve_person(pronoun, context: Context) -> str | None:
    """The one person a he/she subject can refer to: the previous sentence's named
    personal subject, when it is the only person named there."""
    if not context.previous:
        return None
    prev = context.previous[-1]
    people = {e.text for e in prev.ents if e.label_ == "PERSON"}
    subjects = [t for t in prev if t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "ROOT"]
    for subject in subjects:
        if subject.ent_type_ == "PERSON" and subject.pos_ == "PROPN":
            ent = next((e for e in prev.ents if e.start <= subject.i < e.end), None)
            if ent is not None and len(people) == 1:
                return ent.text
    return None


def _resolve_deictic(det, head, context: Context) -> str | None:
    """ "this policy" -> "the New Economic Policy" when an earlier sentence names a
    phrase with the same head noun carrying a proper name or a capital."""
    for prev in reversed(context.previous[-2:]):
        for token in prev:
            if (
                token.lemma_ == head.lemma_
                and token.pos_ in {"NOUN", "PROPN"}
                and token.i != head.i
            ):
                mods = [c for c in token.children if c.dep_ in {"compound", "amod", "nmod"}]
                if any(m.pos_ == "PROPN" or m.text[:1].isupper() for m in mods) or (
                    token.pos_ == "PROPN"
                ):
                    phrase = [
                        t
                        for t in token.subtree
                        if t.dep_ not in {"relcl", "appos", "punct"} and t.i <= token.i
                    ]
                    text = render(phrase)
                    if len(phrase) > 6 or any(t.lower_ in DEICTIC_DETS for t in phrase):
                        continue
                    if phrase[0].lower_ not in {"the", "a", "an"} and phrase[0].pos_ != "PROPN":
                        text = "the " + text
                    elif phrase[0].lower_ in {"a", "an"}:
                        text = "the " + render(phrase[1:])
                    return text
    return None


def _subject(verb, context: Context):
    """(head, tokens, text, resolved) of the verb's subject, or None to refuse."""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if len(subjects) != 1:
        return None
    head = subjects[0]
    lower = head.lower_
    if lower in FIRST_PERSON:
        return None
    if head.pos_ == "PRON" or lower in PRONOUN_SUBJECTS:
        if lower in {"he", "she"}:
            name = _resolve_person(head, context)
            if name:
                return head, [head], name, True
        return None
    tokens = _np_tokens(head, context.drop)
    if not tokens or len(tokens) > 14:
        return None
    dets = [t for t in tokens if t.dep_ in {"det", "poss"} and t.head.i == head.i]
    for det in dets:
        if det.lower_ in DEICTIC_DETS:
            name = _resolve_deictic(det, head, context)
            if name is None:
                return None
            rest = [t for t in tokens if t.i > head.i]
            text = name + (" " + render(rest) if rest else "")
            return head, tokens, text, True
        if det.lower_ in {"his", "her", "its", "their"}:
            return None
    if any(t.lower_ in {"latter", "former"} for t in tokens):
        return None
    text = render(tokens)
    if sentence_initial_common(tokens[0]):
        text = text[0].lower() + text[1:]
    return head, tokens, text, False


def sentence_initial_common(first) -> bool:
    """A capital that only marks the start of the sentence ("The party", "Photosynthesis"
    when the passage also writes "photosynthesis")."""
    if first.i != first.sent.start or not first.text[:1].isupper():
        return False
    if len(first.text) > 1 and first.text.isupper():
        return False
    if first.pos_ != "PROPN" and (
        not first.ent_type_ or first.ent_type_ in {"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT"}
    ):
        return True
    return first.lower_ in _lower_words(first.doc)


def _lower_words(doc) -> frozenset[str]:
    """Words the document writes in lower case (cached per Doc)."""
    cached = doc.user_data.get("qgen_lower_words")
    if cached is None:
        cached = frozenset(t.text for t in doc if t.text.islower())
        doc.user_data["qgen_lower_words"] = cached
    return cached


def _movable(tokens) -> bool:
    """A fronted dependent that can move after the verb: a short dated or placed phrase."""
    if (
        len(tokens) > 6
        or tokens[0].dep_ not in {"prep", "npadvmod", "pobj"}
        and tokens[0].ent_type_ != "DATE"
    ):
        return False
    return any(t.ent_type_ in {"DATE", "GPE", "LOC", "TIME"} for t in tokens)


def _parts(verb, subject_head, context: Context) -> tuple[list[Part], list, list, list] | None:
    auxes, negation, parts, advcls = [], [], [], []
    for child in verb.children:
        if child.i in context.drop:
            continue
        dep = child.dep_
        if subject_head is not None and child.i == subject_head.i:
            continue
        if dep in {"aux", "auxpass"}:
            if child.i > verb.i:
                return None
            auxes.append(child)
            continue
        if dep == "neg":
            negation.append(child)
            continue
        if dep == "advcl":
            advcls.append(child)
            continue
        if dep == "expl":
            return None
        if dep == "conj" and child.pos_ not in {"VERB", "AUX"}:
            return None  # a coordination the parse hangs on the verb: not split safely
        if (
            dep == "cc"
            and child.i > verb.i
            and not any(c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"} for c in verb.children)
        ):
            return None  # "adopted the Declaration of X and of Y": a broken coordination
        if dep in SKIP_CHILD_DEPS:
            continue
        if dep in {"nsubj", "nsubjpass"}:
            return None
        tokens = [t for t in child.subtree if t.i not in context.drop]
        if not tokens:
            continue
        if dep == "advmod" and len(tokens) <= 2:
            words = {t.lower_ for t in tokens}
            if words & RELATIVE_TIME:
                return None
            if words & CONNECTIVES or child.lower_.endswith("ly") and child.i < verb.i:
                continue
        if dep in {"prep", "advmod", "npadvmod"} and _starts_with_phrase(
            tokens, CONNECTIVE_PHRASES
        ):
            continue
        if dep == "prep" and child.lower_ == "according":
            return None  # "X, according to Lenin, never lose ...": a view inside a view
        if dep in {"dobj", "attr", "pobj", "dative", "oprd"}:
            tokens = _np_tokens(child, context.drop)
        elif dep == "prep":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                tokens = (
                    [child]
                    + _np_tokens(objects[0], context.drop)
                    + [
                        t
                        for c in child.children
                        if c.dep_ not in {"pobj", "punct"}
                        for t in c.subtree
                        if t.i not in context.drop
                    ]
                )
                tokens = sorted(set(tokens), key=lambda t: t.i)
        fronted = subject_head is not None and child.i < subject_head.i
        if fronted and not _movable(tokens):
            return None
        parts.append(Part(dep=dep, head=child, tokens=tokens, fronted=fronted))
    parts.sort(key=lambda p: p.start)
    return parts, auxes, negation, advcls


def _clause(
    verb, context: Context, *, subject=None, inherited_auxes=None, source="main", skip=None
):
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    own = _subject(verb, context) if subject is None else subject
    if own is None:
        return None
    head, tokens, text, resolved = own
    result = _parts(verb, head if subject is None else skip, context)
    if result is None:
        return None
    parts, auxes, negation, advcls = result
    if not auxes and inherited_auxes and verb.tag_ in {"VBN", "VB", "VBG"}:
        auxes = list(inherited_auxes)
    finite = verb.tag_ in FINITE_TAGS or any(a.tag_ in FINITE_TAGS | {"MD"} for a in auxes)
    if not finite:
        return None
    if any(a.lower_ in {"would", "might"} for a in auxes):
        return None  # conditional or hedged
    used = [t for p in parts for t in p.tokens] + list(tokens)
    if any(t.lower_ in FIRST_PERSON for t in used):
        return None
    passive = any(a.dep_ == "auxpass" for a in auxes) or (
        head is not None and head.dep_ == "nsubjpass"
    )
    return Clause(
        sentence=verb.sent,
        verb=verb,
        subject_head=head,
        subject_tokens=tokens,
        subject_text=text,
        auxes=sorted(auxes, key=lambda t: t.i),
        negation=negation,
        parts=parts,
        advcls=advcls,
        resolved=resolved,
        passive=passive,
        source=source,
    )


def sentence_refused(sent) -> str:
    """Why a whole sentence is not used ("" when it may be)."""
    text = sent.text.strip()
    if text.endswith("?"):
        return "question"
    if HEDGES.search(text):
        return "hedge"
    if any(c in text for c in QUOTES) or '"' in text:
        return "quotation"
    if len(sent) < 5 or len(sent) > 110:
        return "length"
    if sent.root.pos_ not in {"VERB", "AUX"}:
        return "no_verb"
    return ""


def clauses(sent, context: Context) -> list[Clause]:
    """The simplified clauses of one sentence (possibly none)."""
    if sentence_refused(sent):
        return []
    out: list[Clause] = []
    root = sent.root
    main = _clause(root, context)
    queue: list[tuple[object, Clause | None]] = []
    if main is not None:
        out.append(main)
    # Reported claims: "Pirani argues that the workers lost power" -> attributed clause.
    if root.lemma_ in REPORT_VERBS:
        speakers = [c for c in root.children if c.dep_ == "nsubj"]
        complements = [c for c in root.children if c.dep_ == "ccomp"]
        if speakers and complements and speakers[0].pos_ == "PROPN":
            speaker = render(_np_tokens(speakers[0], context.drop))
            inner = _clause(complements[0], context, source="reported")
            if inner is not None:
                inner.attribution = f"according to {speaker}"
                out.append(inner)
    # Coordinated clauses: a conjoined verb with its own subject, or sharing the root's.
    for child in root.children:
        if child.dep_ in {"conj", "parataxis"} and child.pos_ in {"VERB", "AUX"}:
            queue.append((child, main if child.dep_ == "conj" else None))
    for verb, parent in queue:
        has_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
        if has_subject:
            clause = _clause(verb, context, source="conj")
        elif parent is not None:
            clause = _clause(
                verb,
                context,
                subject=(
                    parent.subject_head,
                    parent.subject_tokens,
                    parent.subject_text,
                    parent.resolved,
                ),
                inherited_auxes=parent.auxes,
                source="conj",
            )
        else:
            clause = None
        if clause is not None:
            out.append(clause)
    # Relative clauses on a named noun phrase: "a sperm candle, which comes from the oil
    # of the spermaceti whale" -> "a sperm candle comes from the oil ...".
    for token in sent:
        if token.dep_ != "relcl" or token.pos_ not in {"VERB", "AUX"}:
            continue
        relative = [
            c
            for c in token.children
            if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"which", "who", "that"}
        ]
        head = token.head
        if not relative or head.pos_ not in {"NOUN", "PROPN"}:
            continue
        noun = [t for t in _np_tokens(head, context.drop) if t.i < token.left_edge.i]
        while noun and noun[-1].is_punct:
            noun.pop()
        if (
            not noun
            or len(noun) > 8
            or any(
                t.lower_ in DEICTIC_DETS | {"his", "her", "its", "their", "latter", "former"}
                or t.pos_ == "PRON"
                for t in noun
            )
        ):
            continue
        text = render(noun)
        if sentence_initial_common(noun[0]):
            text = text[0].lower() + text[1:]
        clause = _clause(
            token, context, subject=(head, noun, text, False), source="relative", skip=relative[0]
        )
        if clause is not None:
            clause.passive = relative[0].dep_ == "nsubjpass"
            out.append(clause)
    for index, clause in enumerate(out):
        clause.index_in_sentence = index
        text = sent.text
        clause.opinion = bool(OPINION.search(text))
        if clause.opinion and not clause.attribution and context.author_surname:
            clause.attribution = f"according to {context.author_surname}"
    return out


def passage_clauses(doc, author_surname: str = "") -> list[Clause]:
    """Every simplified clause of a parsed passage, in document order."""
    drop = _in_brackets(doc)
    sentences = list(doc.sents)
    out: list[Clause] = []
    for index, sent in enumerate(sentences):
        context = Context(
            previous=sentences[max(0, index - 2) : index], author_surname=author_surname, drop=drop
        )
        out.extend(clauses(sent, context))
    return out
