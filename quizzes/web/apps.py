from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web front end: server-rendered pages that use the REST API from the browser."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes.web"
    label = "web"
    verbose_name = "Web front end"
