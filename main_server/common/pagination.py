"""The page shape every list shares: {count, num_pages, page, results}."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from common.errors import ApplicationError
from common.schema import error_response

PAGE_SIZE = 8
PAGE_MAX = 999_999_999  # the URL takes up to nine digits

PAGE_NOT_FOUND = error_response(
    "page_not_found", when="The page is past the last one (page 1 always exists, possibly empty)."
)
INVALID_PAGE = error_response("invalid_page", when="`page` is not a positive integer.")
PAGE_SCHEMA = {"type": "integer", "minimum": 1, "maximum": PAGE_MAX}


def page_parameter(name: str = "page", *, location: str = OpenApiParameter.QUERY) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        PAGE_SCHEMA,
        location,
        required=location == OpenApiParameter.PATH,
        description=f"Page number, from 1; {PAGE_SIZE} items a page, newest first.",
    )


def page_serializer(item: type[serializers.Serializer], *, name: str) -> type[serializers.Serializer]:
    """A serializer for one page of `item`; its component is called `name`."""
    return type(
        f"{name}Serializer",
        (serializers.Serializer,),
        {
            "__doc__": f"One page of a list, {PAGE_SIZE} items a page.",
            "__module__": item.__module__,
            "count": serializers.IntegerField(min_value=0, help_text="Items in the whole list."),
            "num_pages": serializers.IntegerField(min_value=1, help_text="1 for an empty list."),
            "page": serializers.IntegerField(min_value=1),
            "results": item(many=True),
        },
    )


def parse_page(raw: str | int | None) -> int:
    if raw in (None, ""):
        return 1
    text = str(raw)
    page = int(text) if text.isascii() and text.isdigit() else 0
    if not 1 <= page <= PAGE_MAX:
        raise ApplicationError("page must be a positive integer.", code="invalid_page", status_code=400)
    return page


def paginate(queryset: QuerySet, *, page: int, per_page: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of `queryset` as {count, num_pages, page, results: [objects]}, for a page serializer."""
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    try:
        current = paginator.page(page)
    except EmptyPage:
        raise ApplicationError(
            f"Page {page} does not exist (there are {paginator.num_pages}).",
            code="page_not_found",
            status_code=404,
        ) from None
    return {
        "count": paginator.count,
        "num_pages": paginator.num_pages,
        "page": page,
        "results": list(current.object_list),
    }
