import pytest
from django.db import IntegrityError, connection
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_auth_flow_against_postgresql():
    client = APIClient()
    created = client.post(
        "/api/v1/auth/register",
        {"username": "pia", "email": "pia@example.com", "password": PASSWORD, "role": "student"},
    )
    assert created.status_code == 201

    tokens = client.post("/api/v1/auth/token", {"username": "pia", "password": PASSWORD}).json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get("/api/v1/me").json()["role"] == "student"

    rotated = client.post("/api/v1/auth/token/refresh", {"refresh": tokens["refresh"]}).json()
    assert client.post("/api/v1/auth/logout", {"refresh": rotated["refresh"]}).status_code == 204
    refused = client.post("/api/v1/auth/token/refresh", {"refresh": rotated["refresh"]})
    assert refused.status_code == 401


def test_database_refuses_a_second_account_with_the_same_email_in_other_case():
    UserFactory(username="one", email="Same@Example.com")

    with pytest.raises(IntegrityError):
        User.objects.create(username="two", email="same@example.com")


def test_database_refuses_an_unknown_role():
    with pytest.raises(IntegrityError):
        User.objects.create(username="x", email="x@example.com", role="admin")
