"""Test 1: a student studies five cards with the keyboard; the dashboard follows."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.core.scheduling import StudyClock
from tests.browser import data
from tests.browser.conftest import log_in


def today_cell(page):
    # the learner's study day: the site's time zone, a new day from 4 am
    today = StudyClock(settings.TIME_ZONE, 4).day(timezone.now()).isoformat()
    return page.locator(f'#heatmap rect[data-date="{today}"]')


def test_student_studies_five_cards_with_the_keyboard_and_the_dashboard_changes(new_page):
    # Given a student and a deck with five new cards
    deck, passage, questions = data.deck_with_questions(5)
    data.student("sam")
    page = new_page()
    log_in(page, "sam", data.PASSWORD, next_path="/dashboard")

    # The dashboard starts empty
    expect(page.locator("#stat-new")).to_have_text("5")
    expect(page.locator("#stat-today")).to_have_text("0")
    expect(page.locator("#stat-streak")).to_have_text("0")
    expect(today_cell(page)).to_have_attribute("data-count", "0")

    # When the student goes to the deck's study session with the keyboard
    study_link = page.get_by_role("link", name=f"Study {deck.title}")
    study_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/study\?deck={deck.pk}"))
    card = page.locator("#session")

    # ... and answers five cards: Space reveals, 3 is Good, Space moves on
    for number in range(1, 6):
        expect(card).to_have_attribute("data-state", "front")
        expect(page.locator("#study-count")).to_have_text(f"Card {number} of 5")
        page.keyboard.press("Space")
        expect(card).to_have_attribute("data-state", "back")
        expect(card.locator("#card-answer")).to_be_visible()
        # Each button shows the interval it gives
        for rating in range(1, 5):
            expect(card.locator(f'button[data-rating="{rating}"] small')).to_have_text(
                re.compile(rf"\S+ · {rating}"))
        page.keyboard.press("3")
        expect(card).to_have_attribute("data-state", "after")
        # The source passage, with the evidence highlighted
        expect(card.locator("mark.evidence")).to_have_text(
            passage.text[questions[number - 1].evidence_start:questions[number - 1].evidence_end])
        expect(card.locator("#rated")).to_contain_text("Good")
        page.keyboard.press("Space")

    # Then a summary closes the session
    expect(card).to_have_attribute("data-state", "done")
    expect(card.locator("#summary")).to_contain_text("You studied 5 cards")
    expect(card.locator('li[data-rating="3"]')).to_have_text("Good: 5")

    # And the dashboard's counts and heatmap have changed
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Back to the dashboard")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("#stat-today")).to_have_text("5")
    expect(page.locator("#stat-new")).to_have_text("0")
    expect(page.locator("#stat-streak")).to_have_text("1")
    expect(today_cell(page)).to_have_attribute("data-count", "5")
    expect(page.locator("#heatmap-summary")).to_contain_text("5 today")
    expect(page.locator(f'#decks tr[data-deck="{deck.pk}"]')).to_be_visible()
