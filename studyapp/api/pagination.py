from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    """`count`, `next`, `previous`, `results`; clients may ask for up to 200 a page."""

    page_size_query_param = "page_size"
    max_page_size = 200


def paginated(item: Any, name: str) -> serializers.Serializer:
    """The schema of a page of `item` (a serializer class or instance) for APIViews,
    which drf-spectacular does not paginate by itself: `{count, next, previous, results}`."""
    results = item(many=True) if isinstance(item, type) else item
    return inline_serializer(f"Paginated{name}List", {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": results,
    })
