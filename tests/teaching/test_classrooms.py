import pytest
import time_machine

from accounts.models import JOIN_CODE_ALPHABET, Classroom, Membership
from tests.conftest import authenticated
from tests.factories import ClassroomFactory, UserFactory
from tests.teaching.factories import OPENS

pytestmark = pytest.mark.django_db


def test_a_teacher_creates_a_class_with_a_short_unambiguous_code(api_client, teacher):
    response = authenticated(api_client, teacher).post(
        "/api/v1/classrooms", {"name": " History 10B "}
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["is_open"], body["student_count"]) == ("History 10B", True, 0)
    assert len(body["join_code"]) == 8
    assert set(body["join_code"]) <= set(JOIN_CODE_ALPHABET)
    assert not set(body["join_code"]) & set("0O1IL")
    assert Classroom.objects.get().teacher == teacher


def test_a_student_joins_with_the_code_in_any_case_and_joining_twice_is_harmless(
    api_client, classroom, outsider
):
    client = authenticated(api_client, outsider)
    code = classroom.join_code.lower()

    first = client.post("/api/v1/classrooms/join", {"code": f" {code} "})
    second = client.post("/api/v1/classrooms/join", {"code": code})

    assert first.status_code == second.status_code == 200
    assert first.json()["classroom"] == {
        "id": classroom.pk,
        "name": "History 10A",
        "teacher": {"id": classroom.teacher_id, "username": "tess"},
        "is_open": True,
        "created_at": classroom.created_at.isoformat().replace("+00:00", "Z"),
    }
    assert Membership.objects.filter(student=outsider).count() == 1


def test_the_class_list_shows_teachers_their_classes_and_students_their_memberships(
    api_client, teacher, classroom, student
):
    ClassroomFactory(name="Not mine")

    as_teacher = authenticated(api_client, teacher).get("/api/v1/classrooms").json()
    api_client.force_authenticate(student)
    as_student = api_client.get("/api/v1/classrooms").json()

    assert as_teacher["count"] == 1
    assert as_teacher["results"][0]["join_code"] == classroom.join_code
    assert as_teacher["results"][0]["student_count"] == 1
    assert as_student["count"] == 1
    assert "join_code" not in as_student["results"][0]


def test_regenerating_the_code_retires_the_old_one(api_client, teacher, classroom, outsider):
    old = classroom.join_code

    response = authenticated(api_client, teacher).post(
        f"/api/v1/classrooms/{classroom.pk}/join-code"
    )

    new = response.json()["join_code"]
    assert response.status_code == 200
    assert new != old
    assert Classroom.objects.get().join_code == new
    api_client.force_authenticate(outsider)
    refused = api_client.post("/api/v1/classrooms/join", {"code": old})
    assert refused.status_code == 404
    assert refused.json()["fields"] == {"code": ["No class has that join code."]}
    assert api_client.post("/api/v1/classrooms/join", {"code": new}).status_code == 200


def test_a_closed_class_refuses_new_members_but_keeps_its_students(
    api_client, teacher, classroom, student, outsider
):
    closed = authenticated(api_client, teacher).patch(
        f"/api/v1/classrooms/{classroom.pk}", {"is_open": False}
    )
    api_client.force_authenticate(outsider)
    refused = api_client.post("/api/v1/classrooms/join", {"code": classroom.join_code})

    assert closed.status_code == 200
    assert closed.json()["is_open"] is False
    assert refused.status_code == 400
    assert refused.json()["code"] == "closed"
    assert list(Membership.objects.values_list("student__username", flat=True)) == ["sam"]


def test_the_roster_lists_students_with_their_progress(api_client, teacher, classroom, student):
    UserFactory(username="zoe").memberships.create(classroom=classroom)

    with time_machine.travel(OPENS, tick=False):
        response = authenticated(api_client, teacher).get(
            f"/api/v1/classrooms/{classroom.pk}/students"
        )

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["student"]["username"] for row in body["results"]] == ["sam", "zoe"]
    for row in body["results"]:
        # the /study/progress body, for a student with no reviews
        assert row["progress"]["streak_days"] == 0
        assert row["progress"]["reviews_per_day"] == []


def test_a_teacher_removes_a_student(api_client, teacher, classroom, student, classmate):
    client = authenticated(api_client, teacher)

    response = client.delete(f"/api/v1/classrooms/{classroom.pk}/students/{student.pk}")
    again = client.delete(f"/api/v1/classrooms/{classroom.pk}/students/{student.pk}")

    assert response.status_code == 204
    assert again.status_code == 404
    assert list(Membership.objects.values_list("student__username", flat=True)) == ["cleo"]
