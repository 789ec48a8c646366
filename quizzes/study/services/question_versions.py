"""Study's part in copying an edited question on write (see
``quizzes.content.services.questions``): every learner's card moves to the new version with
its scheduling, review log and suspensions, as an edited note keeps its cards in
Anki."""

from __future__ import annotations

from accounts.models import User
from quizzes.content.models import Question

from ..models import CardEvent, CardState, ReviewLog


def question_version_follow_cards(old: Question, new: Question, editor: User) -> None:
    for model in (CardState, ReviewLog, CardEvent):
        model.objects.filter(question=old).update(question=new)
