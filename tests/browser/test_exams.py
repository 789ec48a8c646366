"""Exam plans in the browser: a student plans for a deck; a teacher plans on an assignment."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.core.scheduling import StudyClock
from quizzes.study.models import ExamPlan
from tests.browser import data
from tests.browser.conftest import log_in
from tests.study.factories import CardStateFactory


def test_a_student_plans_for_an_exam_and_sees_the_plan_on_the_dashboard_and_study_page(
    new_page,
):
    # Given a student and a deck of five new cards
    deck, _, _ = data.deck_with_questions(5, title="Civil war")
    student = data.student("sam")
    today = StudyClock(settings.TIME_ZONE, 4).day(timezone.now())
    exam_date = today + timedelta(days=9)
    page = new_page()
    log_in(page, "sam", data.PASSWORD, next_path="/dashboard")
    expect(page.locator("#exam-empty")).to_have_text("No exam coming up.")

    # A date in the past is refused, naming the problem
    page.get_by_label("Deck", exact=True).select_option(str(deck.pk))
    page.get_by_label("Exam date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Plan for the exam").click()
    expect(page.locator("#exam-error")).to_contain_text("exam_date must be after today")
    assert not ExamPlan.objects.exists()

    # When they plan for an exam in nine days at 90%
    page.get_by_label("Exam date").fill(exam_date.isoformat())
    page.get_by_label("Target recall (%)").fill("90")
    page.get_by_role("button", name="Plan for the exam").click()

    # Then the dashboard shows the plan: five new cards over days 0..7, one today;
    # nothing learned yet, so every card is at risk
    expect(page.locator("#exam-table")).to_contain_text("Civil war")
    plan = ExamPlan.objects.get(user=student)
    row = page.locator(f'#exam-table tr[data-plan="{plan.pk}"]')
    expect(row).to_contain_text(f"{exam_date.isoformat()} (9 days)")
    expect(row.locator(".exam-new")).to_have_text("1")
    expect(row.locator(".exam-reviews")).to_have_text("0")
    expect(row.locator(".exam-recall")).to_have_text("0%")
    expect(row.locator(".exam-risk")).to_have_text("5")

    # And the deck's study session states the plan and introduces the planned card
    page.get_by_role("link", name="Study Civil war").click()
    expect(page).to_have_url(re.compile(rf"/study\?deck={deck.pk}"))
    line = page.locator(f'#exam-plan li[data-plan="{plan.pk}"]')
    expect(line).to_have_text(
        f"Civil war: exam on {exam_date.isoformat()} (in 9 days), target 90%. Plan: 1 new card "
        "today, 0 reviews a day; predicted recall on the day 0%, 5 cards at risk."
    )


def test_a_teacher_plans_on_an_assignment_and_sees_who_is_at_risk(new_page):
    teacher = data.teacher("tess")
    sam, rosa = data.student("sam"), data.student("rosa")
    deck, _, questions = data.deck_with_questions(2)
    _, assignment = data.class_with_quiz(teacher=teacher, students=[sam, rosa], questions=questions)
    now = timezone.now()
    # sam has both cards well learned; rosa has not started
    for question in questions:
        CardStateFactory(
            user=sam,
            question=question,
            stability=400.0,
            last_review=now,
            due=now + timedelta(days=300),
        )
    page = new_page()
    log_in(page, "tess", data.PASSWORD, next_path=f"/teach/assignments/{assignment.pk}/results")
    expect(page.locator('#students tr[data-student="sam"] .exam-recall')).to_have_text("—")

    page.get_by_label("Target recall (%)").fill("90")
    page.get_by_role("button", name="Plan for the due date").click()

    expect(page.locator("#exam-summary")).to_have_text(
        re.compile(r"target 90%: the class's predicted recall on the day is 50%; 1 student at risk")
    )
    expect(page.locator('#students tr[data-student="sam"] .exam-recall')).to_have_text("100%")
    expect(page.locator('#students tr[data-student="rosa"] .exam-recall')).to_have_text(
        "0% at risk"
    )
    assert ExamPlan.objects.get(assignment=assignment).target == 0.9
