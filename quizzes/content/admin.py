from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from quizzes.content import services
from quizzes.content.models import Deck, Job, Passage, Question, Source
from quizzes.content.services.questions import TEXT_FIELDS, question_update
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
    readonly_fields = (
        "deck",
        "order",
        "word_count",
        "content_hash",
        "version",
        "is_current",
        "replaced_by",
    )
    fields = (
        "deck",
        "order",
        "heading",
        "text",
        "is_hidden",
        "word_count",
        "version",
        "is_current",
        "replaced_by",
        "content_hash",
    )
    actions = ["hide", "show", "merge", "split"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request, obj: Passage, form, change: bool) -> None:
        try:
            if "is_hidden" in form.changed_data:
                services.passage_hide(user=request.user, passage_id=obj.pk, hidden=obj.is_hidden)
            if {"text", "heading"} & set(form.changed_data):
                services.passage_edit(
                    user=request.user, passage_id=obj.pk, text=obj.text, heading=obj.heading
                )
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
            self._run(
                request,
                lambda p=passage: services.passage_hide(
                    user=request.user, passage_id=p.pk, hidden=True
                ),
            )

    @admin.action(description="Show to students")
    def show(self, request: HttpRequest, queryset: QuerySet[Passage]) -> None:
        for passage in queryset:
            self._run(
                request,
                lambda p=passage: services.passage_hide(
                    user=request.user, passage_id=p.pk, hidden=False
                ),
            )

    @admin.action(description="Merge the selected consecutive passages")
    def merge(self, request: HttpRequest, queryset: QuerySet[Passage]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        self._run(request, lambda: services.passages_merge(user=request.user, passage_ids=ids))

    @admin.action(description="Split in two at the paragraph nearest the middle")
    def split(self, request: HttpRequest, queryset: QuerySet[Passage]) -> None:
        for passage in queryset:
            self._run(
                request,
                lambda p=passage: services.passage_split(
                    user=request.user, passage_id=p.pk, at=_split_point(p.text)
                ),
            )


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("prompt", "kind", "answer", "score", "status", "is_edited", "replaced_by")
    list_filter = ("status", "kind", "passage__deck__source")
    search_fields = ("prompt", "answer")
    raw_id_fields = ("passage", "reviewed_by")
    readonly_fields = ("kind", "passage", "fingerprint", "is_edited", "replaced_by", "original")
    actions = ["approve", "reject"]

    def save_model(self, request, obj: Question, form, change: bool) -> None:
        """Text, key and evidence changes go through `question_update`, as over the API:
        a question another teacher's quiz set uses is copied on write."""
        text = [name for name in TEXT_FIELDS if name in form.changed_data]
        evidence = {"evidence_start", "evidence_end"} & set(form.changed_data)
        if not change or not (text or evidence):
            super().save_model(request, obj, form, change)
            return
        data: dict = {name: getattr(obj, name) for name in text}
        if evidence:
            data["evidence"] = {"start": obj.evidence_start, "end": obj.evidence_end}
        if "status" in form.changed_data:
            data["status"] = obj.status
        rest = set(form.changed_data) - {*text, *evidence, "status"}
        if rest:
            Question.objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in rest})
        try:
            saved = question_update(user=request.user, question_id=obj.pk, data=data)
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return
        if saved.pk != obj.pk:
            self.message_user(
                request,
                (
                    f"Another teacher's quiz set uses this question, so the edit was saved as "
                    f"question {saved.pk}; this one stays as it was for that quiz set."
                ),
                level=messages.WARNING,
            )

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
