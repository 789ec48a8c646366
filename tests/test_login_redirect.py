"""After logging in, `next` only ever leads to a path on this site."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _next_of(client, query: str) -> str:
    page = client.get(f"/login?{query}").content.decode()
    return re.search(r'id="login-form" novalidate data-next="([^"]*)"', page).group(1)


@pytest.mark.parametrize(
    "query",
    [
        "next=/%09/evil.invalid/",
        "next=/%0a/evil.invalid/",
        "next=/%0d/evil.invalid/",
        "next=%09/evil.invalid/",
        "next=//evil.invalid/",
        "next=/\\evil.invalid/",
        "next=https://evil.invalid/",
        "next=javascript:alert(1)",
        "next=/login?next=/dashboard",
        "next=evil.invalid",
    ],
)
def test_a_next_that_leaves_the_site_is_dropped(client, query):
    assert _next_of(client, query) == ""


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("next=/teach/classes", "/teach/classes"),
        ("next=/quiz/3%3Fa%3D1", "/quiz/3?a=1"),
        ("", ""),
    ],
)
def test_a_path_on_this_site_is_kept(client, query, kept):
    assert _next_of(client, query) == kept.replace("&", "&amp;")
