from django.contrib import admin

from .models import (
    CardState,
    DueReminder,
    ParameterImport,
    ReviewLog,
    ReviewUndo,
    StudyDay,
    StudySettings,
)


@admin.register(StudySettings)
class StudySettingsAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "desired_retention",
        "new_per_day",
        "parameters_source",
        "parameters_updated_at",
        "reviews_since_optimisation",
    ]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(CardState)
class CardStateAdmin(admin.ModelAdmin):
    list_display = ["user", "question", "state", "due", "reps", "lapses", "suspended"]
    list_filter = ["state", "suspended"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "question", "last_log"]


@admin.register(ReviewLog)
class ReviewLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["user", "question", "rating", "reviewed_at", "via_sync", "received_at"]
    list_filter = ["rating", "via_sync"]
    search_fields = ["user__username", "client_id"]
    raw_id_fields = ["user", "question"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(ReviewUndo)
admin.site.register(StudyDay)
admin.site.register(DueReminder)
admin.site.register(ParameterImport)
