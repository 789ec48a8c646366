"""Every main page at desktop (1280x800) and phone (390x844) width.

The test opens each page at both sizes and checks it renders without a
JavaScript error. With SAVE_SCREENSHOTS=1 (see scripts/screenshots.py) the
pictures are written to docs/screenshots/, so the pages can be seen without
running anything; otherwise they go to a temporary folder.
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from quizzes.study.services import ReviewInput, review_record
from tests.browser import data
from tests.browser.conftest import DESKTOP, PHONE, log_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def review_history(user, questions) -> None:
    """A few weeks of reviews, so the heatmap, streak and forecast have something to show."""
    now = timezone.now()
    for days_ago in (40, 33, 30, 21, 20, 14, 9, 8, 6, 5, 3, 2, 1):
        for number, question in enumerate(questions[: 1 + days_ago % 4]):
            when = now - timedelta(days=days_ago, minutes=number)
            review_record(
                user=user,
                data=ReviewInput(
                    client_id=uuid.uuid4(),
                    question_id=question.pk,
                    rating=1 if (days_ago + number) % 5 == 0 else 3,
                    reviewed_at=when,
                    duration_ms=8000,
                ),
                now=when,
            )


def test_every_main_page_renders_at_desktop_and_phone_width(new_page, tmp_path):
    folder = SCREENSHOTS if os.environ.get("SAVE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    tess = data.teacher("tess")
    alice, bea = data.student("alice"), data.student("bea")
    deck, passage, questions = data.deck_with_questions(8, title="Kronstadt 1921")
    classroom, assignment = data.class_with_quiz(
        teacher=tess, students=[alice, bea], questions=questions[:3]
    )
    review_history(alice, questions[:4])
    bea_attempt = data.submitted_attempt(
        student=bea,
        assignment=assignment,
        answers={questions[0].pk: "March 1921", questions[1].pk: "The Tenth Party Congress"},
    )

    student_pages = [
        ("dashboard", "/dashboard", "#heatmap svg"),
        ("study", f"/study?deck={deck.pk}", '#session[data-state="front"]'),
        ("reader", f"/decks/{deck.pk}/read", f"#passage-{passage.pk}"),
        ("quiz", f"/quiz/{assignment.pk}", "#timer"),
    ]
    teacher_pages = [
        ("teach-home", "/teach/", "#decks tr[data-deck]"),
        ("teach-import", "/teach/import", "#import-form"),
        ("teach-review", f"/teach/decks/{deck.pk}/review", ".qitem"),
        ("teach-quiz-sets", f"/teach/quiz-sets?deck={deck.pk}", "#sets li[data-quiz-set]"),
        ("teach-classes", "/teach/classes", "section[data-classroom] .code"),
        ("teach-assignments", "/teach/assignments", "#assignments li[data-assignment]"),
        (
            "teach-results",
            f"/teach/assignments/{assignment.pk}/results",
            "#students tr[data-student]",
        ),
        ("attempt", f"/attempts/{bea_attempt.pk}", "#score"),
    ]
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        anonymous = new_page(viewport=viewport)
        for name, path in (
            ("login", "/login"),
            ("register", "/register"),
            ("session-expired", "/login?reason=expired&next=/dashboard"),
            ("error", "/error"),
        ):
            anonymous.goto(path)
            expect(anonymous.locator("h1")).to_be_visible()
            anonymous.screenshot(path=folder / f"{name}-{size}.png", full_page=True)

        student = new_page(viewport=viewport)
        log_in(student, "alice", data.PASSWORD)
        for name, path, ready in student_pages:
            student.goto(path)
            if name == "quiz":
                # Started on the first pass; resumed on the second.
                expect(student.locator("#timer, #start").first).to_be_visible()
                if student.locator("#start").count():
                    student.locator("#start").click()
            expect(student.locator(ready).first).to_be_visible()
            student.screenshot(path=folder / f"{name}-{size}.png", full_page=True)
            if name == "study":
                student.keyboard.press("Space")
                student.keyboard.press("3")
                expect(student.locator("#session mark.evidence")).to_be_visible()
                student.screenshot(path=folder / f"study-passage-{size}.png", full_page=True)
        student.goto("/teach/classes")
        expect(student.get_by_role("heading", name="Not allowed")).to_be_visible()
        student.screenshot(path=folder / f"forbidden-{size}.png", full_page=True)

        teacher = new_page(viewport=viewport)
        log_in(teacher, "tess", data.PASSWORD)
        for name, path, ready in teacher_pages:
            teacher.goto(path)
            expect(teacher.locator(ready).first).to_be_visible()
            if name == "teach-review":
                teacher.locator(".qitem button.show").first.click()
                expect(teacher.locator("#passage mark.evidence")).to_be_visible()
            teacher.screenshot(path=folder / f"{name}-{size}.png", full_page=True)
            if name == "teach-import":
                teacher.get_by_label("Title").fill("The Kronstadt rising")
                teacher.get_by_label("Paste the text").fill(passage.text)
                teacher.get_by_role("button", name="Import and generate questions").click()
                expect(teacher.locator("#gen-progress")).to_have_attribute(
                    "data-state", re.compile("succeeded|failed"), timeout=60_000
                )
                teacher.screenshot(path=folder / f"teach-import-done-{size}.png", full_page=True)

    assert len(list(folder.glob("*-desktop.png"))) == len(list(folder.glob("*-phone.png"))) == 19
