"""Output shapes of the teaching endpoints (inputs and filters are nested in each view)."""

from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from accounts.models import Classroom, Membership
from quizzes.content.models import Question

from ..models import Assignment, Attempt, QuizSet
from ..selectors import Status, StudentAssignment


class UserBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class QuestionWithKeySerializer(serializers.ModelSerializer):
    """A question as its teacher sees it, key included."""

    class Meta:
        model = Question
        fields = [
            "id",
            "passage",
            "kind",
            "prompt",
            "answer",
            "accepted_answers",
            "choices",
            "explanation",
            "score",
            "status",
        ]
        read_only_fields = fields


class QuizSetItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    question = QuestionWithKeySerializer()


class QuizSetOutputSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()
    items = QuizSetItemSerializer(many=True)

    class Meta:
        model = QuizSet
        fields = ["id", "title", "questions", "items", "created_at"]
        read_only_fields = fields

    def get_questions(self, quiz_set: QuizSet) -> list[int]:
        return [item.question_id for item in quiz_set.items.all()]


class AssignmentOutputSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "classroom",
            "title",
            "kind",
            "quiz_set",
            "deck",
            "target_mastery",
            "opens_at",
            "due_at",
            "time_limit_seconds",
            "attempts_allowed",
            "grading_method",
            "shuffle_questions",
            "shuffle_options",
            "feedback",
            "created_at",
        ]
        read_only_fields = fields

    def get_kind(self, assignment: Assignment) -> str:
        return "study_target" if assignment.is_study_target else "quiz"


class ProgressSerializer(serializers.Serializer):
    mastery = serializers.FloatField()
    seen = serializers.FloatField()


class LatestAttemptSerializer(serializers.Serializer):
    class Meta:
        ref_name = "StudentLatestAttempt"

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    state = serializers.CharField()
    deadline = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    max_score = serializers.FloatField(allow_null=True)


class StudentAssignmentOutputSerializer(serializers.Serializer):
    """An assignment as a student sees it, with their status."""

    id = serializers.IntegerField(source="assignment.id")
    classroom = serializers.IntegerField(source="assignment.classroom_id")
    title = serializers.CharField(source="assignment.title")
    kind = serializers.SerializerMethodField()
    quiz_set = serializers.IntegerField(source="assignment.quiz_set_id", allow_null=True)
    deck = serializers.IntegerField(source="assignment.deck_id", allow_null=True)
    target_mastery = serializers.FloatField(source="assignment.target_mastery", allow_null=True)
    opens_at = serializers.DateTimeField(source="assignment.opens_at")
    due_at = serializers.DateTimeField(source="assignment.due_at")
    time_limit_seconds = serializers.IntegerField(
        source="assignment.time_limit_seconds", allow_null=True
    )
    attempts_allowed = serializers.IntegerField(source="assignment.attempts_allowed")
    grading_method = serializers.CharField(source="assignment.grading_method")
    feedback = serializers.CharField(source="assignment.feedback")
    status = serializers.ChoiceField(choices=[s.value for s in Status])
    attempts_used = serializers.IntegerField()
    progress = ProgressSerializer(allow_null=True)
    latest_attempt = LatestAttemptSerializer(
        allow_null=True, help_text="The student's most recent attempt at a quiz, if any."
    )

    def get_kind(self, entry: StudentAssignment) -> str:
        return "study_target" if entry.assignment.is_study_target else "quiz"


class AttemptBriefSerializer(serializers.ModelSerializer):
    student = UserBriefSerializer()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "assignment",
            "student",
            "number",
            "state",
            "started_at",
            "deadline",
            "submitted_at",
            "score",
            "max_score",
        ]
        read_only_fields = fields


class ShownQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    prompt = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())


class ResponseOutputSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    answer = serializers.CharField()
    saved_at = serializers.DateTimeField()


class FeedbackSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    answer = serializers.CharField()
    is_correct = serializers.BooleanField()
    correct_answer = serializers.CharField()
    accepted_answers = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField()


class AttemptDetailOutputSerializer(serializers.Serializer):
    """An attempt: questions without keys, saved answers, and feedback when allowed."""

    id = serializers.IntegerField(source="attempt.id")
    assignment = serializers.IntegerField(source="attempt.assignment_id")
    student = UserBriefSerializer(source="attempt.student")
    number = serializers.IntegerField(source="attempt.number")
    state = serializers.CharField(source="attempt.state")
    started_at = serializers.DateTimeField(source="attempt.started_at")
    deadline = serializers.DateTimeField(source="attempt.deadline")
    submitted_at = serializers.DateTimeField(source="attempt.submitted_at", allow_null=True)
    seconds_left = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(source="attempt.score", allow_null=True)
    max_score = serializers.FloatField(source="attempt.max_score", allow_null=True)
    questions = ShownQuestionSerializer(many=True)
    responses = ResponseOutputSerializer(many=True)
    feedback = FeedbackSerializer(many=True, allow_null=True)


class TeacherClassroomOutputSerializer(serializers.ModelSerializer):
    student_count = serializers.SerializerMethodField()

    class Meta:
        model = Classroom
        fields = ["id", "name", "join_code", "is_open", "student_count", "created_at"]
        read_only_fields = fields

    def get_student_count(self, classroom: Classroom) -> int:
        annotated = getattr(classroom, "student_count", None)
        return annotated if annotated is not None else classroom.memberships.count()


class StudentClassroomOutputSerializer(serializers.ModelSerializer):
    teacher = UserBriefSerializer()

    class Meta:
        model = Classroom
        fields = ["id", "name", "teacher", "is_open", "created_at"]
        read_only_fields = fields


#: A class as its teacher sees it (join code, count) or as a member does (teacher).
CLASSROOM_SCHEMA = PolymorphicProxySerializer(
    component_name="Classroom",
    serializers=[TeacherClassroomOutputSerializer, StudentClassroomOutputSerializer],
    resource_type_field_name=None,
)


class MembershipOutputSerializer(serializers.ModelSerializer):
    classroom = StudentClassroomOutputSerializer()

    class Meta:
        model = Membership
        fields = ["id", "classroom", "joined_at"]
        read_only_fields = fields


class RosterEntryOutputSerializer(serializers.Serializer):
    student = UserBriefSerializer(source="membership.student")
    joined_at = serializers.DateTimeField(source="membership.joined_at")
    progress = serializers.JSONField(help_text="The student's /study/progress body.")


class StudentResultOutputSerializer(serializers.Serializer):
    student = UserBriefSerializer()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    graded_attempts = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True, help_text="The grade, by grading method.")
    max_score = serializers.FloatField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)
    time_taken_seconds = serializers.FloatField(allow_null=True)
    last_submitted_at = serializers.DateTimeField(allow_null=True)
    progress = ProgressSerializer(allow_null=True)
    predicted_recall = serializers.FloatField(
        allow_null=True, help_text="With an exam plan: recall predicted on the due date."
    )
    at_risk = serializers.BooleanField(
        allow_null=True, help_text="With an exam plan: predicted recall below its target."
    )


class ExamSummaryOutputSerializer(serializers.Serializer):
    target = serializers.FloatField()
    predicted_recall = serializers.FloatField(
        allow_null=True, help_text="The class's mean recall predicted on the due date."
    )
    at_risk = serializers.IntegerField(help_text="Students predicted below the target.")


class QuestionResultOutputSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    prompt = serializers.CharField()
    answered = serializers.IntegerField()
    correct = serializers.IntegerField()
    facility = serializers.FloatField(allow_null=True, help_text="Share answering correctly.")
    discrimination = serializers.FloatField(
        allow_null=True,
        help_text="Share correct in the top 27% of scorers minus the bottom 27%.",
    )
    option_counts = serializers.DictField(child=serializers.IntegerField(), allow_null=True)


class ResultsOutputSerializer(serializers.Serializer):
    assignment = AssignmentOutputSerializer()
    students = StudentResultOutputSerializer(many=True)
    questions = QuestionResultOutputSerializer(many=True)
    exam = ExamSummaryOutputSerializer(allow_null=True)
