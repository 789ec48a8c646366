"""Test 2: a teacher imports a text and assigns a quiz; a student takes it; the teacher sees it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser import data
from tests.browser.conftest import log_in, log_out

TEXT = """The Kronstadt rebellion began in March 1921, when sailors of the Baltic Fleet rose \
against the Bolshevik government. The sailors had been among the firmest supporters of the \
revolution in 1917. Their resolution, adopted on the battleship Petropavlovsk, demanded new \
elections to the soviets, freedom of speech for workers and peasants, and the release of \
socialist political prisoners.

The government refused to negotiate. Leon Trotsky ordered the Red Army to attack across the \
frozen Gulf of Finland, and Mikhail Tukhachevsky commanded the assault. After ten days of \
fighting the fortress fell on 18 March 1921. Thousands of sailors fled across the ice to \
Finland, and many of those captured were shot or sent to labour camps.

In the same month the Tenth Party Congress met in Moscow. Lenin persuaded the congress to \
replace grain requisitioning with a tax in kind, the first step of the New Economic Policy. \
The congress also banned factions inside the Communist Party, a decision that strengthened \
the central leadership for decades.
"""


def answer(question) -> None:
    """Answer one question on the quiz page, whatever its kind."""
    radios = question.locator("input[type=radio]")
    if radios.count():
        radios.first.check()
    else:
        question.locator("input").fill("March 1921")
    expect(question.locator(".saved")).to_have_text(re.compile(r"^Saved"))


def test_teacher_assigns_a_generated_quiz_and_sees_the_student_result(new_page, tmp_path):
    data.teacher("tess")
    data.student("sam")
    teacher = new_page()
    log_in(teacher, "tess", data.PASSWORD)

    # The teacher imports a short text and watches generation finish
    teacher.goto("/teach/import")
    teacher.get_by_label("Title").fill("Kronstadt and the NEP")
    teacher.get_by_label("Paste the text").fill(TEXT)
    teacher.get_by_role("button", name="Import and generate questions").click()
    progress = teacher.locator("#gen-progress")
    expect(progress).to_have_attribute("data-state", "succeeded", timeout=60_000)
    expect(progress).to_have_attribute("data-percent", "100")

    # ... reviews the questions beside their passage and approves three
    review_links = teacher.locator("#gen-decks").get_by_role(
        "link", name=re.compile("Review the questions")
    )
    review_links.first.click()
    expect(teacher).to_have_url(re.compile(r"/teach/decks/\d+/review"))
    deck_id = int(re.search(r"/decks/(\d+)/", teacher.url).group(1))
    teacher.get_by_label("Status").select_option("draft")
    expect(teacher.locator(".qitem").first).to_be_visible()
    assert teacher.locator(".qitem").count() >= 3
    approved = []
    for _ in range(3):
        item = teacher.locator('.qitem[data-status="draft"]').first
        question_id = item.get_attribute("data-question")
        item.locator("button.show").click()
        expect(teacher.locator("#passage mark.evidence")).to_be_visible()
        item.locator("button.approve").click()
        expect(teacher.locator(f'.qitem[data-question="{question_id}"]')).to_have_attribute(
            "data-status", "approved"
        )
        approved.append(question_id)

    # ... builds a quiz set from them
    teacher.goto("/teach/quiz-sets")
    teacher.get_by_label("Title").fill("Kronstadt check")
    teacher.get_by_label("Deck").select_option(str(deck_id))
    for question_id in approved:
        teacher.locator(f"#pick-{question_id}").check()
    teacher.get_by_role("button", name="Create the quiz set").click()
    expect(teacher.locator("#flash")).to_contain_text("created with 3 questions")

    # ... creates a class and reads its join code
    teacher.goto("/teach/classes")
    teacher.get_by_label("Class name").fill("History 10A")
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher.locator("#flash")).to_contain_text("Its join code is")
    code = teacher.locator(".code").first.inner_text().strip()

    # ... and assigns the quiz set to the class with a ten-minute limit
    teacher.goto("/teach/assignments")
    expect(teacher.get_by_label("Class", exact=True)).to_contain_text("History 10A")
    teacher.get_by_label("Quiz set", exact=True).select_option(
        label="Kronstadt check (3 questions)"
    )
    teacher.get_by_label("Title (optional)").fill("Kronstadt quiz")
    teacher.get_by_label("Time limit in minutes").fill("10")
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher.locator("#assignments")).to_contain_text("Kronstadt quiz")
    expect(teacher.locator("#assignments")).to_contain_text("10 min")

    # The student joins with the code and starts the quiz
    student = new_page()
    log_in(student, "sam", data.PASSWORD)
    student.get_by_label("Join a class with its code").fill(code)
    student.get_by_role("button", name="Join").click()
    expect(student.locator("#flash")).to_contain_text("You joined History 10A")
    student.get_by_role("link", name="Open Kronstadt quiz").click()
    student.get_by_role("button", name="Start the quiz").click()
    expect(student.locator("#timer")).to_have_text(re.compile(r"^(10:00|9:\d\d)$"))
    questions = student.locator(".question")
    expect(questions).to_have_count(3)

    # ... answers the first question, reloads halfway, and finds the answer kept
    answer(questions.nth(0))
    first_id = questions.nth(0).get_attribute("data-question")
    kept = questions.nth(0).locator("input[type=radio]:checked, input:not([type=radio])")
    kept_value = kept.first.input_value()
    student.reload()
    expect(student.locator(".question")).to_have_count(3)
    first = student.locator(f'.question[data-question="{first_id}"]')
    expect(first.locator("input[type=radio]:checked, input:not([type=radio])").first).to_have_value(
        kept_value
    )
    expect(first.locator(".saved")).to_have_text("Saved")
    expect(student.locator("#timer")).to_have_text(re.compile(r"^(10:00|9:\d\d)$"))

    # ... answers the rest and submits
    answer(questions.nth(1))
    answer(questions.nth(2))
    student.get_by_role("button", name="Submit answers").click()
    expect(student.locator("#score")).to_have_text(re.compile(r"^\d+(\.\d+)? / 3(\.0)?$"))
    expect(student.locator("#feedback li")).to_have_count(3)
    score = student.locator("#score").inner_text()

    # The teacher sees the score and downloads the gradebook
    teacher.goto("/teach/assignments")
    teacher.get_by_role("link", name="Results of Kronstadt quiz").click()
    row = teacher.locator('#students tr[data-student="sam"]')
    expect(row.locator(".score")).to_have_text(score)
    expect(row).to_contain_text("Done")
    expect(teacher.locator("#question-stats tbody tr")).to_have_count(3)
    with teacher.expect_download() as download_info:
        teacher.get_by_role("link", name="Download grades (CSV)").click()
    path = tmp_path / "grades.csv"
    download_info.value.save_as(path)
    csv_text = path.read_text(encoding="utf-8")
    assert "sam" in csv_text
    log_out(teacher)


def test_teacher_uploads_a_text_file_and_generation_finishes(new_page):
    data.teacher("tess")
    teacher = new_page()
    log_in(teacher, "tess", data.PASSWORD)
    teacher.goto("/teach/import")
    teacher.get_by_label("…or upload a .txt or .md file").set_input_files(
        files=[
            {
                "name": "kronstadt.txt",
                "mimeType": "text/plain",
                "buffer": TEXT.encode("utf-8"),
            }
        ]
    )
    teacher.get_by_role("button", name="Import and generate questions").click()
    expect(teacher.locator("#gen-progress")).to_have_attribute(
        "data-state", "succeeded", timeout=60_000
    )
    expect(teacher.locator("#gen-status")).to_have_text("All questions are ready for review.")
    review_links = teacher.locator("#gen-decks").get_by_role(
        "link", name=re.compile("Review the questions of kronstadt")
    )
    expect(review_links.first).to_be_visible()
