"""The API's JSON error shape for errors Django answers outside DRF's views.

Django's own error handlers (unmatched routes, bad requests, server errors)
render HTML pages; for any path under /api/ these answer the same
``{code, message, fields}`` body DRF's views use. A database that cannot be
reached answers 503 (try again shortly) rather than 500, and a body over the
size limit 413.
"""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
UNAVAILABLE_RETRY_SECONDS = 5


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    if status == 503:
        response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    return response


def _database_unavailable() -> JsonResponse:
    return error_response(
        503,
        "service_unavailable",
        "The database is unavailable for a moment; nothing was saved. Try again shortly.",
    )


def _too_big() -> JsonResponse:
    return error_response(
        413, "payload_too_large", "The request body is larger than this server accepts."
    )


def _unavailable(exception: BaseException | None) -> bool:
    # OperationalError: connection lost or refused; InterfaceError: connection closed.
    return isinstance(exception, OperationalError | InterfaceError)


class ApiErrorMiddleware:
    """Turns exceptions a view raised on an /api/ path into the JSON shape."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return _too_big()
        if _unavailable(exception):
            logger.warning(
                "Database unavailable for %s %s: %s", request.method, request.path, exception
            )
            return _database_unavailable()
        return None  # Django logs it and answers with handler500


def bad_request(request: HttpRequest, exception: Exception, **kwargs) -> HttpResponse:
    if not is_api(request):
        return defaults.bad_request(request, exception, **kwargs)
    if isinstance(exception, RequestDataTooBig):
        return _too_big()
    return error_response(400, "bad_request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception, **kwargs) -> HttpResponse:
    if not is_api(request):
        return defaults.permission_denied(request, exception, **kwargs)
    return error_response(
        403, "permission_denied", "You do not have permission to perform this action."
    )


def page_not_found(request: HttpRequest, exception: Exception, **kwargs) -> HttpResponse:
    if not is_api(request):
        return defaults.page_not_found(request, exception, **kwargs)
    return error_response(404, "not_found", f"No API endpoint at {request.method} {request.path}.")


def server_error(request: HttpRequest, **kwargs) -> HttpResponse:
    if not is_api(request):
        return defaults.server_error(request, **kwargs)
    exception = sys.exc_info()[1]
    if _unavailable(exception):
        return _database_unavailable()
    if isinstance(exception, DatabaseError):
        logger.error("Database error on %s %s: %s", request.method, request.path, exception)
    return error_response(
        500, "server_error", "Something went wrong on the server; it has been logged."
    )
