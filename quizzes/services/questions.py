"""Teachers' review of generated questions: edit, approve, reject."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from quizzes.models import Question
from quizzes.selectors import source_may_edit
from studyapp.errors import ApplicationError

_TEXT_FIELDS = ("prompt", "answer", "accepted_answers", "choices", "explanation")


def _check_not_in_others_quiz_sets(question: Question, user: User) -> None:
    from quizzes.teaching.models import QuizSet

    others = list(
        QuizSet.objects.filter(items__question=question).exclude(owner=user)
        .order_by("id").values_list("id", "title")
    )
    if others:
        names = ", ".join(f"'{title}' (#{pk})" for pk, title in others)
        raise ApplicationError(
            f"This question is used in other teachers' quiz sets ({names}); its text and key "
            "cannot change under them. Write a new question instead.",
            code="in_use", status=409,
            fields={"quiz_sets": [str(pk) for pk, _ in others]},
        )


@transaction.atomic
def question_update(*, user: User, question_id: int, data: dict[str, Any]) -> Question:
    """Edit a question's text or status. A text change marks it edited, so that
    regeneration never overwrites it.

    A question in another teacher's quiz set keeps its text as that teacher
    chose it: changing its prompt, key, choices, explanation or evidence is
    refused (409, naming the quiz sets), so nobody's grades change under them.
    Its status may still change.

    Raises ApplicationError: 403 for someone who may not curate the source, 409
    as above, 400 when the key is not among the choices of a multiple-choice or
    true/false question, or the evidence span lies outside the passage.
    """
    question = (
        Question.objects.select_for_update().select_related("passage__deck__source")
        .get(pk=question_id)
    )
    if not source_may_edit(user=user, source=question.passage.deck.source):
        raise ApplicationError(
            "You may not change this source's questions.", code="permission_denied", status=403
        )
    changed: list[str] = []
    for name in _TEXT_FIELDS:
        if name in data and data[name] != getattr(question, name):
            setattr(question, name, data[name])
            changed.append(name)
    if "evidence" in data:
        start, end = data["evidence"].get("start"), data["evidence"].get("end")
        if start is None or end is None or not 0 <= start <= end <= len(question.passage.text):
            raise ApplicationError(
                "The evidence span must lie inside the passage's text.",
                fields={"evidence": [f"Give start <= end <= {len(question.passage.text)}."]},
            )
        question.evidence_start, question.evidence_end = start, end
        changed += ["evidence_start", "evidence_end"]
    if question.kind in (Question.Kind.MULTIPLE_CHOICE, Question.Kind.TRUE_FALSE) and (
        question.answer not in question.choices
    ):
        raise ApplicationError(
            "The answer must be one of the choices.",
            fields={"answer": ["The answer must be one of the choices."]},
        )
    if not question.prompt.strip() or not question.answer.strip():
        raise ApplicationError(
            "A question needs a prompt and an answer.",
            fields={k: ["This field may not be blank."] for k in ("prompt", "answer")
                    if not getattr(question, k).strip()},
        )
    if changed:
        _check_not_in_others_quiz_sets(question, user)
        question.is_edited = True
        changed.append("is_edited")
    if "status" in data and data["status"] != question.status:
        question.status = data["status"]
        question.reviewed_by = user
        changed += ["status", "reviewed_by"]
    if changed:
        question.full_clean()
        question.save(update_fields=[*changed, "updated_at"])
    return question
