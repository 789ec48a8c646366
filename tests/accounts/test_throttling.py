"""Login limits: per address and per account, behind a proxy, and with the cache down."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from studyapp.api.throttling import fail_open_cache
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/token/refresh"
REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"


def _rates(**rates: str) -> dict:
    base = dict(api_settings.user_settings.get("DEFAULT_THROTTLE_RATES", {}))
    return {**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": {**base, **rates}}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    fail_open_cache.clear_fallback()
    yield
    cache.clear()
    fail_open_cache.clear_fallback()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_down() -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }


def test_login_register_and_refresh_work_while_the_cache_is_down():
    UserFactory(username="sam")
    client = APIClient()

    with override_settings(CACHES=_redis_down()):
        token = client.post(TOKEN, {"username": "sam", "password": PASSWORD})
        registered = client.post(
            REGISTER,
            {
                "username": "nina",
                "email": "nina@example.com",
                "password": PASSWORD,
                "role": "student",
            },
        )
        refreshed = client.post(REFRESH, {"refresh": token.json()["refresh"]})
        session = APIClient().post(LOGIN, {"username": "sam", "password": PASSWORD})

    assert token.status_code == 200
    assert registered.status_code == 201
    assert refreshed.status_code == 200
    assert session.status_code == 200
    assert User.objects.filter(username="nina").exists()


def test_with_the_cache_down_the_limit_still_holds_in_the_process():
    client = APIClient()

    with override_settings(CACHES=_redis_down(), REST_FRAMEWORK=_rates(auth="3/minute")):
        codes = [
            client.post(TOKEN, {"username": f"u{i}", "password": "x"}).status_code for i in range(4)
        ]

    assert codes == [401, 401, 401, 429]


@override_settings(REST_FRAMEWORK=_rates(auth="3/minute"), TRUSTED_PROXY_HOPS=0)
def test_a_forged_forwarded_for_header_does_not_reset_the_address_limit():
    client = APIClient()

    codes = [
        client.post(
            TOKEN, {"username": f"u{i}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(4)
    ]

    assert codes == [401, 401, 401, 429]


@override_settings(REST_FRAMEWORK=_rates(auth="3/minute"), TRUSTED_PROXY_HOPS=1)
def test_behind_one_proxy_only_the_address_it_appended_counts():
    client = APIClient()

    # The client forges the left part; the proxy appends the address it saw.
    forged = [
        client.post(
            TOKEN,
            {"username": f"u{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7",
        ).status_code
        for i in range(4)
    ]
    other = client.post(
        TOKEN, {"username": "v", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )

    assert forged == [401, 401, 401, 429]
    assert other.status_code == 401


@override_settings(REST_FRAMEWORK=_rates(auth_account="3/minute"), TRUSTED_PROXY_HOPS=1)
@pytest.mark.parametrize("path", [TOKEN, LOGIN])
def test_guessing_one_account_from_many_addresses_is_limited(path):
    UserFactory(username="sam")
    client = APIClient()

    codes = [
        client.post(
            path,
            {"username": "Sam" if i % 2 else "sam", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(4)
    ]
    another_account = client.post(
        path, {"username": "kim", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )

    assert codes == [401, 401, 401, 429]
    assert another_account.status_code == 401


@override_settings(REST_FRAMEWORK=_rates(auth_account="2/minute"), TRUSTED_PROXY_HOPS=1)
def test_register_is_limited_per_username_too():
    client = APIClient()
    body = {"username": "taken", "email": "a@example.com", "password": "x", "role": "student"}

    codes = [
        client.post(REGISTER, body, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(3)
    ]

    assert codes == [400, 400, 429]


@override_settings(REST_FRAMEWORK=_rates(auth_account="2/minute"), TRUSTED_PROXY_HOPS=1)
def test_refresh_is_limited_per_user_of_the_token():
    user = UserFactory(username="sam")
    client = APIClient()
    tokens = [str(RefreshToken.for_user(user)) for _ in range(3)]

    codes = [
        client.post(REFRESH, {"refresh": token}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i, token in enumerate(tokens)
    ]

    assert codes == [200, 200, 429]


@override_settings(REST_FRAMEWORK=_rates(auth="2/minute"), TRUSTED_PROXY_HOPS=0)
def test_admin_login_is_limited():
    UserFactory(username="boss", is_staff=True)
    client = APIClient()

    codes = [
        client.post(
            "/admin/login/",
            {"username": "boss", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(3)
    ]
    later = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})

    assert codes == [200, 200, 429]  # the admin re-renders its form on a wrong password
    assert later.status_code == 429
    assert int(later["Retry-After"]) > 0


def _default_rates() -> dict:
    from studyapp import settings as production

    return _rates(
        auth=production.AUTH_THROTTLE_RATE_DEFAULT,
        auth_account=production.AUTH_ACCOUNT_THROTTLE_RATE_DEFAULT,
    )


@override_settings(TRUSTED_PROXY_HOPS=0)
def test_with_the_default_limits_a_class_behind_one_address_signs_in_but_guessing_stops():
    # a class of 30 behind one NAT signs in at the start of a lesson, 15 of them
    # mistyping their password once first: 45 attempts from one address in a minute
    for i in range(30):
        UserFactory(username=f"pupil{i}")
    client = APIClient()
    with override_settings(REST_FRAMEWORK=_default_rates()):
        codes = []
        for i in range(30):
            if i % 2:
                codes.append(
                    client.post(TOKEN, {"username": f"pupil{i}", "password": "typo"}).status_code
                )
            codes.append(
                client.post(TOKEN, {"username": f"pupil{i}", "password": PASSWORD}).status_code
            )
        cache.clear()
        # one account guessed from many addresses: stopped after 30 in the hour
        guesses = [
            client.post(
                TOKEN,
                {"username": "pupil0", "password": f"guess{i}"},
                REMOTE_ADDR=f"198.51.100.{i}",
            ).status_code
            for i in range(31)
        ]
        # and one address is still stopped at 60 a minute
        cache.clear()
        flood = [
            client.post(TOKEN, {"username": f"nobody{i}", "password": "x"}).status_code
            for i in range(61)
        ]

    assert (codes.count(200), codes.count(401), len(codes)) == (30, 15, 45)
    assert guesses == [401] * 30 + [429]
    assert flood == [401] * 60 + [429]
