"""Strict gates on a produced question (RUBRIC C1, C2, C3, C6, C8).

Each gate returns the reason it refuses an item, or "" when the item passes. They
read only the question text, its answer and the passage: nothing subject-specific.
"""

from __future__ import annotations

import re

from .quality import leaks

WH_START = re.compile(
    r"^(?:According to [^,]+, )?(?:who|whom|what|which|when|where|why|how|in what|in which|"
    r"by what|by when|name|(?:to|from|by|with|for|into|on|against|between|through|under|of|"
    r"upon|towards) (?:whom|what))\b",
    re.IGNORECASE,
)
PRONOUNS = re.compile(
    r"\b(?:he|she|it|they|them|his|her|hers|its|their|theirs|him|himself|herself|itself|"
    r"themselves|this|these|those|such|latter|former|i|me|my|mine|we|us|our|ours|you|your|"
    r"yours|thereof|therein|hereof)\b",
    re.IGNORECASE,
)
DOCUMENT_WORDS = re.compile(
    r"\b(?:the author|the passage|the text|this article|the article|this chapter|the chapter|"
    r"this book|the book|above|below|the following|the present|here|there)\b",
    re.IGNORECASE,
)
RELATIVE_TIME = re.compile(
    r"\b(?:later|earlier|the following (?:year|month|week|day)|the next (?:year|month|day)|"
    r"the same (?:year|month|time)|the previous (?:year|month)|that (?:year|time|month)|"
    r"at the time|then|soon|recently|now|today|currently|last year|a (?:year|month|week) "
    r"(?:later|before)|by then|subsequently|afterwards|meanwhile)\b",
    re.IGNORECASE,
)
VAGUE_ORDINAL = re.compile(
    r"\bthe (?:first|second|third|last|other|rest|same)\b(?! \w+ (?:of|in)\b)", re.IGNORECASE
)
FRAGMENT_START = re.compile(
    r"^(?:but|yet|thus|and|or|so|however|although|though|while)\b", re.IGNORECASE
)
DANGLING_END = re.compile(
    r"\b(?:of|in|on|at|to|for|from|by|with|about|into|than|as|the|a|an|and|or|but|that|which|"
    r"who|whose|its|their|was|were|is|are|be|been|not|also|only|more|most)\s*[?.]$",
    re.IGNORECASE,
)
ARTEFACTS = re.compile(
    r"[a-z)]\.\d{1,3}\b|\d{4}[–-]\d{1,2}\.\d|\*|##|&[a-z]+;|&#\d+;|\[|\]|"
    r"\w-(?:ism|ist|ists|ity|tion|tions|ment|ments|ever|ally|ing|ed)\b|\b\w+- \w"
)
OCR_CAPS = re.compile(r"\b[A-Z]{2,}S\b|\b[a-z]+[A-Z]{2,}")


def wellformed(prompt: str, kind: str) -> str:
    """C1: one grammatical question (or "Name ..." imperative), no fragment."""
    words = prompt.split()
    if kind == "cloze":
        if prompt.count("_____") != 1 or not prompt.endswith("."):
            return "c1_cloze_shape"
        if not 6 <= len(words) <= 30:
            return "c1_length"
    else:
        if not WH_START.match(prompt):
            return "c1_not_wh"
        if not (
            prompt.endswith("?")
            or prompt.startswith(("Name ", "According"))
            and prompt.endswith(".")
        ):
            return "c1_end"
        if not 3 <= len(words) <= 28:
            return "c1_length"
        if "_____" in prompt:
            return "c1_blank"
    body = re.sub(r"^According to [^,]+, ", "", prompt)
    if "according to" in body.lower():
        return "c1_nested_attribution"
    if FRAGMENT_START.match(body):
        return "c1_fragment"
    if DANGLING_END.search(prompt):
        return "c1_dangling"
    if prompt.count("(") != prompt.count(")") or prompt.count('"') % 2:
        return "c1_unbalanced"
    if re.search(r",\s*[?.]$|\s[,;:]|;", prompt):
        return "c1_punctuation"
    if re.search(r"\b(\w+) \1\b", prompt, re.IGNORECASE):
        return "c1_doubled"
    # a capital after the first word that does not start a name: a cut sentence
    for word in words[1:]:
        if word in {
            "With",
            "For",
            "In",
            "On",
            "At",
            "By",
            "From",
            "To",
            "As",
            "The",
            "A",
            "An",
            "This",
            "That",
            "It",
            "He",
            "She",
            "They",
            "Though",
            "Indeed",
        }:
            return "c1_inner_capital"
    return ""


def standalone(prompt: str) -> str:
    """C2: no unresolved pronoun, deictic, document reference or unanchored time."""
    body = re.sub(r"^According to [^,]+, ", "", prompt)
    if PRONOUNS.search(body.replace("_____", "")):
        return "c2_pronoun"
    if DOCUMENT_WORDS.search(body):
        return "c2_document"
    if RELATIVE_TIME.search(body) and not re.search(r"\b1[0-9]{3}\b|\b20[0-9]{2}\b", body):
        return "c2_relative_time"
    if VAGUE_ORDINAL.search(body):
        return "c2_vague_ordinal"
    return ""


def answer_ok(answer: str, prompt: str, kind: str, rule: str) -> str:
    """C4/C6: the key is a real term, not a pronoun, not given away by the stem."""
    words = answer.split()
    if not words:
        return "c4_empty"
    long_rule = rule.startswith(("why", "how_by", "definition", "appos", "name_list"))
    if len(words) > (24 if long_rule else 9):
        return "c6_long_answer"
    if PRONOUNS.search(answer):
        return "c2_answer_pronoun"
    if not long_rule and leaks(answer, prompt.replace("_____", " ")):
        return "c6_leak"
    if re.fullmatch(r"(?:the |a |an )?(?:\w+)", answer, re.IGNORECASE) and answer.lower() in {
        "the",
        "a",
        "an",
        "it",
        "one",
        "some",
        "many",
        "all",
        "both",
        "each",
    }:
        return "c6_stop_word"
    if kind == "cloze" and re.fullmatch(r"[A-Za-z]{1,3}", answer):
        return "c6_stop_word"
    return ""


def clean(*texts: str) -> str:
    """C8: no import artefacts in the question, answer or options."""
    for text in texts:
        if ARTEFACTS.search(text):
            return "c8_artefact"
        if OCR_CAPS.search(text):
            return "c8_ocr"
        if "\n" in text or "  " in text:
            return "c8_spacing"
    return ""


def cut_compound(text: str, evidence: str) -> str:
    """C1: a hyphenated word of the evidence cut at its hyphen ("the military counter"
    from "the military counter-revolution"): the parser split the compound."""
    words = set(re.findall(r"[A-Za-z]{3,}", text))
    for match in re.finditer(r"\b([A-Za-z]{3,})-([A-Za-z]+)", evidence):
        first, whole = match.group(1), match.group(0)
        cut = first in words and whole not in text
        alone = re.search(rf"\b{re.escape(first)}\b(?!-)", evidence.replace(whole, " "))
        if cut and not alone and re.search(rf"\b{re.escape(first)}(?![-\w])", text):
            return "c1_cut_compound"
    return ""


def refuse(prompt: str, answer: str, kind: str, rule: str, choices: tuple[str, ...] = ()) -> str:
    """The first gate that refuses the item ("" when all pass)."""
    return (
        wellformed(prompt, kind)
        or standalone(prompt)
        or answer_ok(answer, prompt, kind, rule)
        or clean(prompt, answer, *choices)
    )
