"""Study settings are bounded on input, and absurd stored values break no page."""

from __future__ import annotations

import uuid

import pytest
import time_machine
from rest_framework.test import APIClient

from quizzes.study.models import StudySettings
from tests.conftest import authenticated
from tests.teaching.factories import OPENS, StudyTargetFactory

pytestmark = pytest.mark.django_db

SETTINGS = "/api/v1/study/settings"
DURING = OPENS.replace(hour=10)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"learning_steps": [10**20]}, "learning_steps.0"),
        ({"learning_steps": [1e20]}, "learning_steps.0"),
        ({"learning_steps": [30 * 86400 + 1]}, "learning_steps.0"),
        ({"learning_steps": [60] * 11}, "learning_steps"),
        ({"relearning_steps": [0]}, "relearning_steps.0"),
        ({"relearning_steps": [10**12]}, "relearning_steps.0"),
        ({"desired_retention": 0.5}, "desired_retention"),
        ({"desired_retention": 1e308}, "desired_retention"),
        ({"maximum_interval_days": 36501}, "maximum_interval_days"),
        ({"maximum_interval_days": 0}, "maximum_interval_days"),
        ({"new_per_day": 10_000}, "new_per_day"),
        ({"new_per_day": -1}, "new_per_day"),
        ({"leech_threshold": 100}, "leech_threshold"),
        ({"leech_threshold": 0}, "leech_threshold"),
    ],
)
def test_out_of_range_settings_are_refused_naming_the_field(api_client, student, body, field):
    client = authenticated(api_client, student)

    response = client.patch(SETTINGS, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["fields"]) == [field]
    assert (
        not StudySettings.objects.filter(user=student)
        .exclude(
            learning_steps=[60, 600],
            relearning_steps=[600],
            desired_retention=0.9,
            maximum_interval_days=36500,
            new_per_day=20,
            leech_threshold=8,
        )
        .exists()
    )


def test_the_widest_allowed_settings_are_kept(api_client, student):
    body = {
        "learning_steps": [1, 30 * 86400],
        "relearning_steps": [60] * 10,
        "desired_retention": 0.99,
        "maximum_interval_days": 36500,
        "new_per_day": 9999,
        "leech_threshold": 99,
    }

    response = authenticated(api_client, student).patch(SETTINGS, body, format="json")

    assert response.status_code == 200
    assert {k: response.json()[k] for k in body} == body


@time_machine.travel(DURING, tick=False)
def test_absurd_stored_settings_break_neither_the_students_nor_the_teachers_pages(
    api_client, student, teacher, classroom, questions, assignment
):
    # given settings stored before the bounds existed
    target = StudyTargetFactory(classroom=classroom, deck=questions[0].passage.deck)
    StudySettings.objects.create(
        user=student,
        learning_steps=[10**20, "x"],
        relearning_steps=[1e300],
        desired_retention=1e-9,
        maximum_interval_days=10**12,
        leech_threshold=10**9,
        parameters=[1e300] * 21,
    )
    as_student = authenticated(APIClient(), student)
    as_teacher = authenticated(APIClient(), teacher)

    # when the student studies and the teacher looks
    queue = as_student.get("/api/v1/study/queue")
    review = as_student.post(
        "/api/v1/study/reviews",
        {
            "id": str(uuid.uuid4()),
            "question": questions[0].pk,
            "rating": 1,
            "reviewed_at": DURING.isoformat(),
            "duration_ms": 1000,
        },
        format="json",
    )
    pages = [
        as_student.get("/api/v1/study/progress"),
        as_student.get("/api/v1/study/queue", {"assignment": target.pk}),
        as_student.get("/api/v1/assignments"),
        as_teacher.get(f"/api/v1/classrooms/{classroom.pk}/students"),
        as_teacher.get(f"/api/v1/assignments/{target.pk}/results"),
        as_teacher.get(f"/api/v1/assignments/{assignment.pk}/results"),
    ]

    # then every page answers, and the review used the clamped steps
    assert queue.status_code == 200
    assert review.status_code == 201, review.json()
    assert review.json()["state"] == "learning"
    assert [page.status_code for page in pages] == [200] * len(pages)
    # a learning step of at most 30 days: the card is due within that
    due = review.json()["due"]
    assert due <= "2026-04-01T10:00:00Z"
