"""The issue's "done when", through the API only."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.factories import MultipleChoiceQuestionFactory, PassageFactory, QuestionFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_class_takes_a_drawn_timed_quiz_and_the_teacher_sees_the_results(teacher, outsider, deck):
    # given a deck with two passages of approved questions
    first, second = PassageFactory(deck=deck, order=1), PassageFactory(deck=deck, order=2)
    cloze = QuestionFactory(passage=first, score=0.9)
    QuestionFactory(passage=first, score=0.5)
    choice = MultipleChoiceQuestionFactory(passage=second, score=0.8)
    tess, olga = as_user(teacher), as_user(outsider)

    with time_machine.travel(MONDAY, tick=False):
        # the teacher creates a class, draws a quiz set and assigns it with 10 minutes
        classroom = tess.post("/api/v1/classrooms", {"name": "History 10C"}).json()
        quiz_set = tess.post(
            "/api/v1/quiz-sets", {"title": "Kronstadt", "deck": deck.pk, "count": 2}
        ).json()
        assert quiz_set["questions"] == [cloze.pk, choice.pk]
        assignment = tess.post(
            "/api/v1/assignments",
            {
                "classroom": classroom["id"],
                "quiz_set": quiz_set["id"],
                "opens_at": "2026-03-02T09:00:00Z",
                "due_at": "2026-03-03T09:00:00Z",
                "time_limit_seconds": 600,
                "feedback": "immediately",
            },
        ).json()

        # a student joins with the code and starts
        assert (
            olga.post("/api/v1/classrooms/join", {"code": classroom["join_code"]}).status_code
            == 200
        )
        attempt = olga.post(f"/api/v1/assignments/{assignment['id']}/attempts").json()
        olga.put(f"/api/v1/attempts/{attempt['id']}/responses/{cloze.pk}", {"answer": "March 1921"})

    # she reloads on another device four minutes later, finds her answer, and submits
    with time_machine.travel(MONDAY + timedelta(minutes=4), tick=False):
        phone = as_user(outsider)
        resumed = phone.post(f"/api/v1/assignments/{assignment['id']}/attempts")
        assert resumed.status_code == 200
        assert resumed.json()["responses"][0]["answer"] == "March 1921"
        phone.put(
            f"/api/v1/attempts/{attempt['id']}/responses/{choice.pk}",
            {"answer": "The Tenth Party Congress"},
        )
        result = phone.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
        assert (result["score"], result["max_score"]) == (2.0, 2.0)
        assert [item["is_correct"] for item in result["feedback"]] == [True, True]

        # the teacher sees her score, the item statistics and the gradebook
        results = tess.get(f"/api/v1/assignments/{assignment['id']}/results").json()
        csv = tess.get(
            f"/api/v1/assignments/{assignment['id']}/results", {"format": "csv"}
        ).content.decode()
        listed = olga.get("/api/v1/assignments").json()["results"]

    assert [
        (row["student"]["username"], row["score"], row["time_taken_seconds"])
        for row in results["students"]
    ] == [("olga", 2.0, 240.0)]
    assert [(row["facility"], row["discrimination"]) for row in results["questions"]] == [
        (1.0, None),
        (1.0, None),
    ]
    assert csv.splitlines()[1].split(",")[1:] == [
        "olga",
        "olga@example.com",
        "submitted",
        "1",
        "2.0",
        "2.0",
        "100.0",
        "240.0",
        "2026-03-02T10:04:00+00:00",
    ]
    assert [(row["title"], row["status"]) for row in listed] == [("Kronstadt", "submitted")]
