"""What a class knows: question offsets to a new card's state, fitted from other learners."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from quizzes.core.class_model import (
    DIFFICULTY_GRID,
    DIFFICULTY_SPREADS,
    STABILITY_GRID,
    STABILITY_SPREADS,
    CardHistory,
    fit_class_model,
    history_from_reviews,
    initial_state_log_likelihood,
    predict_long_term_reviews,
)
from quizzes.core.scheduling import (
    DEFAULT_PARAMETERS,
    CardSnapshot,
    CardState,
    InitialOffset,
    SchedulerSettings,
    StudyClock,
    retrievability,
    review,
)

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
W = DEFAULT_PARAMETERS


def test_a_first_review_starts_the_card_at_the_offset_state():
    # given a question whose class offset is +0.5 log stability and +1 difficulty
    settings = SchedulerSettings(
        learning_steps=(), enable_fuzzing=False, initial_offset=InitialOffset(0.5, 1.0)
    )
    # when a new card of it is rated Good
    after = review(CardSnapshot(), 3, now=T0, settings=settings, card_key=7).snapshot
    # then stability is w2 * e^0.5 and difficulty D0(Good) + 1, due from that stability
    d0 = W[4] - math.exp(W[5] * 2) + 1
    assert after.stability == pytest.approx(W[2] * math.exp(0.5), abs=1e-12)
    assert after.stability == pytest.approx(3.802775610869846, abs=1e-12)
    assert after.difficulty == pytest.approx(d0 + 1.0, abs=1e-12)
    assert after.state is CardState.REVIEW
    assert after.due == T0 + timedelta(days=4)  # round(3.80), where no offset gives 2 days
    plain = review(
        CardSnapshot(),
        3,
        now=T0,
        card_key=7,
        settings=SchedulerSettings(learning_steps=(), enable_fuzzing=False),
    ).snapshot
    assert plain.due == T0 + timedelta(days=2)


def test_the_offset_clamps_difficulty_and_touches_only_the_first_review():
    settings = SchedulerSettings(initial_offset=InitialOffset(-1.0, -9.0))
    first = review(CardSnapshot(), 1, now=T0, settings=settings, card_key=1).snapshot
    assert first.difficulty == 1.0
    assert first.stability == pytest.approx(W[0] * math.exp(-1.0), abs=1e-12)
    # a card already started is reviewed as FSRS says, offset or not
    later = T0 + timedelta(days=2)
    with_offset = review(first, 3, now=later, settings=settings, card_key=1).snapshot
    without = review(first, 3, now=later, settings=SchedulerSettings(), card_key=1).snapshot
    assert with_offset == without


def test_a_zero_offset_is_py_fsrs_exactly():
    zero = SchedulerSettings(initial_offset=InitialOffset(0.0, 0.0))
    for rating in (1, 2, 3, 4):
        assert review(CardSnapshot(), rating, now=T0, settings=zero, card_key=3) == review(
            CardSnapshot(), rating, now=T0, settings=SchedulerSettings(), card_key=3
        )


def test_an_offset_must_be_finite():
    with pytest.raises(ValueError, match="stability must be finite"):
        InitialOffset(float("nan"), 0.0)


def test_the_fitting_replay_predicts_what_the_live_scheduler_predicts():
    # given a card's history, started with an offset
    offset = InitialOffset(0.5, 1.0)
    settings = SchedulerSettings(learning_steps=(), relearning_steps=(), initial_offset=offset)
    history = CardHistory("q", (3, 3, 1, 3), (0, 3, 8, 1))
    # when the fit's replay predicts its long-term reviews
    predicted = predict_long_term_reviews([history], [offset])[0]
    # then each equals py-fsrs's retrievability on the live card at that review
    snapshot, at, live = CardSnapshot(), T0, []
    for rating, gap in zip(history.ratings, history.delta_t, strict=True):
        at += timedelta(days=gap)
        if snapshot.state is not CardState.NEW:
            live.append(retrievability(snapshot, now=at, settings=settings))
        snapshot = review(snapshot, rating, now=at, settings=settings, card_key=1).snapshot
    assert predicted == pytest.approx(live, abs=1e-12)
    assert predicted == pytest.approx(
        [0.9154492560353583, 0.9360741780234415, 0.9300158321266417], abs=1e-12
    )


def test_histories_count_study_days_and_stop_at_the_third_long_term_review():
    clock = StudyClock("Europe/Berlin", 4)
    # 23:00 and 02:00 Berlin are the same study day; 05:00 the next one
    reviews = [
        (3, datetime(2026, 1, 1, 22, 0, tzinfo=UTC)),
        (3, datetime(2026, 1, 2, 1, 0, tzinfo=UTC)),
        (3, datetime(2026, 1, 2, 4, 0, tzinfo=UTC)),
        (1, datetime(2026, 1, 5, 9, 0, tzinfo=UTC)),
        (3, datetime(2026, 1, 6, 9, 0, tzinfo=UTC)),
        (3, datetime(2026, 1, 9, 9, 0, tzinfo=UTC)),
    ]
    history = history_from_reviews("q", list(reversed(reviews)), clock=clock)
    assert history.ratings == (3, 3, 3, 1, 3, 3)
    assert history.delta_t == (0.0, 0.0, 1.0, 3.0, 1.0, 3.0)
    assert history.truncated(3).ratings == (3, 3, 3, 1, 3)


def _cards(question, first_rating, outcomes, learners):
    """``learners`` cards of ``question``: first rating, then (gap, rating) pairs."""
    return [
        CardHistory(
            question,
            (first_rating, *[r for _, r in outcomes]),
            (0, *[g for g, _ in outcomes]),
            learner=i,
        )
        for i in range(learners)
    ]


def _brute_force(histories):
    """Empirical Bayes on the grid by plain loops over the same likelihoods."""
    grid = [InitialOffset(a, b) for a in STABILITY_GRID for b in DIFFICULTY_GRID]
    ll = initial_state_log_likelihood(histories, grid)
    questions = sorted({h.question for h in histories})
    per_q = {
        q: ll[:, [i for i, h in enumerate(histories) if h.question == q]].sum(axis=1)
        for q in questions
    }

    def prior(tau, values):
        if tau == 0:
            return np.asarray([1.0 if v == 0 else 0.0 for v in values])
        p = np.exp(-0.5 * (np.asarray(values) / tau) ** 2)
        return p / p.sum()

    best = None
    for tau_a in STABILITY_SPREADS:
        for tau_b in DIFFICULTY_SPREADS:
            pi = np.outer(prior(tau_a, STABILITY_GRID), prior(tau_b, DIFFICULTY_GRID)).ravel()
            total = sum(math.log(float(np.sum(pi * np.exp(per_q[q])))) for q in questions)
            if best is None or total > best[0] + 1e-9:
                best = (total, tau_a, tau_b, pi)
    _, tau_a, tau_b, pi = best
    means = {}
    for q in questions:
        post = pi * np.exp(per_q[q])
        post /= post.sum()
        means[q] = (
            float(np.dot(post, [g.stability for g in grid])),
            float(np.dot(post, [g.difficulty for g in grid])),
        )
    return tau_a, tau_b, means


def test_the_fit_is_empirical_bayes_on_the_grid():
    # given a hard question (most forget after a first Good), an easy one and an average one
    histories = (
        _cards("hard", 3, [(3, 1), (1, 3)], 6)
        + _cards("hard", 3, [(3, 3), (8, 3)], 2)
        + _cards("easy", 3, [(3, 3), (9, 3), (30, 3)], 8)
        + _cards("mid", 3, [(3, 3), (8, 3)], 7)
        + _cards("mid", 3, [(3, 1), (1, 3)], 1)
    )
    model = fit_class_model(histories)
    tau_a, tau_b, means = _brute_force(histories)
    assert (model.stability_spread, model.difficulty_spread) == (tau_a, tau_b)
    for question in ("hard", "easy", "mid"):
        assert model.offsets[question].stability == pytest.approx(means[question][0], abs=1e-6)
        assert model.offsets[question].difficulty == pytest.approx(means[question][1], abs=1e-6)
    # the hard question starts lower than FSRS's default, the easy one higher
    assert model.offsets["hard"].stability < 0 < model.offsets["easy"].stability
    assert model.learners == {"hard": 8, "easy": 8, "mid": 8}
    assert model.reviews == {"hard": 16, "easy": 24, "mid": 16}
    # and the order of the histories does not matter
    assert fit_class_model(list(reversed(histories))).offsets == model.offsets


def test_questions_with_few_learners_get_no_offset():
    histories = (
        _cards("hard", 3, [(3, 1), (1, 3)], 8)
        + _cards("rare", 3, [(3, 1)], 4)
        + [CardHistory("unseen", (3,), (0,))]
        + _cards("easy", 3, [(3, 3)], 8)
    )
    model = fit_class_model(histories, min_learners=5)
    assert set(model.offsets) == {"hard", "easy"}
    assert model.learners["rare"] == 4
    assert model.learners["unseen"] == 0
    assert model.offset_for("rare") == InitialOffset()


def test_a_class_whose_questions_do_not_differ_gets_no_offsets():
    # every question has the same reviews, which FSRS's defaults predict well
    histories = []
    for question in range(6):
        histories += _cards(question, 3, [(2, 3), (6, 3)], 9)
        histories += _cards(question, 3, [(2, 1), (1, 3)], 1)
    model = fit_class_model(histories)
    assert model.stability_spread == 0.0
    assert {o.stability for o in model.offsets.values()} == {0.0}


def test_reviews_after_the_third_long_term_one_do_not_change_the_fit():
    short = _cards("q", 3, [(3, 1), (1, 3), (4, 3)], 6)
    longer = _cards("q", 3, [(3, 1), (1, 3), (4, 3), (9, 1), (1, 3)], 6)
    assert fit_class_model(short).offsets == fit_class_model(longer).offsets
