"""The Content-Security-Policy holds on every kind of page, and the pages still work under it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser import data
from tests.browser.conftest import log_in
from tests.factories import UserFactory


def test_pages_swagger_ui_and_admin_work_under_the_policy(new_page):
    data.student("alice")
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    page = new_page()

    # the web front end
    response = page.goto("/login")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    log_in(page, "alice", data.PASSWORD)
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()

    # Swagger UI renders the schema and its operations
    docs = new_page()
    assert "content-security-policy" in docs.goto("/api/docs/").headers
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("Study service API")
    expect(docs.locator(".opblock").first).to_be_visible()

    # the admin logs in and shows its index
    admin = new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("boss")
    admin.get_by_label("Password").fill(data.PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_role("heading", name="Site administration")).to_be_visible()
    # (the new_page fixture fails the test on any blocked resource or script error)
