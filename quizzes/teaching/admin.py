from django.contrib import admin

from .models import Assignment, Attempt, QuizSet, QuizSetItem, Response


class QuizSetItemInline(admin.TabularInline):
    model = QuizSetItem
    extra = 0
    raw_id_fields = ("question",)


@admin.register(QuizSet)
class QuizSetAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "created_at")
    search_fields = ("title", "owner__username")
    inlines = [QuizSetItemInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "classroom", "opens_at", "due_at", "grading_method", "feedback")
    list_filter = ("grading_method", "feedback")
    raw_id_fields = ("classroom", "quiz_set", "deck", "created_by")


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    raw_id_fields = ("question",)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("__str__", "state", "started_at", "deadline", "submitted_at", "score")
    list_filter = ("state",)
    raw_id_fields = ("assignment", "student")
    inlines = [ResponseInline]
