from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from quizzes import services
from quizzes.models import Deck, Job, Passage, Question, Source
from studyapp.errors import ApplicationError


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "kind", "created_by", "updated_at")
    search_fields = ("title", "author")
    readonly_fields = ("checksum", "report", "metadata", "import_key")


@admin.register(Deck)
class DeckAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "order")
    list_filter = ("source",)


def _split_point(text: str) -> int:
    """The paragraph break nearest the middle, else the sentence end nearest it."""
    middle = len(text) // 2
    breaks = [i for i in range(len(text)) if text.startswith("\n\n", i)]
    if not breaks:
        breaks = [i + 2 for i in range(len(text) - 2) if text[i] in ".!?" and text[i + 1] == " "]
    return min(breaks, key=lambda i: abs(i - middle)) if breaks else middle


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    """Saving a changed text makes a new version; split and merge are actions."""

    list_display = ("__str__", "heading", "word_count", "version", "is_current", "is_hidden")
    list_filter = ("is_current", "is_hidden", "deck__source")
    search_fields = ("text", "heading")
    readonly_fields = ("deck", "order", "word_count", "content_hash", "version", "is_current",
                       "replaced_by")
    fields = ("deck", "order", "heading", "text", "is_hidden", "word_count", "version",
              "is_current", "replaced_by", "content_hash")
    actions = ["hide", "show", "merge", "split"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request, obj: Passage, form, change: bool) -> None:
        try:
            if "is_hidden" in form.changed_data:
                services.passage_hide(user=request.user, passage_id=obj.pk, hidden=obj.is_hidden)
            if {"text", "heading"} & set(form.changed_data):
                services.passage_edit(user=request.user, passage_id=obj.pk, text=obj.text,
                                      heading=obj.heading)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def _run(self, request: HttpRequest, action) -> None:
        try:
            action()
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    @admin.action(description="Hide from students")
    def hide(self, request: HttpRequest, queryset: QuerySet[Passage]) -> None:
        for passage in queryset:
            self._run(request, lambda p=passage: services.passage_hide(
                user=request.user, passage_id=p.pk, hidden=True))

    @admin.action(description="Show to students")
    def show(self, request: HttpRequest, queryset: QuerySet[Passage]) -> None:
        for passage in queryset:
            self._run(request, lambda p=passage: services.passage_hide(
                user=request.user, passage_id=p.pk, hidden=False))

    @admin.action(description="Merge the selected consecutive passages")
    def merge(self, request: HttpRequest, queryset: QuerySet[Passage]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        self._run(request, lambda: services.passages_merge(user=request.user, passage_ids=ids))

    @admin.action(description="Split in two at the paragraph nearest the middle")
    def split(self, request: HttpRequest, queryset: QuerySet[Passage]) -> None:
        for passage in queryset:
            self._run(request, lambda p=passage: services.passage_split(
                user=request.user, passage_id=p.pk, at=_split_point(p.text)))


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("prompt", "kind", "answer", "score", "status", "is_edited")
    list_filter = ("status", "kind", "passage__deck__source")
    search_fields = ("prompt", "answer")
    raw_id_fields = ("passage", "reviewed_by")
    actions = ["approve", "reject"]

    def save_model(self, request, obj: Question, form, change: bool) -> None:
        if change and {"prompt", "answer", "accepted_answers", "choices", "explanation"} & set(
            form.changed_data
        ):
            obj.is_edited = True
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve")
    def approve(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        queryset.update(status=Question.Status.APPROVED, reviewed_by=request.user)

    @admin.action(description="Reject")
    def reject(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        queryset.update(status=Question.Status.REJECTED, reviewed_by=request.user)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "progress", "deck", "created_by", "created_at")
    list_filter = ("kind", "state")
