import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register"
TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/token/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/me"


def test_register_token_me_refresh_logout_flow(api_client: APIClient):
    # given a new student registers
    response = api_client.post(
        REGISTER,
        {
            "username": "nadia",
            "email": "nadia@example.com",
            "password": PASSWORD,
            "role": "student",
        },
    )
    assert response.status_code == 201
    assert response.json()["username"] == "nadia"
    assert response.json()["role"] == "student"
    assert "password" not in response.json()

    # when she obtains tokens and asks who she is
    tokens = api_client.post(TOKEN, {"username": "nadia", "password": PASSWORD}).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api_client.get(ME)
    assert me.status_code == 200
    assert me.json()["username"] == "nadia"
    assert me.json()["role"] == "student"
    assert me.json()["email"] == "nadia@example.com"

    # then refreshing rotates the refresh token and the old one is refused
    refreshed = api_client.post(REFRESH, {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200
    assert set(refreshed.json()) == {"access", "refresh"}
    assert refreshed.json()["refresh"] != tokens["refresh"]
    reused = api_client.post(REFRESH, {"refresh": tokens["refresh"]})
    assert reused.status_code == 401

    # and after logout the current refresh token stops working
    new_refresh = refreshed.json()["refresh"]
    assert api_client.post(LOGOUT, {"refresh": new_refresh}).status_code == 204
    after = api_client.post(REFRESH, {"refresh": new_refresh})
    assert after.status_code == 401
    assert after.json()["code"] == "token_not_valid"


def test_bad_registration_names_each_wrong_field(api_client: APIClient):
    UserFactory(username="taken", email="taken@example.com")

    response = api_client.post(
        REGISTER,
        {"username": "taken", "email": "TAKEN@example.com", "password": "123", "role": "admin"},
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["fields"] == {"role": ['"admin" is not a valid choice.']}
    assert User.objects.count() == 1


def test_registration_rejects_taken_username_email_and_weak_password(api_client: APIClient):
    UserFactory(username="taken", email="taken@example.com")

    response = api_client.post(
        REGISTER,
        {
            "username": "taken",
            "email": "TAKEN@example.com",
            "password": "12345678",
            "role": "student",
        },
    )

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["username"] == ["A user with that username already exists."]
    assert fields["email"] == ["A user with that email already exists."]
    assert fields["password"] == [
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert User.objects.count() == 1


def test_registration_with_missing_fields_lists_them(api_client: APIClient):
    response = api_client.post(REGISTER, {})

    assert response.status_code == 400
    assert sorted(response.json()["fields"]) == ["email", "password", "role", "username"]
    assert response.json()["message"] == "Invalid input: check email, password, role, username."


def test_wrong_password_gets_401_in_the_error_shape(api_client: APIClient):
    UserFactory(username="sam")

    response = api_client.post(TOKEN, {"username": "sam", "password": "wrong-password"})

    assert response.status_code == 401
    assert response.json() == {
        "code": "no_active_account",
        "message": "No active account found with the given credentials",
        "fields": {},
    }


def test_me_needs_authentication(api_client: APIClient):
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_logout_with_an_invalid_token_is_refused(api_client: APIClient):
    response = api_client.post(LOGOUT, {"refresh": "not-a-token"})

    assert response.status_code == 400
    assert response.json()["code"] == "token_not_valid"


def test_auth_endpoints_are_throttled(api_client: APIClient, settings):
    # given a limit of three attempts a minute
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth": "3/minute",
        },
    }

    # when a client keeps guessing
    responses = [api_client.post(TOKEN, {"username": "x", "password": "y"}) for _ in range(4)]

    # then the fourth attempt is refused before the password is checked
    assert [r.status_code for r in responses] == [401, 401, 401, 429]
    assert responses[3].json()["code"] == "throttled"
    assert 0 < responses[3].json()["retry_after_seconds"] <= 60
    cache.clear()


def test_web_session_login_requires_csrf_and_then_works():
    UserFactory(username="sam")
    client = APIClient(enforce_csrf_checks=True)

    # without the CSRF token the login is refused
    refused = client.post("/api/v1/auth/login", {"username": "sam", "password": PASSWORD})
    assert refused.status_code == 403

    # with the token from the CSRF endpoint it succeeds and the session works
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = client.post(
        "/api/v1/auth/login", {"username": "sam", "password": PASSWORD}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    assert client.get(ME).json()["username"] == "sam"

    # an unsafe request on the session without CSRF is refused
    assert client.post(LOGOUT, {}).status_code == 403
    token = client.cookies["csrftoken"].value
    assert client.post(LOGOUT, {}, HTTP_X_CSRFTOKEN=token).status_code == 204
    assert client.get(ME).status_code == 401


def test_session_login_with_wrong_password_is_401():
    UserFactory(username="sam")
    client = APIClient()

    response = client.post("/api/v1/auth/login", {"username": "sam", "password": "nope"})

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
