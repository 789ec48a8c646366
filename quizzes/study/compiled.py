"""ORM queries built and compiled once, then run with new parameters.

Building and compiling a query with a dozen joins and subqueries costs the
Django ORM several milliseconds of Python, more than PostgreSQL takes to run
it. A :class:`CompiledRow` builds its query from the ORM once per thread,
database and user kind (role and staff flags, which change the query's shape,
as visibility rules do), with stand-in values for the parameters, and then
only swaps the parameters. The ORM stays the one definition of the query.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

from accounts.models import User

# Stand-ins that no real parameter equals: negative ids and a fixed UUID.
_STAND_IN_INT = -7_301_000
_STAND_IN_UUID = uuid.UUID("5e7f0000-0000-4000-8000-00000000c0de")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[str, str] | None, ...]  # per parameter: (name, form) or None
    compiler: Any
    converters: dict[int, Any]


class CompiledRow:
    """One row of a ``values()`` query built by ``build(user, **params)``.

    ``params`` are named with their kind: ``int`` or ``uuid``. The builder must use
    each parameter only as a query parameter (a filter value), never to decide
    the query's shape; ``user`` is a stand-in with the real user's role and flags.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **params: str) -> None:
        self._build = build
        self._kinds = params
        self._local = threading.local()

    def _stand_ins(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for index, (name, kind) in enumerate(self._kinds.items(), start=1):
            values[name] = _STAND_IN_UUID if kind == "uuid" else _STAND_IN_INT - index
        return values

    def _compile(self, using: str, user: User) -> _Compiled | None:
        stand_user = User(
            pk=_STAND_IN_INT, role=user.role, is_staff=user.is_staff, is_superuser=user.is_superuser
        )
        stand_ins = self._stand_ins()
        queryset = self._build(stand_user, **stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        wanted = {**stand_ins, "user": _STAND_IN_INT}
        slots: list[tuple[str, str] | None] = []
        for param in params:
            slot = None
            for name, value in wanted.items():
                if isinstance(param, bool):
                    break
                if param == value:
                    slot = (name, "value")
                elif isinstance(value, uuid.UUID) and param in (value.hex, str(value)):
                    slot = (name, "hex" if param == value.hex else "str")
            slots.append(slot)
        found = {slot[0] for slot in slots if slot is not None}
        inlined = any(str(value) in sql for value in wanted.values())
        if set(stand_ins) - found or inlined:
            return None  # a parameter was inlined or transformed: not safe to swap
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            compiler=compiler,
            converters=compiler.get_converters(fields),
        )

    def row(self, *, user: User, using: str = "default", **values: Any) -> dict[str, Any] | None:
        cache = self._local.__dict__.setdefault("cache", {})
        key = (using, user.role, user.is_staff, user.is_superuser)
        if key not in cache:
            cache[key] = self._compile(using, user)
        compiled = cache[key]
        if compiled is None:
            return self._build(user, **values).using(using).first()
        given = {**values, "user": user.pk}
        params = []
        for param, slot in zip(compiled.params, compiled.slots, strict=True):
            if slot is None:
                params.append(param)
            else:
                name, form = slot
                value = given[name]
                params.append(
                    value.hex if form == "hex" else str(value) if form == "str" else value
                )
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(1)
            # the column aliases are the values() names, in the compiled order
            names = [column[0] for column in cursor.description]
        if not rows:
            return None
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return dict(zip(names, rows[0], strict=True))
