from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="web-home"),
    path("login", views.login_page, name="web-login"),
    path("register", views.register_page, name="web-register"),
    path("error", views.error_demo, name="web-error"),
    path("dashboard", views.dashboard, name="web-dashboard"),
    path("study", views.study, name="web-study"),
    path("decks/<int:deck_id>/read", views.reader, name="web-reader"),
    path("quiz/<int:assignment_id>", views.quiz, name="web-quiz"),
    path("attempts/<int:attempt_id>", views.attempt, name="web-attempt"),
    path("teach/", views.teach_home, name="web-teach"),
    path("teach/import", views.teach_import, name="web-teach-import"),
    path("teach/decks/<int:deck_id>/review", views.teach_review, name="web-teach-review"),
    path("teach/quiz-sets", views.teach_quiz_sets, name="web-teach-quiz-sets"),
    path("teach/classes", views.teach_classes, name="web-teach-classes"),
    path("teach/assignments", views.teach_assignments, name="web-teach-assignments"),
    path(
        "teach/assignments/<int:assignment_id>/results",
        views.teach_results,
        name="web-teach-results",
    ),
]
