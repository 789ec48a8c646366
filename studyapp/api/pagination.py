from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import pagination, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class PageNumberPagination(pagination.PageNumberPagination):
    """`count`, `next`, `previous`, `results`; clients may ask for up to 200 a page."""

    page_size_query_param = "page_size"
    max_page_size = 200


def paginated(item: Any, name: str) -> serializers.Serializer:
    """The schema of a page of `item` (a serializer class or instance) for APIViews,
    which drf-spectacular does not paginate by itself: `{count, next, previous, results}`."""
    results = item(many=True) if isinstance(item, type) else item
    return inline_serializer(
        f"Paginated{name}List",
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": results,
        },
    )


def paginate(
    request: Request,
    view: APIView,
    items: Any,
    serialize: type[serializers.BaseSerializer] | Callable[[list[Any]], Any],
) -> Response:
    """One page of ``items`` as ``{count, next, previous, results}`` (``?page=``,
    ``?page_size=``). ``serialize`` is a serializer class for the page's items, or a
    function from the page's items to the results (to look up more for that page only)."""
    paginator = PageNumberPagination()
    page = list(paginator.paginate_queryset(items, request, view=view) or [])
    if isinstance(serialize, type):
        return paginator.get_paginated_response(serialize(page, many=True).data)
    return paginator.get_paginated_response(serialize(page))
