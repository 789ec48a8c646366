"""What a class knows about a question: per-question offsets to a new card's memory state.

Pure code: no Django, no clock, no network.

Many learners study the same questions. Some questions are harder than FSRS's
defaults assume for every card, some easier; a learner's own parameters cannot see
that before they have reviewed the question. This module learns, for each question,
an :class:`~quizzes.core.scheduling.InitialOffset` (the log of a factor on the initial
stability and a shift of the initial difficulty) from other learners' first reviews
of it, and the scheduler applies it to a new learner's card at its first review.

The model (empirical Bayes on a grid):

* **Likelihood.** A card's history is replayed with FSRS-6 (the formulas of
  :mod:`quizzes.core.evaluation`, the learner's own parameters) up to and including
  its ``long_term_reviews``-th review a study day or more after the previous one;
  those reviews are the observations (recalled when the rating is above Again). The
  initial stability is multiplied by ``exp(a)`` and ``b`` is added to the initial
  difficulty, for every point ``(a, b)`` of a fixed grid
  (:data:`STABILITY_GRID` x :data:`DIFFICULTY_GRID`). A question's log-likelihood
  at a point is the sum over its cards.
* **Prior, fitted to the class.** ``a ~ N(0, tau_a^2)`` and ``b ~ N(0, tau_b^2)``,
  independent, restricted to the grid. The spreads ``(tau_a, tau_b)`` are the pair of
  :data:`STABILITY_SPREADS` x :data:`DIFFICULTY_SPREADS` with the highest marginal
  likelihood of all questions' data (a spread of 0 is a point mass at no offset, so
  a class whose questions do not differ gets no offsets at all).
* **Shrinkage.** A question's offset is its posterior mean. With few reviews the
  likelihood is flat and the posterior mean stays near zero; it moves away only as
  far as the evidence carries it.
* **When it is used.** Only questions with at least ``min_learners`` learners who
  reached a long-term review get an offset (:attr:`ClassModel.offsets`); every other
  question keeps FSRS's initial state.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt
from fsrs.scheduler import DEFAULT_PARAMETERS
from scipy import sparse
from scipy.special import logsumexp

from quizzes.core.scheduling import InitialOffset, StudyClock, as_utc, check_parameters

__all__ = [
    "DIFFICULTY_GRID",
    "DIFFICULTY_SPREADS",
    "LONG_TERM_REVIEWS",
    "MIN_LEARNERS",
    "STABILITY_GRID",
    "STABILITY_SPREADS",
    "CardHistory",
    "ClassModel",
    "fit_class_model",
    "fit_class_model_arrays",
    "history_from_reviews",
    "initial_state_log_likelihood",
    "predict_long_term_reviews",
]

FloatArray = npt.NDArray[np.float64]

#: Grid of ``a`` (log of the factor on the initial stability).
STABILITY_GRID: tuple[float, ...] = tuple(float(v) for v in np.round(np.linspace(-2.0, 2.0, 17), 6))
#: Grid of ``b`` (added to the initial difficulty).
DIFFICULTY_GRID: tuple[float, ...] = tuple(float(v) for v in np.round(np.linspace(-3.0, 3.0, 9), 6))
#: Candidate prior spreads; the class's data choose one pair.
STABILITY_SPREADS: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.3)
DIFFICULTY_SPREADS: tuple[float, ...] = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
#: A card's reviews a study day or more after the previous one that the fit looks at.
LONG_TERM_REVIEWS = 3
#: Learners with a long-term review of a question before it gets an offset.
MIN_LEARNERS = 5
_STABILITY_MIN = 0.001
_EPS = 1e-9
_CHUNK = 20000


@dataclass(frozen=True, slots=True)
class CardHistory:
    """One learner's reviews of one question, in time order.

    ``delta_t[k]`` is the number of study days between review ``k - 1`` and review
    ``k`` (``delta_t[0]`` is ignored: the first review starts the card). ``parameters``
    are the learner's 21 FSRS-6 weights (None: the defaults). Raises ``ValueError``
    for mismatched lengths, a rating outside 1..4 or negative gaps.
    """

    question: Hashable
    ratings: tuple[int, ...]
    delta_t: tuple[float, ...]
    parameters: tuple[float, ...] | None = None
    learner: Hashable = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "ratings", tuple(int(r) for r in self.ratings))
        object.__setattr__(self, "delta_t", tuple(float(t) for t in self.delta_t))
        if len(self.ratings) != len(self.delta_t):
            raise ValueError("ratings and delta_t must have the same length")
        if any(r not in (1, 2, 3, 4) for r in self.ratings):
            raise ValueError("ratings must be 1, 2, 3 or 4")
        if any(t < 0 or not math.isfinite(t) for t in self.delta_t):
            raise ValueError("delta_t must be finite and >= 0")
        if self.parameters is not None:
            object.__setattr__(self, "parameters", tuple(float(p) for p in self.parameters))
            check_parameters(self.parameters)

    def truncated(self, long_term_reviews: int) -> CardHistory:
        """The history up to and including its ``long_term_reviews``-th long-term review."""
        seen = 0
        for index in range(1, len(self.ratings)):
            if self.delta_t[index] >= 1.0:
                seen += 1
                if seen == long_term_reviews:
                    return CardHistory(
                        self.question,
                        self.ratings[: index + 1],
                        self.delta_t[: index + 1],
                        self.parameters,
                        self.learner,
                    )
        return self


def history_from_reviews(
    question: Hashable,
    reviews: Sequence[tuple[int, datetime]],
    *,
    clock: StudyClock,
    parameters: Sequence[float] | None = None,
    learner: Hashable = None,
) -> CardHistory:
    """A card's history from its ``(rating, reviewed_at)`` pairs (sorted here), with gaps
    counted in the learner's study days. Raises ``ValueError`` for a naive datetime."""
    ordered = sorted(
        ((r, as_utc(at, name="reviewed_at")) for r, at in reviews), key=lambda pair: pair[1]
    )
    gaps = [0.0] + [
        float(max(0, clock.days_between(ordered[k - 1][1], ordered[k][1])))
        for k in range(1, len(ordered))
    ]
    return CardHistory(
        question,
        tuple(r for r, _ in ordered),
        tuple(gaps),
        None if parameters is None else tuple(parameters),
        learner,
    )


@dataclass(frozen=True)
class ClassModel:
    """The fitted offsets and what they were fitted from.

    ``offsets`` holds the questions with at least ``min_learners`` learners;
    ``learners`` and ``reviews`` count, per question, the learners with a long-term
    review and those reviews; ``stability_spread`` and ``difficulty_spread`` are the
    chosen prior spreads.
    """

    offsets: dict[Hashable, InitialOffset]
    learners: dict[Hashable, int]
    reviews: dict[Hashable, int]
    stability_spread: float
    difficulty_spread: float
    min_learners: int = MIN_LEARNERS
    log_marginal: float = 0.0
    spreads_tried: dict[tuple[float, float], float] = field(default_factory=dict, repr=False)

    def offset_for(self, question: Hashable) -> InitialOffset:
        """The question's offset (zero when the class knows too little about it)."""
        return self.offsets.get(question, InitialOffset())


@dataclass(frozen=True)
class _Histories:
    """Distinct truncated histories as padded arrays, and which question has which."""

    ratings: npt.NDArray[np.int64]  # [H, L], 0 = padding
    gaps: FloatArray  # [H, L]
    weights: FloatArray  # [H, 21]
    items: npt.NDArray[np.bool_]  # [H, L] the observed long-term reviews
    counts: sparse.csr_matrix  # [H, Q] cards with this history per question
    learners: FloatArray  # [Q]
    reviews: FloatArray  # [Q]


def _truncate(
    ratings: npt.NDArray[np.int64], gaps: FloatArray, long_term_reviews: int
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Blank out (rating 0) every review after a row's ``long_term_reviews``-th
    long-term one."""
    long_term = (ratings > 0) & (gaps >= 1.0)
    long_term[:, 0] = False
    # long-term reviews before each
    before: npt.NDArray[np.int_] = np.cumsum(long_term, axis=1) - long_term
    keep = (ratings > 0) & (before < long_term_reviews)
    return np.where(keep, ratings, 0), np.where(keep, gaps, 0.0)


def _prepare(
    question_index: npt.NDArray[np.int64],
    n_questions: int,
    ratings: npt.NDArray[np.int64],
    gaps: FloatArray,
    weights: FloatArray | None,
    long_term_reviews: int,
) -> _Histories:
    ratings, gaps = _truncate(ratings, gaps, long_term_reviews)
    items = (ratings > 0) & (gaps >= 1.0)
    items[:, 0] = False
    observed = items.sum(axis=1)
    learners = np.bincount(question_index[observed > 0], minlength=n_questions)
    reviews = np.bincount(question_index, weights=observed, minlength=n_questions)
    used = np.flatnonzero(observed > 0)
    key = np.concatenate(
        [ratings[used].astype(np.float64), gaps[used]]
        + ([] if weights is None else [weights[used]]),
        axis=1,
    )
    if used.shape[0]:
        distinct, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        rows = used[first]
    else:
        distinct, rows, inverse = key, used, used
    counts = sparse.csr_matrix(
        (np.ones(used.shape[0]), (inverse, question_index[used])),
        shape=(distinct.shape[0], n_questions),
    )
    w = (
        np.tile(np.asarray(DEFAULT_PARAMETERS, dtype=np.float64), (rows.shape[0], 1))
        if weights is None
        else weights[rows]
    )
    return _Histories(
        ratings[rows],
        gaps[rows],
        w,
        items[rows],
        counts,
        learners.astype(np.float64),
        reviews.astype(np.float64),
    )


def _replay_log_likelihood(
    ratings: npt.NDArray[np.int64],
    gaps: FloatArray,
    weights: FloatArray,
    items: npt.NDArray[np.bool_],
    a: FloatArray,
    b: FloatArray,
    predictions: FloatArray | None = None,
) -> FloatArray:
    """Log-likelihood ``[G, H]`` of each history's long-term reviews with each offset.

    ``a`` and ``b`` are ``[G, 1]`` (one offset for all histories) or ``[1, H]`` (one
    per history); histories are ``[H, L]`` with per-history weights. The replay is
    :class:`quizzes.core.evaluation._HistoryTree`'s, per history. ``predictions``
    (``[H, L]``, with ``G == 1``) receives the predicted recall at each item.
    """
    w = weights.T[:, None, :]  # [21, 1, H]
    decay = -w[20]
    factor = 0.9 ** (1.0 / decay) - 1.0
    w8 = np.exp(w[8])
    forget_cap = np.exp(w[17] * w[18])
    easy_target = w[4] - np.exp(w[5] * 3.0) + 1.0
    first = ratings[:, 0]
    s0 = np.take_along_axis(weights, (first - 1)[:, None], axis=1)[:, 0]
    d0 = weights[:, 4] - np.exp(weights[:, 5] * (first - 1)) + 1.0
    stability = np.maximum(np.clip(s0, _STABILITY_MIN, None)[None, :] * np.exp(a), _STABILITY_MIN)
    difficulty = np.clip(np.clip(d0, 1.0, 10.0)[None, :] + b, 1.0, 10.0)
    stability, difficulty = np.broadcast_arrays(stability, difficulty)
    total = np.zeros(stability.shape, dtype=np.float64)
    for k in range(1, ratings.shape[1]):
        rating = ratings[:, k][None, :]
        gap = gaps[:, k][None, :]
        present = rating > 0
        s, d = stability, difficulty
        retrievability = (1.0 + factor * gap / s) ** decay
        if items[:, k].any():
            p = np.clip(retrievability, _EPS, 1.0 - _EPS)
            recalled = rating > 1
            ll = np.where(recalled, np.log(p), np.log1p(-p))
            total += np.where(items[:, k][None, :], ll, 0.0)
            if predictions is not None:
                predictions[:, k] = np.where(items[:, k], retrievability[0], np.nan)
        lapse = rating == 1
        modifier = np.where(rating == 2, w[15], np.where(rating == 4, w[16], 1.0))
        one_minus_r = 1.0 - retrievability
        recall = s * (
            1.0 + w8 * (11.0 - d) * s ** (-w[9]) * (np.exp(one_minus_r * w[10]) - 1.0) * modifier
        )
        forget = np.minimum(
            w[11] * d ** (-w[12]) * ((s + 1.0) ** w[13] - 1.0) * np.exp(one_minus_r * w[14]),
            s / forget_cap,
        )
        short = np.exp(w[17] * (rating - 3.0 + w[18])) * s ** (-w[19])
        short = np.where(lapse, short, np.maximum(short, 1.0))
        new_s = np.where(gap >= 1.0, np.where(lapse, forget, recall), s * short)
        damped = d + (10.0 - d) * (-w[6] * (rating - 3.0)) / 9.0
        new_d = np.clip(w[7] * easy_target + (1.0 - w[7]) * damped, 1.0, 10.0)
        stability = np.where(present, np.maximum(new_s, _STABILITY_MIN), s)
        difficulty = np.where(present, new_d, d)
    return np.asarray(total, dtype=np.float64)


def _arrays(
    histories: Sequence[CardHistory], long_term_reviews: int
) -> tuple[npt.NDArray[np.int64], FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    cut = [h.truncated(long_term_reviews) for h in histories]
    length = max((len(h.ratings) for h in cut), default=1)
    ratings = np.zeros((len(cut), length), dtype=np.int64)
    gaps = np.zeros((len(cut), length), dtype=np.float64)
    weights = np.tile(np.asarray(DEFAULT_PARAMETERS, dtype=np.float64), (len(cut), 1))
    for i, h in enumerate(cut):
        ratings[i, : len(h.ratings)] = h.ratings
        gaps[i, : len(h.delta_t)] = h.delta_t
        if h.parameters is not None:
            weights[i] = h.parameters
    items = (ratings > 0) & (gaps >= 1.0)
    items[:, 0] = False
    return ratings, gaps, weights, items


def initial_state_log_likelihood(
    histories: Sequence[CardHistory],
    offsets: Sequence[InitialOffset],
    *,
    long_term_reviews: int = LONG_TERM_REVIEWS,
) -> FloatArray:
    """Log-likelihood ``[len(offsets), len(histories)]`` of each history's first
    ``long_term_reviews`` long-term reviews when its card starts with each offset."""
    ratings, gaps, weights, items = _arrays(histories, long_term_reviews)
    a = np.asarray([[o.stability] for o in offsets], dtype=np.float64)
    b = np.asarray([[o.difficulty] for o in offsets], dtype=np.float64)
    with np.errstate(all="ignore"):
        return _replay_log_likelihood(ratings, gaps, weights, items, a, b)


def predict_long_term_reviews(
    histories: Sequence[CardHistory],
    offsets: Sequence[InitialOffset],
    *,
    long_term_reviews: int = LONG_TERM_REVIEWS,
) -> list[list[float]]:
    """For each history, started with its own offset, the predicted recall at each of
    its first ``long_term_reviews`` long-term reviews (in order). Raises ``ValueError``
    when the lengths differ."""
    if len(histories) != len(offsets):
        raise ValueError("one offset per history")
    ratings, gaps, weights, items = _arrays(histories, long_term_reviews)
    a = np.asarray([[o.stability for o in offsets]], dtype=np.float64)
    b = np.asarray([[o.difficulty for o in offsets]], dtype=np.float64)
    out = np.full(ratings.shape, np.nan, dtype=np.float64)
    with np.errstate(all="ignore"):
        _replay_log_likelihood(ratings, gaps, weights, items, a, b, predictions=out)
    return [[float(p) for p in row[mask]] for row, mask in zip(out, items, strict=True)]


def _log_prior(grid: FloatArray, spread: float) -> FloatArray:
    if spread == 0.0:
        return np.where(grid == 0.0, 0.0, -np.inf)
    logp = -0.5 * (grid / spread) ** 2
    return np.asarray(logp - logsumexp(logp), dtype=np.float64)


def fit_class_model(
    histories: Iterable[CardHistory],
    *,
    long_term_reviews: int = LONG_TERM_REVIEWS,
    min_learners: int = MIN_LEARNERS,
) -> ClassModel:
    """Fit per-question offsets from learners' card histories (see the module docstring).

    Deterministic: the same histories in any order give the same model. Raises
    ``ValueError`` for ``long_term_reviews`` or ``min_learners`` below 1.
    """
    rows = [h.truncated(long_term_reviews) for h in histories]
    questions: dict[Hashable, int] = {}
    index = np.asarray(
        [questions.setdefault(h.question, len(questions)) for h in rows], dtype=np.int64
    )
    length = max((len(h.ratings) for h in rows), default=1)
    ratings = np.zeros((len(rows), length), dtype=np.int64)
    gaps = np.zeros((len(rows), length), dtype=np.float64)
    personal = any(h.parameters is not None for h in rows)
    weights = (
        np.tile(np.asarray(DEFAULT_PARAMETERS, dtype=np.float64), (len(rows), 1))
        if personal
        else None
    )
    for i, h in enumerate(rows):
        ratings[i, : len(h.ratings)] = h.ratings
        gaps[i, : len(h.delta_t)] = h.delta_t
        if weights is not None and h.parameters is not None:
            weights[i] = h.parameters
    return fit_class_model_arrays(
        list(questions),
        index,
        ratings,
        gaps,
        weights,
        long_term_reviews=long_term_reviews,
        min_learners=min_learners,
    )


def fit_class_model_arrays(
    questions: Sequence[Hashable],
    question_index: npt.NDArray[np.int64],
    ratings: npt.NDArray[np.int64],
    gaps: FloatArray,
    weights: FloatArray | None = None,
    *,
    long_term_reviews: int = LONG_TERM_REVIEWS,
    min_learners: int = MIN_LEARNERS,
) -> ClassModel:
    """:func:`fit_class_model` on arrays: card ``i`` is a card of question
    ``questions[question_index[i]]`` with ratings ``ratings[i]`` (0 pads the end) and
    gaps ``gaps[i]`` in study days, and weights ``weights[i]`` (None: the defaults)."""
    if long_term_reviews < 1 or min_learners < 1:
        raise ValueError("long_term_reviews and min_learners must be >= 1")
    data = _prepare(
        np.asarray(question_index, dtype=np.int64),
        len(questions),
        np.asarray(ratings, dtype=np.int64),
        np.asarray(gaps, dtype=np.float64),
        None if weights is None else np.asarray(weights, dtype=np.float64),
        long_term_reviews,
    )
    a_grid = np.asarray(STABILITY_GRID, dtype=np.float64)
    b_grid = np.asarray(DIFFICULTY_GRID, dtype=np.float64)
    grid_a = np.repeat(a_grid, b_grid.shape[0])
    grid_b = np.tile(b_grid, a_grid.shape[0])
    n_q = len(questions)
    per_question = np.zeros((grid_a.shape[0], n_q), dtype=np.float64)
    with np.errstate(all="ignore"):
        for start in range(0, data.ratings.shape[0], _CHUNK):
            stop = start + _CHUNK
            ll = _replay_log_likelihood(
                data.ratings[start:stop],
                data.gaps[start:stop],
                data.weights[start:stop],
                data.items[start:stop],
                grid_a[:, None],
                grid_b[:, None],
            )
            per_question += np.asarray((data.counts[start:stop].T @ ll.T).T)
    # Marginal likelihood of every prior at once: sum_q log sum_g prior(g) L_q(g).
    peak = per_question.max(axis=0)
    likelihood = np.exp(per_question - peak[None, :])
    best: tuple[float, float, float] | None = None
    tried: dict[tuple[float, float], float] = {}
    for tau_a in STABILITY_SPREADS:
        prior_a = np.exp(_log_prior(a_grid, tau_a))
        for tau_b in DIFFICULTY_SPREADS:
            prior = (prior_a[:, None] * np.exp(_log_prior(b_grid, tau_b))[None, :]).reshape(-1)
            with np.errstate(divide="ignore"):
                marginal = float(np.sum(np.log(prior @ likelihood) + peak))
            tried[(tau_a, tau_b)] = marginal
            if best is None or marginal > best[0] + 1e-9:
                best = (marginal, tau_a, tau_b)
    assert best is not None
    marginal, tau_a, tau_b = best
    prior = (
        np.exp(_log_prior(a_grid, tau_a))[:, None] * np.exp(_log_prior(b_grid, tau_b))[None, :]
    ).reshape(-1)
    post = prior[:, None] * likelihood
    post /= post.sum(axis=0, keepdims=True)
    mean_a = grid_a @ post
    mean_b = grid_b @ post
    offsets: dict[Hashable, InitialOffset] = {}
    learners: dict[Hashable, int] = {}
    reviews: dict[Hashable, int] = {}
    for q, question in enumerate(questions):
        learners[question] = int(data.learners[q])
        reviews[question] = int(data.reviews[q])
        if data.learners[q] >= min_learners:
            offsets[question] = InitialOffset(
                stability=round(float(mean_a[q]), 6) + 0.0,
                difficulty=round(float(mean_b[q]), 6) + 0.0,
            )
    return ClassModel(
        offsets=offsets,
        learners=learners,
        reviews=reviews,
        stability_spread=tau_a,
        difficulty_spread=tau_b,
        min_learners=min_learners,
        log_marginal=marginal,
        spreads_tried=tried,
    )
