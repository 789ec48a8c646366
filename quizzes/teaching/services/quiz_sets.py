"""Writes for quiz sets: chosen by hand or drawn from decks."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from quizzes.content.models import Deck, Question
from quizzes.content.selectors import CURRENT_VERSION, questions_visible_to, sources_visible_to
from quizzes.core.drawing import Candidate, draw_spread
from studyapp.errors import ApplicationError

from ..models import QuizSet, QuizSetItem

MAX_QUESTIONS = 200


def _require_teacher(user: User) -> None:
    if not user.is_teacher:
        raise ApplicationError(
            "Only teachers can build quiz sets.", code="permission_denied", status=403
        )


@transaction.atomic
def quiz_set_create(*, owner: User, title: str, question_ids: Sequence[int]) -> QuizSet:
    """Create a quiz set with these questions, in this order.

    Every question must exist, be one the owner may see, be approved, and
    appear once. Raises ApplicationError (403) for a non-teacher and
    ValidationError naming `title` or `questions` otherwise.
    """
    _require_teacher(owner)
    ids = list(question_ids)
    if not ids:
        raise ValidationError({"questions": ["Choose at least one question."]})
    if len(ids) > MAX_QUESTIONS:
        raise ValidationError({"questions": [f"A quiz set holds at most {MAX_QUESTIONS}."]})
    duplicates = sorted({qid for qid in ids if ids.count(qid) > 1})
    if duplicates:
        raise ValidationError(
            {"questions": [f"Question {qid} appears more than once." for qid in duplicates]}
        )
    # Locked: an edit of one of these questions (which locks it too) waits for
    # this set to be stored, then sees it and copies on write; a question
    # replaced by an edit meanwhile is seen here as replaced.
    found = {
        pk: (status, replaced_by)
        for pk, status, replaced_by in questions_visible_to(user=owner)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "status", "replaced_by")
    }
    problems = [
        f"Question {qid} does not exist."
        if qid not in found
        else f"Question {qid} has been replaced by question {found[qid][1]}."
        if found[qid][1] is not None
        else f"Question {qid} is not approved."
        for qid in ids
        if qid not in found
        or found[qid][1] is not None
        or found[qid][0] != Question.Status.APPROVED
    ]
    if problems:
        raise ValidationError({"questions": problems})

    quiz_set = QuizSet(owner=owner, title=title.strip())
    quiz_set.full_clean()
    quiz_set.save()
    QuizSetItem.objects.bulk_create(
        QuizSetItem(quiz_set=quiz_set, question_id=qid, position=position)
        for position, qid in enumerate(ids, start=1)
    )
    return quiz_set


def quiz_set_draw(
    *,
    owner: User,
    title: str,
    deck_ids: Sequence[int],
    count: int,
    kinds: Sequence[str] | None = None,
) -> QuizSet:
    """Create a quiz set of `count` approved questions drawn from the decks.

    Questions come from the current, visible passages, spread across passages
    and best-scored first (see `drawing.draw_spread`), and are kept in reading
    order; no two share a sentence (overlapping evidence in one passage) and no
    prompt or choice contains another drawn question's answer. Raises
    ValidationError when a deck does not exist (or the owner may not see it) or
    fewer than `count` questions match or can be drawn together (the message
    says how many).
    """
    _require_teacher(owner)
    wanted = list(dict.fromkeys(deck_ids))
    if not wanted:
        raise ValidationError({"deck": ["Choose a deck."]})
    found = set(
        Deck.objects.filter(pk__in=wanted, source__in=sources_visible_to(user=owner)).values_list(
            "pk", flat=True
        )
    )
    missing = [deck_id for deck_id in wanted if deck_id not in found]
    if missing:
        raise ValidationError({"deck": [f"Deck {deck_id} does not exist." for deck_id in missing]})
    if count < 1 or count > MAX_QUESTIONS:
        raise ValidationError({"count": [f"Ask for between 1 and {MAX_QUESTIONS} questions."]})

    questions = Question.objects.filter(
        CURRENT_VERSION,
        status=Question.Status.APPROVED,
        passage__deck_id__in=wanted,
        passage__is_current=True,
        passage__is_hidden=False,
    )
    if kinds:
        questions = questions.filter(kind__in=list(kinds))
    rows = questions.values_list(
        "pk",
        "score",
        "passage__deck__source_id",
        "passage__deck__order",
        "passage__order",
        "passage_id",
        "evidence_start",
        "evidence_end",
        "prompt",
        "answer",
        "choices",
        "kind",
    )
    candidates = [
        Candidate(
            question_id=pk,
            passage_key=(source, deck_order, order, passage),
            score=score,
            evidence=(start, end),
            prompt=prompt,
            key=answer,
            choices=tuple(str(choice) for choice in choices or ()),
            kind=kind,
        )
        for (
            pk,
            score,
            source,
            deck_order,
            order,
            passage,
            start,
            end,
            prompt,
            answer,
            choices,
            kind,
        ) in rows
    ]
    if len(candidates) < count:
        raise ValidationError(
            {"count": [f"Only {len(candidates)} approved questions match; ask for fewer."]}
        )
    drawn = draw_spread(candidates, count)
    if len(drawn) < count:
        raise ValidationError(
            {
                "count": [
                    f"Only {len(drawn)} of the {len(candidates)} matching questions can go in "
                    "one set without two from the same sentence or one giving away another's "
                    "answer; "
                    "ask for fewer."
                ]
            }
        )
    return quiz_set_create(owner=owner, title=title, question_ids=drawn)
