"""Simulated classes: does what a class knows about a question help a new student?

Usage::

    python scripts/simulate_class_model.py [--seed 0] [--students 300] [--questions 500]
                                           [--spreads 0,0.3,0.6,1.0]

Protocol (fixed before the first run):

* **Truth.** FSRS-6 with py-fsrs's default parameters, and for each question ``q`` an
  effect ``z_q ~ N(0, 1)`` scaled by the spread ``s``: the true initial stability is
  FSRS's ``w[r - 1]`` times ``exp(-s z_q + u)`` and the true initial difficulty is
  FSRS's plus ``2 s z_q`` (clamped to [1, 10]), so ``s`` is the standard deviation of
  the question's effect on log initial stability (and a hard question is also more
  difficult). ``u ~ N(0, 0.2)`` is a per-student effect on log initial stability that
  no model is told about. First ratings are Again/Hard/Good/Easy with probabilities
  0.25/0.10/0.55/0.10; at a later review the student recalls with the true
  retrievability, and a recall is rated Hard/Good/Easy with 0.15/0.75/0.10.
* **Students and time.** ``--students`` students in 6 staggered cohorts, cohort
  ``c`` starting on day ``30 c``; each student meets every one of ``--questions``
  questions, in their own random order, 20 new a day, one review a day at most per
  card. Each card is scheduled by FSRS-6 with the defaults (desired retention 0.9,
  no learning steps); the student reviews it 0-3 days late (0.6/0.25/0.1/0.05). A
  card is followed up to its third review a day or more after the previous one (its
  first three long-term reviews).
* **Training and test.** In each cohort one student in five is a test student and
  never in training. On a global timeline the class model is refitted every 15 days
  (day ``T``) from the training students' reviews made before ``T``; a test review on
  day ``t`` is predicted with the latest model fitted at or before ``t``, so every
  prediction uses only earlier reviews.
* **Scored.** The test students of cohorts 1-5 (cohort 0 starts with an empty
  class), on their cards' first three long-term reviews: log loss and RMSE(bins)
  (``quizzes.core.evaluation.score``) of FSRS-6 with the defaults and of the same with
  the class model's offsets.

Goal, fixed before running: at spreads 0.3, 0.6 and 1.0 the class model's log loss is
at least 0.01 lower and its RMSE(bins) at least 15% lower than the defaults'; at
spread 0 its log loss is at most 0.001 higher and its RMSE(bins) at most 5% higher.
The script prints a table with a ``goal`` column (``met`` or ``missed``), and beside it
the scores of the true question effects (the best any class model could do, since it
cannot know the student's own effect); ``--oracle-only`` prints those without fitting.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizzes.core.class_model import (
    CardHistory,
    ClassModel,
    fit_class_model_arrays,
    predict_long_term_reviews,
)
from quizzes.core.evaluation import DEFAULT_PARAMETERS, bin_key, score
from quizzes.core.scheduling import InitialOffset

W = np.asarray(DEFAULT_PARAMETERS, dtype=np.float64)
DECAY = -W[20]
FACTOR = 0.9 ** (1.0 / DECAY) - 1.0
COHORTS = 6
COHORT_GAP_DAYS = 30
NEW_PER_DAY = 20
LONG_TERM = 3
REFIT_EVERY_DAYS = 15
FIRST_RATING_P = (0.25, 0.10, 0.55, 0.10)
RECALL_RATING_P = (0.15, 0.75, 0.10)
LATENESS_P = (0.6, 0.25, 0.10, 0.05)
STUDENT_SPREAD = 0.2


def _next_state(s, d, rating, gap):
    """FSRS-6 (defaults) after a review ``gap >= 1`` days after the last one."""
    r = (1.0 + FACTOR * gap / s) ** DECAY
    modifier = np.where(rating == 2, W[15], np.where(rating == 4, W[16], 1.0))
    recall = s * (
        1.0
        + np.exp(W[8]) * (11.0 - d) * s ** (-W[9]) * (np.exp((1.0 - r) * W[10]) - 1.0) * modifier
    )
    forget = np.minimum(
        W[11] * d ** (-W[12]) * ((s + 1.0) ** W[13] - 1.0) * np.exp((1.0 - r) * W[14]),
        s / np.exp(W[17] * W[18]),
    )
    new_s = np.maximum(np.where(rating == 1, forget, recall), 0.001)
    easy = W[4] - np.exp(W[5] * 3.0) + 1.0
    damped = d + (10.0 - d) * (-W[6] * (rating - 3.0)) / 9.0
    new_d = np.clip(W[7] * easy + (1.0 - W[7]) * damped, 1.0, 10.0)
    return new_s, new_d


def simulate(rng: np.random.Generator, students: int, questions: int, spread: float):
    """Every card's reviews: arrays over cards (student, question, day of each review,
    rating of each review) with LONG_TERM + 1 reviews each."""
    z = rng.standard_normal(questions)
    student_effect = rng.normal(0.0, STUDENT_SPREAD, students)
    cohort = np.arange(students) * COHORTS // students
    start = cohort * COHORT_GAP_DAYS
    order = np.argsort(rng.random((students, questions)), axis=1)
    position = np.empty_like(order)
    np.put_along_axis(position, order, np.arange(questions)[None, :], axis=1)
    student = np.repeat(np.arange(students), questions)
    question = np.tile(np.arange(questions), students)
    n = student.shape[0]
    day = (start[student] + position.reshape(-1) // NEW_PER_DAY).astype(np.float64)
    first = rng.choice(4, size=n, p=FIRST_RATING_P) + 1
    s_true = W[first - 1] * np.exp(-spread * z[question] + student_effect[student])
    d0 = np.clip(W[4] - np.exp(W[5] * (first - 1)) + 1.0, 1.0, 10.0)
    d_true = np.clip(d0 + 2.0 * spread * z[question], 1.0, 10.0)
    s_sched, d_sched = W[first - 1].copy(), d0.copy()
    days = np.zeros((n, LONG_TERM + 1))
    ratings = np.zeros((n, LONG_TERM + 1), dtype=np.int64)
    days[:, 0] = day
    ratings[:, 0] = first
    for k in range(1, LONG_TERM + 1):
        interval = np.maximum(1.0, np.round(s_sched))
        gap = interval + rng.choice(4, size=n, p=LATENESS_P)
        r_true = (1.0 + FACTOR * gap / s_true) ** DECAY
        recalled = rng.random(n) < r_true
        rating = np.where(recalled, rng.choice(3, size=n, p=RECALL_RATING_P) + 2, 1)
        s_true, d_true = _next_state(s_true, d_true, rating, gap)
        s_sched, d_sched = _next_state(s_sched, d_sched, rating, gap)
        days[:, k] = days[:, k - 1] + gap
        ratings[:, k] = rating
    return student, question, cohort, days, ratings, z


def _history(question: int, days_row, ratings_row, before: float | None) -> CardHistory | None:
    keep = len(days_row) if before is None else int(np.sum(days_row < before))
    if keep == 0:
        return None
    gaps = [0.0] + [float(days_row[k] - days_row[k - 1]) for k in range(1, keep)]
    return CardHistory(int(question), tuple(int(r) for r in ratings_row[:keep]), tuple(gaps))


def run(
    seed: int, students: int, questions: int, spread: float, fit: bool = True
) -> dict[str, float]:
    rng = np.random.default_rng([seed, int(round(spread * 1000))])
    student, question, cohort, days, ratings, z = simulate(rng, students, questions, spread)
    test_student = np.zeros(students, dtype=bool)
    for c in range(COHORTS):
        members = np.flatnonzero(np.arange(students) * COHORTS // students == c)
        test_student[members[::5]] = True
    train = ~test_student[student]
    scored = test_student[student] & (cohort[student] >= 1)
    last_scored = float(days[scored].max())
    fit_days = list(range(REFIT_EVERY_DAYS, int(last_scored) + 1, REFIT_EVERY_DAYS)) if fit else []
    models: list[tuple[float, ClassModel]] = []
    fit_seconds = 0.0
    train_idx = np.flatnonzero(train)
    gaps = np.diff(days, axis=1, prepend=days[:, :1])
    questions_list = list(range(questions))
    for fit_day in fit_days:
        cards = train_idx[days[train_idx, 0] < fit_day]
        seen = days[cards] < fit_day  # only reviews made before the fit
        began = time.process_time()
        model = fit_class_model_arrays(
            questions_list,
            question[cards],
            np.where(seen, ratings[cards], 0),
            np.where(seen, gaps[cards], 0.0),
        )
        models.append((float(fit_day), model))
        fit_seconds += time.process_time() - began
    fit_at = np.asarray([d for d, _ in models])
    test_idx = np.flatnonzero(scored)
    base_p, class_p, labels, bins = [], [], [], []
    histories = [_history(question[i], days[i], ratings[i], None) for i in test_idx]
    zero = InitialOffset()
    base = predict_long_term_reviews(histories, [zero] * len(histories))
    # The best any class model could do: the true question effects (not the student's).
    oracle = predict_long_term_reviews(
        histories,
        [InitialOffset(-spread * z[question[i]], 2.0 * spread * z[question[i]]) for i in test_idx],
    )
    oracle_p = []
    # Each long-term review k is predicted with the model fitted last before it.
    for k in range(1, LONG_TERM + 1):
        which = np.searchsorted(fit_at, days[test_idx, k], side="right") - 1
        offsets = [
            zero if m < 0 else models[m][1].offset_for(int(question[i]))
            for i, m in zip(test_idx, which, strict=True)
        ]
        predicted = predict_long_term_reviews(histories, offsets)
        lapses = (ratings[test_idx, 1:k] == 1).sum(axis=1)
        for row, i in enumerate(test_idx):
            base_p.append(base[row][k - 1])
            oracle_p.append(oracle[row][k - 1])
            class_p.append(predicted[row][k - 1])
            labels.append(1.0 if ratings[i, k] > 1 else 0.0)
            bins.append(bin_key(int(days[i, k] - days[i, k - 1]), k, int(lapses[row])))
    y = np.asarray(labels)
    defaults = score(np.asarray(base_p), y, bins)
    learned = score(np.asarray(class_p), y, bins)
    best = score(np.asarray(oracle_p), y, bins)
    last = models[-1][1] if models else None
    return {
        "oracle_ll": best.log_loss,
        "oracle_rmse": best.rmse_bins,
        "items": defaults.n_reviews,
        "defaults_ll": defaults.log_loss,
        "class_ll": learned.log_loss,
        "defaults_rmse": defaults.rmse_bins,
        "class_rmse": learned.rmse_bins,
        "tau_a": last.stability_spread if last else 0.0,
        "tau_b": last.difficulty_spread if last else 0.0,
        "fits": len(models),
        "fit_seconds": fit_seconds,
    }


def goal_met(spread: float, r: dict[str, float]) -> bool:
    if spread == 0.0:
        return (
            r["class_ll"] <= r["defaults_ll"] + 0.001
            and r["class_rmse"] <= r["defaults_rmse"] * 1.05
        )
    return r["class_ll"] <= r["defaults_ll"] - 0.01 and r["class_rmse"] <= r["defaults_rmse"] * 0.85


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--spreads", default="0,0.3,0.6,1.0")
    parser.add_argument(
        "--oracle-only",
        action="store_true",
        help="no class model: only the defaults and the true question effects",
    )
    args = parser.parse_args(argv)
    spreads = [float(v) for v in args.spreads.split(",")]
    print(
        f"seed {args.seed}, {args.students} students x {args.questions} questions, "
        f"{COHORTS} cohorts {COHORT_GAP_DAYS} days apart, refit every "
        f"{REFIT_EVERY_DAYS} days"
    )
    print(
        "| spread | items | log loss defaults | log loss class | log loss true effects "
        "| RMSE(bins) defaults | RMSE(bins) class | RMSE(bins) true effects | RMSE change "
        "| chosen tau (S, D) | fit CPU s | goal |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    all_met = True
    for spread in spreads:
        r = run(args.seed, args.students, args.questions, spread, fit=not args.oracle_only)
        met = goal_met(spread, r) and not args.oracle_only
        verdict = "n/a" if args.oracle_only else ("met" if met else "missed")
        all_met &= met
        change = r["class_rmse"] / r["defaults_rmse"] - 1.0
        print(
            f"| {spread:g} | {r['items']} | {r['defaults_ll']:.4f} | {r['class_ll']:.4f} "
            f"| {r['oracle_ll']:.4f} | {r['defaults_rmse']:.4f} | {r['class_rmse']:.4f} "
            f"| {r['oracle_rmse']:.4f} | {change:+.1%} "
            f"| {r['tau_a']:g}, {r['tau_b']:g} | {r['fit_seconds']:.1f} "
            f"({r['fits']} fits) | {verdict} |",
            flush=True,
        )
    return 0 if all_met else 1


if __name__ == "__main__":
    raise SystemExit(main())
