from pathlib import Path

import pytest
from django.core.management import call_command

from quizzes.content.models import Deck, Passage, Question, Source
from quizzes.content.services import source_import
from studyapp.errors import ApplicationError
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def test_importing_the_curated_texts_twice_changes_nothing():
    # given the five curated texts imported once
    call_command("import_sources", verbosity=0)
    passages = list(Passage.objects.order_by("id").values_list("id", "content_hash"))
    assert Source.objects.count() == 5
    assert [s.decks.count() for s in Source.objects.order_by("id")] == [1, 1, 1, 1, 11]

    # when they are imported again
    call_command("import_sources", verbosity=0)

    # then nothing changed
    assert Source.objects.count() == 5
    assert list(Passage.objects.order_by("id").values_list("id", "content_hash")) == passages


def test_the_book_is_split_into_introduction_nine_chapters_and_conclusion():
    call_command("import_sources", str(FIXTURES / "manifest.json"), verbosity=0)

    book = Source.objects.get(title="A Short History of Soviet Socialism")
    titles = list(book.decks.values_list("title", flat=True))
    assert len(titles) == 11
    assert titles[0].startswith("Introduction")
    assert titles[-1].startswith("Conclusion")
    assert book.author == "Mark Sandle"
    assert book.import_key == "fixtures/sources/004_34a24c51f2b7cdad.txt"


def test_a_changed_passage_becomes_a_new_version_and_keeps_its_questions(green_revolution):
    # given an imported text with a question on its passage
    first = source_import(raw=green_revolution, import_key="notes/green.txt")
    old = Passage.objects.get(deck__source=first.source)
    question = QuestionFactory(passage=old)

    # when the text changes and is imported again under the same key
    changed = green_revolution.replace("almost doubled", "more than doubled")
    second = source_import(raw=changed, import_key="notes/green.txt")

    # then the same source has a new current version; the old one and its question stay
    assert second.source.pk == first.source.pk
    assert (second.created, second.changed) == (False, True)
    assert (second.passages_added, second.passages_retired) == (1, 1)
    old.refresh_from_db()
    new = Passage.objects.get(deck__source=first.source, is_current=True)
    assert old.is_current is False
    assert old.replaced_by == new
    assert new.version == 2
    assert "more than doubled" in new.text
    assert Question.objects.get(pk=question.pk).passage == old


def test_an_unchanged_passage_keeps_its_row_when_another_changes():
    text = (FIXTURES / "000_a5d43fb121e80135.txt").read_text()
    first = source_import(raw=text, import_key="a")
    before = dict(Passage.objects.filter(deck__source=first.source).values_list("order", "id"))
    changed = text.replace("Bolshevik", "Bolshevik", 1).replace("1921", "1922", 1)

    second = source_import(raw=changed, import_key="a")

    after = dict(
        Passage.objects.filter(deck__source=first.source, is_current=True).values_list(
            "order", "id"
        )
    )
    assert second.passages_retired == 1
    assert second.passages_added == 1
    assert len(after) == len(before)
    assert sum(1 for order, pk in after.items() if before[order] == pk) == len(before) - 1


def test_empty_text_is_refused_and_nothing_is_stored():
    with pytest.raises(ApplicationError, match="The text is empty."):
        source_import(raw="  \n\n ")

    assert Source.objects.count() == 0
    assert Deck.objects.count() == 0


def test_html_is_reduced_to_its_text(green_revolution):
    html = (
        "<html><body><h1>The Green Revolution</h1><script>alert('x')</script>"
        + "".join(f"<p>{para}</p>" for para in green_revolution.split("\n\n")[1:])
        + "</body></html>"
    )

    result = source_import(raw=html)

    texts = " ".join(
        Passage.objects.filter(deck__source=result.source).values_list("text", flat=True)
    )
    assert "<" not in texts
    assert "alert" not in texts
    assert "Norman Borlaug" in texts
