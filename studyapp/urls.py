from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health
from .api.throttling import throttle_login_view

admin.site.login = throttle_login_view(admin.site.login)  # type: ignore[method-assign]

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("quizzes.content.api.urls")),
    path("", include("quizzes.study.api.urls")),
    path("", include("quizzes.teaching.api.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the page needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("", include("quizzes.web.urls")),
]

handler400 = "studyapp.api.http_errors.bad_request"
handler403 = "studyapp.api.http_errors.permission_denied"
handler404 = "studyapp.api.http_errors.page_not_found"
handler500 = "studyapp.api.http_errors.server_error"
