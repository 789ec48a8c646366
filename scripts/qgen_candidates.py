"""Overgenerated candidates (before ranking) of text files, for blind labelling.

No Django. Reads import manifests (the format of fixtures/sources/manifest.json),
prepares passages as the importer does, parses them, overgenerates every gated
candidate and writes a seeded random sample:

    .venv/bin/python scripts/qgen_candidates.py \
        --manifest fixtures/sources/manifest.json --manifest fixtures/subjects/manifest.json \
        --share 0.6 --sample 700 --seed 11 --out round.jsonl --key-out round_key.jsonl

``--out`` holds only what a judge sees (item, kind, prompt, answer, accepted answers,
choices, evidence, passage, source); ``--key-out`` maps each item to its features,
rule and fingerprint (for fitting the ranker; never shown to judges). ``--share`` is
the share of the sample drawn from the first manifest.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizzes.core.generation import PassageInput, nlp, overgenerate
from quizzes.core.generation.deck import build_deck_inventory
from quizzes.core.generation.pipeline import fingerprint
from quizzes.core.text import prepare_source


def manifest_passages(manifest: Path) -> list[dict]:
    """Passages of every file a manifest lists, in import order."""
    out: list[dict] = []
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        raw = (manifest.parent / entry["file"]).read_text(encoding="utf-8")
        prepared = prepare_source(raw, title=entry["title"], author=entry.get("author", ""))
        position = 0
        for deck in prepared.decks:
            for passage in deck.passages:
                out.append(
                    {
                        "source": entry["title"],
                        "author": entry.get("author", ""),
                        "deck": deck.title,
                        "heading": passage.heading,
                        "text": passage.text,
                        "position": position,
                        "file": entry["file"],
                    }
                )
                position += 1
    return out


def candidates_of(
    manifest: Path, cache: Path | None = None
) -> tuple[list[dict], list[dict], float]:
    passages = manifest_passages(manifest)
    started = time.perf_counter()
    texts = [p["text"] for p in passages]
    docs = None
    if cache is not None and cache.exists():
        from spacy.tokens import DocBin

        docs = list(DocBin().from_bytes(cache.read_bytes()).get_docs(nlp.load_pipeline().vocab))
        if [d.text for d in docs] != [nlp.parser_text(t) for t in texts]:
            docs = None
    if docs is None:
        docs = nlp.parse(texts)
        if cache is not None:
            from spacy.tokens import DocBin

            cache.write_bytes(DocBin(store_user_data=False, docs=docs).to_bytes())
    parsed = time.perf_counter() - started
    rows: list[dict] = []
    by_source: dict[str, list[int]] = {}
    for index, passage in enumerate(passages):
        by_source.setdefault(passage["source"], []).append(index)
    for indexes in by_source.values():
        deck = build_deck_inventory([docs[i] for i in indexes])
        for index in indexes:
            p = passages[index]
            data = PassageInput(index, p["text"], p["heading"], p["source"], p["author"], p["deck"])
            for c in overgenerate(data, docs[index], deck, p["position"]):
                fp = fingerprint(c.kind, c.prompt, c.answer)
                rows.append(
                    {
                        "visible": {
                            "item": fp[:16],
                            "kind": c.kind,
                            "prompt": c.prompt,
                            "answer": c.answer,
                            "accepted_answers": list(c.accepted_answers),
                            "choices": list(c.choices),
                            "evidence": p["text"][c.evidence_start : c.evidence_end],
                            "passage": p["text"],
                            "source": p["source"],
                        },
                        "key": {
                            "item": fp[:16],
                            "fingerprint": fp,
                            "rule": c.template,
                            "features": c.features,
                            "file": p["file"],
                            "position": p["position"],
                            "passage_words": len(p["text"].split()),
                            "evidence_start": c.evidence_start,
                        },
                    }
                )
    return passages, rows, parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--manifest", type=Path, action="append", required=True)
    parser.add_argument("--share", type=float, default=0.6)
    parser.add_argument("--sample", type=int, default=700)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--key-out", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="folder keeping parses between runs")
    args = parser.parse_args()

    pools = []
    for manifest in args.manifest:
        cache = None
        if args.cache is not None:
            args.cache.mkdir(parents=True, exist_ok=True)
            cache = args.cache / (manifest.parent.name + ".docbin")
        passages, rows, parsed = candidates_of(manifest, cache)
        print(
            f"{manifest}: {len(passages)} passages, {len(rows)} candidates, parse {parsed:.1f} s",
            file=sys.stderr,
        )
        print("  ", dict(Counter(r["key"]["rule"] for r in rows)), file=sys.stderr)
        pools.append(rows)
    rng = random.Random(args.seed)
    chosen: list[dict] = []
    if len(pools) == 1:
        chosen = rng.sample(pools[0], min(args.sample, len(pools[0])))
    else:
        others = [r for pool in pools[1:] for r in pool]
        want_others = min(len(others), round(args.sample * (1 - args.share)))
        picked_others = rng.sample(others, want_others)
        want_first = min(len(pools[0]), args.sample - want_others)
        chosen = rng.sample(pools[0], want_first) + picked_others
    rng.shuffle(chosen)
    with (
        args.out.open("w", encoding="utf-8") as out,
        args.key_out.open("w", encoding="utf-8") as key,
    ):
        for row in chosen:
            out.write(json.dumps(row["visible"], ensure_ascii=False) + "\n")
            key.write(json.dumps(row["key"], ensure_ascii=False) + "\n")
    print(
        f"wrote {len(chosen)} items to {args.out} and their keys to {args.key_out}", file=sys.stderr
    )


if __name__ == "__main__":
    main()
