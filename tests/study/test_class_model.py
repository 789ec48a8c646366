"""Class offsets in the study service: stored per question, fitted from the class's
reviews, taken by a new learner's first review and kept through replays."""

import dataclasses
import math
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings

from quizzes.core.class_model import fit_class_model, history_from_reviews
from quizzes.core.scheduling import DEFAULT_PARAMETERS, InitialOffset, StudyClock, replay
from quizzes.study.class_model import class_offsets_fit, decks_with_reviews
from quizzes.study.models import (
    CardState,
    QuestionClassOffset,
    ReviewLog,
    ReviewUndo,
    StudySettings,
)
from quizzes.study.services import ReviewInput, review_record, review_sync
from quizzes.study.snapshots import scheduler_settings_for
from quizzes.study.tasks import study_class_offsets_fit_all_task
from tests.factories import PassageFactory, QuestionFactory, UserFactory
from tests.study.conftest import review_body

pytestmark = pytest.mark.django_db

W = DEFAULT_PARAMETERS
FITTED = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)


def _offset(question, stability, difficulty, learners=9):
    return QuestionClassOffset.objects.create(
        question=question,
        stability_offset=stability,
        difficulty_offset=difficulty,
        learners=learners,
        reviews=learners * 2,
        fitted_at=FITTED,
    )


def _review(user, question, rating, at, now):
    return review_record(
        user=user,
        now=now,
        data=ReviewInput(
            client_id=uuid.uuid4(), question_id=question.pk, rating=rating, reviewed_at=at
        ),
    )


def test_a_new_learners_first_review_starts_from_the_class_offset(student, question, now):
    _offset(question, -0.7, 1.5)
    result = _review(student, question, 3, now - timedelta(hours=1), now)
    card = CardState.objects.get(user=student, question=question)
    d0 = W[4] - math.exp(W[5] * 2) + 1
    assert card.stability == pytest.approx(W[2] * math.exp(-0.7), abs=1e-12)
    assert card.difficulty == pytest.approx(d0 + 1.5, abs=1e-12)
    assert (card.initial_stability_offset, card.initial_difficulty_offset) == (-0.7, 1.5)
    assert result.log.state_after["stability"] == card.stability


def test_a_question_without_an_offset_starts_as_fsrs_says(student, question, now):
    _review(student, question, 3, now - timedelta(hours=1), now)
    card = CardState.objects.get(user=student, question=question)
    assert card.stability == W[2]
    assert (card.initial_stability_offset, card.initial_difficulty_offset) == (0.0, 0.0)


def test_a_started_card_keeps_its_offset_through_a_refit_and_a_replay(
    student, student_client, question, now
):
    # given a card started with the offset of the time
    _offset(question, 0.4, -1.0)
    start = now - timedelta(days=5)
    _review(student, question, 3, start, now)
    _review(student, question, 3, start + timedelta(minutes=10), now)
    started = CardState.objects.get(user=student, question=question)
    # when the class's offset changes and a review made in between is synced
    QuestionClassOffset.objects.filter(question=question).update(
        stability_offset=-2.0, difficulty_offset=3.0
    )
    older = review_body(question, rating=3, at=start + timedelta(minutes=5))
    assert (
        student_client.post("/api/v1/study/sync", {"reviews": [older]}, format="json").status_code
        == 200
    )
    # then the replay starts the card with the offset it took, not the new one
    card = CardState.objects.get(user=student, question=question)
    assert (card.initial_stability_offset, card.initial_difficulty_offset) == (0.4, -1.0)
    assert card.reps == 3
    first = ReviewLog.objects.get(user=student, question=question, reviewed_at=start)
    assert first.state_after["stability"] == pytest.approx(W[2] * math.exp(0.4), abs=1e-12)
    assert started.reps == 2
    scheduler = scheduler_settings_for(None, user=student)
    reviews = [(3, start), (3, start + timedelta(minutes=5)), (3, start + timedelta(minutes=10))]
    kept = replay(
        reviews,
        settings=dataclasses.replace(scheduler, initial_offset=InitialOffset(0.4, -1.0)),
        card_key=question.pk,
    )
    refitted = replay(
        reviews,
        settings=dataclasses.replace(scheduler, initial_offset=InitialOffset(-2.0, 3.0)),
        card_key=question.pk,
    )
    assert (card.stability, card.difficulty, card.due) == (
        kept.stability,
        kept.difficulty,
        kept.due,
    )
    assert card.stability != refitted.stability


def test_a_sync_starts_new_cards_from_the_class_offset(student, question, now):
    _offset(question, 0.9, 0.0)
    result = review_sync(
        user=student, now=now, items=[review_body(question, rating=4, at=now - timedelta(hours=2))]
    )
    assert result.applied == 1
    card = CardState.objects.get(user=student, question=question)
    assert card.stability == pytest.approx(W[3] * math.exp(0.9), abs=1e-12)
    assert card.initial_stability_offset == 0.9


def _learner_reviews(user, question, plan, start):
    """Store a learner's reviews of a question: ``plan`` is [(days after start, rating)]."""
    logs = [
        ReviewLog(
            user=user,
            question=question,
            client_id=uuid.uuid4(),
            rating=rating,
            reviewed_at=start + timedelta(days=days),
            state_before={},
            state_after={},
        )
        for days, rating in plan
    ]
    return ReviewLog.objects.bulk_create(logs)


def test_the_nightly_fit_stores_offsets_of_questions_with_enough_learners(settings):
    settings.STUDY_CLASS_MIN_LEARNERS = 5
    passage = PassageFactory()
    hard, easy, rare = QuestionFactory.create_batch(3, passage=passage)
    elsewhere = QuestionFactory(passage=PassageFactory())
    start = datetime(2026, 2, 1, 18, 0, tzinfo=UTC)
    learners = UserFactory.create_batch(6)
    StudySettings.objects.create(user=learners[0], parameters=[*W[:2], 5.0, *W[3:]])
    for user in learners:
        _learner_reviews(user, hard, [(0, 3), (3, 1), (4, 3), (9, 1)], start)
        _learner_reviews(user, easy, [(0, 3), (3, 3), (12, 3), (40, 3)], start)
        _learner_reviews(user, elsewhere, [(0, 3), (3, 1)], start)
    for user in learners[:4]:
        _learner_reviews(user, rare, [(0, 3), (3, 1)], start)
    # an undone review does not count
    undone = _learner_reviews(learners[1], easy, [(41, 1)], start)[0]
    ReviewUndo.objects.create(review=undone, state_restored={})

    result = class_offsets_fit(deck_id=passage.deck_id, now=FITTED)

    clock = StudyClock(django_settings.TIME_ZONE, 4)
    histories = []
    for user in learners:
        parameters = [*W[:2], 5.0, *W[3:]] if user == learners[0] else None
        for question, plan in (
            (hard, [(0, 3), (3, 1), (4, 3), (9, 1)]),
            (easy, [(0, 3), (3, 3), (12, 3), (40, 3)]),
        ):
            histories.append(
                history_from_reviews(
                    question.pk,
                    [(r, start + timedelta(days=d)) for d, r in plan],
                    clock=clock,
                    parameters=parameters,
                )
            )
    for _user in learners[:4]:
        histories.append(
            history_from_reviews(rare.pk, [(3, start), (1, start + timedelta(days=3))], clock=clock)
        )
    expected = fit_class_model(histories, min_learners=5)
    rows = {row.question_id: row for row in QuestionClassOffset.objects.all()}
    assert set(rows) == {hard.pk, easy.pk}
    for question in (hard, easy):
        row = rows[question.pk]
        assert (
            InitialOffset(row.stability_offset, row.difficulty_offset)
            == (expected.offsets[question.pk])
        )
        assert (row.learners, row.reviews, row.fitted_at) == (6, 18, FITTED)
    assert rows[hard.pk].stability_offset < 0 < rows[easy.pk].stability_offset
    assert (result.questions, result.offsets, result.deleted) == (3, 2, 0)

    # a rerun writes the same rows; a question that lost its learners loses its row
    ReviewLog.objects.filter(question=easy).delete()
    again = class_offsets_fit(deck_id=passage.deck_id, now=FITTED)
    assert (again.offsets, again.deleted) == (1, 1)
    assert list(QuestionClassOffset.objects.values_list("question_id", "stability_offset")) == [
        (hard.pk, rows[hard.pk].stability_offset)
    ]


def test_the_nightly_task_fits_every_deck_with_reviews(student, question, now):
    idle = QuestionFactory(passage=PassageFactory())
    _review(student, question, 3, now - timedelta(hours=1), now)
    assert decks_with_reviews() == [question.passage.deck_id]
    assert idle.passage.deck_id not in decks_with_reviews()
    assert study_class_offsets_fit_all_task.delay().get() == 1
