#!/usr/bin/env python
"""How often a fitted fold is worse than the FSRS-6 defaults, over pseudo-users.

Usage: python scripts/evaluate_pseudo_users.py PATH.csv [--users N] [--splits K]

The log's cards are dealt round-robin (by card id) to N pseudo-users; for each,
fsrs-rs's time-series folds are fitted (a) with the optimiser as a learner's
optimisation runs it (adopted only when it beats the current parameters on the
latest fifth of the training reviews) and (b) with the plain fit. A fold counts as
worse when its test log loss is above the defaults' on the same reviews. Plain
Python (no Django); UTC days, as the current protocol.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizzes.core.evaluation import (
    DEFAULT_PARAMETERS,
    build_dataset,
    fit_parameters,
    optimise_parameters,
    parse_revlog_csv,
    predict,
    score,
    time_series_folds,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", type=Path)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--splits", type=int, default=5)
    args = parser.parse_args(argv)
    with args.path.open(encoding="utf-8") as handle:
        records = parse_revlog_csv(handle)
    card_ids = sorted({r.card_id for r in records})
    owner = {card: index % args.users for index, card in enumerate(card_ids)}
    totals = {"check": [0, 0, []], "plain": [0, 0, []]}
    for user in range(args.users):
        dataset = build_dataset([r for r in records if owner[r.card_id] == user])
        default_predictions = predict(dataset, DEFAULT_PARAMETERS)
        for train, test in time_series_folds(dataset.n_items, args.splits, "fsrs-rs"):
            labels = dataset.item_label[test]
            bins = [dataset.item_bin[int(i)] for i in test]
            base = score(default_predictions[test], labels, bins).log_loss
            for name, fit in (
                ("check", optimise_parameters(dataset, item_indices=train)),
                ("plain", fit_parameters(dataset, item_indices=train)),
            ):
                if not fit.fitted:
                    continue
                loss = score(predict(dataset, fit.parameters)[test], labels, bins).log_loss
                totals[name][0] += 1
                if loss > base:
                    totals[name][1] += 1
                    totals[name][2].append(loss - base)
    print(f"{args.users} pseudo-users, {args.splits} folds each (fsrs-rs folds, UTC days)")
    for name, label in (("check", "adopt only if it beats the current"), ("plain", "plain fit")):
        fitted, worse, gaps = totals[name]
        worst = f"{max(gaps):+.4f}" if gaps else "none"
        print(
            f"  {label}: {fitted} folds fitted, {worse} worse than the defaults "
            f"out of sample (worst {worst})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
