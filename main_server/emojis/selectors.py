from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from common.errors import ApplicationError
from emojis.models import EmojiTemplate, TemplateImage, TemplateStatus


def _with_images(qs: QuerySet[EmojiTemplate]) -> QuerySet[EmojiTemplate]:
    return qs.select_related("owner").prefetch_related(
        Prefetch("images", queryset=TemplateImage.objects.order_by("id"))
    )


def template_gallery_queryset() -> QuerySet[EmojiTemplate]:
    return _with_images(
        EmojiTemplate.objects.filter(is_active=True, status=TemplateStatus.READY).order_by(
            "-created_at", "-id"
        )
    )


def template_owned_queryset(*, user) -> QuerySet[EmojiTemplate]:
    return _with_images(
        EmojiTemplate.objects.filter(owner=user, is_active=True).order_by("-created_at", "-id")
    )


def template_get_visible(*, template_id: int, user) -> EmojiTemplate:
    """Ready templates are public; processing/failed ones only to their owner."""
    template = _with_images(EmojiTemplate.objects.filter(pk=template_id, is_active=True)).first()
    if template is None:
        raise ApplicationError("Template not found.", code="template_not_found", status_code=404)
    is_owner = user is not None and template.owner_id == getattr(user, "id", None)
    if template.status != TemplateStatus.READY and not is_owner:
        raise ApplicationError("Template not found.", code="template_not_found", status_code=404)
    return template


def template_counts_by_status() -> dict[str, int]:
    counts = {s.value: 0 for s in TemplateStatus}
    rows = EmojiTemplate.objects.filter(is_active=True).values("status").annotate(n=Count("id"))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts
