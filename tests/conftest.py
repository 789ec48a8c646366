import pytest
from rest_framework.test import APIClient

from tests.factories import ClassroomFactory, MembershipFactory, TeacherFactory, UserFactory


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def teacher(db):
    return TeacherFactory(username="tess")


@pytest.fixture
def other_teacher(db):
    """A teacher who must not see `teacher`'s classes."""
    return TeacherFactory(username="otto")


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(teacher=teacher, name="History 10A")


@pytest.fixture
def student(classroom):
    """A student in `teacher`'s class."""
    student = UserFactory(username="sam")
    MembershipFactory(classroom=classroom, student=student)
    return student


@pytest.fixture
def outsider(db):
    """A student in no class of `teacher`."""
    return UserFactory(username="olga")


def authenticated(client: APIClient, user) -> APIClient:
    client.force_authenticate(user=user)
    return client
