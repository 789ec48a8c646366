"""The five curated seed texts go through ``prepare_source`` cleanly.

Figures and strings come from shared/seeds/CURATION.md (line numbers refer to the raw
seed files copied into fixtures/sources/). No database: the core is pure Python.
"""

from __future__ import annotations

import json
import re
import textwrap
from functools import cache
from pathlib import Path

import pytest

from quizzes.core.text import PreparedSource, ends_sentence, prepare_source

pytestmark: list[pytest.MarkDecorator] = []  # pure Python: no database, no Django

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
MANIFEST = json.loads((SOURCES / "manifest.json").read_text(encoding="utf-8"))
FILES = [entry["file"] for entry in MANIFEST]

EXPECTED_DECKS = {
    "000_a5d43fb121e80135.txt": 1,
    "001_7dc45aca5c66b162.txt": 1,
    "002_de82c160df25f9b3.txt": 1,
    "003_ae26f54ef3da225e.txt": 1,
    "004_34a24c51f2b7cdad.txt": 11,
}

BOOK_DECK_TITLES = [
    ("Introduction", "Introduction"),
    ("Chapter 1", "The crucibles of Russian socialism"),
    (
        "Chapter 2",
        "The revolutionary settlement: state capitalism, technocracy and the transition to "
        "socialism",
    ),
    ("Chapter 3", "War communism and Soviet Socialism: a technocratic orthodoxy?"),
    ("Chapter 4", "NEP and Soviet socialism: departing from orthodoxy?"),
    ("Chapter 5", "Stalin, Trotsky and Bukharin: debating a new orthodoxy"),
    ("Chapter 6", "Stalinist socialism: creating a country of metal, 1929\u201339"),
    ("Chapter 7", "Khrushchev and Soviet socialism: burying Stalin, reviving Lenin?"),
    ("Chapter 8", "Brezhnev and developed socialism: technocratic socialism in power"),
    (
        "Chapter 9",
        "Gorbachev and Soviet socialism: The rise and fall of Humane Democratic Socialism",
    ),
    ("Conclusion", "Conclusion: history and Soviet socialism"),
]

# 002, lines 41-104: the comment thread and its furniture.
COMMENT_STRINGS = [
    "Attachments",
    "Blackhawk",
    "Juan Conatz",
    "years 9 months ago",
    "In reply to",
    "Submitted by",
    "Who is the author of this?",
    "marxists.org",
    "On the Syndicalist and Anarchist Deviation in our Party",
    "CAPITAL Volume II",
    "wage-slaves",
    "The wage system was never abolished",
    "Leading Workers' Opposition activist",
]

# 004: running heads named in CURATION.md section 7.4.
RUNNING_HEADS = [
    "10 THE CRUCIBLES OF RUSSIAN SOCIALISM",
    "THE ORIGINS OF SOCIALISM 29",
    "THE ECONOMICS OF \u201cWAR COMMUNISM\u201d 83",
    "144 NEP AND SOVIET SOCIALISM",
    "SOVIET SOCIALISM IN HISTORICAL PERSPECTIVE 327",
]
RUNNING_HEAD_PATTERN = re.compile(
    r"\b\d{1,3} [A-Z\u201c\u201d]{2,}(?: [A-Z\u201c\u201d:]{2,}){2,}|"
    r"[A-Z\u201c\u201d]{3,}(?: [A-Z\u201c\u201d]{2,}){2,} \d{1,3}\b"
)

FUSED_NUMBER = re.compile(r"[a-z]{3,}\d{1,3}\b")
# Legitimate letter+digit tokens; none occur in the seeds today.
FUSED_NUMBER_EXCEPTIONS: frozenset[str] = frozenset()

MIN_WORDS, MAX_WORDS = 60, 400


@cache
def prepared(file: str) -> PreparedSource:
    entry = next(item for item in MANIFEST if item["file"] == file)
    raw = (SOURCES / file).read_text(encoding="utf-8")
    return prepare_source(raw, title=entry["title"], author=entry["author"])


@cache
def raw_text(file: str) -> str:
    return (SOURCES / file).read_text(encoding="utf-8")


def passage_texts(file: str) -> list[str]:
    return [p.text for deck in prepared(file).decks for p in deck.passages]


def test_manifest_lists_the_five_seed_files_with_their_metadata() -> None:
    # given the fixture folder, when the manifest is read, then it describes every file
    assert sorted(FILES) == sorted(path.name for path in SOURCES.glob("*.txt"))
    for entry in MANIFEST:
        assert set(entry) == {"file", "title", "author", "origin", "kind", "licence_note"}
        assert all(entry[key].strip() for key in entry)


@pytest.mark.parametrize("file", FILES)
def test_each_source_yields_the_curated_number_of_decks(file: str) -> None:
    assert len(prepared(file).decks) == EXPECTED_DECKS[file]


def test_book_decks_are_the_introduction_nine_chapters_and_the_conclusion() -> None:
    decks = prepared("004_34a24c51f2b7cdad.txt").decks
    assert [(deck.label, deck.title) for deck in decks] == BOOK_DECK_TITLES
    assert [deck.order for deck in decks] == list(range(1, 12))


def test_book_parts_are_kept_as_deck_metadata() -> None:
    decks = prepared("004_34a24c51f2b7cdad.txt").decks
    assert decks[1].part == "Part One: The genesis of Soviet socialism"
    assert decks[9].part == "Part Four: The demise of scientific socialism"


def test_comment_thread_and_page_furniture_of_002_are_gone() -> None:
    source = prepared("002_de82c160df25f9b3.txt")
    text = "\n".join(passage_texts("002_de82c160df25f9b3.txt"))
    for needle in COMMENT_STRINGS:
        assert needle not in text, needle
    assert source.metadata["submitted_by"] == "Ed"
    assert source.metadata["submitted_on"] == "September 20, 2007"
    assert source.metadata["standfirst"].startswith("A short history of a group")
    assert source.dropped_words_by_reason()["comment thread"] == 990


def test_article_body_of_002_is_kept_whole() -> None:
    source = prepared("002_de82c160df25f9b3.txt")
    texts = passage_texts("002_de82c160df25f9b3.txt")
    # CURATION.md: the article body (lines 10-39) is 1,487 words
    assert source.words_kept == 1487
    assert texts[0].startswith("The Workers Opposition began to form in 1919")
    assert texts[-1].endswith("could have rescued them from their fate.")


def test_front_matter_becomes_metadata_not_passages() -> None:
    article = prepared("000_a5d43fb121e80135.txt")
    talk = prepared("001_7dc45aca5c66b162.txt")
    pamphlet = prepared("003_ae26f54ef3da225e.txt")
    assert "In this piece Simon Pirani" in article.metadata["standfirst"]
    assert article.decks[0].passages[0].text.startswith("This piece focuses on the period")
    assert talk.metadata["byline"].startswith("By Simon Pirani. Talk presented")
    talk_text = "\n".join(passage_texts("001_7dc45aca5c66b162.txt"))
    assert "Thank you for listening" not in talk_text  # closing courtesy
    assert "socialist journalist" not in talk_text  # sign-off after "--"
    assert talk.metadata["author_note"].startswith("Simon Pirani is a socialist journalist")
    assert pamphlet.metadata["standfirst"].startswith("We republish the second part")
    book_text = "\n".join(passage_texts("004_34a24c51f2b7cdad.txt"))
    assert "De Montfort University" not in book_text  # preface
    assert "Glossary of key terms" not in book_text
    assert "1st Congress of RSDLP" not in book_text  # chronology


@pytest.mark.parametrize("file", FILES)
def test_no_running_heads_remain(file: str) -> None:
    text = "\n".join(passage_texts(file))
    for head in RUNNING_HEADS:
        assert head not in text
    assert RUNNING_HEAD_PATTERN.findall(text) == []


@pytest.mark.parametrize("file", FILES)
def test_no_line_break_hyphen_artefacts_remain(file: str) -> None:
    texts = passage_texts(file)
    joined = "\n".join(texts)
    assert "-\n" not in joined
    words = {w.casefold() for w in re.findall(r"[A-Za-z]+", joined)}
    artefacts = [
        m.group(0)
        for m in re.finditer(r"\b([A-Za-z]+)- ([a-z]+)\b", joined)
        if (m.group(1) + m.group(2)).casefold() in words
    ]
    assert artefacts == []


@pytest.mark.parametrize("file", FILES)
def test_no_footnote_numbers_stay_fused_to_words(file: str) -> None:
    found = {m.group(0) for text in passage_texts(file) for m in FUSED_NUMBER.finditer(text)}
    assert found - FUSED_NUMBER_EXCEPTIONS == set()


def test_real_numbers_survive_footnote_stripping() -> None:
    text = "\n".join(passage_texts("004_34a24c51f2b7cdad.txt"))
    assert "62.4 million" in text
    assert "published first in 1877\u20138. This" in text
    assert "Gotha Programme (1875)" in text
    assert "125,000" in text and "138,800" in text


def test_book_figures_tables_and_epigraphs_are_dropped_and_sentences_rejoined() -> None:
    text = "\n".join(passage_texts("004_34a24c51f2b7cdad.txt"))
    # figure legends and captions interrupting sentences (1245-1271, 2164-2198, 9330)
    for needle in ["KEY:", "Figure 1.1 Bolshevism", "Figure 7.5", "System was supposed to operate"]:
        assert needle not in text
    assert "the recurring tension in Lenin\u2019s writings\u2014between" in text
    assert "increasingly intolerant of institutions and groups" in text
    assert "away from purely physical indicators, and to focus" in text
    # flattened tables (11454-11504) and epigraph jokes (8093, 9807, 10892, 12700)
    assert "Traditional Model Developing Socialism" not in text
    for needle in ["Stalin was an idiot", "land on the sun", "Old Soviet Adage", "longest road"]:
        assert needle not in text
    # page breaks inside sentences (56-60, 4396-4400)
    assert "a much more diverse, complex, sprawling, chaotic picture" in text
    assert "the introduction of the prodnalog" in text


def test_book_footnote_markers_are_counted() -> None:
    source = prepared("004_34a24c51f2b7cdad.txt")
    markers = sum(d.count for d in source.dropped if d.reason == "footnote number")
    # CURATION.md: about 1,025 markers survive in the book
    assert 950 <= markers <= 1060


@pytest.mark.parametrize("file", FILES)
def test_every_passage_ends_on_a_sentence_end(file: str) -> None:
    bad = [text[-60:] for text in passage_texts(file) if not ends_sentence(text)]
    assert bad == []


@pytest.mark.parametrize("file", FILES)
def test_passages_are_60_to_400_words_except_a_short_section_end(file: str) -> None:
    for deck in prepared(file).decks:
        passages = list(deck.passages)
        for index, passage in enumerate(passages):
            section_end = (
                index + 1 == len(passages) or passages[index + 1].heading != passage.heading
            )
            assert passage.word_count <= MAX_WORDS, (passage.heading, passage.word_count)
            if not section_end:
                assert passage.word_count >= MIN_WORDS, (passage.heading, passage.word_count)


@pytest.mark.parametrize("file", FILES)
def test_passages_carry_headings_order_and_stable_hashes(file: str) -> None:
    source = prepared(file)
    for deck in source.decks:
        assert [p.order for p in deck.passages] == list(range(1, len(deck.passages) + 1))
        assert all(p.heading for p in deck.passages)
    again = prepare_source(raw_text(file), title=source.title, author=source.author)
    assert [p.content_hash for d in again.decks for p in d.passages] == [
        p.content_hash for d in source.decks for p in d.passages
    ]


@pytest.mark.parametrize("file", FILES)
def test_word_accounting_is_consistent(file: str) -> None:
    source = prepared(file)
    dropped = sum(item.words for item in source.dropped)
    # the remainder is words rejoined across line breaks ("socio-\npolitical")
    remainder = source.words_in - source.words_kept - source.words_in_headings - dropped
    assert abs(remainder) <= 0.01 * source.words_in


def test_article_sections_follow_the_headings_of_the_text() -> None:
    headings = list(
        dict.fromkeys(p.heading for p in prepared("003_ae26f54ef3da225e.txt").decks[0].passages)
    )
    assert headings == [
        "Setbacks in the International Struggle",
        "The Crisis of Working-class Leadership",
        "The Exhaustion of Soviet Democracy",
        "Bureaucracy and the Workers\u2019 State",
        "Party Democracy",
        "The Kronstadt Uprising",
        "The Struggle for Power in the Communist Party",
        "The Turning Point",
        "The Defeat of the German Revolution",
    ]


@pytest.mark.parametrize("file", FILES[:4])
def test_articles_hard_wrapped_at_72_columns_give_the_same_text(file: str) -> None:
    # given a web article re-wrapped as if pasted from a PDF or an e-mail
    raw = raw_text(file)
    wrapped = "\n".join(textwrap.fill(line, 72) if line else "" for line in raw.split("\n"))
    entry = next(item for item in MANIFEST if item["file"] == file)
    # when it is prepared
    source = prepare_source(wrapped, title=entry["title"], author=entry["author"])
    # then the same furniture goes and (nearly) the same words stay
    assert source.metadata["layout"] == "hard"
    assert abs(source.words_kept - prepared(file).words_kept) <= 0.01 * source.words_in
    text = "\n".join(p.text for deck in source.decks for p in deck.passages)
    for needle in COMMENT_STRINGS:
        assert needle not in text, needle
