"""Races that only a database with row locks can show, on PostgreSQL."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections

from quizzes.teaching.models import Attempt
from quizzes.teaching.services import attempt_start, attempt_submit, response_save
from quizzes.teaching.services import attempts as attempts_module

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_two_submits_at_once_grade_once(student, assignment, questions, monkeypatch):
    # given an attempt with one right answer, and a grader slow enough to overlap
    attempt, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    response_save(attempt=attempt, question_id=questions[0].pk, answer="1921", now=MONDAY)
    calls = []
    real_grade = attempts_module._grade

    def slow_grade(locked):
        calls.append(locked.pk)
        time.sleep(0.3)
        return real_grade(locked)

    monkeypatch.setattr(attempts_module, "_grade", slow_grade)

    # when two submits arrive at the same moment
    results = run_together(
        lambda: attempt_submit(attempt=attempt, now=MONDAY + timedelta(minutes=1)),
        lambda: attempt_submit(attempt=attempt, now=MONDAY + timedelta(minutes=2)),
    )

    # then the attempt is graded once and both callers see that one result
    assert calls == [attempt.pk]
    assert {(result.score, result.submitted_at) for result in results} == {
        (1.0, results[0].submitted_at)
    }
    assert Attempt.objects.get().score == 1.0


def test_two_starts_at_once_open_one_attempt(student, assignment):
    results = run_together(
        lambda: attempt_start(student=student, assignment=assignment, now=MONDAY),
        lambda: attempt_start(student=student, assignment=assignment, now=MONDAY),
    )

    assert len({attempt.pk for attempt, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, True]
    assert Attempt.objects.count() == 1


def test_two_edits_of_a_question_in_another_teachers_quiz_set_make_one_copy(
    quiz_set, questions, monkeypatch
):
    from quizzes.content.models import Question
    from quizzes.content.services import questions as questions_module
    from quizzes.content.services.questions import question_update
    from tests.factories import UserFactory

    # given a curated question in a teacher's quiz set, and an in-use check slow
    # enough for two edits to overlap
    staff = UserFactory(username="sara", is_staff=True)
    cloze = questions[0]
    real_check = questions_module._used_by_others

    def slow_check(question, user):
        used = real_check(question, user)
        time.sleep(0.3)
        return used

    monkeypatch.setattr(questions_module, "_used_by_others", slow_check)

    # when two staff edits of its key arrive at once
    results = run_together(
        lambda: question_update(user=staff, question_id=cloze.pk, data={"answer": "1921"}),
        lambda: question_update(user=staff, question_id=cloze.pk, data={"answer": "In 1921"}),
    )

    # then one copy holds both edits in turn, and the quiz set's question is unchanged
    copies = Question.objects.exclude(pk__in=[q.pk for q in questions])
    assert copies.count() == 1
    copy = copies.get()
    assert {result.pk for result in results} == {copy.pk}
    assert copy.answer == results[-1].answer
    assert {result.answer for result in results} == {"1921", "In 1921"}
    assert Question.objects.filter(pk=cloze.pk).values_list("answer", "replaced_by").get() == (
        "March 1921",
        copy.pk,
    )
    assert list(quiz_set.items.values_list("question_id", flat=True)) == [q.pk for q in questions]


def test_an_edit_racing_a_new_quiz_set_never_changes_the_sets_question(
    other_teacher, questions, monkeypatch
):
    from quizzes.content.models import Question
    from quizzes.content.services.questions import question_update
    from quizzes.teaching.models import QuizSet
    from quizzes.teaching.services import quiz_set_create
    from tests.factories import UserFactory

    # given another teacher building a quiz set slowly (after reading its questions)
    staff = UserFactory(username="sara", is_staff=True)
    cloze = questions[0]
    real_clean = QuizSet.full_clean

    def slow_clean(self, *args, **kwargs):
        time.sleep(0.5)
        return real_clean(self, *args, **kwargs)

    monkeypatch.setattr(QuizSet, "full_clean", slow_clean)

    def edit_a_moment_later():
        time.sleep(0.2)
        return question_update(user=staff, question_id=cloze.pk, data={"answer": "1921"})

    # when staff change the question's key meanwhile
    run_together(
        lambda: quiz_set_create(owner=other_teacher, title="Otto's quiz", question_ids=[cloze.pk]),
        edit_a_moment_later,
    )

    # then the edit waited for the set, saw it and went to a copy
    quiz_set = QuizSet.objects.get(title="Otto's quiz")
    assert list(quiz_set.items.values_list("question__answer", flat=True)) == ["March 1921"]
    assert Question.objects.get(pk=cloze.pk).replaced_by.answer == "1921"
