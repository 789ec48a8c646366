"""A student cannot open a teacher's page or another student's results; text is escaped."""

from __future__ import annotations

import re
from urllib.parse import unquote

from playwright.sync_api import expect

from tests.browser import data
from tests.browser.conftest import log_in
from tests.factories import PassageFactory, QuestionFactory


def test_student_is_refused_teacher_pages_and_other_students_results(new_page):
    # Given a class whose quiz another student (bea) has submitted
    alice, bea = data.student("alice"), data.student("bea")
    classroom, assignment = data.class_with_quiz(students=[alice, bea])
    question = assignment.quiz_set.items.order_by("position").first().question
    attempt = data.submitted_attempt(
        student=bea, assignment=assignment, answers={question.pk: "bea-secret-answer"}
    )
    page = new_page()
    log_in(page, "alice", data.PASSWORD)

    # When alice opens each teacher page, the page refuses with 403
    for path in [
        "/teach/",
        "/teach/import",
        "/teach/classes",
        "/teach/quiz-sets",
        "/teach/assignments",
        f"/teach/assignments/{assignment.pk}/results",
        f"/teach/decks/{question.passage.deck_id}/review",
    ]:
        response = page.goto(path)
        assert response.status == 403, path
        expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
        content = page.content()
        assert classroom.join_code not in content
        assert "bea" not in content

    # ... and bea's attempt is not found for her
    response = page.goto(f"/attempts/{attempt.pk}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    content = page.content()
    assert "bea-secret-answer" not in content and "bea" not in content

    # ... and the API behind the pages refuses her too
    results = page.request.get(f"/api/v1/assignments/{assignment.pk}/results")
    assert results.status == 403
    assert "bea" not in results.text()
    assert page.request.get(f"/api/v1/attempts/{attempt.pk}").status == 404
    assert page.request.get(f"/api/v1/assignments/{assignment.pk}/results?format=csv").status == 403

    # Then her own quiz page shows her own state, not bea's score
    page.goto(f"/quiz/{assignment.pk}")
    expect(page.get_by_role("button", name="Start the quiz")).to_be_visible()
    assert "bea-secret-answer" not in page.content()


def test_anonymous_visitor_is_sent_to_log_in(new_page):
    page = new_page()
    page.goto("/teach/classes")
    assert unquote(page.url).endswith("/login?next=/teach/classes")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto("/dashboard")
    assert unquote(page.url).endswith("/login?next=/dashboard")


def test_passage_and_question_text_is_shown_as_text_not_html(new_page):
    # Given a passage and question containing markup
    evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b>bold</b>'
    passage = PassageFactory(heading="<i>Heading</i>", text=f"Before. {evil} After.")
    QuestionFactory(
        passage=passage,
        prompt=f"Prompt {evil}",
        answer="<b>answer</b>",
        evidence_start=0,
        evidence_end=len("Before. ") + len(evil),
    )
    data.student("sam")
    page = new_page()
    log_in(page, "sam", data.PASSWORD)

    # When the reader shows the passage
    page.goto(f"/decks/{passage.deck_id}/read")
    article = page.locator(f"#passage-{passage.pk}")
    # Then the markup is visible as text and nothing ran
    expect(article).to_contain_text(evil)
    expect(article.get_by_role("heading", name="<i>Heading</i>")).to_be_visible()
    assert article.locator("script, img, b, i").count() == 0
    assert page.evaluate("window.__pwned") is None

    # And the study session shows the question, answer and evidence as text too
    page.goto(f"/study?deck={passage.deck_id}")
    card = page.locator("#session")
    expect(card).to_contain_text(f"Prompt {evil}")
    page.keyboard.press("Space")
    expect(card).to_contain_text("<b>answer</b>")
    page.keyboard.press("3")
    expect(card.locator("mark.evidence")).to_contain_text(evil)
    assert card.locator("script, img, b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_expired_session_sends_the_user_to_log_in_with_a_message(new_page):
    _, _, questions = data.deck_with_questions(2)
    data.student("sam")
    page = new_page()
    log_in(page, "sam", data.PASSWORD)
    page.goto(f"/study?deck={questions[0].passage.deck_id}")
    expect(page.locator("#session")).to_have_attribute("data-state", "front")

    # When the session ends on the server while the page is open
    page.context.clear_cookies(name="sessionid")
    page.keyboard.press("Space")
    page.keyboard.press("3")

    # Then the API's 401 sends the user to log in, saying why, and back afterwards
    expect(page).to_have_url(re.compile(r"/login\?reason=expired&next=%2Fstudy"))
    expect(page.locator("#reason")).to_contain_text("Your session has expired")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(data.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/study\?deck="))


def test_logging_in_with_a_next_that_leaves_the_site_stays_on_the_site(new_page):
    data.student("alice")
    page = new_page()

    log_in(page, "alice", data.PASSWORD, next_path="/%09/evil.invalid/")

    assert re.search(r"^http://(127\.0\.0\.1|localhost):\d+/dashboard$", page.url), page.url
