"""Reads for classes as a teacher sees them: the roster with progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.models import Membership, User
from quizzes.content.models import Deck
from quizzes.content.selectors import sources_visible_to
from quizzes.study.selectors import progress_summary


@dataclass(frozen=True, slots=True)
class RosterEntry:
    membership: Membership
    progress: dict[str, Any]


def classroom_roster(
    *, memberships: Iterable[Membership], now: datetime, viewer: User
) -> list[RosterEntry]:
    """Each given member with their study progress, as `viewer` may see it.

    A member's progress lists only the decks of sources the viewer may see, so
    a teacher does not learn of another teacher's own texts. Progress costs a
    few queries a student, so callers pass one page of members.
    """
    progresses = [
        (membership, progress_summary(user=membership.student, now=now))
        for membership in memberships
    ]
    seen = {row["deck"] for _, progress in progresses for row in progress["decks"]}
    visible = (
        set(
            Deck.objects.filter(
                pk__in=seen, source__in=sources_visible_to(user=viewer)
            ).values_list("pk", flat=True)
        )
        if seen
        else set()
    )
    entries = []
    for membership, progress in progresses:
        progress["decks"] = [row for row in progress["decks"] if row["deck"] in visible]
        entries.append(RosterEntry(membership=membership, progress=progress))
    return entries
