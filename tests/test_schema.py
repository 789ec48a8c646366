import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_openapi_schema_is_valid_and_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert text.startswith("openapi: 3.0.3")
    for path in ("/api/v1/auth/register", "/api/v1/auth/token", "/api/v1/auth/token/refresh",
                 "/api/v1/auth/logout", "/api/v1/me", "/api/v1/sources", "/api/v1/decks",
                 "/api/v1/passages", "/api/v1/questions", "/api/v1/jobs/{id}"):
        assert f"  {path}:" in text


@pytest.mark.django_db
def test_schema_and_docs_are_served():
    client = APIClient()

    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
