"""Pages of the web front end.

Each view only renders a template: the page's script fetches its data from the
REST API with the session cookie and the CSRF header. Access is still checked
here, on the server, so that a page refuses before any data is asked for:
anonymous visitors go to the login page, a student asking for a teacher's page
gets the 403 page, and an object the user has no link to is a 404.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import ensure_csrf_cookie

from quizzes.teaching.selectors import assignment_get_for_user, attempt_get_for_user

View = Callable[..., HttpResponse]


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"/login?{urlencode({'next': request.get_full_path()})}")


def page(template: str, *, teacher: bool = False) -> Callable[[View], View]:
    """Render `template` for a logged-in user (a teacher when `teacher`).

    The wrapped function may return a dict of extra context, or raise
    Http404/PermissionDenied to refuse; both refusals render the error page.
    """

    def decorate(function: View) -> View:
        @wraps(function)
        @ensure_csrf_cookie
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return _login_redirect(request)
            if teacher and not request.user.is_teacher:
                return error_page(request, status=403)
            try:
                extra = function(request, *args, **kwargs) or {}
            except PermissionDenied:
                return error_page(request, status=403)
            except Http404:
                return error_page(request, status=404)
            return render(request, template, extra)

        return view

    return decorate


ERRORS = {
    400: ("Bad request", "The page could not understand that request."),
    403: ("Not allowed", "Your account cannot open this page."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    500: ("Something went wrong", "The server failed. Try again in a moment."),
}


def error_page(
    request: HttpRequest, *, status: int, exception: Exception | None = None
) -> HttpResponse:
    title, message = ERRORS.get(status, ERRORS[500])
    return render(
        request,
        "web/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


# --- Everyone ------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("/login")
    return redirect("/teach/" if request.user.is_teacher else "/dashboard")


def safe_next(request: HttpRequest) -> str:
    """The `next` path to go to after logging in, or "" unless it is a path on this site.

    Django's check refuses other hosts and schemes, including the forms browsers
    read as one after dropping tabs and line breaks (`/%09/evil.example/`); any
    control character is refused outright, as is a way back to the login page.
    """
    target = request.GET.get("next", "")
    if not target or any(unicodedata.category(ch)[0] == "C" for ch in target):
        return ""
    if not target.startswith("/") or target.startswith("/login"):
        return ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return target


@ensure_csrf_cookie
def login_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/login.html",
        {"reason": request.GET.get("reason", ""), "next": safe_next(request)},
    )


@ensure_csrf_cookie
def register_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/register.html", {"allow_teacher_signup": settings.ALLOW_TEACHER_SIGNUP}
    )


def error_demo(request: HttpRequest) -> HttpResponse:
    """The error page as users see it (linked from nowhere; for screenshots)."""
    return error_page(request, status=404)


# --- Student (teachers may use these too) --------------------------------------


@page("web/dashboard.html")
def dashboard(request: HttpRequest) -> dict[str, Any]:
    return {}


@page("web/study.html")
def study(request: HttpRequest) -> dict[str, Any]:
    return {}


@page("web/reader.html")
def reader(request: HttpRequest, deck_id: int) -> dict[str, Any]:
    return {"deck_id": deck_id}


@page("web/quiz.html")
def quiz(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    assignment_get_for_user(user=request.user, assignment_id=assignment_id)
    return {"assignment_id": assignment_id}


@page("web/attempt.html")
def attempt(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    attempt_get_for_user(user=request.user, attempt_id=attempt_id)
    return {"attempt_id": attempt_id}


# --- Teacher -----------------------------------------------------------------


@page("web/teach_home.html", teacher=True)
def teach_home(request: HttpRequest) -> dict[str, Any]:
    return {}


@page("web/teach_import.html", teacher=True)
def teach_import(request: HttpRequest) -> dict[str, Any]:
    return {}


@page("web/teach_review.html", teacher=True)
def teach_review(request: HttpRequest, deck_id: int) -> dict[str, Any]:
    return {"deck_id": deck_id}


@page("web/teach_quiz_sets.html", teacher=True)
def teach_quiz_sets(request: HttpRequest) -> dict[str, Any]:
    return {}


@page("web/teach_classes.html", teacher=True)
def teach_classes(request: HttpRequest) -> dict[str, Any]:
    return {}


@page("web/teach_assignments.html", teacher=True)
def teach_assignments(request: HttpRequest) -> dict[str, Any]:
    return {}


@page("web/teach_results.html", teacher=True)
def teach_results(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    assignment_get_for_user(user=request.user, assignment_id=assignment_id, manage=True)
    return {"assignment_id": assignment_id}
