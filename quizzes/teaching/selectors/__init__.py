"""Reads for teaching (re-exported here)."""

from .assignments import (
    Status,
    StudentAssignment,
    assignment_get_for_user,
    assignment_question_filter,
    assignments_list,
    attempts_list,
    quiz_status,
    student_assignments_list,
    study_status,
)
from .attempts import AttemptDetail, attempt_detail, attempt_get_for_user
from .classrooms import RosterEntry, classroom_roster
from .quiz_sets import quiz_set_get_for_user, quiz_sets_list
from .results import Results, assignment_results, results_csv

__all__ = [
    "AttemptDetail",
    "Results",
    "RosterEntry",
    "Status",
    "StudentAssignment",
    "assignment_get_for_user",
    "assignment_question_filter",
    "assignment_results",
    "assignments_list",
    "attempt_detail",
    "attempt_get_for_user",
    "attempts_list",
    "classroom_roster",
    "quiz_set_get_for_user",
    "quiz_sets_list",
    "quiz_status",
    "results_csv",
    "student_assignments_list",
    "study_status",
]
