"""Generate questions over the seed corpus and print counts, scores, timing and a sample.

No Django. Uses ``quizzes.core.passages.prepare_source`` when it exists, otherwise a
simple paragraph splitter good enough for development.

    .venv/bin/python scripts/qgen_sample.py [--seeds DIR] [--sample 50] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizzes.core.generation import (
    GENERATOR_VERSION,
    PassageInput,
    build_inventory,
    generate,
)

SOURCES = {
    "000": ("Workers and the Soviet state: lessons from the 1920s", "Simon Pirani"),
    "001": ("The Russian workers and the Bolshevik party in power", "Simon Pirani"),
    "002": ("1919-1922: The Workers' Opposition", ""),
    "003": ("Russia: How the Bureaucracy Seized Power, part 2", "George Collins"),
    "004": ("A Short History of Soviet Socialism", "Mark Sandle"),
}


def _chunks(paragraphs: list[str], low: int = 120, high: int = 300) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for paragraph in paragraphs:
        words = len(paragraph.split())
        size = sum(len(p.split()) for p in current)
        if current and size >= low and size + words > high:
            out.append("\n\n".join(current))
            current = []
        current.append(paragraph)
    if current:
        out.append("\n\n".join(current))
    return out


def simple_passages(name: str, raw: str) -> list[tuple[str, str]]:
    """(heading, text) passages: a development stand-in for passages.prepare_source."""
    prefix = name[:3]
    if prefix == "004":
        raw = re.sub(r"(?<=[a-z.,;:”’)])\d{1,3}\b", "", raw)  # fused note numbers
        blocks = [re.sub(r"\s*\n\s*", " ", b).strip() for b in re.split(r"\n\s*\n", raw)]
        body = blocks[20:]
    else:
        lines = raw.splitlines()
        if prefix == "000":
            lines = [ln for ln in lines[7:] if not ln.startswith("[1]")]
        elif prefix == "002":
            lines = lines[9:39]
        elif prefix == "003":
            lines = lines[1:]
        body = [re.sub(r"^#+\s*", "", ln).strip() for ln in lines]
    paragraphs: list[str] = []
    heading = ""
    result: list[tuple[str, str]] = []
    for block in body:
        if not block:
            continue
        is_heading = len(block.split()) <= 14 and not re.search(r"[.!?”’\"]$", block)
        if is_heading:
            result.extend((heading, c) for c in _chunks(paragraphs))
            paragraphs, heading = [], block
        else:
            paragraphs.append(block)
    result.extend((heading, c) for c in _chunks(paragraphs))
    return [(h, t) for h, t in result if len(t.split()) >= 40]


def load_passages(seeds: Path, *, simple: bool = False) -> list[PassageInput]:
    """Passages of every seed file (``passages.prepare_source`` unless ``simple``)."""
    prepared = None
    if not simple:
        try:
            from quizzes.core import passages as prepared  # type: ignore[no-redef]
        except ImportError:
            prepared = None
    out: list[PassageInput] = []
    for path in sorted(seeds.glob("*.txt")):
        title, author = SOURCES.get(path.name[:3], (path.stem, ""))
        raw = path.read_text(encoding="utf-8")
        pairs: list[tuple[str, str, str]] = []
        if prepared is not None and hasattr(prepared, "prepare_source"):
            source = prepared.prepare_source(raw, title=title, author=author)
            for deck in source.decks:
                for passage in deck.passages:
                    pairs.append((getattr(deck, "title", title), passage.heading, passage.text))
        else:
            pairs = [(title, h, t) for h, t in simple_passages(path.name, raw)]
        for deck_title, heading, text in pairs:
            out.append(
                PassageInput(
                    passage_id=len(out) + 1,
                    text=text,
                    heading=heading,
                    source_title=title,
                    author=author,
                    deck_title=deck_title,
                )
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=Path, default=Path("/work/shared/seeds"))
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-score", type=float, default=0.0, help="sample only from here")
    parser.add_argument("--max-score", type=float, default=1.01, help="sample only below this")
    parser.add_argument(
        "--simple", action="store_true", help="use the built-in splitter, not passages.py"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    passages = load_passages(args.seeds, simple=args.simple)
    loaded = time.perf_counter()
    inventory = build_inventory(p.text for p in passages)
    built = time.perf_counter()
    results = [(p, generate(p, inventory)) for p in passages]
    done = time.perf_counter()

    questions = [(p, q) for p, qs in results for q in qs]
    print(f"generator {GENERATOR_VERSION}")
    print(f"passages {len(passages)}  words {sum(len(p.text.split()) for p in passages)}")
    print(
        f"timing: load {loaded - started:.1f}s  inventory {built - loaded:.1f}s  "
        f"generate {done - built:.1f}s  total {done - started:.1f}s"
    )
    print(
        f"questions {len(questions)}  per passage "
        f"{len(questions) / max(1, len(passages)):.2f}  passages with none "
        f"{sum(1 for _, qs in results if not qs)}"
    )
    print("by kind:", dict(Counter(q.kind for _, q in questions)))
    print("by template:", dict(Counter(q.template for _, q in questions)))
    print("by answer kind:", dict(Counter(q.answer_kind for _, q in questions)))
    scores = [q.score for _, q in questions]
    if scores:
        bands = Counter(f"{int(s * 10) / 10:.1f}" for s in scores)
        print(f"scores: mean {statistics.mean(scores):.3f}  bands {dict(sorted(bands.items()))}")
    band = [(p, q) for p, q in questions if args.min_score <= q.score < args.max_score]
    print(f"in the sampled band [{args.min_score}, {args.max_score}): {len(band)}")
    rng = random.Random(args.seed)
    sample = rng.sample(band, min(args.sample, len(band)))
    for number, (passage, question) in enumerate(sample, 1):
        evidence = " ".join(passage.text[question.evidence_start : question.evidence_end].split())
        print(
            f"\n#{number} [{question.kind}/{question.template}] score {question.score} "
            f"passage {passage.passage_id} ({passage.source_title[:30]})"
        )
        print(f"  Q: {question.prompt}")
        if question.choices:
            print(f"  choices: {' | '.join(question.choices)}")
        print(f"  A: {question.answer}")
        print(f"  evidence: {evidence}")


if __name__ == "__main__":
    main()
