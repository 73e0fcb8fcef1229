"""The page shape every list shares: {count, num_pages, page, results}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet

from common.errors import ApplicationError

PAGE_SIZE = 8


def parse_page(raw: str | int | None) -> int:
    if raw in (None, ""):
        return 1
    try:
        page = int(raw)
    except (TypeError, ValueError):
        raise ApplicationError(
            "page must be a positive integer.", code="invalid_page", status_code=400
        ) from None
    if page < 1:
        raise ApplicationError("page must be a positive integer.", code="invalid_page")
    return page


def paginate(
    queryset: QuerySet, *, page: int, serialize: Callable[[Any], dict], per_page: int = PAGE_SIZE
) -> dict[str, Any]:
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
        "results": [serialize(obj) for obj in current.object_list],
    }
