"""The visible text of an HTML document, and telling pasted HTML from plain text.

Markup is never kept, so nothing taken from HTML can be rendered as HTML later.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    """Keeps the text of an HTML document, with paragraph breaks, and drops scripts."""

    _BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "header",
        "footer",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


# A tag of an element a browser would act on or show: pasted text with one is HTML.
_HTML_TAG = re.compile(
    r"</?(?:script|style|noscript|template|iframe|object|embed|svg|math|img|video|audio|"
    r"source|link|meta|base|form|input|button|select|textarea|html|head|body|title|p|div|"
    r"span|br|hr|a|b|i|u|em|strong|small|sub|sup|code|pre|blockquote|ul|ol|li|dl|dt|dd|"
    r"table|thead|tbody|tr|td|th|h[1-6]|section|article|header|footer|nav|main|aside|"
    r"figure|figcaption)(?:[\s/>]|$)",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return (
        "<html" in head
        or "<!doctype html" in head
        or (head.count("<p") + head.count("<div") + head.count("<br") >= 2)
        or _HTML_TAG.search(text) is not None
    )


def strip_html(text: str) -> str:
    """The visible text of HTML; markup is never kept, so it can never be rendered."""
    extractor = _TextExtractor()
    extractor.feed(text)
    extractor.close()
    return "".join(extractor.parts)
