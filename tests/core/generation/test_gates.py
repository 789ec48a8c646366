"""The gates refuse the failures the rubric and the prototype's blind judging name."""

from __future__ import annotations

import pytest

from quizzes.core.generation.gates import clean, refuse, standalone, wellformed


@pytest.mark.parametrize(
    ("prompt", "reason"),
    [
        ("What did the working-class swing sharply to?", "c1_dangling"),  # C1: stranded cut
        ("But what did the congress decide in 1921?", "c1_not_wh"),  # connective fragment
        ("What did productive issues assume With production as the basis?", "c1_inner_capital"),
        ("Who corrected this one-sided picture?", "c2_pronoun"),  # C2: deictic
        ("What did my research emphasise?", "c2_pronoun"),  # first person of a talk
        ("What did these groups demand in 1921?", "c2_pronoun"),  # "these groups"
        ("What did the party decide a month later?", "c2_relative_time"),  # unanchored time
        ("What does the author argue about the soviets?", "c2_document"),
        ("What happened in 1877–8.58?", "c8_artefact"),  # C8: a note number fused to a date
        ("Which body did the vsNKh co-ordinate?", "c8_ocr"),  # OCR small capitals
        ("How-ever did the congress vote?", "c8_artefact"),  # spurious hyphen
    ],
)
def test_known_failures_are_refused(prompt, reason):
    assert refuse(prompt, "Lenin", "short_answer", "object_what") == reason


@pytest.mark.parametrize(
    "prompt",
    [
        "In what year did the Tenth Congress ban factions?",
        "How many of the 2115 delegates elected to the Moscow soviet in 1921 were non-party "
        "delegates?",
        "According to Pirani, why did the Bolsheviks call the slogan significant?",
        "Name the three people whom the Cheka arrested in 1921.",
    ],
)
def test_rubric_passes_pass(prompt):
    assert refuse(prompt, "Kamenev", "short_answer", "when") == ""


def test_a_cloze_needs_one_blank_and_a_full_stop():
    assert wellformed("The Cheka arrested Martov in _____.", "cloze") == ""
    assert wellformed("The Cheka arrested _____ in _____.", "cloze") == "c1_cloze_shape"
    assert wellformed("What did the Cheka do in _____?", "short_answer") == "c1_blank"


def test_a_key_the_stem_gives_away_is_refused():
    assert (
        refuse(
            "Who led the Kronstadt revolt against Kronstadt?",
            "Kronstadt sailors",
            "short_answer",
            "subject_who",
        )
        == "c6_leak"
    )


def test_a_pronoun_answer_is_refused():
    assert (
        refuse("What did Lenin attack in 1921?", "their pamphlet", "short_answer", "object_what")
        == "c2_answer_pronoun"
    )


def test_standalone_allows_a_relative_time_with_its_year():
    assert standalone("What did the congress decide later in 1921?") == ""
    assert standalone("What did the congress decide later?") == "c2_relative_time"


def test_clean_checks_options_too():
    assert clean("Who led the party?", "Lenin", "Stalin", "&amp;Trotsky") == "c8_artefact"


def test_a_hyphenated_word_cut_at_its_hyphen_is_refused():
    from quizzes.core.generation.gates import cut_compound

    evidence = "Luxemburg was murdered in the military counter-revolution in January 1919."
    assert cut_compound("When was Luxemburg murdered in the military counter?", evidence) == (
        "c1_cut_compound"
    )
    assert (
        cut_compound("When was Luxemburg murdered in the military counter-revolution?", evidence)
        == ""
    )
