from django.urls import path

from . import exam_views, views

urlpatterns = [
    path("classrooms", views.ClassroomListApi.as_view(), name="classrooms"),
    path("classrooms/join", views.ClassroomJoinApi.as_view(), name="classroom-join"),
    path(
        "classrooms/<int:classroom_id>", views.ClassroomDetailApi.as_view(), name="classroom-detail"
    ),
    path(
        "classrooms/<int:classroom_id>/join-code",
        views.ClassroomJoinCodeRegenerateApi.as_view(),
        name="classroom-join-code",
    ),
    path(
        "classrooms/<int:classroom_id>/students",
        views.ClassroomStudentsApi.as_view(),
        name="classroom-students",
    ),
    path(
        "classrooms/<int:classroom_id>/students/<int:student_id>",
        views.ClassroomStudentRemoveApi.as_view(),
        name="classroom-student",
    ),
    path("quiz-sets", views.QuizSetListApi.as_view(), name="quiz-sets"),
    path("quiz-sets/<int:quiz_set_id>", views.QuizSetDetailApi.as_view(), name="quiz-set-detail"),
    path("assignments", views.AssignmentListApi.as_view(), name="assignments"),
    path(
        "assignments/<int:assignment_id>",
        views.AssignmentDetailApi.as_view(),
        name="assignment-detail",
    ),
    path(
        "assignments/<int:assignment_id>/attempts",
        views.AssignmentAttemptsApi.as_view(),
        name="assignment-attempts",
    ),
    path(
        "assignments/<int:assignment_id>/results",
        views.AssignmentResultsApi.as_view(),
        name="assignment-results",
    ),
    path("attempts/<int:attempt_id>", views.AttemptDetailApi.as_view(), name="attempt-detail"),
    path(
        "attempts/<int:attempt_id>/responses/<int:question_id>",
        views.ResponseSaveApi.as_view(),
        name="attempt-response",
    ),
    path(
        "attempts/<int:attempt_id>/submit", views.AttemptSubmitApi.as_view(), name="attempt-submit"
    ),
    path(
        "assignments/<int:assignment_id>/exam-plan",
        exam_views.AssignmentExamPlanApi.as_view(),
        name="assignment-exam-plan",
    ),
]
