"""Teachers' review of generated questions: edit, approve, reject."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.models import User
from quizzes.content.models import Question
from quizzes.content.selectors import source_may_edit
from studyapp.errors import ApplicationError

TEXT_FIELDS = ("prompt", "answer", "accepted_answers", "choices", "explanation")


@dataclass(frozen=True)
class QuestionVersionHooks:
    """How an app that holds rows of questions takes part in copy on write.

    ``used_elsewhere(question, editor)`` says whether the app uses the question in
    something of another user (a teacher's quiz set) that must keep it unchanged;
    ``follow(old, new, editor)`` moves to the new version what follows the
    editor's change. Content sits below study and teaching and imports neither:
    they register their hooks when their apps are ready.
    """

    used_elsewhere: Callable[[Question, User], bool] | None = None
    follow: Callable[[Question, Question, User], None] | None = None


_version_hooks: dict[str, QuestionVersionHooks] = {}


def question_version_hooks_register(app_label: str, hooks: QuestionVersionHooks) -> None:
    """Register (or replace) an app's part in copy on write."""
    _version_hooks[app_label] = hooks


def _used_by_others(question: Question, user: User) -> bool:
    return any(
        hooks.used_elsewhere(question, user)
        for hooks in _version_hooks.values()
        if hooks.used_elsewhere is not None
    )


def _latest_version_locked(question_id: int) -> Question:
    """Lock the question and, when it has been replaced, each later version in
    turn: an edit of a replaced question applies to its current version."""
    while True:
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("passage__deck__source")
            .get(pk=question_id)
        )
        if question.replaced_by_id is None:
            return question
        question_id = question.replaced_by_id


def _copy_on_write(old: Question, user: User) -> Question:
    """Make the new version of `old` that an edit goes to, and have the registered
    apps move to it what follows the editor's change: the editor's own quiz sets
    (their items and responses), and every learner's card with its review log and
    suspensions. Other teachers' quiz sets, their attempts and item statistics keep
    `old`.
    """
    new = Question.objects.get(pk=old.pk)
    new.pk = None
    new.id = None
    new.fingerprint = ""
    new.original_id = old.original_id or old.pk
    new.replaced_by = None
    new.save(force_insert=True)
    Question.objects.filter(pk=old.pk).update(replaced_by=new)
    old.replaced_by = new

    for hooks in _version_hooks.values():
        if hooks.follow is not None:
            hooks.follow(old, new, user)
    return new


@transaction.atomic
def question_update(*, user: User, question_id: int, data: dict[str, Any]) -> Question:
    """Edit a question's text or status; returns the question as edited.

    A text change marks it edited, so that regeneration never overwrites it.
    When a quiz set of another teacher uses the question, a change of its
    prompt, key, choices, explanation or evidence is copied on write: it goes
    to a new question (`replaced_by` links the old one to it), which takes the
    old one's place in the editor's own quiz sets, in lists, in drawing new
    quiz sets and in every learner's study (cards keep their scheduling and
    review history). The other teachers' quiz sets keep the old question as it
    was, so their grades and item statistics do not move. Editing a question
    that has been replaced edits its current version. The question row is
    locked, so two edits at once make one copy at most.

    Raises ApplicationError: 403 for someone who may not curate the source, 400
    when the key is not among the choices of a multiple-choice or true/false
    question, or the evidence span lies outside the passage.
    """
    question = _latest_version_locked(question_id)
    if not source_may_edit(user=user, source=question.passage.deck.source):
        raise ApplicationError(
            "You may not change this source's questions.", code="permission_denied", status=403
        )
    edited = Question.objects.get(pk=question.pk)
    changed: list[str] = []
    for name in TEXT_FIELDS:
        if name in data and data[name] != getattr(edited, name):
            setattr(edited, name, data[name])
            changed.append(name)
    if "evidence" in data:
        start, end = data["evidence"].get("start"), data["evidence"].get("end")
        if start is None or end is None or not 0 <= start <= end <= len(question.passage.text):
            raise ApplicationError(
                "The evidence span must lie inside the passage's text.",
                fields={"evidence": [f"Give start <= end <= {len(question.passage.text)}."]},
            )
        if (start, end) != (edited.evidence_start, edited.evidence_end):
            edited.evidence_start, edited.evidence_end = start, end
            changed += ["evidence_start", "evidence_end"]
    if edited.kind in (Question.Kind.MULTIPLE_CHOICE, Question.Kind.TRUE_FALSE) and (
        edited.answer not in edited.choices
    ):
        raise ApplicationError(
            "The answer must be one of the choices.",
            fields={"answer": ["The answer must be one of the choices."]},
        )
    if not edited.prompt.strip() or not edited.answer.strip():
        raise ApplicationError(
            "A question needs a prompt and an answer.",
            fields={
                k: ["This field may not be blank."]
                for k in ("prompt", "answer")
                if not getattr(edited, k).strip()
            },
        )
    if changed:
        if _used_by_others(question, user):
            question = _copy_on_write(question, user)
        for name in changed:
            setattr(question, name, getattr(edited, name))
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
