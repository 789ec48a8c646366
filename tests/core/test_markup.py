"""quizzes.core.text.markup: the visible text of HTML, and telling HTML from plain text."""

from __future__ import annotations

import pytest

from quizzes.core.text import looks_like_html, strip_html


def test_strip_html_keeps_paragraphs_and_drops_scripts() -> None:
    html = "<p>Lenin &amp; Trotsky</p><script>alert(1)</script><div>In 1917.</div>"

    assert strip_html(html) == "\n\nLenin & Trotsky\n\n\n\nIn 1917.\n\n"


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("<!DOCTYPE html><title>t</title>", True),
        ("A <b>bold</b> claim.", True),
        ("Use x < y and y > z.", False),
        ("Plain text about the Soviet of 1905.", False),
    ],
)
def test_looks_like_html(text: str, is_html: bool) -> None:
    assert looks_like_html(text) is is_html
