"""Sentence and passage cutting around quoted questions and bare section labels."""

from __future__ import annotations

import pytest

from quizzes.core.text import split_passages, split_sentences

pytestmark: list[pytest.MarkDecorator] = []  # pure Python: no database, no Django


def test_a_quoted_question_inside_a_running_sentence_is_not_a_sentence_end() -> None:
    text = (
        "We come here to be philosophers. Whenever a result happens, you should say, "
        "\u201cWhat is the cause? Why does it occur?\u201d and you will find out the reason. "
        "Then there is another point."
    )
    assert split_sentences(text) == [
        "We come here to be philosophers.",
        "Whenever a result happens, you should say, \u201cWhat is the cause? Why does it "
        "occur?\u201d and you will find out the reason.",
        "Then there is another point.",
    ]


def test_a_quotation_of_whole_sentences_still_splits_between_them() -> None:
    text = (
        "\u201cCast!\u201d you say. \u201cWhy, a candle melts. Surely you can cast it.\u201d "
        "Not so."
    )
    assert split_sentences(text) == [
        "\u201cCast!\u201d you say.",
        "\u201cWhy, a candle melts.",
        "Surely you can cast it.\u201d",
        "Not so.",
    ]


def _words(n: int) -> str:
    """A sentence of ``n`` words."""
    return " ".join(["Word"] + ["word"] * (n - 2) + ["end."])


def test_a_bare_section_label_travels_with_the_text_after_it() -> None:
    # Sizes alone would put the label at the end of the first passage (152 + 280 words).
    paragraphs = [_words(150), "Section. 8.", _words(280), "Article IV", _words(150)]
    assert split_passages(paragraphs) == [
        _words(150),
        "Section. 8.\n\n" + _words(280),
        "Article IV\n\n" + _words(150),
    ]


def test_a_section_label_before_an_over_long_paragraph_is_not_cut_at_its_full_stop() -> None:
    long_paragraph = " ".join(_words(20) for _ in range(20))  # 400 words, 20 sentences
    passages = split_passages([_words(200), "Section. 8.", long_paragraph])
    assert passages[0] == _words(200)
    assert passages[1].startswith("Section. 8.\n\nWord word")
    assert [len(passage.split()) for passage in passages] == [200, 202, 200]
