"""Join codes cannot be guessed: long codes, and joins limited per user and per address."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from accounts.models import Classroom, Membership
from studyapp.api.throttling import fail_open_cache
from tests.factories import ClassroomFactory, UserFactory

pytestmark = pytest.mark.django_db

JOIN = "/api/v1/classrooms/join"


def _rates(**rates: str) -> dict:
    base = dict(api_settings.user_settings.get("DEFAULT_THROTTLE_RATES", {}))
    return {**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": {**base, **rates}}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    fail_open_cache.clear_fallback()
    yield
    cache.clear()


@override_settings(REST_FRAMEWORK=_rates(join_user="3/hour"), TRUSTED_PROXY_HOPS=1)
def test_one_student_guessing_codes_is_stopped_from_any_address():
    classroom = ClassroomFactory()
    guesser = APIClient()
    guesser.force_authenticate(UserFactory(username="guesser"))

    codes = [
        guesser.post(
            JOIN, {"code": f"ZZZZZZZ{i}"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(3)
    ]
    right_code_too_late = guesser.post(
        JOIN, {"code": classroom.join_code}, HTTP_X_FORWARDED_FOR="203.0.113.50"
    )

    assert codes == [404, 404, 404]
    assert right_code_too_late.status_code == 429
    assert right_code_too_late.json()["code"] == "throttled"
    assert not Membership.objects.exists()


@override_settings(REST_FRAMEWORK=_rates(join="3/hour"), TRUSTED_PROXY_HOPS=0)
def test_many_accounts_guessing_from_one_address_are_stopped():
    ClassroomFactory()
    codes = []
    for i in range(4):
        client = APIClient()
        client.force_authenticate(UserFactory(username=f"sock{i}"))
        codes.append(client.post(JOIN, {"code": f"ZZZZZZZ{i}"}).status_code)

    assert codes == [404, 404, 404, 429]


def test_new_codes_have_eight_characters_and_old_six_character_codes_still_work():
    teacher = UserFactory(username="tess", role="teacher")
    client = APIClient()
    client.force_authenticate(teacher)
    new = client.post("/api/v1/classrooms", {"name": "New"}).json()["join_code"]
    old = ClassroomFactory(join_code="ABCDEF")
    student = APIClient()
    student.force_authenticate(UserFactory(username="sam"))

    joined = student.post(JOIN, {"code": "abc-def"})

    assert len(new) == 8
    assert Classroom.objects.get(join_code=new).teacher == teacher
    assert joined.status_code == 200
    assert joined.json()["classroom"]["id"] == old.pk
