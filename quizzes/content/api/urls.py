from django.urls import path

from . import views

urlpatterns = [
    path("sources", views.SourceListCreateApi.as_view(), name="source-list"),
    path("sources/<int:pk>", views.SourceDetailApi.as_view(), name="source-detail"),
    path("decks", views.DeckListApi.as_view(), name="deck-list"),
    path("decks/<int:pk>", views.DeckDetailApi.as_view(), name="deck-detail"),
    path("decks/<int:pk>/generate", views.DeckGenerateApi.as_view(), name="deck-generate"),
    path("passages", views.PassageListApi.as_view(), name="passage-list"),
    path("passages/merge", views.PassageMergeApi.as_view(), name="passage-merge"),
    path("passages/<int:pk>", views.PassageDetailApi.as_view(), name="passage-detail"),
    path("passages/<int:pk>/split", views.PassageSplitApi.as_view(), name="passage-split"),
    path("questions", views.QuestionListApi.as_view(), name="question-list"),
    path("questions/<int:pk>", views.QuestionDetailApi.as_view(), name="question-detail"),
    path("jobs", views.JobListApi.as_view(), name="job-list"),
    path("jobs/<int:pk>", views.JobDetailApi.as_view(), name="job-detail"),
]
