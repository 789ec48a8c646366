"""Measure and fit the FSRS-6 scheduler on an Anki-style review log, without torch.

Pure code: no Django, no clock, no network. Input is a CSV with the columns
``card_id,review_rating,review_time,review_duration`` (see
``/work/shared/data/revlogs/README.md``); everything else is numpy/scipy.

Definitions (chosen to follow fsrs-rs, whose ``evaluate`` is the reference):

* **Days.** ``delta_t`` of a review is the number of day boundaries crossed since the
  card's previous review: ``(day(t_i) - day(t_{i-1}))`` where ``day`` is the UTC
  calendar date of ``t - rollover_hours`` (``rollover_hours=0`` means UTC midnight,
  Anki uses a local 4 am). The first review of a card has ``delta_t = 0``.
* **Items.** Every review with ``delta_t >= 1`` that is not the card's first review
  is one evaluation item (fsrs-rs ``FSRSItem``): the model replays the card's whole
  earlier history and predicts the probability of recall; the label is
  ``rating > 1``. On the shared file that is 6,032 items.
* **Replay (FSRS-6).** The first review initialises stability ``S = w[r-1]`` and
  difficulty ``D = clamp(w4 - e^(w5 (r-1)) + 1, 1, 10)``. A later review with
  ``delta_t = 0`` applies the short-term update ``S *= e^(w17 (r - 3 + w18)) S^-w19``
  (clamped to >= 1 for Hard/Good/Easy); with ``delta_t >= 1`` the recall probability
  is ``R = (1 + F t / S)^-w20`` with ``F = 0.9^(-1/w20) - 1`` and ``S`` becomes the
  post-recall or post-lapse stability. Every review after the first updates ``D``
  (linear damping then mean reversion towards ``D0(Easy)``, clamped to [1, 10]).
  ``S`` is clamped below at 0.001. These are py-fsrs's formulas
  (``fsrs.scheduler.Scheduler``) evaluated on calendar-day ``delta_t``; the test
  suite checks them against py-fsrs.
* **Log loss.** ``sum_i w_i BCE(p_i, y_i) / sum_i w_i`` (fsrs-rs ``BCELoss`` with
  ``Reduction::Auto``); ``p`` is clipped to ``[1e-9, 1 - 1e-9]``.
* **RMSE(bins).** fsrs-rs ``r_matrix_index``: each item goes to the bin
  ``(round(2.48 * 3.62^floor(log_3.62 delta_t) * 100),
  round(1.99 * 1.89^floor(log_1.89 (n_long + 1))),
  0 if lapses == 0 else round(1.65 * 1.73^floor(log_1.73 lapses)))``, where
  ``n_long`` counts the card's reviews with ``delta_t >= 1`` up to and including
  this one, and ``lapses`` counts earlier reviews with rating 1 and ``delta_t >= 1``
  (``round`` is half away from zero, as in Rust). Then
  ``RMSE = sqrt(sum_b W_b (mean_b p - mean_b y)^2 / sum_b W_b)`` with plain means per
  bin and ``W_b`` the bin's total weight.
* **Weights.** In-sample :func:`evaluate` uses fsrs-rs's recency weights by default:
  items sorted by review time get ``0.25 + 0.75 (k / (n - 1))^3``; pass
  ``recency_weighted=False`` for weight 1 (py-fsrs's batch loss is unweighted).
  Out-of-sample evaluation uses weight 1, as fsrs-rs does.
* **Out of sample.** fsrs-rs ``evaluate_with_time_series_splits``: items sorted by
  review time are cut into ``n_splits + 1`` equal segments (the remainder goes to the
  last); fold ``k`` fits on segments ``0..k`` and predicts segment ``k + 1``; all
  test predictions are scored together. A training item's history may include
  reviews in the test window only if they happened before it, so there is no leak.
* **Fitting.** :func:`fit_parameters` first pre-trains ``w0..w3`` as fsrs-rs does
  (:func:`pretrain_initial_stability`: per first rating, the stability whose
  forgetting curve best fits recall at the first long-term review, after the outlier
  filter), so a few dozen reviews already move the initial stabilities; from
  ``min_reviews`` items (100) it then minimises the recency-weighted BCE plus
  fsrs-rs's L2 pull towards the pre-trained start,
  ``gamma * sum(((w - w_start) / PARAMS_STDDEV)^2) / sum(weights)``, with scipy's
  L-BFGS-B inside py-fsrs's parameter bounds. Gradients are forward differences
  computed in one vectorised replay of all 22 parameter vectors at once, over the
  distinct review histories only (a prefix tree). It returns the starting parameters
  when there is nothing to fit, when the optimiser fails or when the (unpenalised)
  training loss does not improve.
* **Adopting.** :func:`optimise_parameters` is what a learner's optimisation runs: it
  fits on all but the most recent fifth of the items and adopts new parameters only
  when they beat the current ones there; then it refits on every item.
* **Protocols.** :func:`time_series_folds` gives fsrs-rs's folds or scikit-learn's
  ``TimeSeriesSplit`` (srs-benchmark's); :func:`outlier_items` is srs-benchmark's and
  fsrs-rs's outlier filter; ``build_dataset(..., clock=...)`` counts local study days.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from scipy.optimize import minimize

from quizzes.core.scheduling import StudyClock, as_utc, check_parameters

__all__ = [
    "DEFAULT_PARAMETERS",
    "PARAMS_STDDEV",
    "FitResult",
    "Metrics",
    "ReviewDataset",
    "RevlogRecord",
    "SplitEvaluation",
    "bin_key",
    "build_dataset",
    "evaluate",
    "evaluate_time_series_splits",
    "fit_parameters",
    "parse_revlog_csv",
    "predict",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

STABILITY_MIN = 0.001
PROBABILITY_EPSILON = 1e-9
#: fsrs-rs's per-parameter scale for the L2 penalty (training.rs ``PARAMS_STDDEV``).
PARAMS_STDDEV: tuple[float, ...] = (
    6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33,
    0.3, 0.09, 0.16, 0.57, 0.25, 1.03, 0.31, 0.32, 0.14, 0.27,
)  # fmt: skip
REQUIRED_COLUMNS = ("card_id", "review_rating", "review_time")


@dataclass(frozen=True, slots=True)
class RevlogRecord:
    """One row of the review log; ``reviewed_at`` is in UTC."""

    card_id: int
    rating: int
    reviewed_at: datetime
    duration_ms: int | None


@dataclass(frozen=True, slots=True)
class Metrics:
    """Log loss and RMSE(bins) over ``n_reviews`` items (see the module docstring)."""

    log_loss: float
    rmse_bins: float
    n_reviews: int


@dataclass(frozen=True, slots=True)
class FitResult:
    """Outcome of :func:`fit_parameters`.

    ``fitted`` is False when ``parameters`` are the starting ones; ``reason`` says why.
    Losses are the recency-weighted training BCE without the L2 penalty.
    """

    parameters: tuple[float, ...]
    fitted: bool
    reason: str
    n_reviews: int
    loss_before: float
    loss_after: float
    iterations: int


@dataclass(frozen=True, slots=True)
class SplitEvaluation:
    """Out-of-sample result of :func:`evaluate_time_series_splits`.

    ``fitted`` scores predictions made with each fold's fitted parameters;
    ``baseline`` scores the same test items with the starting parameters.
    """

    fitted: Metrics
    baseline: Metrics
    folds: tuple[FitResult, ...]


@dataclass(frozen=True, eq=False)
class ReviewDataset:
    """Review histories laid out for vectorised replay.

    Arrays are ``[cards, max_history]``; padding has rating 0. ``item_*`` arrays list
    the evaluation items (reviews with ``delta_t >= 1``) sorted by review time, with
    their position ``(item_card, item_step)`` in the padded arrays.
    """

    card_ids: IntArray
    ratings: IntArray
    delta_t: FloatArray
    lengths: IntArray
    item_card: IntArray
    item_step: IntArray
    item_label: FloatArray
    item_time: FloatArray
    item_long_term: IntArray
    item_bin: tuple[tuple[int, int, int], ...] = field(repr=False)

    @property
    def n_items(self) -> int:
        """Number of evaluation items (reviews at least one day after the previous one)."""
        return int(self.item_card.shape[0])

    @property
    def item_first_rating(self) -> IntArray:
        """The rating of each item's card at its first review."""
        return np.asarray(self.ratings[self.item_card, 0], dtype=np.int64)

    @functools.cached_property
    def tree(self) -> _HistoryTree:
        """All items' histories merged into a prefix tree (built once)."""
        return _HistoryTree.build(self, np.arange(self.n_items, dtype=np.int64))


def parse_revlog_csv(lines: Iterable[str]) -> list[RevlogRecord]:
    """Parse the CSV text (header included) into records, in file order.

    Raises ``ValueError`` for a missing column, a rating outside 1..4, or a
    ``review_time`` without a UTC offset. ``review_duration`` may be empty.
    """
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"review log is missing columns: {', '.join(missing)}")
    records: list[RevlogRecord] = []
    for line_number, row in enumerate(reader, start=2):
        rating = int(row["review_rating"])
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"line {line_number}: rating must be 1..4, got {rating}")
        reviewed_at = as_utc(
            datetime.fromisoformat(row["review_time"]), name=f"line {line_number} review_time"
        )
        duration = row.get("review_duration") or ""
        records.append(
            RevlogRecord(
                card_id=int(row["card_id"]),
                rating=rating,
                reviewed_at=reviewed_at,
                duration_ms=int(duration) if duration.strip() else None,
            )
        )
    return records


def _rust_round(value: float) -> int:
    """Round half away from zero (Rust's ``f64::round``) for non-negative values."""
    return math.floor(value + 0.5)


def bin_key(delta_t: int, long_term_count: int, lapses: int) -> tuple[int, int, int]:
    """fsrs-rs ``FSRSItem::r_matrix_index`` for one item.

    ``long_term_count`` counts reviews with ``delta_t >= 1`` up to and including the
    current one; ``lapses`` counts earlier such reviews rated Again.
    Raises ``ValueError`` if ``delta_t < 1``.
    """
    if delta_t < 1:
        raise ValueError("delta_t must be >= 1 for an evaluation item")
    delta_t_bin = _rust_round(2.48 * 3.62 ** math.floor(math.log(delta_t) / math.log(3.62)) * 100)
    length = long_term_count + 1
    length_bin = _rust_round(1.99 * 1.89 ** math.floor(math.log(length) / math.log(1.89)))
    if lapses == 0:
        return (delta_t_bin, length_bin, 0)
    lapse_bin = _rust_round(1.65 * 1.73 ** math.floor(math.log(lapses) / math.log(1.73)))
    return (delta_t_bin, length_bin, lapse_bin)


def _day(moment: datetime, rollover_hours: int) -> date:
    return (moment - timedelta(hours=rollover_hours)).date()


def build_dataset(
    records: Sequence[RevlogRecord],
    *,
    rollover_hours: int = 0,
    clock: StudyClock | None = None,
) -> ReviewDataset:
    """Group records by card, sort each history by time and lay it out for replay.

    Days are ``clock``'s study days (the learner's time zone and rollover hour, as
    the live scheduler counts them) when given, else UTC dates of
    ``t - rollover_hours``. Raises ``ValueError`` if ``records`` is empty.
    """
    day_of = clock.day if clock is not None else (lambda t: _day(t, rollover_hours))
    if not records:
        raise ValueError("no reviews")
    by_card: dict[int, list[RevlogRecord]] = {}
    for record in records:
        by_card.setdefault(record.card_id, []).append(record)
    card_ids = sorted(by_card)
    max_len = max(len(history) for history in by_card.values())
    ratings = np.zeros((len(card_ids), max_len), dtype=np.int64)
    delta_t = np.zeros((len(card_ids), max_len), dtype=np.float64)
    lengths = np.zeros(len(card_ids), dtype=np.int64)

    items: list[tuple[float, int, int, int, float, tuple[int, int, int], int]] = []
    for row, card_id in enumerate(card_ids):
        history = sorted(by_card[card_id], key=lambda r: r.reviewed_at)
        lengths[row] = len(history)
        long_term = 0
        lapses = 0
        previous_day: date | None = None
        for step, record in enumerate(history):
            day = day_of(record.reviewed_at)
            gap = 0 if previous_day is None else (day - previous_day).days
            previous_day = day
            ratings[row, step] = record.rating
            delta_t[row, step] = gap
            if step > 0 and gap >= 1:
                long_term += 1
                items.append(
                    (
                        record.reviewed_at.timestamp(),
                        card_id,
                        row,
                        step,
                        1.0 if record.rating > 1 else 0.0,
                        bin_key(gap, long_term, lapses),
                        long_term,
                    )
                )
                if record.rating == 1:
                    lapses += 1

    items.sort(key=lambda item: (item[0], item[1]))
    return ReviewDataset(
        card_ids=np.asarray(card_ids, dtype=np.int64),
        ratings=ratings,
        delta_t=delta_t,
        lengths=lengths,
        item_card=np.asarray([i[2] for i in items], dtype=np.int64),
        item_step=np.asarray([i[3] for i in items], dtype=np.int64),
        item_label=np.asarray([i[4] for i in items], dtype=np.float64),
        item_time=np.asarray([i[0] for i in items], dtype=np.float64),
        item_long_term=np.asarray([i[6] for i in items], dtype=np.int64),
        item_bin=tuple(i[5] for i in items),
    )


@dataclass(frozen=True, eq=False)
class _HistoryTree:
    """Review histories merged where they are identical, for a cheaper replay.

    Two cards with the same ratings at the same day gaps so far have the same memory
    state, so each distinct prefix ``((r_0, 0), (r_1, t_1), ..., (r_k, t_k))`` is
    replayed once. Level ``k`` holds the distinct prefixes of length ``k + 1``:
    ``parent`` (index in level ``k - 1``), ``rating`` and ``gap`` of the last review.
    ``item_level``/``item_node`` locate each item's prefix.
    """

    first: IntArray
    parents: tuple[IntArray, ...]
    ratings: tuple[IntArray, ...]
    gaps: tuple[FloatArray, ...]
    item_level: IntArray
    item_node: IntArray

    @functools.cached_property
    def items_by_level(self) -> dict[int, tuple[IntArray, IntArray]]:
        """For each level with items: (item positions, their nodes in that level)."""
        result: dict[int, tuple[IntArray, IntArray]] = {}
        for level in np.unique(self.item_level).tolist():
            here = np.flatnonzero(self.item_level == level)
            result[int(level)] = (here, self.item_node[here])
        return result

    @classmethod
    def build(cls, dataset: ReviewDataset, item_indices: IntArray) -> _HistoryTree:
        cards = dataset.item_card[item_indices]
        steps = dataset.item_step[item_indices]
        depth_of: dict[int, int] = {}
        for card, step in zip(cards.tolist(), steps.tolist(), strict=True):
            if step > depth_of.get(card, -1):
                depth_of[card] = step
        first_ids: dict[int, int] = {}
        level_ids: list[dict[tuple[int, int, float], int]] = []
        node_of: dict[tuple[int, int], int] = {}  # (card, step) -> node at that level
        for card, last in depth_of.items():
            rating0 = int(dataset.ratings[card, 0])
            node = first_ids.setdefault(rating0, len(first_ids))
            for step in range(1, last + 1):
                if len(level_ids) < step:
                    level_ids.append({})
                key = (node, int(dataset.ratings[card, step]), float(dataset.delta_t[card, step]))
                ids = level_ids[step - 1]
                node = ids.setdefault(key, len(ids))
                node_of[(card, step)] = node
        parents, ratings, gaps = [], [], []
        for ids in level_ids:
            keys = list(ids)  # insertion order == node ids
            parents.append(np.asarray([k[0] for k in keys], dtype=np.int64))
            ratings.append(np.asarray([k[1] for k in keys], dtype=np.int64))
            gaps.append(np.asarray([k[2] for k in keys], dtype=np.float64))
        return cls(
            first=np.asarray(sorted(first_ids, key=first_ids.__getitem__), dtype=np.int64),
            parents=tuple(parents),
            ratings=tuple(ratings),
            gaps=tuple(gaps),
            item_level=steps.astype(np.int64),
            item_node=np.asarray(
                [node_of[(c, st)] for c, st in zip(cards.tolist(), steps.tolist(), strict=True)],
                dtype=np.int64,
            ),
        )

    def predict(self, weights: FloatArray) -> FloatArray:
        """Predicted recall ``[P, items]`` for a batch of parameter vectors ``[P, 21]``."""
        w = weights[:, :, None]
        decay = -w[:, 20]
        factor = 0.9 ** (1.0 / decay) - 1.0
        w8 = np.exp(w[:, 8])
        forget_cap = np.exp(w[:, 17] * w[:, 18])
        easy_target = w[:, 4] - np.exp(w[:, 5] * 3.0) + 1.0
        stability = np.maximum(weights[:, self.first - 1], STABILITY_MIN)
        difficulty = np.clip(w[:, 4] - np.exp(w[:, 5] * (self.first - 1)) + 1.0, 1.0, 10.0)
        out = np.zeros((weights.shape[0], self.item_level.shape[0]), dtype=np.float64)
        by_level = self.items_by_level
        for depth, (parent, rating, gap) in enumerate(
            zip(self.parents, self.ratings, self.gaps, strict=True), start=1
        ):
            s = stability[:, parent]
            d = difficulty[:, parent]
            retrievability = (1.0 + factor * gap / s) ** decay
            located = by_level.get(depth)
            if located is not None:
                out[:, located[0]] = retrievability[:, located[1]]
            if depth == len(self.parents):
                break
            lapse = rating == 1
            modifier = np.where(rating == 2, w[:, 15], np.where(rating == 4, w[:, 16], 1.0))
            one_minus_r = 1.0 - retrievability
            recall = s * (
                1.0
                + w8
                * (11.0 - d)
                * s ** (-w[:, 9])
                * (np.exp(one_minus_r * w[:, 10]) - 1.0)
                * modifier
            )
            forget = np.minimum(
                w[:, 11]
                * d ** (-w[:, 12])
                * ((s + 1.0) ** w[:, 13] - 1.0)
                * np.exp(one_minus_r * w[:, 14]),
                s / forget_cap,
            )
            short = np.exp(w[:, 17] * (rating - 3.0 + w[:, 18])) * s ** (-w[:, 19])
            short = np.where(lapse, short, np.maximum(short, 1.0))
            new_s = np.where(gap >= 1.0, np.where(lapse, forget, recall), s * short)
            stability = np.maximum(new_s, STABILITY_MIN)
            damped = d + (10.0 - d) * (-w[:, 6] * (rating - 3.0)) / 9.0
            difficulty = np.clip(w[:, 7] * easy_target + (1.0 - w[:, 7]) * damped, 1.0, 10.0)
        return out


def predict(dataset: ReviewDataset, parameters: Sequence[float]) -> FloatArray:
    """Predicted recall probability for every item of ``dataset``, in item order.

    Raises ``ValueError`` if ``parameters`` is not 21 values within py-fsrs's bounds.
    """
    check_parameters(parameters)
    weights = np.asarray([parameters], dtype=np.float64)
    with np.errstate(all="ignore"):
        return np.asarray(dataset.tree.predict(weights)[0], dtype=np.float64)


def recency_weights(count: int) -> FloatArray:
    """fsrs-rs ``recency_weighted_fsrs_items``: ``0.25 + 0.75 (k / max(n - 1, 1))^3``."""
    index = np.arange(count, dtype=np.float64)
    return np.asarray(0.25 + 0.75 * (index / max(count - 1, 1)) ** 3, dtype=np.float64)


def _bce(predictions: FloatArray, labels: FloatArray) -> FloatArray:
    p = np.clip(predictions, PROBABILITY_EPSILON, 1.0 - PROBABILITY_EPSILON)
    return np.asarray(-(labels * np.log(p) + (1.0 - labels) * np.log(1.0 - p)), dtype=np.float64)


def score(
    predictions: FloatArray,
    labels: FloatArray,
    bins: Sequence[tuple[int, int, int]],
    weights: FloatArray | None = None,
) -> Metrics:
    """Log loss and RMSE(bins) of given predictions (definitions in the module docstring).

    Raises ``ValueError`` if the inputs are empty or their lengths differ.
    """
    n = int(predictions.shape[0])
    if n == 0 or labels.shape[0] != n or len(bins) != n:
        raise ValueError("predictions, labels and bins must be non-empty and the same length")
    w = np.ones(n, dtype=np.float64) if weights is None else weights
    log_loss = float(np.sum(w * _bce(predictions, labels)) / np.sum(w))
    groups: dict[tuple[int, int, int], list[float]] = {}
    for p, y, weight, key in zip(predictions, labels, w, bins, strict=True):
        group = groups.setdefault(key, [0.0, 0.0, 0.0, 0.0])
        group[0] += float(p)
        group[1] += float(y)
        group[2] += 1.0
        group[3] += float(weight)
    total = sum(g[3] for g in groups.values())
    squared = sum(g[3] * (g[0] / g[2] - g[1] / g[2]) ** 2 for g in groups.values())
    return Metrics(log_loss=log_loss, rmse_bins=math.sqrt(squared / total), n_reviews=n)


def evaluate(
    dataset: ReviewDataset,
    parameters: Sequence[float] | None = None,
    *,
    recency_weighted: bool = True,
) -> Metrics:
    """In-sample log loss and RMSE(bins) of ``parameters`` (default FSRS-6) on all items.

    Raises ``ValueError`` for invalid parameters or a dataset without items.
    """
    params = tuple(DEFAULT_PARAMETERS) if parameters is None else tuple(parameters)
    if dataset.n_items == 0:
        raise ValueError("the dataset has no review at least one day after the previous one")
    predictions = predict(dataset, params)
    weights = recency_weights(dataset.n_items) if recency_weighted else None
    return score(predictions, dataset.item_label, dataset.item_bin, weights)


class _Objective:
    """Penalised weighted BCE over a subset of items, with batched finite differences."""

    def __init__(
        self,
        dataset: ReviewDataset,
        item_indices: IntArray,
        start: FloatArray,
        l2_strength: float,
    ) -> None:
        self.tree = _HistoryTree.build(dataset, item_indices)
        self.labels = dataset.item_label[item_indices]
        self.weights = recency_weights(int(item_indices.shape[0]))
        self.total_weight = float(self.weights.sum())
        self.start = start
        self.l2_strength = l2_strength
        self.scale = np.asarray(PARAMS_STDDEV, dtype=np.float64)
        self.lower = np.asarray(LOWER_BOUNDS_PARAMETERS, dtype=np.float64)
        self.upper = np.asarray(UPPER_BOUNDS_PARAMETERS, dtype=np.float64)

    def data_loss(self, batch: FloatArray) -> FloatArray:
        with np.errstate(all="ignore"):
            predictions = self.tree.predict(batch)
            losses = _bce(predictions, self.labels[None, :])
        total = np.sum(losses * self.weights[None, :], axis=1) / self.total_weight
        return np.asarray(np.where(np.isfinite(total), total, 1e6), dtype=np.float64)

    def penalised(self, batch: FloatArray) -> FloatArray:
        penalty = np.sum(((batch - self.start[None, :]) / self.scale[None, :]) ** 2, axis=1)
        penalised = self.data_loss(batch) + self.l2_strength * penalty / self.total_weight
        return np.asarray(penalised, dtype=np.float64)

    def value_and_gradient(self, x: FloatArray) -> tuple[float, FloatArray]:
        # Forward differences, stepping inwards at the upper bound; all 22 replays in one go.
        steps = 1e-6 * np.maximum(1.0, np.abs(x))
        steps = np.where(x + steps > self.upper, -steps, steps)
        batch = np.repeat(x[None, :], x.shape[0] + 1, axis=0)
        batch[1:] += np.diag(steps)
        values = self.penalised(batch)
        gradient = (values[1:] - values[0]) / steps
        return float(values[0]), np.asarray(gradient, dtype=np.float64)


#: The rule fsrs-rs and srs-benchmark use for initial stabilities (pre-training).
S0_MAX = 100.0
S0_L1_SCALE = 16.0
#: Log-linear links between the initial stabilities (fsrs-rs ``smooth_and_fill``):
#: ``ln S(Hard) = a ln S(Again) + (1 - a) ln S(Good)``, ``ln S(Good) = b ln S(Hard) +
#: (1 - b) ln S(Easy)``.
S0_LINK_HARD = 0.41
S0_LINK_GOOD = 0.54


def first_long_term_items(dataset: ReviewDataset, item_indices: IntArray) -> IntArray:
    """The items of ``item_indices`` that are their card's first review a day or more
    after the first one."""
    selected: IntArray = item_indices[dataset.item_long_term[item_indices] == 1]
    return selected


def outlier_items(dataset: ReviewDataset, item_indices: IntArray) -> IntArray:
    """Items dropped by the outlier filter of fsrs-rs and srs-benchmark.

    Among the cards' first long-term reviews, grouped by first rating: gaps (delta_t)
    are taken rarest first (longest first among equals) and dropped until 5% of the
    group (at least 20 reviews) is gone; after that a gap is still dropped when fewer
    than 6 reviews have it or it is longer than 100 days (365 for a first Easy). Every
    later item of a card whose first long-term review was dropped goes too (the
    "non-continuous rows"). Returns the dropped items of ``item_indices``.
    """
    first = first_long_term_items(dataset, item_indices)
    gaps = dataset.delta_t[dataset.item_card[first], dataset.item_step[first]]
    ratings = dataset.ratings[dataset.item_card[first], 0]
    dropped_cards: set[int] = set()
    for rating in np.unique(ratings).tolist():
        in_group = ratings == rating
        group_gaps = gaps[in_group]
        values, counts = np.unique(group_gaps, return_counts=True)
        total = int(counts.sum())
        order = sorted(range(values.shape[0]), key=lambda g: (counts[g], -values[g]))
        removed = 0
        drop_gaps: set[float] = set()
        limit = 100 if rating != 4 else 365
        for g in order:
            count = int(counts[g])
            if removed + count >= max(total * 0.05, 20):
                if count < 6 or values[g] > limit:
                    drop_gaps.add(float(values[g]))
                    removed += count
            else:
                drop_gaps.add(float(values[g]))
                removed += count
        for item, gap in zip(first[in_group].tolist(), group_gaps.tolist(), strict=True):
            if gap in drop_gaps:
                dropped_cards.add(int(dataset.item_card[item]))
    mask = np.isin(dataset.item_card[item_indices], np.asarray(sorted(dropped_cards)))
    return item_indices[mask]


def pretrain_initial_stability(
    dataset: ReviewDataset,
    item_indices: IntArray,
    start: Sequence[float],
) -> tuple[tuple[float, float, float, float], dict[int, int]] | None:
    """fsrs-rs's pre-training of ``w0..w3`` (the stability after a first Again..Easy).

    Uses the cards' first long-term reviews among ``item_indices`` after the outlier
    filter: per first rating, recall is averaged per gap with Laplace smoothing towards
    the overall recall, and ``S`` minimises the count-weighted log loss of the FSRS-6
    forgetting curve (decay ``start[20]``) plus ``|S - start[r - 1]| / 16``. Ratings
    without data are filled from the others by fsrs-rs's log-linear links, and the four
    are kept in increasing order. Returns ``(w0..w3, counts per rating)``, or None when
    no first long-term review is left.
    """
    first = first_long_term_items(dataset, item_indices)
    dropped = outlier_items(dataset, first)
    first = np.setdiff1d(first, dropped, assume_unique=True)
    if first.shape[0] == 0:
        return None
    gaps = dataset.delta_t[dataset.item_card[first], dataset.item_step[first]]
    ratings = dataset.ratings[dataset.item_card[first], 0]
    labels = dataset.item_label[first]
    average_recall = float(labels.mean())
    decay = -float(start[20])
    factor = 0.9 ** (1.0 / decay) - 1.0
    fitted: dict[int, float] = {}
    counts: dict[int, int] = {}
    for rating in np.unique(ratings).tolist():
        in_group = ratings == rating
        values, inverse, n = np.unique(gaps[in_group], return_inverse=True, return_counts=True)
        recall = np.bincount(inverse, weights=labels[in_group]) / n
        smoothed = (recall * n + average_recall) / (n + 1.0)
        prior = float(start[rating - 1])

        def loss(
            stability: float,
            values: FloatArray = values,
            smoothed: FloatArray = smoothed,
            n: IntArray = n,
            prior: float = prior,
        ) -> float:
            p = np.clip((1.0 + factor * values / stability) ** decay, 1e-9, 1 - 1e-9)
            bce = -(smoothed * np.log(p) + (1.0 - smoothed) * np.log(1.0 - p))
            return float(np.sum(bce * n) + abs(stability - prior) / S0_L1_SCALE)

        low, high = STABILITY_MIN, S0_MAX
        for _ in range(200):  # ternary search, as fsrs-rs
            if high - low <= 1e-6:
                break
            mid1 = low + (high - low) / 3.0
            mid2 = high - (high - low) / 3.0
            if loss(mid1) < loss(mid2):
                high = mid2
            else:
                low = mid1
        fitted[int(rating)] = (low + high) / 2.0
        counts[int(rating)] = int(in_group.sum())
    return _smooth_and_fill(fitted, counts, start), counts


def _smooth_and_fill(
    fitted: dict[int, float], counts: dict[int, int], start: Sequence[float]
) -> tuple[float, float, float, float]:
    values = dict(fitted)
    for small, big in ((1, 2), (2, 3), (3, 4), (1, 3), (2, 4), (1, 4)):
        if small in values and big in values and values[small] > values[big]:
            if counts[small] > counts[big]:
                values[big] = values[small]
            else:
                values[small] = values[big]
    known = sorted(values)
    if len(known) == 1:
        rating = known[0]
        scale = values[rating] / float(start[rating - 1])
        filled = [float(start[r]) * scale for r in range(4)]
    else:
        # Solve the two log-linear links for the unknown ratings (least squares).
        a, b = S0_LINK_HARD, S0_LINK_GOOD
        links = np.asarray([[a, -1.0, 1.0 - a, 0.0], [0.0, b, -1.0, 1.0 - b]])
        logs = np.zeros(4)
        for rating in known:
            logs[rating - 1] = math.log(values[rating])
        unknown = [r - 1 for r in range(1, 5) if r not in values]
        if unknown:
            known_idx = [r - 1 for r in known]
            rhs = -links[:, known_idx] @ logs[known_idx]
            solution, *_ = np.linalg.lstsq(links[:, unknown], rhs, rcond=None)
            logs[unknown] = solution
        filled = [math.exp(v) for v in logs]
    clamped = sorted(min(max(v, STABILITY_MIN), S0_MAX) for v in filled)
    return (clamped[0], clamped[1], clamped[2], clamped[3])


def fit_parameters(
    dataset: ReviewDataset,
    *,
    initial: Sequence[float] | None = None,
    item_indices: IntArray | None = None,
    min_reviews: int = 100,
    l2_strength: float = 1.0,
    max_iterations: int = 80,
    pretrain: bool = True,
    warm_start: Sequence[float] | None = None,
) -> FitResult:
    """Fit FSRS-6 parameters to the items ``item_indices`` (default: all items).

    First ``w0..w3`` are pre-trained from the first ratings
    (:func:`pretrain_initial_stability`, skipped with ``pretrain=False``); with at
    least ``min_reviews`` items all 21 are then fitted by L-BFGS-B from there (or from
    ``warm_start``), with the L2 pull towards the pre-trained start. Never leaves
    py-fsrs's bounds. Guarantees: the returned parameters are valid for
    :class:`~quizzes.core.scheduling.SchedulerSettings`; they are ``initial`` unchanged
    (``fitted=False``) when there is nothing to pre-train and fewer than
    ``min_reviews`` items, when the optimiser fails, or when the training loss does
    not improve. Deterministic for the same input. Raises ``ValueError`` if
    ``initial`` is invalid.
    """
    start_tuple = tuple(DEFAULT_PARAMETERS) if initial is None else tuple(float(p) for p in initial)
    check_parameters(start_tuple)
    indices = np.arange(dataset.n_items, dtype=np.int64) if item_indices is None else item_indices
    n_reviews = int(indices.shape[0])

    def unchanged(reason: str, before: float = math.nan, iterations: int = 0) -> FitResult:
        return FitResult(
            parameters=start_tuple,
            fitted=False,
            reason=reason,
            n_reviews=n_reviews,
            loss_before=before,
            loss_after=before,
            iterations=iterations,
        )

    if n_reviews == 0:
        return unchanged("no qualifying reviews")
    start = np.asarray(start_tuple, dtype=np.float64)
    objective = _Objective(dataset, indices, start, l2_strength)
    loss_before = float(objective.data_loss(start[None, :])[0])
    pretrained = pretrain_initial_stability(dataset, indices, start_tuple) if pretrain else None
    anchor = start.copy()
    if pretrained is not None:
        anchor[:4] = np.clip(pretrained[0], objective.lower[:4], objective.upper[:4])
    if n_reviews < min_reviews:
        if pretrained is None:
            return unchanged(f"only {n_reviews} qualifying reviews (< {min_reviews})")
        return _accept(
            objective,
            anchor,
            start_tuple,
            loss_before,
            n_reviews,
            0,
            f"initial stabilities pre-trained ({n_reviews} reviews < {min_reviews} for a full fit)",
        )
    objective.start = anchor
    x0 = anchor if warm_start is None else np.asarray(warm_start, dtype=np.float64)
    bounds = list(zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True))
    result = minimize(
        objective.value_and_gradient,
        np.clip(x0, objective.lower, objective.upper),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": max_iterations},
    )
    candidate = np.clip(np.asarray(result.x, dtype=np.float64), objective.lower, objective.upper)
    if not np.all(np.isfinite(candidate)):
        return unchanged("optimiser returned non-finite parameters", loss_before, int(result.nit))
    return _accept(
        objective,
        candidate,
        start_tuple,
        loss_before,
        n_reviews,
        int(result.nit),
        f"optimised ({result.message})",
    )


def _accept(
    objective: _Objective,
    candidate: FloatArray,
    start_tuple: tuple[float, ...],
    loss_before: float,
    n_reviews: int,
    iterations: int,
    reason: str,
) -> FitResult:
    loss_after = float(objective.data_loss(candidate[None, :])[0])
    if not math.isfinite(loss_after) or loss_after >= loss_before:
        return FitResult(
            parameters=start_tuple,
            fitted=False,
            reason=f"fit did not improve the training loss ({loss_after:.6f} >= "
            f"{loss_before:.6f}; {reason})",
            n_reviews=n_reviews,
            loss_before=loss_before,
            loss_after=loss_before,
            iterations=iterations,
        )
    parameters = tuple(float(value) for value in candidate)
    check_parameters(parameters)
    return FitResult(
        parameters=parameters,
        fitted=True,
        reason=reason,
        n_reviews=n_reviews,
        loss_before=loss_before,
        loss_after=loss_after,
        iterations=iterations,
    )


#: Share of the most recent training items held out to decide whether to adopt a fit.
HOLDOUT_SHARE = 0.2
MIN_HOLDOUT_ITEMS = 10


def optimise_parameters(
    dataset: ReviewDataset,
    *,
    current: Sequence[float] | None = None,
    item_indices: IntArray | None = None,
    min_reviews: int = 100,
    l2_strength: float = 1.0,
    max_iterations: int = 80,
    holdout_share: float = HOLDOUT_SHARE,
) -> FitResult:
    """What a learner's optimisation does: fit, and adopt only what beats ``current``.

    The most recent ``holdout_share`` of the items (at least ``MIN_HOLDOUT_ITEMS``) is
    held out; :func:`fit_parameters` runs on the earlier ones, and the candidate must
    have a lower log loss than ``current`` (default FSRS-6) on the held-out window.
    Only then are the parameters refitted on every item (warm-started from the
    candidate) and returned with ``fitted=True``; otherwise ``current`` comes back
    unchanged with the reason. Raises ``ValueError`` if ``current`` is invalid.
    """
    current_tuple = tuple(DEFAULT_PARAMETERS) if current is None else tuple(current)
    check_parameters(current_tuple)
    indices = np.arange(dataset.n_items, dtype=np.int64) if item_indices is None else item_indices
    indices = indices[np.argsort(dataset.item_time[indices], kind="stable")]
    n = int(indices.shape[0])
    window = max(MIN_HOLDOUT_ITEMS, math.ceil(n * holdout_share))
    if n < 2 * window:
        return FitResult(
            current_tuple,
            False,
            f"only {n} qualifying reviews (< {2 * window} to fit and check)",
            n,
            math.nan,
            math.nan,
            0,
        )
    train, held_out = indices[:-window], indices[-window:]
    candidate = fit_parameters(
        dataset,
        initial=current_tuple,
        item_indices=train,
        min_reviews=min_reviews,
        l2_strength=l2_strength,
        max_iterations=max_iterations,
    )
    if not candidate.fitted:
        return dataclasses.replace(candidate, n_reviews=n)
    labels = dataset.item_label[held_out]
    bins = [dataset.item_bin[int(i)] for i in held_out]
    new_loss = score(predict(dataset, candidate.parameters)[held_out], labels, bins).log_loss
    old_loss = score(predict(dataset, current_tuple)[held_out], labels, bins).log_loss
    if new_loss >= old_loss:
        return FitResult(
            current_tuple,
            False,
            f"the fit did not beat the current parameters on the latest {window} reviews "
            f"(log loss {new_loss:.4f} >= {old_loss:.4f})",
            n,
            old_loss,
            old_loss,
            candidate.iterations,
        )
    final = fit_parameters(
        dataset,
        initial=current_tuple,
        item_indices=indices,
        min_reviews=min_reviews,
        l2_strength=l2_strength,
        max_iterations=max_iterations,
        warm_start=candidate.parameters,
    )
    if not final.fitted:
        return dataclasses.replace(candidate, n_reviews=n)
    return dataclasses.replace(
        final,
        reason=f"{final.reason}; beat the current parameters on the latest {window} reviews "
        f"(log loss {new_loss:.4f} < {old_loss:.4f})",
        iterations=final.iterations + candidate.iterations,
    )


def time_series_folds(n: int, n_splits: int, splitter: str) -> list[tuple[IntArray, IntArray]]:
    """``(train, test)`` positions of items sorted by time, for each fold.

    ``"fsrs-rs"``: ``n_splits + 1`` equal segments (remainder to the last); fold ``k``
    trains on segments ``0..k`` and tests segment ``k + 1``. ``"sklearn"``:
    scikit-learn's ``TimeSeriesSplit(n_splits)`` (test folds of ``n // (n_splits + 1)``,
    the remainder goes to the first training window), as srs-benchmark uses.
    Raises ``ValueError`` for too few items or an unknown splitter.
    """
    segment = n // (n_splits + 1)
    if n_splits < 1 or segment == 0:
        raise ValueError(f"need at least {n_splits + 1} items for {n_splits} splits, got {n}")
    if splitter == "fsrs-rs":
        folds = []
        for fold in range(n_splits):
            test_start = (fold + 1) * segment
            test_end = n if fold == n_splits - 1 else (fold + 2) * segment
            folds.append(
                (
                    np.arange(test_start, dtype=np.int64),
                    np.arange(test_start, test_end, dtype=np.int64),
                )
            )
        return folds
    if splitter == "sklearn":
        from sklearn.model_selection import TimeSeriesSplit

        return [
            (np.asarray(train, dtype=np.int64), np.asarray(test, dtype=np.int64))
            for train, test in TimeSeriesSplit(n_splits=n_splits).split(np.zeros(n))
        ]
    raise ValueError(f"unknown splitter {splitter!r}")


def evaluate_time_series_splits(
    dataset: ReviewDataset,
    *,
    n_splits: int = 5,
    initial: Sequence[float] | None = None,
    min_reviews: int = 100,
    l2_strength: float = 1.0,
    splitter: str = "fsrs-rs",
    item_indices: IntArray | None = None,
    guarded: bool = True,
    fitter: Callable[[ReviewDataset, IntArray, tuple[float, ...]], FitResult] | None = None,
    sequential: bool = False,
) -> SplitEvaluation:
    """Out-of-sample evaluation over time-series folds (see :func:`time_series_folds`).

    ``item_indices`` (default all) are the items that take part, sorted by time; each
    fold fits on its training items and predicts its test items. The fit is
    :func:`optimise_parameters` (the learner's optimisation, with its held-out check)
    when ``guarded``, else a plain :func:`fit_parameters`; ``fitter`` replaces both
    (e.g. another optimiser, for comparison). With ``sequential`` each fold starts
    from the previous fold's parameters, as a learner's periodic optimisation starts
    from their current ones. Returns the pooled metrics (weight 1)
    for the fitted parameters and, on the same items, for ``initial``. Raises
    ``ValueError`` if there are fewer items than ``n_splits + 1``.
    """
    start = tuple(DEFAULT_PARAMETERS) if initial is None else tuple(initial)
    universe = np.arange(dataset.n_items, dtype=np.int64) if item_indices is None else item_indices
    universe = universe[np.argsort(dataset.item_time[universe], kind="stable")]
    folds_positions = time_series_folds(int(universe.shape[0]), n_splits, splitter)
    baseline_all = predict(dataset, start)
    fitted_predictions: list[FloatArray] = []
    baseline_predictions: list[FloatArray] = []
    test_indices: list[IntArray] = []
    folds: list[FitResult] = []
    current = start
    for train_positions, test_positions in folds_positions:
        train = universe[train_positions]
        if fitter is not None:
            fit = fitter(dataset, train, current)
        elif guarded:
            fit = optimise_parameters(
                dataset,
                current=current,
                item_indices=train,
                min_reviews=min_reviews,
                l2_strength=l2_strength,
            )
        else:
            fit = fit_parameters(
                dataset,
                initial=current,
                item_indices=train,
                min_reviews=min_reviews,
                l2_strength=l2_strength,
            )
        if sequential:
            current = fit.parameters
        folds.append(fit)
        test = universe[test_positions]
        test_indices.append(test)
        fitted_predictions.append(predict(dataset, fit.parameters)[test])
        baseline_predictions.append(baseline_all[test])
    test_all = np.concatenate(test_indices)
    labels = dataset.item_label[test_all]
    bins = [dataset.item_bin[int(i)] for i in test_all]
    return SplitEvaluation(
        fitted=score(np.concatenate(fitted_predictions), labels, bins),
        baseline=score(np.concatenate(baseline_predictions), labels, bins),
        folds=tuple(folds),
    )
