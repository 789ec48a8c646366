"""Reads for classes as a teacher sees them: the roster with progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.models import Classroom, Membership
from accounts.selectors import classroom_memberships_list

from .study import progress_summary_or_none


@dataclass(frozen=True, slots=True)
class RosterEntry:
    membership: Membership
    progress: dict[str, Any] | None


def classroom_roster(*, classroom: Classroom, now: datetime) -> list[RosterEntry]:
    """Each member with their study progress (None while it is unknown)."""
    return [
        RosterEntry(
            membership=membership,
            progress=progress_summary_or_none(user=membership.student, now=now),
        )
        for membership in classroom_memberships_list(classroom=classroom)
    ]
