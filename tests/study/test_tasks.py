import random
from datetime import timedelta

import pytest
from django.core import mail

from quizzes.core.evaluation import RevlogRecord, build_dataset, optimise_parameters
from quizzes.core.scheduling import StudyClock
from quizzes.study.models import (
    DueReminder,
    ParameterImport,
    ReviewLog,
    StudyDay,
    StudySettings,
)
from quizzes.study.tasks import (
    study_day_rollup_task,
    study_due_reminder_task,
    study_due_reminders_all_task,
    study_parameter_import_task,
    study_parameter_imports_requeue_task,
    study_parameters_optimise_all_task,
    study_parameters_optimise_task,
    study_rollup_all_task,
)
from tests.factories import QuestionFactory
from tests.study.factories import CardStateFactory, ReviewLogFactory

pytestmark = pytest.mark.django_db


def history(user, passage, now, cards=12, reviews_per_card=6):
    """A small, deterministic review history: one review a day or so per card."""
    rng = random.Random(5)
    for question in QuestionFactory.create_batch(cards, passage=passage):
        at = now - timedelta(days=60)
        for _ in range(reviews_per_card):
            ReviewLogFactory(
                user=user, question=question, reviewed_at=at, rating=1 if rng.random() < 0.25 else 3
            )
            at += timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))


def records_of(user):
    return [
        RevlogRecord(card_id=q, rating=r, reviewed_at=at, duration_ms=d)
        for q, r, at, d in ReviewLog.objects.filter(user=user).values_list(
            "question_id", "rating", "reviewed_at", "duration_ms"
        )
    ]


def test_optimisation_fits_the_learners_parameters_when_there_are_enough_reviews(
    student, passage, now, settings
):
    # given enough reviews for a fit (the threshold is lowered for a fast test)
    settings.STUDY_OPTIMISE_MIN_REVIEWS = 30
    history(student, passage, now)
    StudySettings.objects.create(user=student, reviews_since_optimisation=72)

    # when the task runs
    reason = study_parameters_optimise_task(student.pk)

    # then the parameters are what the core's optimiser fits to the log, with days
    # counted as the learner's study days (the site's UTC, new day at 4 am)
    dataset = build_dataset(records_of(student), clock=StudyClock("UTC", 4))
    expected = optimise_parameters(dataset, min_reviews=30)
    assert expected.fitted
    assert reason == expected.reason
    study_settings = StudySettings.objects.get(user=student)
    assert study_settings.parameters == list(expected.parameters)
    assert study_settings.parameters_source == "optimised"
    assert study_settings.parameters_updated_at == now
    assert study_settings.reviews_since_optimisation == 0

    # and running it again with no new review changes nothing
    assert study_parameters_optimise_task(student.pk) == (
        "no new reviews since the last optimisation"
    )
    assert StudySettings.objects.get(user=student).parameters == list(expected.parameters)


def test_optimisation_with_too_few_reviews_keeps_the_parameters(student, passage, now):
    history(student, passage, now, cards=3)
    old = [
        0.2,
        1.2,
        3.0,
        16.0,
        7.0,
        0.5,
        1.5,
        0.01,
        1.5,
        0.15,
        1.0,
        1.9,
        0.1,
        0.3,
        2.3,
        0.2,
        3.0,
        0.5,
        0.7,
        0.1,
        0.15,
    ]
    StudySettings.objects.create(user=student, parameters=old, reviews_since_optimisation=18)

    reason = study_parameters_optimise_task(student.pk)

    assert reason == "only 15 qualifying reviews (< 20 to fit and check)"
    study_settings = StudySettings.objects.get(user=student)
    assert study_settings.parameters == old
    assert study_settings.optimisation_note.endswith(
        "only 15 qualifying reviews (< 20 to fit and check)"
    )


def test_a_failed_optimisation_keeps_the_old_parameters(
    student, passage, now, settings, monkeypatch
):
    settings.STUDY_OPTIMISE_MIN_REVIEWS = 30
    history(student, passage, now)
    StudySettings.objects.create(user=student, reviews_since_optimisation=72)

    def broken(*args, **kwargs):
        raise FloatingPointError("overflow")

    monkeypatch.setattr("quizzes.study.services.parameters.optimise_parameters", broken)

    reason = study_parameters_optimise_task(student.pk)

    assert reason == "optimisation failed: overflow"
    study_settings = StudySettings.objects.get(user=student)
    assert study_settings.parameters is None
    assert study_settings.reviews_since_optimisation == 72


def test_weekly_optimisation_runs_for_learners_with_new_reviews(
    student, other_student, monkeypatch
):
    StudySettings.objects.create(user=student, reviews_since_optimisation=3)
    StudySettings.objects.create(user=other_student, reviews_since_optimisation=0)
    queued = []
    monkeypatch.setattr(study_parameters_optimise_task, "delay", queued.append)

    assert study_parameters_optimise_all_task() == 1
    assert queued == [student.pk]


def test_nightly_rollup_is_idempotent(student, question, now):
    yesterday = now - timedelta(days=1)
    ReviewLogFactory(
        user=student,
        question=question,
        reviewed_at=yesterday,
        rating=3,
        duration_ms=5000,
        state_before={"state": "new"},
    )
    ReviewLogFactory(
        user=student, question=question, reviewed_at=yesterday, rating=1, duration_ms=7000
    )
    ReviewLogFactory(user=student, question=question, reviewed_at=now, rating=3)
    CardStateFactory(user=student, question=question, due=now + timedelta(days=2), last_review=now)

    study_rollup_all_task()
    study_day_rollup_task(student.pk, "2026-03-01")

    day = StudyDay.objects.get()
    assert (day.date.isoformat(), day.reviews, day.passed, day.new_cards, day.time_ms) == (
        "2026-03-01",
        2,
        1,
        1,
        12000,
    )
    assert day.forecast[2] == {"date": "2026-03-04", "count": 1}


def test_due_reminder_is_sent_once_a_day(student, question, now):
    CardStateFactory(
        user=student,
        question=question,
        due=now - timedelta(hours=1),
        last_review=now - timedelta(days=3),
    )

    assert study_due_reminders_all_task() == 1
    assert study_due_reminder_task(student.pk) is True
    assert study_due_reminders_all_task() == 1

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.com"]
    assert mail.outbox[0].subject == "1 card is due for review"
    assert DueReminder.objects.get().due_count == 1


def test_no_reminder_without_due_cards_or_when_opted_out(student, other_student, question, now):
    CardStateFactory(user=student, question=question, due=now + timedelta(days=1), last_review=now)
    CardStateFactory(
        user=other_student,
        question=question,
        due=now - timedelta(days=1),
        last_review=now - timedelta(days=4),
    )
    StudySettings.objects.create(user=other_student, reminders_enabled=False)

    assert study_due_reminder_task(student.pk) is False
    assert study_due_reminder_task(other_student.pk) is False
    assert mail.outbox == []
    assert DueReminder.objects.count() == 0


def test_a_failed_send_is_not_recorded_so_a_retry_sends_it(student, question, now, monkeypatch):
    CardStateFactory(
        user=student,
        question=question,
        due=now - timedelta(hours=1),
        last_review=now - timedelta(days=3),
    )

    def down(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr("quizzes.study.services.batch.send_mail", down)
    with pytest.raises(ConnectionError):
        study_due_reminder_task(student.pk)
    assert DueReminder.objects.count() == 0

    monkeypatch.undo()
    assert study_due_reminder_task(student.pk) is True
    assert len(mail.outbox) == 1


def test_pending_imports_are_sent_again_by_the_sweep(student, now, time_machine, monkeypatch):
    stale = ParameterImport.objects.create(user=student, content="x")
    time_machine.move_to(now + timedelta(minutes=3), tick=False)
    ParameterImport.objects.create(user=student, content="y")  # just made: left alone
    queued = []
    monkeypatch.setattr(study_parameter_import_task, "delay", queued.append)

    assert study_parameter_imports_requeue_task() == 1
    assert queued == [stale.pk]


def test_the_nightly_rollup_sends_one_task_per_chunk_of_learners(
    question, now, settings, monkeypatch
):
    from quizzes.study.tasks import study_day_rollup_chunk_task
    from tests.factories import UserFactory

    # given five learners with cards and one without, in chunks of two
    settings.STUDY_FANOUT_CHUNK = 2
    learners = UserFactory.create_batch(5)
    for learner in learners:
        CardStateFactory(user=learner, question=question, due=now, last_review=now)
    UserFactory()
    sent = []
    monkeypatch.setattr(
        study_day_rollup_chunk_task, "delay", lambda ids, day: sent.append((ids, day))
    )

    assert study_rollup_all_task("2026-03-01") == 5

    ids = [learner.pk for learner in learners]
    assert sent == [(ids[0:2], "2026-03-01"), (ids[2:4], "2026-03-01"), (ids[4:5], "2026-03-01")]
    # and the chunk tasks keep no result rows
    assert study_day_rollup_chunk_task.ignore_result is True


def test_a_chunk_rolls_up_each_learner_as_the_one_learner_task_does(question, now):
    from quizzes.study.services import study_day_rollup
    from quizzes.study.tasks import study_day_rollup_chunk_task
    from tests.factories import UserFactory

    learners = UserFactory.create_batch(3)
    yesterday = now - timedelta(days=1)
    for index, learner in enumerate(learners):
        for n in range(index + 1):
            ReviewLogFactory(
                user=learner,
                question=question,
                rating=1 + n % 4,
                reviewed_at=yesterday + timedelta(minutes=n),
                duration_ms=1000 * n,
                state_before={"state": "new" if n == 0 else "review"},
            )
        CardStateFactory(
            user=learner, question=question, last_review=yesterday, due=now + timedelta(days=index)
        )

    assert study_day_rollup_chunk_task([u.pk for u in learners], "2026-03-01") == 3
    chunked = {
        row.user_id: (row.reviews, row.passed, row.new_cards, row.time_ms, row.forecast)
        for row in StudyDay.objects.all()
    }
    StudyDay.objects.all().delete()
    single = {}
    for learner in learners:
        row = study_day_rollup(user=learner, day=yesterday.date(), now=now)
        single[learner.pk] = (row.reviews, row.passed, row.new_cards, row.time_ms, row.forecast)

    assert chunked == single
    assert [chunked[u.pk][:4] for u in learners] == [(1, 0, 1, 0), (2, 1, 1, 1000), (3, 2, 1, 3000)]
    assert [chunked[u.pk][4][i]["count"] for u, i in zip(learners, (0, 1, 2), strict=True)] == [
        1,
        1,
        1,
    ]
