"""Auth and accounts: JWT for mobile clients, session login with CSRF for the web."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from accounts.models import User
from accounts.services import user_create
from studyapp.api.throttling import (
    AuthAccountThrottle,
    AuthAddressThrottle,
    RefreshAddressThrottle,
    RefreshUserThrottle,
)
from studyapp.errors import ApplicationError

from .serializers import (
    LoginInputSerializer,
    LogoutInputSerializer,
    RegisterInputSerializer,
    UserOutputSerializer,
)


class AuthThrottleMixin:
    """Limited per client address and per username tried."""

    throttle_classes: Sequence[type[BaseThrottle]] = [AuthAddressThrottle, AuthAccountThrottle]


class RegisterApi(AuthThrottleMixin, APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(request=RegisterInputSerializer, responses={201: UserOutputSerializer})
    def post(self, request: Request) -> Response:
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["role"] == User.Role.TEACHER and not settings.ALLOW_TEACHER_SIGNUP:
            message = "Teacher accounts are made by an administrator; register as a student."
            raise ApplicationError(
                message, code="teacher_signup_closed", status=403, fields={"role": [message]}
            )
        user = user_create(**data.validated_data)
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenObtainApi(AuthThrottleMixin, TokenObtainPairView):
    """`{username, password}` -> `{access, refresh}`."""


class TokenRefreshApi(TokenRefreshView):
    """`{refresh}` -> `{access, refresh}`: the refresh token rotates, the old one is refused."""

    throttle_classes = [RefreshAddressThrottle, RefreshUserThrottle]


class LogoutApi(APIView):
    """Blacklist the given refresh token, and end the web session if there is one.

    Possession of the refresh token is what proves the right to revoke it, so
    an expired access token does not stop a client from logging out.
    """

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=LogoutInputSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        data = LogoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refresh = data.validated_data.get("refresh")
        session_user = request.user.is_authenticated and isinstance(
            request.successful_authenticator, SessionAuthentication
        )
        if not refresh and not session_user:
            raise ApplicationError(
                "Send the refresh token to log out.",
                fields={"refresh": ["This field is required."]},
            )
        if refresh:
            try:
                RefreshToken(refresh).blacklist()
            except TokenError as exc:
                raise ApplicationError(
                    "That refresh token is invalid or already expired.",
                    code="token_not_valid",
                    fields={"refresh": [str(exc)]},
                ) from exc
        if session_user:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionLoginApi(AuthThrottleMixin, APIView):
    """Web login: checks CSRF, starts a session and returns the user."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=LoginInputSerializer, responses={200: UserOutputSerializer})
    def post(self, request: Request) -> Response:
        # DRF skips CSRF for anonymous requests; a login form must not (login CSRF).
        SessionAuthentication().enforce_csrf(request)
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise ApplicationError(
                "Wrong username or password.", code="invalid_credentials", status=401
            )
        login(request._request, user)
        return Response(UserOutputSerializer(user).data)


class CsrfApi(APIView):
    """Sets the CSRF cookie and returns the token, for the web front end."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=inline_serializer("Csrf", {"csrf_token": serializers.CharField()}))
    def get(self, request: Request) -> Response:
        return Response({"csrf_token": get_token(request._request)})


class MeApi(APIView):
    @extend_schema(responses=UserOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)
