import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_openapi_schema_is_valid_and_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert text.startswith("openapi: 3.0.3")
    for path in (
        "/api/v1/auth/register",
        "/api/v1/auth/token",
        "/api/v1/auth/token/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/sources",
        "/api/v1/decks",
        "/api/v1/passages",
        "/api/v1/questions",
        "/api/v1/jobs/{id}",
    ):
        assert f"  {path}:" in text


@pytest.mark.django_db
def test_schema_and_docs_are_served():
    client = APIClient()

    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()


@pytest.mark.django_db
def test_paginated_lists_are_described_as_pages_and_nullable_fields_as_nullable():
    schema = APIClient().get("/api/schema/?format=json").json()

    def response_schema(path):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        return schema["components"]["schemas"][ref]

    for path in (
        "/api/v1/classrooms",
        "/api/v1/classrooms/{classroom_id}/students",
        "/api/v1/quiz-sets",
        "/api/v1/assignments",
        "/api/v1/assignments/{assignment_id}/attempts",
        "/api/v1/study/leeches",
    ):
        page = response_schema(path)
        assert set(page["required"]) == {"count", "next", "previous", "results"}, path
        assert page["properties"]["results"]["type"] == "array", path
    components = schema["components"]["schemas"]
    assert "is_open" in components["StudentClassroomOutput"]["required"]
    assert components["SourceOutput"]["properties"]["created_by"]["nullable"] is True


@pytest.mark.django_db
def test_questions_describe_their_replacement_and_jobs_their_attempts():
    components = APIClient().get("/api/schema/?format=json").json()["components"]["schemas"]

    replaced_by = components["QuestionOutput"]["properties"]["replaced_by"]
    assert (replaced_by["type"], replaced_by["nullable"], replaced_by["readOnly"]) == (
        "integer",
        True,
        True,
    )
    job = components["JobOutput"]
    assert job["properties"]["attempts"] == {
        "type": "integer",
        "readOnly": True,
        "description": "Runs started so far: more than 1 when a worker died and the job was "
        "run again; a job whose worker keeps dying fails after JOB_MAX_ATTEMPTS.",
    }
    assert {"attempts", "message"} <= set(job["required"])
