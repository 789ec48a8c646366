"""Concept cloze items on common noun phrases ("the death penalty", "metal workers").

Noun phrases come from part-of-speech tags given by TextBlob's pattern tagger (what
its ``PatternTagger`` runs: the Brill lexicon bundled in the wheel, no NLTK data,
nothing downloaded) and a small noun
phrase grammar of our own: optional adjectives and nouns before a common-noun head.
The tagger is imported lazily and cached; without TextBlob this template yields nothing.

Precision first. A phrase is blanked only when it is informative (rare words by
wordfreq, or a term the passage repeats), lower case (names are the entity templates'
job), 1-4 words, not a pronoun or a vague head ("the way", "a number"), not the opening
subject of the sentence, not in a quotation, not given away by the rest of the stem,
and complete (not the tail of a name or a longer compound). The items score below
named-entity items unless the phrase is clearly a key term of the passage.
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wordfreq import zipf_frequency

from .analysis import SentenceContext
from .cloze import BLANK, Key, blanked, concept_keys, sentence_adjustment
from .quality import inside_quotes, leaks, rarity
from .text import STOP_WORDS, stem, strip_quotes
from .types import Candidate, Entity

TEMPLATE = "cloze_np"
ANSWER_KIND = "CONCEPT"


def _wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


_TOKEN = re.compile(r"[A-Za-z0-9À-ÿ]+(?:[’'\-][A-Za-z0-9À-ÿ]+)*|\S")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_NOUN = frozenset({"NN", "NNS"})
_MODIFIER = frozenset({"NN", "NNS", "JJ", "JJR", "VBN"})
# Tags a determiner-like word before a noun phrase may carry.
_DETERMINER = frozenset({"DT", "PRP$", "JJ", "JJR", "JJS", "VBN", "NN", "NNS"})
# Opening words that are quantifiers or vague modifiers, not part of the concept.
_LEADING = _wordset(
    """many much more most other others several various certain own same main first second
    third last next new old whole entire further different particular real great little
    less few such only very every each all some any no both either neither former latter
    previous following so-called large small big high low long short good bad early late
    major minor key important general specific overall similar additional"""
)
# Heads too vague to ask for, and words that are never concepts on their own.
_VAGUE = _wordset(
    """thing things way ways part parts number numbers kind kinds sort sorts type types time
    times year years period periods fact facts case cases matter matters point points end
    ends result results lot lots people person persons man men woman women one ones place
    places form forms term terms side sides level levels degree degrees extent role roles
    sense view views idea ideas question questions issue issues problem problems aspect
    aspects reason reasons area areas basis course process processes situation situations
    position positions approach approaches attempt attempts account accounts example
    examples story stories work history day days month months week weeks century centuries
    decade decades group groups member members majority minority half share rest means
    amount amounts set range series element elements factor factors feature features
    change changes development developments effect effects impact consequence
    consequences nature character context terms conditions condition circumstances
    attention interest power order interests meaning manner extent words word name names
    title hand hands state states order view lack need needs use ability chance step steps
    stage stages phase phases beginning middle start outcome aim aims goal goals purpose
    thrust tempo strand strands centrality themes theme emphasis priorities priority
    initiatives initiative continuity affairs elements top importance dispute disputes
    respect respects regard sphere spheres field fields direction directions trend trends
    tendency tendencies outlook perspective perspectives transformation transformations
    transition transitions model models system systems imperative imperatives framework
    frameworks features core culmination ends status structure structures content
    writings shape shapes norms discourse principles decree decrees law laws resolution
    resolutions document documents measure
    task tasks job jobs something anything nothing everything someone everyone anyone
    others another thing-in-itself kind other total figure figures percent per cent
    cent"""
)
# Modifiers that judge or hedge rather than name a kind ("substantial support").
_VAGUE_MODIFIERS = _wordset(
    """substantial significant considerable ideal realistic objective public external
    internal growing increasing greater wider broader serious strong weak clear simple
    basic central crucial essential necessary possible actual potential relative
    particular extensive intensive enormous huge vast tiny intense decisive popular
    remarkable astonishing interesting immense immensely profound deep"""
)
_MAX_WORDS = 4
_SINGLE_MAX_ZIPF = 4.6
_MIN_KEYNESS = 1.2
_QUALIFIER_MAX_ZIPF = 4.3
_TRIVIAL_SHARE = 0.0015  # a noun this common in the corpus is guessed after "the"
_PRONOUNS = re.compile(r"\b(?:it|its|they|their|them|he|she|his|him|her|itself|themselves)\b", re.I)
_FRONTED_PP = re.compile(r"^(?:In|At|On|From|For|By|With|Within|Under|Over|During|Among|Amongst)\s")
_MULTI_MAX_ZIPF = 4.85


@dataclass(frozen=True)
class Token:
    """A token of a sentence: its text, part-of-speech tag and character span."""

    text: str
    tag: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _tagger() -> Callable[[list[str]], list[list[str]]] | None:
    """TextBlob's pattern tagger with its bundled Brill lexicon, loaded on first use.

    ``import textblob`` would import NLTK (half a second, and network modules) for
    its default tagger, which we must not use. The pattern tagger lives in
    ``textblob/_text.py`` (standard library only), so that file is loaded on its own,
    with the same lexicon, morphology and context rules as ``textblob.en.parser``.
    None when TextBlob is not installed.
    """
    spec = importlib.util.find_spec("textblob")  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    module_spec = importlib.util.spec_from_file_location("_qgen_textblob_text", root / "_text.py")
    if module_spec is None or module_spec.loader is None:  # pragma: no cover
        return None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    en = root / "en"
    lexicon = module.Lexicon(
        path=str(en / "en-lexicon.txt"),
        morphology=str(en / "en-morphology.txt"),
        context=str(en / "en-context.txt"),
        entities=str(en / "en-entities.txt"),
        language="en",
    )
    parser = module.Parser(lexicon=lexicon, default=("NN", "NNP", "CD"), language="en")
    return lambda tokens: parser.find_tags(tokens, map=lambda token, tag: (token, tag))


@lru_cache(maxsize=65536)
def tag_sentence(text: str) -> tuple[Token, ...]:
    """Tokens of ``text`` with Penn tags, offsets into ``text``; () if tagging fails.

    The sentence is tokenized here (so offsets are exact) and handed to the tagger
    pre-tokenized. One fix is applied to the Brill tags: a word tagged as a verb right
    after a determiner or adjective is a noun ("as a pump that ...").
    """
    tagger = _tagger()
    spans = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if tagger is None or not spans:
        return ()
    safe = [t.replace("’", "'") for t, _, _ in spans]
    try:
        tagged = tagger(safe)
    except Exception:  # pragma: no cover - the tagger must never break generation
        return ()
    if len(tagged) != len(spans):
        return ()
    tokens: list[Token] = []
    for (word, start, end), (_, tag) in zip(spans, tagged, strict=True):
        if (
            tag in ("VB", "VBP")
            and tokens
            and tokens[-1].tag in ("DT", "JJ", "PRP$")
            and tokens[-1].text.lower() not in ("that", "to", "all", "both")
        ):
            tag = "NN"  # "a pump", "the strike": a verb right after a determiner is a noun
        tokens.append(Token(word, tag, start, end))
    return tuple(tokens)


@dataclass(frozen=True)
class Phrase:
    """A common noun phrase of a sentence: the span to blank and the determiner before it."""

    text: str
    start: int
    end: int
    determiner: str  # "the", "a", "an" or "" (kept in the stem, not blanked)
    subject: bool  # the phrase opens the sentence (its subject)
    words: int
    coordinated: bool = False  # one of "A and B", "A, B, C": another member may fit


_CONJUNCTIONS = frozenset({"and", "or", "nor", "etc", "&"})
_LIST_MARKS = frozenset({",", "—", "–", "-", ";"})
_LISTY = frozenset({"NN", "NNS", "JJ", "JJR", "VBN", "DT", "PRP$", ",", "CC", "NNP", "NNPS"})


def _coordinated(tokens: tuple[Token, ...], first: int, last: int) -> bool:
    """True when tokens ``first..last`` are a member of a coordination or list."""
    before = tokens[first - 1].text.lower() if first > 0 else ""
    after = tokens[last + 1].text.lower() if last + 1 < len(tokens) else ""
    if before in _CONJUNCTIONS or after in _CONJUNCTIONS:
        return True
    if before in _LIST_MARKS and after in _LIST_MARKS:
        return True  # "planning, _____, industrialization"
    if before in _LIST_MARKS and first > 1 and tokens[first - 2].tag in ("JJ", "JJR", "VBN"):
        return True  # "the technocratic, scientific, _____ of the CPSU"
    if after == "," and last + 2 < len(tokens) and tokens[last + 2].tag in ("JJ", "NN", "NNS"):
        return True  # "synonymous with _____, purges, ...", "the _____, participatory strand"
    if before in _LIST_MARKS and sum(t.text == "," for t in tokens[max(0, first - 8) : first]) >= 2:
        return True  # "abortion, motherhood, child care, _____"
    if before == "," and first > 1 and tokens[first - 2].tag in _NOUN | {"JJ"}:
        # "the foremen, _____, clerks": a list when a conjunction closes it soon after
        for token in tokens[last + 1 : last + 8]:
            if token.text.lower() in _CONJUNCTIONS:
                return True
            if token.tag not in _LISTY:
                break
    if after == "," and last + 2 < len(tokens):
        for token in tokens[last + 2 : last + 8]:
            if token.text.lower() in _CONJUNCTIONS:
                return True
            if token.tag not in _LISTY:
                break
    return False


def noun_phrases(text: str) -> list[Phrase]:
    """Maximal lower-case noun phrases of ``text``: modifiers then a common-noun head."""
    tokens = tag_sentence(text)
    out: list[Phrase] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.tag not in _MODIFIER or not _WORD.fullmatch(token.text):
            i += 1
            continue
        j = i
        while j < len(tokens) and tokens[j].tag in _MODIFIER and _WORD.fullmatch(tokens[j].text):
            j += 1
        run = list(tokens[i:j])
        i = j
        # the head is the last common noun; a trailing adjective or participle is not part
        while run and run[-1].tag not in _NOUN:
            run.pop()
        if run and run[0].text in _LEADING:
            continue  # "other _____", "more _____": the blank follows a vague modifier
        if run and run[0].tag == "VBN":
            index = tokens.index(run[0])
            if index == 0 or tokens[index - 1].tag.startswith(("VB", "MD", "RB")):
                run.pop(0)  # "were called workers": the participle is the verb
        if not run or any(t.text in STOP_WORDS for t in run):
            continue
        if any(t.tag == "NNS" for t in run[:-1]):
            continue  # "plants need light": a plural before the head is rarely a modifier
        first = tokens.index(run[0])
        last = tokens.index(run[-1])
        if last + 1 < j and tokens[last + 1].tag in _NOUN:
            continue  # a longer compound continues after the head
        before = tokens[first - 1] if first > 0 else None
        after = tokens[last + 1] if last + 1 < len(tokens) else None
        if before is not None and before.text.lower() in _LEADING:
            continue  # "more _____", "the new _____"
        if before is not None and before.tag in _MODIFIER | {"NNP", "NNPS"}:
            continue  # "Gender _____", "Soviet _____": the tail of a longer phrase
        if before is not None and before.tag.startswith("RB") and run[0].tag != "NN":
            continue  # "politically dominant proletariat": the adverb needs its adjective
        if before is not None and (
            before.tag in ("NNP", "NNPS", "CD", "POS")
            or before.text[:1].isupper()
            and first - 1 > 0
            or before.text in ("-", "–", "/")
        ):
            continue  # the tail of a name or number ("Moscow party organisation")
        if after is not None and (
            after.tag in ("NNP", "NNPS", "POS")
            or after.text in ("’", "'", "-", "–", "/")
            or after.text[:2] in ("’s", "'s")
        ):
            continue  # a possessive or a name follows: the phrase is a modifier
        determiner = ""
        if before is not None and before.text.lower() in ("the", "a", "an"):
            determiner = before.text.lower()
        opening = first == 0 or (first == 1 and determiner)
        span_start, span_end = run[0].start, run[-1].end
        out.append(
            Phrase(
                text=text[span_start:span_end],
                start=span_start,
                end=span_end,
                determiner=determiner,
                subject=bool(opening),
                words=len(run),
                coordinated=_coordinated(tokens, first, last),
            )
        )
    return out


# "described the party as a pump", "dismissed them as deserters": a characterisation.
_CHARACTERISED = re.compile(
    r"\b(?:described|depicted|characteri[sz]ed|portrayed|dismissed|denounced|branded|"
    r"labell?ed|caricatured)\s(?:[\w’'-]+\s){1,6}?as\s(?:an?\s|the\s)?$"
)


def _domain_term(word: str, context: SentenceContext) -> bool:
    """True for a word the corpus uses far more than general English ("proletariat")."""
    inventory = context.inventory
    total = inventory.total_words
    count = inventory.lower_words[word]
    if not total or count < max(3, total // 10000):
        return False
    keyness = math.log10(count * 1e9 / total) - zipf_frequency(word, "en")
    return keyness >= _MIN_KEYNESS


def _informative(phrase: Phrase, context: SentenceContext) -> tuple[bool, bool]:
    """(informative, key term) for a phrase: a term of the corpus, not a word in passing.

    One word must be a term of the corpus (frequent there, rarer in general English).
    A longer phrase must recur in the corpus as a phrase, or have such a term as its
    head ("metal workers"). A key term also recurs in the passage or its heading.
    """
    words = phrase.text.lower().split()
    head = words[-1]
    if head in _VAGUE or any(w in STOP_WORDS or w in _VAGUE_MODIFIERS for w in words):
        return False, False
    if phrase.words > _MAX_WORDS or len(head) < 4:
        return False, False
    frequencies = [zipf_frequency(w, "en") for w in words]
    passage = context.passage.text.lower()
    head_stem = stem(head)
    repeats = len(re.findall(rf"\b{re.escape(head_stem)}", passage)) >= 2
    in_heading = head_stem in context.passage.heading.lower()
    recurring = context.inventory.lower_phrases[phrase.text.lower()]
    if phrase.words == 1:
        informative = frequencies[0] <= _SINGLE_MAX_ZIPF and _domain_term(head, context)
    else:
        informative = min(frequencies) <= _MULTI_MAX_ZIPF and (
            recurring >= 2 or _domain_term(head.split("-")[-1], context)
        )
    # "skilled older workers": a corpus term qualified by a rarer modifier
    qualified = phrase.words > 1 and min(frequencies[:-1]) <= _QUALIFIER_MAX_ZIPF
    key_term = informative and (
        in_heading or repeats and (recurring >= 3 or phrase.words == 1 or qualified)
    )
    return informative, key_term


def _score(context: SentenceContext, phrase: Phrase, key_term: bool) -> tuple[float, list[str]]:
    reasons = [f"noun phrase ({phrase.words} words)"]
    value = rarity(phrase.text)
    score = 0.6 + 0.06 * value
    reasons.append(f"rarity {value:.2f}")
    if key_term:
        score += 0.1
        reasons.append("key term of the passage")
    delta, sentence_reasons = sentence_adjustment(context, short_bonus=0.03)
    score += delta
    reasons.extend(sentence_reasons)
    # below named-entity items unless a key term
    if not key_term:
        # a concept in passing: in the pool for a teacher to pick, not served by itself
        score = min(score, 0.58)
        reasons.append("not a key term: below the serving threshold")
    return round(min(score, 0.78), 3), reasons


def _given_away(phrase: Phrase, stem_text: str) -> bool:
    """True when the rest of the stem gives the phrase away.

    A single word leaks by its stem. In a longer phrase the head may recur ("metal
    workers" in a sentence on "unionised workers"): only its modifiers must not, and
    the whole phrase must not occur again.
    """
    words = phrase.text.split()
    if len(words) == 1:
        return leaks(phrase.text, stem_text)
    if phrase.text.lower() in stem_text.lower():
        return True
    return leaks(" ".join(words[:-1]), stem_text)


def noun_phrase_candidates(context: SentenceContext, version: str) -> list[Candidate]:
    """Cloze items blanking an informative common noun phrase of the sentence."""
    del version  # deterministic without randomness; kept for the template signature
    if not context.check.usable:
        return []
    text = context.sentence.text
    if len(text.split()) < 8 or _PRONOUNS.search(strip_quotes(text)):
        return []  # a pronoun anywhere: the stem may lean on the passage for its referent
    taken = [(m.start, m.end) for m in context.mentions]
    taken += [(k.start, k.end) for k in concept_keys(context)]
    out: list[Candidate] = []
    for phrase in noun_phrases(text):
        if phrase.subject or phrase.coordinated:
            continue  # "The _____ was ...": the stem rarely says what is asked
        if any(s < phrase.end and phrase.start < e for s, e in taken):
            continue  # a name or concept word: the other templates ask for it
        if inside_quotes(text, phrase.start, phrase.end) or context.is_inserted(phrase.start):
            continue
        if text[phrase.start - 1 : phrase.start] in "‘“\"'" and phrase.start > 0:
            continue  # a quoted phrase: the quotation marks would frame the blank
        if (
            _FRONTED_PP.match(text)
            and "," in text[phrase.end :]
            and "," not in text[: phrase.start]
        ):
            continue  # "In _____, there were ...": a fronted frame is no key fact
        opening = text.rfind("(", 0, phrase.start)
        if opening > text.rfind(")", 0, phrase.start) and not re.search(
            r"\w+\s\w+\s\w+", text[opening : phrase.start]
        ):
            continue  # a bare gloss in parentheses
        if re.match(r"\s(?:that|which)\s(?:followed|ensued|came)\b", text[phrase.end :]):
            continue  # "the terror that followed": followed what?
        if phrase.words == 1 and context.inventory.lower_words[phrase.text.lower()] > max(
            5, context.inventory.total_words * _TRIVIAL_SHARE
        ):
            continue  # "after the _____" (revolution): the corpus's commonest nouns
        if re.match(r"\s?\(", text[phrase.end :]):
            continue  # a parenthesis right after the blank would give the answer away
        informative, key_term = _informative(phrase, context)
        if _CHARACTERISED.search(text[: phrase.start]) and phrase.text.split()[-1] not in _VAGUE:
            # "described the party as a _____": the image is the point of the sentence
            informative = key_term = True
        if not informative:
            continue
        key = Key(
            Entity(phrase.text, "TERM", phrase.text.lower(), ANSWER_KIND), phrase.start, phrase.end
        )
        prompt, stem_text = blanked(context, key)
        if prompt.count(BLANK) != 1 or _given_away(phrase, stem_text):
            continue
        score, reasons = _score(context, phrase, key_term)
        accepted = {phrase.text}
        if phrase.determiner:
            accepted.add(f"{phrase.determiner} {phrase.text}")
        out.append(
            Candidate(
                kind="cloze",
                prompt=prompt,
                answer=phrase.text,
                accepted_answers=tuple(sorted(accepted)),
                evidence_start=context.sentence.start,
                evidence_end=context.sentence.end,
                explanation=f"The passage says: “{context.evidence_text}”",
                score=score,
                reasons=tuple(reasons),
                answer_kind=ANSWER_KIND,
                template=TEMPLATE,
            )
        )
    return out
