"""True/false items: the source statement, or the same statement with one entity swapped.

The false version swaps exactly one date, number, person, organisation, place or event
for another of the same kind from the inventory (never by inserting "not"), and is
dropped if the corpus states the swapped version anywhere.
"""

from __future__ import annotations

import re

from .analysis import SentenceContext, rng_for
from .choices import SWAPPABLE_DATES, bound_date, distractors
from .quality import inside_quotes
from .text import collapse
from .types import Candidate

TRUE_FALSE = ("True", "False")
_ACTION_VERB = r"\s(?:\w+ly\s)?(?:was|were|had|became|took|led|won|lost|[a-z]+ed)\b"
_VIEW_VERBS = (
    r"(?:[’']s)?\s(?:\w+ly\s)?(?:(?:was|were|had been|does|did|do|has|had|have)\s"
    r"(?:\w+\s)?)?(?:advocating|arguing|calling|argue|believe|claim|insist|maintain|"
    r"hoping|insisting|argued|believed|thought|wrote|claimed|stressed|insisted|"
    r"maintained|held|felt|saw|noted|suggested|advocated|proposed|favoured|opposed|view|views|"
    r"asserted|asserts|argues|believes|claims|declared|stated|emphasi[sz]ed|considered|"
    r"considers|regarded|rejected|criticised|criticized|warned|insists|recognised|recognized|"
    r"hoped|wanted|intended|expected|envisaged|envisioned|preferred|remained|agreed|agrees|"
    r"viewed|sees|described|defined|understood|conceived|identified|interpreted|"
    r"accepted|shared|"
    r"writings|works|thought|worldview|approach|position|"
    r"vision|notion|idea|ideas|theory)\b"
)
# Swaps of organisations, places and events read too often as a second truth or as
# nonsense ("the optimum outlook of Red Army"); dates, numbers and people stay.
_SWAPPABLE = ("PERSON", "DATE", "NUMBER")


def true_false_candidates(context: SentenceContext, version: str) -> list[Candidate]:
    """A true and a false statement from one sentence (the pipeline keeps one of them)."""
    check = context.check
    if not check.usable or check.word_count > 32 or check.opinion:
        return []  # a judgement ("critical", "important") makes a poor true/false claim
    text = context.sentence.text
    rng = rng_for(context.passage, version, f"tf:{context.sentence.index}")
    swappable = [
        m
        for m in context.mentions
        if m.entity.kind in _SWAPPABLE
        and (m.entity.kind != "DATE" or m.entity.subkind in SWAPPABLE_DATES)
        and (m.entity.kind != "DATE" or not bound_date(text, m.start, m.end))
        # "during the 1940s" for "the 1930s": a neighbouring decade is often true as well
        and m.entity.subkind != "DECADE"
        and (m.entity.subkind or m.entity.kind in ("DATE", "NUMBER", "PERSON"))
        and not inside_quotes(text, m.start, m.end)
        and not context.is_inserted(m.start)
        and text.rfind("(", 0, m.start) <= text.rfind(")", 0, m.start)  # not in parentheses
        # "the first 6–10 months", "post-1917": part of a range or a compound
        and not re.match(r"[–/-]\w", text[m.end : m.end + 2])
        and not (m.start > 0 and text[m.start - 1] in "–/-")
    ]
    # The holder of a view ("according to Zinoviev", "Lenin argued") is never swapped: many
    # people held the same views, so the swapped statement may well be true.
    swappable = [
        m
        for m in swappable
        if not (
            m.entity.kind == "PERSON"
            and (
                text[: m.start].lower().endswith("according to ")
                or re.search(r"(?:^|\s)(?:for|to|as|in the view of)\s$", text[: m.start].lower())
                or re.match(_VIEW_VERBS, text[m.end :])
                # "the modernist Kautsky": the label belongs to this person only
                or re.search(r"\b[Tt]he\s[a-z-]+\s$", text[: m.start])
            )
        )
    ]
    # A person is swapped only as the doer of an action ("Kamenev was expelled", "Stalin
    # launched"): "the Khrushchev era" or "Bukharin's body of work" do not swap sensibly.
    swappable = [
        m for m in swappable if m.entity.kind != "PERSON" or re.match(_ACTION_VERB, text[m.end :])
    ]
    people = [m for m in context.mentions if m.entity.kind == "PERSON"]
    if len(people) > 1:
        # "Lenin, Sverdlov et al.": another person of the list may fit the claim as well
        swappable = [m for m in swappable if m.entity.kind != "PERSON"]
    dates = [m for m in context.mentions if m.entity.kind == "DATE"]
    if len(dates) > 1:
        # "during 1921 and 1920": a swapped year next to another reads as a slip, not a claim
        swappable = [m for m in swappable if m.entity.kind != "DATE"]
    if not swappable:
        return []
    ordered = sorted(swappable, key=lambda m: (m.entity.kind not in ("DATE", "PERSON"), m.start))
    mention = ordered[rng.randrange(min(2, len(ordered)))]
    stem_text = text[: mention.start] + " " + text[mention.end :]
    options = distractors(
        mention.entity,
        context.inventory,
        stem_text=stem_text,
        passage_keys=set(context.passage_keys) - {mention.entity.key},
        rng=rng,
        count=1,
    )
    if not options:
        return []
    preceded_by_article = text[: mention.start].lower().endswith("the ")
    if mention.entity.kind in ("PLACE", "ORG", "EVENT") and preceded_by_article:
        takes_article = any(
            r.with_article * 3 >= r.count
            for r in context.inventory.records.values()
            if options[0] in r.surfaces
        )
        if not takes_article:
            return []  # "the China"
    swapped_sentence = text[: mention.start] + options[0] + text[mention.end :]
    true_statement = collapse(context.prefix + context.opening())
    false_opening = swapped_sentence
    if context.prefix and context.opening()[:1] != text[:1]:
        false_opening = swapped_sentence[0].lower() + swapped_sentence[1:]
    false_statement = collapse(context.prefix + false_opening)
    sentence = context.sentence
    reasons = [f"swap of one {mention.entity.kind}", "statement stands alone"]
    score = 0.66 + (0.03 if check.word_count <= 25 else -0.03)
    return [
        Candidate(
            kind="true_false",
            prompt=true_statement,
            answer="True",
            accepted_answers=("True",),
            choices=TRUE_FALSE,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            explanation=f"The passage says: “{context.evidence_text}”",
            score=round(score, 3),
            reasons=("source statement", *reasons[1:]),
            answer_kind=mention.entity.kind,
            template="tf_true",
        ),
        Candidate(
            kind="true_false",
            prompt=false_statement,
            answer="False",
            accepted_answers=("False",),
            choices=TRUE_FALSE,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            explanation=(
                f"The passage says {mention.entity.text}, not {options[0]}: "
                f"“{context.evidence_text}”"
            ),
            score=round(score, 3),
            reasons=tuple(reasons),
            answer_kind=mention.entity.kind,
            template="tf_false",
        ),
    ]
