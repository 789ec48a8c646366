"""One JSON error shape for every API error.

    {"code": "validation_error", "message": "A person-readable summary.",
     "fields": {"email": ["A user with that email already exists."]}}

`fields` is empty when the error is not about particular input fields.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from studyapp.errors import ApplicationError


def _flatten(detail: Any) -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {field: [messages]}; nested fields use dots."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    out[f"{key}.{sub}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, messages in _flatten(item).items():
                        out[f"{key}.{index}.{sub}"] = messages
            elif isinstance(value, list):
                out[str(key)] = [str(message) for message in value]
            else:
                out[str(key)] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(message) for message in detail]}
    return {}


def _body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = (
            {key: [str(m) for m in value] for key, value in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if set(fields) == {"non_field_errors"}:
            message = " ".join(fields["non_field_errors"])
        else:
            names = ", ".join(sorted(fields))
            message = f"Invalid input: check {names}."
        response.data = _body("validation_error", message, fields)
    else:
        detail = getattr(exc, "detail", None)
        code = getattr(exc, "default_code", "error")
        if isinstance(detail, exceptions.ErrorDetail):
            code = detail.code or code
        message = str(detail) if isinstance(detail, str) else str(exc)
        if isinstance(detail, dict):
            message = str(detail.get("detail", message))
            code = str(detail.get("code", code))
        response.data = _body(str(code), message)
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["retry_after_seconds"] = getattr(exc, "wait", None)
    return response
