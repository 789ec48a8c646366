"""Join judged verdicts to the labelled items and their features (fixtures/qgen_labels.jsonl).

    .venv/bin/python scripts/qgen_labels_merge.py --items round1.jsonl --key round1_key.jsonl \
        --judged labels/*.jsonl --round 1 --out fixtures/qgen_labels.jsonl

Each output line: the item as the judges saw it (without the passage text, which the
``file`` and ``position`` locate), its features, rule and passage group, and every
judge's verdict and failure codes. Lines already in ``--out`` from other rounds are kept.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=Path, required=True)
    parser.add_argument("--key", type=Path, required=True)
    parser.add_argument("--judged", type=Path, nargs="+", required=True)
    parser.add_argument("--round", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    items = {row["item"]: row for row in map(json.loads, args.items.open(encoding="utf-8"))}
    keys = {row["item"]: row for row in map(json.loads, args.key.open(encoding="utf-8"))}
    verdicts: dict[str, list[dict]] = {}
    for path in args.judged:
        for line in path.open(encoding="utf-8"):
            if line.strip():
                row = json.loads(line)
                verdicts.setdefault(row["item"], []).append(
                    {
                        "verdict": row["verdict"],
                        "codes": row.get("codes", []),
                        "wrong_key": bool(row.get("wrong_key", False)),
                    }
                )
    kept = []
    if args.out.exists():
        kept = [
            json.loads(line)
            for line in args.out.open(encoding="utf-8")
            if line.strip() and json.loads(line).get("round") != args.round
        ]
    merged = []
    for item_id, item in items.items():
        if item_id not in verdicts:
            continue
        key = keys[item_id]
        merged.append(
            {
                "round": args.round,
                "item": item_id,
                "fingerprint": key["fingerprint"],
                "source": item["source"],
                "file": key["file"],
                "position": key["position"],
                "group": f"{key['file']}#{key['position']}",
                "rule": key["rule"],
                "kind": item["kind"],
                "prompt": item["prompt"],
                "answer": item["answer"],
                "accepted_answers": item["accepted_answers"],
                "choices": item["choices"],
                "evidence": item["evidence"],
                "features": key["features"],
                "verdicts": [v["verdict"] for v in verdicts[item_id]],
                "codes": [v["codes"] for v in verdicts[item_id]],
                "wrong_key": [v["wrong_key"] for v in verdicts[item_id]],
            }
        )
    with args.out.open("w", encoding="utf-8") as out:
        for row in kept + merged:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(merged)} judged items of round {args.round} ({len(kept)} kept from others)")


if __name__ == "__main__":
    main()
