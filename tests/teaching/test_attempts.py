from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from quizzes.teaching.models import Attempt, Response
from quizzes.teaching.services import attempt_start, attempt_submit, response_save
from quizzes.teaching.tasks import attempts_close_overdue_task
from studyapp.errors import ApplicationError
from tests.conftest import authenticated
from tests.factories import PassageFactory, QuestionFactory
from tests.teaching.factories import DUE, AssignmentFactory, QuizSetFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def start(client: APIClient, assignment) -> dict:
    response = client.post(f"/api/v1/assignments/{assignment.pk}/attempts")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def test_starting_an_attempt_shows_questions_without_keys_and_a_server_deadline(
    api_client, student, assignment, questions
):
    # given a 20-minute quiz that is open
    client = authenticated(api_client, student)

    # when the student starts it on Monday at 10:00
    with time_machine.travel(MONDAY, tick=False):
        response = client.post(f"/api/v1/assignments/{assignment.pk}/attempts")

    # then the deadline is start + 20 minutes and no key, variant or explanation is sent
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "in_progress"
    assert body["number"] == 1
    assert body["started_at"] == "2026-03-02T10:00:00Z"
    assert body["deadline"] == "2026-03-02T10:20:00Z"
    assert body["seconds_left"] == 1200.0
    assert body["score"] is None
    assert body["feedback"] is None
    assert body["responses"] == []
    assert body["questions"] == [
        {
            "id": questions[0].pk,
            "position": 1,
            "kind": "cloze",
            "prompt": "The Kronstadt sailors rose against the Bolshevik government in _____.",
            "choices": [],
        },
        {
            "id": questions[1].pk,
            "position": 2,
            "kind": "multiple_choice",
            "prompt": "Which party congress adopted the New Economic Policy?",
            "choices": [
                "The Ninth Party Congress",
                "The Tenth Party Congress",
                "The Eleventh Party Congress",
                "The Twelfth Party Congress",
            ],
        },
        {
            "id": questions[2].pk,
            "position": 3,
            "kind": "true_false",
            "prompt": "The Kronstadt sailors demanded free elections to the soviets.",
            "choices": ["True", "False"],
        },
    ]
    assert "March 1921" not in response.content.decode()


def test_the_deadline_is_the_due_time_when_that_comes_first(student, assignment):
    # given a 20-minute quiz due at 09:00, started at 08:50 on the due day
    ten_to_due = DUE - timedelta(minutes=10)

    # when the student starts
    attempt, created = attempt_start(student=student, assignment=assignment, now=ten_to_due)

    # then the deadline is the due time, not 09:10
    assert created is True
    assert attempt.deadline == DUE


def test_starting_again_returns_the_attempt_in_progress(api_client, student, assignment):
    client = authenticated(api_client, student)
    with time_machine.travel(MONDAY, tick=False):
        first = start(client, assignment)
    with time_machine.travel(MONDAY + timedelta(minutes=5), tick=False):
        again = client.post(f"/api/v1/assignments/{assignment.pk}/attempts")

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["seconds_left"] == 900.0
    assert Attempt.objects.count() == 1


def test_autosave_resume_and_submit(api_client, student, assignment, questions):
    client = authenticated(api_client, student)
    cloze, choice, true_false = questions
    with time_machine.travel(MONDAY, tick=False):
        attempt = start(client, assignment)

    # when the student saves answers, changing one, then reloads on another device
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        saved = client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/{cloze.pk}", {"answer": "march 1922"}
        )
        client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/{cloze.pk}", {"answer": "Marhc 1921"}
        )
        client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/{choice.pk}",
            {"answer": "the ninth party congress"},
        )
    assert saved.status_code == 200
    assert saved.json() == {
        "question": cloze.pk,
        "answer": "march 1922",
        "saved_at": "2026-03-02T10:01:00Z",
    }
    with time_machine.travel(MONDAY + timedelta(minutes=2), tick=False):
        resumed = APIClient()
        resumed.force_authenticate(student)
        body = resumed.get(f"/api/v1/attempts/{attempt['id']}").json()
        resumed.put(f"/api/v1/attempts/{attempt['id']}/responses/{true_false.pk}", {"answer": True})

    # then the saved answers come back, the choice stored as the option's text
    assert body["responses"] == [
        {"question": cloze.pk, "answer": "Marhc 1921", "saved_at": "2026-03-02T10:01:00Z"},
        {
            "question": choice.pk,
            "answer": "The Ninth Party Congress",
            "saved_at": "2026-03-02T10:01:00Z",
        },
    ]
    assert body["seconds_left"] == 1080.0

    # and submitting grades it: typo accepted, wrong option, true
    with time_machine.travel(MONDAY + timedelta(minutes=3), tick=False):
        submitted = client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    assert submitted.status_code == 200
    result = submitted.json()
    assert result["state"] == "submitted"
    assert result["score"] == 2.0
    assert result["max_score"] == 3.0
    assert result["submitted_at"] == "2026-03-02T10:03:00Z"
    assert [(f["question"], f["answer"], f["is_correct"]) for f in result["feedback"]] == [
        (cloze.pk, "Marhc 1921", True),
        (choice.pk, "The Ninth Party Congress", False),
        (true_false.pk, "true", True),
    ]
    assert result["feedback"][1]["correct_answer"] == "The Tenth Party Congress"
    assert list(Response.objects.order_by("question_id").values_list("is_correct", "reason")) == [
        (True, "typo"),
        (False, "wrong"),
        (True, "exact"),
    ]


def test_a_save_after_the_deadline_is_refused_and_changes_nothing(
    api_client, student, assignment, questions
):
    client = authenticated(api_client, student)
    with time_machine.travel(MONDAY, tick=False):
        attempt = start(client, assignment)
        client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/{questions[0].pk}", {"answer": "1921"}
        )

    # when the student saves at 10:20, the deadline
    with time_machine.travel(MONDAY + timedelta(minutes=20), tick=False):
        late = client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/{questions[0].pk}", {"answer": "1922"}
        )

    # then it is refused and the earlier answer stays
    assert late.status_code == 409
    assert late.json()["code"] == "deadline_passed"
    assert list(Response.objects.values_list("answer", flat=True)) == ["1921"]


def test_a_save_to_a_question_not_in_the_quiz_is_refused(api_client, student, assignment):
    # given an approved question from another quiz
    elsewhere = QuestionFactory()
    client = authenticated(api_client, student)
    with time_machine.travel(MONDAY, tick=False):
        attempt = start(client, assignment)
        response = client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/{elsewhere.pk}", {"answer": "March 1921"}
        )
    assert response.status_code == 404
    assert Response.objects.count() == 0


def test_a_choice_that_is_not_an_option_is_refused(student, assignment, questions):
    attempt, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    with pytest.raises(ApplicationError) as error:
        response_save(
            attempt=attempt, question_id=questions[1].pk, answer="The Politburo", now=MONDAY
        )
    assert error.value.fields == {"answer": ["Choose one of the options."]}
    assert Response.objects.count() == 0


def test_submitting_twice_grades_once(student, assignment, questions):
    # given an attempt with one right answer, submitted at 10:05
    attempt, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    response_save(attempt=attempt, question_id=questions[0].pk, answer="1921", now=MONDAY)
    first = attempt_submit(attempt=attempt, now=MONDAY + timedelta(minutes=5))

    # when a second submit arrives later (a double click, a retry)
    second = attempt_submit(attempt=attempt, now=MONDAY + timedelta(minutes=6))

    # then it returns the first result unchanged
    assert (first.score, first.max_score, first.submitted_at) == (
        1.0,
        3.0,
        MONDAY + timedelta(minutes=5),
    )
    assert (second.score, second.state, second.submitted_at) == (
        1.0,
        "submitted",
        MONDAY + timedelta(minutes=5),
    )
    assert Attempt.objects.get().submitted_at == MONDAY + timedelta(minutes=5)


def test_the_task_closes_and_grades_overdue_attempts_once(
    student, classmate, assignment, questions
):
    # given two attempts: one past its deadline with a saved answer, one still running
    late, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    response_save(attempt=late, question_id=questions[2].pk, answer="false", now=MONDAY)
    running, _ = attempt_start(
        student=classmate, assignment=assignment, now=MONDAY + timedelta(minutes=15)
    )

    # when the task runs at 10:21 and again at 10:22
    with time_machine.travel(MONDAY + timedelta(minutes=21), tick=False):
        closed = attempts_close_overdue_task.delay().get()
    with time_machine.travel(MONDAY + timedelta(minutes=22), tick=False):
        again = attempts_close_overdue_task.delay().get()

    # then only the overdue one is graded, at its deadline, and only once
    assert (closed, again) == (1, 0)
    late.refresh_from_db()
    running.refresh_from_db()
    assert (late.state, late.score, late.max_score, late.submitted_at) == (
        "timed_out",
        0.0,
        3.0,
        MONDAY + timedelta(minutes=20),
    )
    assert running.state == "in_progress"


def test_starting_after_an_overdue_attempt_grades_it_and_starts_the_second(student, assignment):
    first, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)

    second, created = attempt_start(
        student=student, assignment=assignment, now=MONDAY + timedelta(hours=1)
    )

    first.refresh_from_db()
    assert first.state == "timed_out"
    assert (created, second.number, second.deadline) == (
        True,
        2,
        MONDAY + timedelta(hours=1, minutes=20),
    )


@pytest.mark.parametrize(
    ("when", "attempts_used", "code"),
    [
        (datetime(2026, 3, 1, 9, 0, tzinfo=UTC), 0, "not_open"),
        (DUE, 0, "past_due"),
        (MONDAY + timedelta(hours=1), 2, "no_attempts_left"),
    ],
)
def test_starting_is_refused_outside_the_window_or_without_attempts_left(
    student, assignment, when, attempts_used, code
):
    for number in range(attempts_used):
        attempt, _ = attempt_start(
            student=student, assignment=assignment, now=MONDAY + timedelta(minutes=number)
        )
        attempt_submit(attempt=attempt, now=MONDAY + timedelta(minutes=number))
    with pytest.raises(ApplicationError) as error:
        attempt_start(student=student, assignment=assignment, now=when)
    assert (error.value.code, error.value.status) == (code, 409)
    assert Attempt.objects.count() == attempts_used


def test_shuffling_is_the_same_for_an_attempt_and_indexes_mean_what_was_shown(
    api_client, student, classroom, teacher, questions
):
    # given a quiz that shuffles questions and options
    quiz_set = QuizSetFactory(owner=teacher, questions=questions)
    assignment = AssignmentFactory(
        classroom=classroom, quiz_set=quiz_set, shuffle_questions=True, shuffle_options=True
    )
    client = authenticated(api_client, student)
    with time_machine.travel(MONDAY, tick=False):
        started = start(client, assignment)
        reloaded = client.get(f"/api/v1/attempts/{started['id']}").json()

    # then a reload shows the same order, every question and option is there
    assert reloaded["questions"] == started["questions"]
    assert sorted(q["id"] for q in started["questions"]) == [q.pk for q in questions]
    shown = next(q for q in started["questions"] if q["kind"] == "multiple_choice")
    assert sorted(shown["choices"]) == sorted(questions[1].choices)

    # and choosing by index picks the option at that place in the shown order
    index = shown["choices"].index("The Tenth Party Congress")
    with time_machine.travel(MONDAY, tick=False):
        saved = client.put(
            f"/api/v1/attempts/{started['id']}/responses/{questions[1].pk}", {"answer": index}
        )
    assert saved.json()["answer"] == "The Tenth Party Congress"


def test_feedback_after_the_due_time_is_hidden_until_then(
    api_client, student, classroom, teacher, questions
):
    quiz_set = QuizSetFactory(owner=teacher, questions=questions)
    assignment = AssignmentFactory(classroom=classroom, quiz_set=quiz_set, feedback="after_due")
    client = authenticated(api_client, student)
    with time_machine.travel(MONDAY, tick=False):
        attempt = start(client, assignment)
        submitted = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    with time_machine.travel(DUE, tick=False):
        after_due = client.get(f"/api/v1/attempts/{attempt['id']}").json()

    assert (submitted["score"], submitted["feedback"]) == (0.0, None)
    assert [f["is_correct"] for f in after_due["feedback"]] == [False, False, False]
    assert after_due["feedback"][0]["correct_answer"] == "March 1921"


def test_feedback_never_shows_to_the_student_but_always_to_the_teacher(
    api_client, student, teacher, classroom, questions
):
    quiz_set = QuizSetFactory(owner=teacher, questions=questions)
    assignment = AssignmentFactory(classroom=classroom, quiz_set=quiz_set, feedback="never")
    attempt, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    attempt_submit(attempt=attempt, now=MONDAY)

    with time_machine.travel(DUE + timedelta(days=1), tick=False):
        as_student = authenticated(APIClient(), student).get(f"/api/v1/attempts/{attempt.pk}")
        as_teacher = authenticated(APIClient(), teacher).get(f"/api/v1/attempts/{attempt.pk}")

    assert as_student.json()["feedback"] is None
    assert len(as_teacher.json()["feedback"]) == 3


def test_names_from_other_answers_are_not_accepted_as_typos(student, teacher, classroom, deck):
    # given a quiz asking for both Lenin and Lenina (5 letters: one typo allowed)
    passage = PassageFactory(deck=deck)
    lenin = QuestionFactory(
        passage=passage, prompt="Who led the Bolsheviks?", answer="Lenin", accepted_answers=[]
    )
    lenina = QuestionFactory(
        passage=passage, prompt="Which film star?", answer="Lenina", accepted_answers=[]
    )
    assignment = AssignmentFactory(
        classroom=classroom, quiz_set=QuizSetFactory(owner=teacher, questions=[lenin, lenina])
    )
    attempt, _ = attempt_start(student=student, assignment=assignment, now=MONDAY)
    response_save(attempt=attempt, question_id=lenin.pk, answer="Lenina", now=MONDAY)
    response_save(attempt=attempt, question_id=lenina.pk, answer="Lenina", now=MONDAY)

    graded = attempt_submit(attempt=attempt, now=MONDAY)

    assert graded.score == 1.0
    assert list(Response.objects.order_by("question_id").values_list("is_correct", "reason")) == [
        (False, "other_name"),
        (True, "exact"),
    ]
