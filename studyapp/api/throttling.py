"""Rate limits that hold behind a proxy and keep working when the cache is down.

Each limited action is counted twice: per client address and per account (the
username tried, or the user). Guessing passwords from many addresses runs into
the account limit; trying many accounts from one address runs into the address
limit.

The client address is REMOTE_ADDR, unless ``BEHIND_PROXY`` says how many proxies
in front of the service append to ``X-Forwarded-For``: then it is the address
that many entries from the right of that header, the one the nearest trusted
proxy saw. Whatever a client writes into the header itself is to the left of
that and never used.

Counts live in the default cache (Redis in production). When the cache cannot
be reached the counts move to memory in each process, so logging in still works
and is still limited per process; a warning is logged.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

try:  # the Redis client is only there when Redis is used
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError  # type: ignore[assignment,misc]

CACHE_ERRORS: tuple[type[BaseException], ...] = (OSError, RedisError)


class FailOpenCache:
    """The default cache, or this process's memory while the default cannot be reached."""

    WARN_EVERY_SECONDS = 60.0

    def __init__(self) -> None:
        self._local = LocMemCache("throttle-fallback", {"MAX_ENTRIES": 10_000})
        self._warned_at = 0.0

    def _fallen_back(self, exc: BaseException) -> LocMemCache:
        now = time.monotonic()
        if now - self._warned_at >= self.WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning("Rate-limit cache unreachable, counting in process memory: %s", exc)
        return self._local

    def clear_fallback(self) -> None:
        self._local.clear()

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return default_cache.get(key, default)
        except CACHE_ERRORS as exc:
            return self._fallen_back(exc).get(key, default)

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        try:
            default_cache.set(key, value, timeout)
        except CACHE_ERRORS as exc:
            self._fallen_back(exc).set(key, value, timeout)


fail_open_cache = FailOpenCache()


def client_address(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only as far as BEHIND_PROXY says."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-min(hops, len(forwarded))]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class _RateThrottle(SimpleRateThrottle):
    """A limit named by `scope` in REST_FRAMEWORK's DEFAULT_THROTTLE_RATES, read per request."""

    cache = fail_open_cache
    scope = ""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def ident_for(self, request: Any) -> str | None:
        raise NotImplementedError

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        ident = self.ident_for(request)
        if not ident:
            return None
        return self.cache_format % {"scope": self.scope, "ident": _digest(ident)}


class AddressThrottle(_RateThrottle):
    def ident_for(self, request: Any) -> str | None:
        return self.get_ident(request)


def _submitted(request: Any) -> Any:
    data = getattr(request, "data", None)
    return request.POST if data is None else data


class UsernameThrottle(_RateThrottle):
    """Counts per username tried (case-insensitive), whether or not the account exists."""

    def ident_for(self, request: Any) -> str | None:
        data = _submitted(request)
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None
        return username.strip().lower()


class RefreshAccountThrottle(_RateThrottle):
    """Counts per user of a refresh token whose signature holds and that has not expired."""

    def ident_for(self, request: Any) -> str | None:
        from rest_framework_simplejwt.settings import api_settings as jwt_settings
        from rest_framework_simplejwt.state import token_backend

        data = _submitted(request)
        raw = data.get("refresh") if hasattr(data, "get") else None
        if not isinstance(raw, str) or not raw:
            return None
        try:
            payload = token_backend.decode(raw, verify=True)
        except Exception:  # an undecodable or forged token names no account
            return None
        user_id = payload.get(jwt_settings.USER_ID_CLAIM)
        return None if user_id is None else f"user:{user_id}"


class UserThrottle(_RateThrottle):
    def ident_for(self, request: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return f"user:{user.pk}"


class AuthAddressThrottle(AddressThrottle):
    scope = "auth"


class AuthAccountThrottle(UsernameThrottle):
    scope = "auth_account"


class RefreshAddressThrottle(AddressThrottle):
    scope = "auth"


class RefreshUserThrottle(RefreshAccountThrottle):
    scope = "auth_account"


class JoinAddressThrottle(AddressThrottle):
    scope = "join"


class JoinUserThrottle(UserThrottle):
    scope = "join_user"


def throttle_login_view(view: Any) -> Any:
    """Wrap a plain Django login view (the admin's) in the auth limits for its POSTs."""

    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            for throttle in (AuthAddressThrottle(), AuthAccountThrottle()):
                if not throttle.allow_request(request, None):
                    wait = max(1, round(throttle.wait() or 1))
                    response = HttpResponse(
                        f"Too many login attempts. Try again in {wait} seconds.\n",
                        status=429,
                        content_type="text/plain; charset=utf-8",
                    )
                    response["Retry-After"] = str(wait)
                    return response
        return view(request, *args, **kwargs)

    return throttled
