"""Review tallies kept as reviews are written equal a recomputation from the log."""

import random
import uuid
from datetime import timedelta

import pytest

from quizzes.study.models import ReviewLog, ReviewTally, ReviewUndo
from quizzes.study.selectors import progress_summary
from quizzes.study.tallies import tallies_from_log, tallies_rebuild, tallies_stored
from tests.factories import QuestionFactory

from .conftest import review_body

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/study/reviews"
SYNC = "/api/v1/study/sync"


def test_tallies_equal_the_log_after_a_random_mix_of_reviews_syncs_and_undos(
    student, student_client, passage, now
):
    rng = random.Random(2026)
    questions = QuestionFactory.create_batch(5, passage=passage)
    sent: list[dict] = []
    for step in range(60):
        action = rng.choice(["review", "review", "old review", "sync", "resend", "undo"])
        at = now - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 1439))
        if action in ("review", "old review"):
            at = now - timedelta(seconds=120 - step) if action == "review" else at
            item = review_body(
                rng.choice(questions),
                rating=rng.randint(1, 4),
                at=at,
                duration_ms=rng.randint(0, 60_000),
            )
            assert student_client.post(REVIEWS, item, format="json").status_code == 201
            sent.append(item)
        elif action == "sync":
            batch = [
                review_body(
                    rng.choice(questions),
                    rating=rng.randint(1, 4),
                    at=now - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 1439)),
                    duration_ms=rng.randint(0, 60_000),
                )
                for _ in range(4)
            ]
            batch += rng.sample(sent, min(2, len(sent)))  # replayed: duplicates
            response = student_client.post(SYNC, {"reviews": batch}, format="json")
            assert response.status_code == 200 and response.json()["rejected"] == []
            sent += batch[:4]
        elif action == "resend" and sent:
            assert student_client.post(REVIEWS, rng.choice(sent), format="json").status_code == 200
        elif action == "undo" and sent:
            latest = max(
                (s for s in sent if s["question"] == rng.choice(questions).pk),
                key=lambda s: (s["reviewed_at"], uuid.UUID(s["id"]).int),
                default=None,
            )
            if latest is not None:
                status = student_client.post(f"{REVIEWS}/{latest['id']}/undo").status_code
                assert status in (200, 409)  # 409: a later review (by replay order) exists

    undone = ReviewUndo.objects.filter(review__user=student).count()
    assert undone > 0 and ReviewLog.objects.filter(via_sync=True).exists()
    expected = tallies_from_log([student.pk])
    assert sum(counts[0] for counts in expected.values()) == len(sent) - undone
    assert tallies_stored([student.pk]) == expected


def test_rebuilt_tallies_give_the_same_progress(student, student_client, passage, now):
    questions = QuestionFactory.create_batch(3, passage=passage)
    for days, question in enumerate(questions * 3):
        student_client.post(
            REVIEWS, review_body(question, at=now - timedelta(days=days * 2)), format="json"
        )
    before = progress_summary(user=student, now=now)
    ReviewTally.objects.all().delete()

    assert tallies_rebuild([student.pk]) == 9
    assert tallies_stored([student.pk]) == tallies_from_log([student.pk])
    assert progress_summary(user=student, now=now) == before
    assert before["time_studied_seconds"] == 36


def test_progress_counts_reviews_in_the_quarter_hours_a_window_or_now_cuts(student, question, now):
    # reviews just inside and just outside the 7-day window, and one a minute in the
    # future (a device's clock), in quarter hours the tallies cannot split
    for at, rating in (
        (now - timedelta(days=7, minutes=-1), 3),
        (now - timedelta(days=7, minutes=1), 1),
        (now + timedelta(minutes=1), 1),
        (now - timedelta(minutes=1), 4),
    ):
        ReviewLog.objects.create(
            user=student,
            question=question,
            client_id=uuid.uuid4(),
            rating=rating,
            reviewed_at=at,
            duration_ms=1000,
            state_before={"state": "review"},
            state_after={},
        )

    summary = progress_summary(user=student, now=now)

    assert summary["true_retention"] == {"7": 1.0, "30": 0.6667, "all": 0.6667}
    assert summary["time_studied_seconds"] == 3


def test_deleting_a_learners_reviews_takes_them_out_of_the_tallies(student, question, now):
    kept = ReviewLog.objects.create(
        user=student,
        question=question,
        client_id=uuid.uuid4(),
        rating=3,
        reviewed_at=now,
        state_before={"state": "new"},
        state_after={},
    )
    gone = ReviewLog.objects.create(
        user=student,
        question=question,
        client_id=uuid.uuid4(),
        rating=3,
        reviewed_at=now,
        state_before={"state": "review"},
        state_after={},
    )
    ReviewUndo.objects.create(review=kept, state_restored={})
    ReviewUndo.objects.create(review=gone, state_restored={})
    ReviewUndo.objects.filter(review=kept).delete()
    gone.delete()

    assert tallies_stored([student.pk]) == tallies_from_log([student.pk]) != {}


def test_the_command_finds_tallies_that_differ_and_rebuilds_them(student, question, now):
    from django.core.management import CommandError, call_command

    ReviewLog.objects.create(
        user=student,
        question=question,
        client_id=uuid.uuid4(),
        rating=3,
        reviewed_at=now,
        state_before={"state": "review"},
        state_after={},
    )
    ReviewTally.objects.update(reviews=5)

    with pytest.raises(CommandError, match=f"users \\[{student.pk}\\]"):
        call_command("study_tallies")
    call_command("study_tallies", "--rebuild")
    call_command("study_tallies")  # matches now
    assert list(tallies_stored([student.pk]).values()) == [(1, 0, 1, 1)]
