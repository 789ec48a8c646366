from django.urls import path

from . import exam_views, views

urlpatterns = [
    path("study/queue", views.StudyQueueApi.as_view(), name="study-queue"),
    path("study/reviews", views.ReviewCreateApi.as_view(), name="study-reviews"),
    path(
        "study/reviews/<uuid:client_id>/undo",
        views.ReviewUndoApi.as_view(),
        name="study-review-undo",
    ),
    path("study/sync", views.ReviewSyncApi.as_view(), name="study-sync"),
    path("study/progress", views.StudyProgressApi.as_view(), name="study-progress"),
    path("study/leeches", views.LeechListApi.as_view(), name="study-leeches"),
    path(
        "study/cards/<int:question_id>/unsuspend",
        views.CardUnsuspendApi.as_view(),
        name="study-card-unsuspend",
    ),
    path(
        "study/cards/<int:question_id>/suspend",
        views.CardSuspendApi.as_view(),
        name="study-card-suspend",
    ),
    path("study/settings", views.StudySettingsApi.as_view(), name="study-settings"),
    path(
        "study/parameters/import",
        views.ParameterImportCreateApi.as_view(),
        name="study-parameters-import",
    ),
    path(
        "study/parameters/imports/<int:import_id>",
        views.ParameterImportDetailApi.as_view(),
        name="study-parameters-import-detail",
    ),
    path("study/exams", exam_views.ExamPlanListApi.as_view(), name="study-exams"),
    path(
        "study/exams/<int:plan_id>",
        exam_views.ExamPlanDetailApi.as_view(),
        name="study-exam-detail",
    ),
]
