"""Filters and scores: which sentences can stand alone, which keys are worth asking.

Most rejected questions in the literature fail because the sentence depends on its
context (a pronoun, "this group", "the latter") or because the key is trivial or leaks.
These checks are deliberately strict: precision matters more than quantity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from .text import (
    FIRST_PERSON,
    PRONOUNS_PERSON,
    PRONOUNS_PLURAL,
    PRONOUNS_THING,
    STOP_WORDS,
    quoted_spans,
    stem,
    strip_quotes,
    words,
)
from .types import Mention, Sentence

MIN_WORDS = 7
MAX_WORDS = 45

# Openers that point back to earlier sentences.
_CONTEXT_OPENERS = re.compile(
    r"^(?:this|these|those|that|it|its|they|their|them|he|she|his|her|both|such|"
    r"the (?:first|second|third|latter|former|other)(?!\s(?-i:[A-Z]))|others|another|however|"
    r"but|and|or|so|yet|thus|"
    r"hence|therefore|nevertheless|nonetheless|moreover|furthermore|also|instead|indeed|then|"
    r"here|meanwhile|likewise|similarly|again|still|finally|secondly|thirdly|first|second|third|"
    r"in this|in these|in that|at this|at that|at such|of these|of this|for this|by this|"
    r"as a result|as such|in addition|in turn|in fact|on the other hand|at the same time|"
    r"even so|in short|in other words|above all|all this|none of|some of|most of|"
    r"many of|each of|all of|in the process|not only|previously|subsequently|afterwards|"
    r"thereafter|consequently|accordingly|similarly|later|by contrast|in contrast|"
    r"on the contrary|more specifically|specifically|more generally|in general terms|"
    r"once again|once more|for (?:while|although|though|as|if|when|this|that|these))\b",
    re.IGNORECASE,
)
_CONTEXT_ANYWHERE = re.compile(
    r"\b(?:the latter|the former|the same|the following|the previous|the above|above-mentioned|"
    r"aforementioned|below|above|will be|as follows|now|here|the two|the three|this chapter|"
    r"next chapter|previous chapter|this book|this piece|this talk|also|"
    r"within (?:\w+ )?(?:years|months|weeks)|\w+ (?:years|months) later|the following year|"
    r"all (?:two|three|four|five|six)|the figure who|no (?:less|more) \w+ than|"
    r"similarly|similar|likewise|as in so many|need to be|the following|"
    r"(?:two|three|four|five) \w+ to (?:note|consider|highlight|mention)|"
    r"(?:two|three|four|five) (?:themes|issues|factors|aspects|points|tendencies|features|"
    r"reasons|stages|phases|elements|ways|questions|things)|as well|other fields|"
    r"(?:from|of|to|in|on|with|by|at|for) that [a-z]+|"
    r"(?:two|three|four|five) (?:important|main|key|major|basic) |"
    r"this article|see below|see above|as we have seen|as noted|as mentioned|discussed|"
    r"by way of contrast|by contrast|once again|the next (?:\w+\s)?(?:sections?|chapters?)|"
    r"in a number of ways|thus|hence|thereby|consequently|therefore|"
    r"(?:over|in|during)\sthe\s(?:next|following|previous|preceding)\s(?:\w+\s)?"
    r"(?:years?|months?|weeks?|decades?|days?)|"
    r"a\s(?:year|month|week|decade|day|few\s(?:years|months|weeks|days))\s(?:later|earlier|before)|"
    r"chapter|figure \d|table \d|ibid|op\. cit|quoted in|cited in|p\.\s?\d|pp\.)\b",
    re.IGNORECASE,
)
# "the problem", "the pamphlet", "the immediate task": a bare definite noun with no
# "of ..." or relative clause after it points back to an earlier sentence.
_ANAPHORIC_NOUN = re.compile(
    r"\b[Tt]he\s(?:(?:immediate|main|same|whole|new|key)\s)?(?:problem|pamphlet|book|article|"
    r"issue|question|task|debate|process|situation|change|changes|decision|argument|idea|"
    r"dispute|move|measure|text|speech|letter|document|proposal|initiative|tendency|"
    r"tendencies|group|groups|latter|former|slogan|congress|conference|campaign|plenum|"
    r"Congress|Conference|Plenum|opposition|regime|leadership|programme|program|survey|"
    r"tax(?!\sin\skind)|practice|commission|arrangements?|system|"
    r"resolution|decree|reforms?|strategy|results?|conflict|contrast|themes?|problems|issues|"
    r"questions|protagonists|debates|proposals|measures|arguments|decisions|"
    r"(?:[a-z]+\s(?:and\s[a-z]+\s)?(?:problems|issues|questions|protagonists|debates|"
    r"proposals|measures)))\b"
    r"(?!\s(?:of|that|which|who|whether|about|over|facing|raised|posed)\b)"
)
_ADVERB_OPENER = re.compile(
    r"^(?:[A-Z][a-z]+ly|Rather|Later|Earlier|Overall|Nonetheless|Elsewhere|Ultimately|"
    r"Subsequently|Consequently|Accordingly|Too|Again|Otherwise),"
)
_HEDGES = re.compile(
    r"\b(?:perhaps|probably|possibly|maybe|might|may have|could have|would have|seems?|seemed|"
    r"apparently|arguably|appears? to|in the region of|some evidence|it is likely|likely that|"
    r"unlikely|"
    r"to my mind|in my view|in my opinion|i think|we might|suppose)\b",
    re.IGNORECASE,
)
# Words marking a judgement of the author rather than a plain fact.
_OPINION = re.compile(
    r"\b(?:argue[sd]?|believe[sd]?|clearly|obviously|crucial|critical|important|significant|"
    r"terrible|disastrous|tragic|mistake|wrong|right|should|must|ought|genuine|real|true|false|"
    r"failure|success(?:ful)?|fundamental|essentially|key|decisive|inevitabl[ey]|betray\w*|"
    r"best|worst|great(?:est)?|famous(?:ly)?|honourable|one-sided|dramatic|"
    r"monstrous|shattering|brilliant|heroic|vital|merely|simply|only)\b",
    re.IGNORECASE,
)


# Plural nouns for people and groups: an antecedent for they/their/them ("people ...
# their individuality").
_GROUP_NOUNS = re.compile(
    r"\b(?:people|workers|peasants|leaders|members|delegates|sailors|soldiers|officials|"
    r"communists|socialists|anarchists|activists|historians|scholars|intellectuals|students|"
    r"women|men|managers|bureaucrats|specialists|experts|citizens|masses|critics)\b"
)


# "the criticism campaign": an event named only by a common noun points back.
_ANAPHORIC_EVENT = re.compile(
    r"\b[Tt]he\s[a-z-]+\s(?:campaign|debate|dispute|plenum|resolution|decree|slogan|"
    r"decision|initiative|crisis)\b(?!\s(?:of|that|which|who|on|over|about|against|for)\b)"
)
# "the overall effect", "the model": a vague definite head with no "of ..." after it.
_VAGUE_HEAD = re.compile(
    r"\b[Tt]he\s(?:[a-z-]+\s){0,2}(?:model|effect|aim|outcome|impact|consequences?|version|"
    r"turning-point|turningpoint|turning\spoint|distinction|approach|changes?|developments?|reforms?|measures?|policy|situation)\b"
    r"(?![\s-](?:of|that|which|who|whom|whose|for|to|in|towards|on|among|between|within|at|"
    r"by|from|with|under|over|against|during|since|after|before|across|adopted|pursued|"
    r"introduced|proposed|made|taken|set)\b)"
)


# "reacted sharply to Lenin's argument", "the new arrangements", "article 5": the
# argument, arrangement or document itself is stated elsewhere.
_UNSTATED_CONTENT = re.compile(
    r"[’']s\s(?:argument|point|remark|remarks|comments?|claim|speech|proposal|position|"
    r"reply|response|objection|criticism)\b(?!\s(?:that|for|about|on|of|against)\b)|"
    r"\b[Tt]he\snew\s[a-z]+\b(?!\s(?:of|that|which|who|to|for)\b)|"
    r"\b[Aa]rticles?\s\d|"
    r"\b[Tt]he\s(?:[a-z-]+\s)?(?:committee|council|attack|assault|revolt|uprising|offensive)\b"
    r"(?!\s(?:of|that|which|in|at|on|against)\b)|"
    r"\b[Tt]he\sonly\sother\b"
)


@dataclass(frozen=True)
class SentenceCheck:
    """Whether a sentence can carry a question, and why not."""

    usable: bool
    reasons: tuple[str, ...]
    opinion: bool
    word_count: int


def check_sentence(sentence: Sentence, mentions: list[Mention]) -> SentenceCheck:
    """Decide whether ``sentence`` makes sense on its own.

    ``mentions`` are the entity mentions inside the sentence, with offsets relative to
    the sentence text; they let a pronoun pass when it has an antecedent in the
    sentence itself ("Lenin argued that his ...").
    """
    text = sentence.text
    reasons: list[str] = []
    tokens = words(text)
    unquoted = strip_quotes(text)
    unquoted_tokens = words(unquoted)
    if not MIN_WORDS <= len(tokens) <= MAX_WORDS:
        reasons.append("length")
    if (
        "?" in text
        or "!" in text
        or re.search(r",?\s(?:though|too|then|however|also|instead|therefore|thus)\.$", text)
        or not re.search(r"[.’'\"”)]$", text)
    ):
        reasons.append("not a statement")
    if re.match(r"^\(?(?:\d{1,2}|[ivx]{1,4}|[a-h])[).]\s", text):
        reasons.append("list item")  # "2) the year ...", "(iii) ..."
    if text[:1] in "‘“\"'" or not text[:1].isupper() and not text[:1].isdigit():
        reasons.append("starts with a quotation or lower case")
    if _CONTEXT_OPENERS.match(text) or _ADVERB_OPENER.match(text):
        reasons.append("context-dependent opener")
    if re.search(
        r"(?:,\s|\s)(?:however|though|therefore|then|too|also|moreover|instead|in turn|"
        r"thus|nevertheless|in fact|indeed|again),",
        text,
        re.IGNORECASE,
    ):
        reasons.append("connective refers to context")
    if _CONTEXT_ANYWHERE.search(unquoted):
        reasons.append("refers to its context")
    if (
        _ANAPHORIC_NOUN.search(unquoted)
        or _UNSTATED_CONTENT.search(unquoted)
        or _VAGUE_HEAD.search(unquoted)
        or _ANAPHORIC_EVENT.search(unquoted)
    ):
        reasons.append("bare definite noun refers back")
    if _HEDGES.search(unquoted):
        reasons.append("hedged")
    if any(t in FIRST_PERSON for t in unquoted_tokens):
        reasons.append("first person")
    if (
        re.search(r"\b(?:this|these)\b|\bsuch\b(?!\sas\b)", unquoted, re.IGNORECASE)
        or re.search(r"\bboth\b(?!(?:\s[\w’'-]+){1,6}\sand\b)", unquoted, re.IGNORECASE)
        or re.match(r"^Some\s(?:were|had|of|did|was)\b", text)
    ):
        reasons.append("demonstrative")
    if ":" in unquoted or ";" in unquoted and len(tokens) > 30:
        reasons.append("list or lead-in")
    first_person_entity = min(
        (m.start for m in mentions if m.entity.kind == "PERSON"), default=None
    )
    # they/their/them need a plural antecedent: a group ("the Bolsheviks"), an
    # organisation or place, or two people ("Lenin and Trotsky"); one person is not one.
    people = [m for m in mentions if m.entity.kind == "PERSON"]
    first_group_entity = min(
        (
            m.start
            for m in mentions
            if m.entity.kind in ("ORG", "PLACE")
            or m.entity.kind == "PERSON"
            and (
                m.entity.text.endswith("s")
                or len(people) > 1
                or any(  # "Malia and Kolakowski"
                    n.start == m.end + 5 and n.entity.kind in ("PERSON", "NAME") for n in mentions
                )
                and text[m.end : m.end + 5] == " and "
            )
        ),
        default=None,
    )
    group = _GROUP_NOUNS.search(unquoted)
    if group is not None and (first_group_entity is None or group.start() < first_group_entity):
        first_group_entity = group.start()
    # "the party ... its officials": a definite noun phrase earlier in the sentence is
    # taken as the antecedent of it/its/they/their.
    # ("the aftermath of its formation": a frame noun is no antecedent)
    definite = re.search(
        r"(?:^|\s)[Tt]he\s(?!(?:aftermath|course|end|beginning|start|wake|midst|time|period|"
        r"context|light|face|process|case|eve|heart|centre|center|basis|result|idea|notion)\b)"
        r"[a-z]",
        unquoted,
    )
    # it/its never refer back to a person
    first_thing = min(
        (m.start for m in mentions if m.entity.kind in ("ORG", "PLACE", "EVENT", "TERM")),
        default=None,
    )
    if definite is not None:
        first_thing = min(first_thing or definite.start(), definite.start())
    plural = re.search(r"(?:^|\s)[Tt]he\s(?:[a-z-]+\s){0,2}[a-z-]+s\b", unquoted)
    if plural is not None:
        first_group_entity = min(first_group_entity or plural.start(), plural.start())
    for match in re.finditer(r"[A-Za-z]+", unquoted):
        token = match.group().lower()
        if token in PRONOUNS_PERSON and (
            first_person_entity is None or first_person_entity > match.start()
        ):
            reasons.append(f"unresolved pronoun '{token}'")
            break
        if token in PRONOUNS_PLURAL and (
            first_group_entity is None or first_group_entity > match.start()
        ):
            reasons.append(f"unresolved pronoun '{token}'")
            break
        if token in PRONOUNS_THING and (first_thing is None or first_thing > match.start()):
            reasons.append(f"unresolved pronoun '{token}'")
            break
    # "Along with the NKVD, it began ...": a name inside a fronted phrase is not the
    # antecedent of the subject pronoun after it.
    if not any(r.startswith("unresolved pronoun") for r in reasons) and (
        re.match(r"^(?:[A-Z][a-z]+(?:\s[a-z]+)?)\s[^,]{1,80},\s(?P<pro>it|they|he|she)\s", unquoted)
        or re.match(
            r"^(?:By|In|After|Before|During|From|Until|Since)\s(?:the\s)?(?:(?:early|late|mid)"
            r"[\s-])?\S+\s(?:it|they|he|she)\s",
            unquoted,
        )
    ):
        pro = re.match(r"^[^,]+,\s(\w+)", unquoted)
        reasons.append(f"unresolved pronoun '{pro.group(1) if pro else 'it'}'")
    # "Faced with X, it failed ...": a subject pronoun after a fronted phrase needs a
    # named antecedent before it; a common noun inside the fronted phrase is not one.
    if not any(r.startswith("unresolved pronoun") for r in reasons):
        for match in re.finditer(r",\s(?P<pro>it|they|he|she)\s(?:[a-z]+ly\s)?[a-z]+", unquoted):
            named = [m for m in mentions if m.start < match.start()]
            if match.group("pro") in ("he", "she"):
                named = [m for m in named if m.entity.kind == "PERSON"]
            elif match.group("pro") == "it":
                named = [m for m in named if m.entity.kind in ("ORG", "PLACE", "EVENT", "TERM")]
            if not named:
                reasons.append(f"unresolved pronoun '{match.group('pro')}'")
                break
    quoted_chars = sum(e - s for s, e in quoted_spans(text))
    if quoted_chars > 0.75 * len(text):
        reasons.append("mostly quotation")
    # ’ is also an apostrophe (workers’), so only double quotes are counted.
    if text.count("“") != text.count("”") or text.count('"') % 2:
        reasons.append("unbalanced quotes")
    if re.search(r"\b[a-z]+\d+\b|[a-z][.,]\d{1,3}\b", text):
        reasons.append("footnote debris")
    if re.search(
        r"\b(?:spring|summer|autumn|winter)\sof\s(?:January|February|March|April|May|June|July|"
        r"August|September|October|November|December)\b",
        text,
    ):
        reasons.append("editorial brackets or damage")  # "the spring of May 1918"
    if "[" in text or re.search(
        r"\s{2,}|\s[,.]|\b(the|a|an|of|to|in|and|on|for|by)\s\1\b", text, re.IGNORECASE
    ):
        reasons.append("editorial brackets or damage")
    return SentenceCheck(
        usable=not reasons,
        reasons=tuple(reasons),
        opinion=bool(_OPINION.search(unquoted)),
        word_count=len(tokens),
    )


@lru_cache(maxsize=65536)
def rarity(phrase: str) -> float:
    """Mean (7 - Zipf frequency) of the content words of ``phrase``, scaled to 0..1."""
    content = [w for w in words(phrase) if w not in STOP_WORDS]
    if not content:
        return 0.0
    values = [max(0.0, 7.0 - zipf_frequency(w, "en")) for w in content]
    return min(1.0, sum(values) / len(values) / 5.0)


def _given_names(answer: str) -> set[str]:
    """Lower-cased given names of a personal name ("Alexandra" of "Alexandra Kollontai")."""
    tokens = re.findall(r"[\w’'.-]+", answer)
    if len(tokens) < 2 or not all(t[:1].isupper() for t in tokens):
        return set()
    return {t.lower() for t in tokens[:-1] if len(t) > 2 and "." not in t}


def leaks(answer: str, stem_text: str) -> bool:
    """True if a content word of ``answer`` (by crude stem) also occurs in the stem.

    Given names are compared whole: "Alexandra" does not give away "Alexander".
    """
    # "F.W.Taylor" is split on its dots so that it leaks "Taylorism"
    given = _given_names(answer)
    answer_words = [p for w in words(answer) if w not in given for p in w.split(".")]
    stem_words = [p for w in words(stem_text) for p in w.split(".")]
    answer_stems = {stem(w) for w in answer_words if w not in STOP_WORDS and len(w) > 2}
    stem_stems = {stem(w) for w in stem_words if w not in STOP_WORDS and len(w) > 2}
    return bool(answer_stems & stem_stems) or bool(given & set(stem_words))


def gives_away(answer: str, other_prompt: str) -> bool:
    """True if another question's prompt would tell a student this ``answer``.

    Stricter than :func:`leaks` about what counts: every content word of the answer
    appears there, or one of its rarer words does ("Kamenev"), not merely a common word
    ("party" of "the tenth party congress").
    """
    content = [w for w in words(answer) if w not in STOP_WORDS and len(w) > 2]
    if not content:
        return False
    present = {stem(w) for w in words(other_prompt)}
    shared = [w for w in content if stem(w) in present]
    return len(shared) == len(content) or any(zipf_frequency(w, "en") < 4.0 for w in shared)


def inside_quotes(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` lies inside a quotation."""
    return any(s <= start and end <= e for s, e in quoted_spans(text))


def attribution(author: str, surname_text: str) -> str:
    """The "According to X," prefix for a source's author ("" when unknown)."""
    if surname_text:
        return f"According to {surname_text}, "
    return ""


def lower_first(text: str, keep_capital: bool) -> str:
    """Lower-case the first letter unless it starts a name."""
    if keep_capital or not text:
        return text
    return text[0].lower() + text[1:]
