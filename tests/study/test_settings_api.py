import pytest

from quizzes.study.models import StudySettings

pytestmark = pytest.mark.django_db

SETTINGS = "/api/v1/study/settings"


def test_a_new_learner_gets_the_default_settings(student_client):
    response = student_client.get(SETTINGS)

    assert response.status_code == 200
    body = response.json()
    assert {
        k: body[k]
        for k in (
            "desired_retention",
            "new_per_day",
            "maximum_interval_days",
            "learning_steps",
            "relearning_steps",
            "leech_threshold",
            "parameters",
        )
    } == {
        "desired_retention": 0.9,
        "new_per_day": 20,
        "maximum_interval_days": 36500,
        "learning_steps": [60, 600],
        "relearning_steps": [600],
        "leech_threshold": 8,
        "parameters": None,
    }


def test_a_learner_changes_retention_steps_and_new_cards(student, student_client):
    response = student_client.patch(
        SETTINGS,
        {"desired_retention": 0.85, "new_per_day": 5, "learning_steps": [120]},
        format="json",
    )

    assert response.status_code == 200
    saved = StudySettings.objects.get(user=student)
    assert (saved.desired_retention, saved.new_per_day, saved.learning_steps) == (0.85, 5, [120])


def test_bad_settings_are_refused_and_nothing_changes(student, student_client):
    response = student_client.patch(
        SETTINGS,
        {"desired_retention": 1.5, "learning_steps": [0], "parameters": [1]},
        format="json",
    )

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == ["desired_retention", "learning_steps.0"]
    assert not StudySettings.objects.filter(user=student).exclude(desired_retention=0.9).exists()


def test_settings_need_authentication(api_client):
    assert api_client.get(SETTINGS).status_code == 401
