"""Time question generation over text files, parsing included, and print counts.

No Django and no database: the passages are prepared as the importer prepares them,
parsed in batches with the pinned spaCy pipeline, and generated as the service does.

    .venv/bin/python scripts/bench_qgen.py                       # the seed corpus
    .venv/bin/python scripts/bench_qgen.py --manifest fixtures/subjects/manifest.json

Prints the wall time of each stage, the number of passages, words, candidates and
served questions by kind, the share of passages of 150+ words with at least one
served question and the mean per such passage.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizzes.core.generation import (  # noqa: E402
    PassageInput,
    generate,
    nlp,
    overgenerate,
    ranking,
)
from quizzes.core.generation.deck import build_deck_inventory  # noqa: E402
from scripts.qgen_candidates import manifest_passages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--manifest", type=Path, action="append")
    parser.add_argument("--processes", type=int, default=2, help="parsing processes")
    parser.add_argument(
        "--approved",
        action="store_true",
        help="count only what --approve would approve (the ranker's threshold)",
    )
    args = parser.parse_args()
    manifests = args.manifest or [ROOT / "fixtures" / "sources" / "manifest.json"]

    started = time.perf_counter()
    nlp.load_pipeline()
    loaded = time.perf_counter()
    passages = [p for m in manifests for p in manifest_passages(m)]
    prepared = time.perf_counter()
    docs = nlp.parse([p["text"] for p in passages], processes=args.processes)
    parsed = time.perf_counter()

    by_source: dict[str, list[int]] = {}
    for index, passage in enumerate(passages):
        by_source.setdefault(passage["source"], []).append(index)
    served: list[list] = [[] for _ in passages]
    inputs = []
    for indexes in by_source.values():
        deck = build_deck_inventory([docs[i] for i in indexes])
        for index in indexes:
            p = passages[index]
            data = PassageInput(index, p["text"], p["heading"], p["source"], p["author"], p["deck"])
            inputs.append((index, data, deck, p["position"]))
            served[index] = generate(data, docs[index], deck, p["position"])
    generated = time.perf_counter()
    pool = sum(len(overgenerate(data, docs[i], deck, pos)) for i, data, deck, pos in inputs)

    threshold = ranking.approve_threshold() or 0.6
    if args.approved:
        served = [[c for c in items if c.score >= threshold] for items in served]
    words = sum(len(p["text"].split()) for p in passages)
    kinds = Counter(c.kind for items in served for c in items)
    total = sum(kinds.values())
    long_ones = [i for i, p in enumerate(passages) if len(p["text"].split()) >= 150]
    with_any = sum(1 for i in long_ones if served[i])
    mean = sum(len(served[i]) for i in long_ones) / max(1, len(long_ones))
    print(f"passages {len(passages)}, words {words}")
    print(
        f"load pipeline {loaded - started:.1f} s, prepare {prepared - loaded:.1f} s, "
        f"parse {parsed - prepared:.1f} s ({args.processes} processes), "
        f"inventories and generate {generated - parsed:.1f} s"
    )
    print(f"total {generated - started:.1f} s")
    print(
        f"candidates {pool}, served {total}: "
        + ", ".join(f"{k} {v} ({v / max(1, total):.0%})" for k, v in kinds.most_common())
    )
    print(
        f"passages of 150+ words: {len(long_ones)}, with a question {with_any} "
        f"({with_any / max(1, len(long_ones)):.0%}), mean {mean:.2f} per passage"
    )


if __name__ == "__main__":
    main()
