"""Teaching's part in copying an edited question on write (see
``quizzes.content.services.questions``): another teacher's quiz set keeps the question it
chose, and the editor's own quiz sets, with their students' responses, follow the
edit to the new version."""

from __future__ import annotations

from accounts.models import User
from quizzes.content.models import Question

from ..models import QuizSetItem, Response


def question_used_in_others_quiz_sets(question: Question, editor: User) -> bool:
    return QuizSetItem.objects.filter(question=question).exclude(quiz_set__owner=editor).exists()


def question_version_follow_own_quiz_sets(old: Question, new: Question, editor: User) -> None:
    own_items = QuizSetItem.objects.filter(question=old, quiz_set__owner=editor)
    Response.objects.filter(
        question=old, attempt__assignment__quiz_set__in=own_items.values("quiz_set")
    ).update(question=new)
    own_items.update(question=new)
