from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from common.ai_client import AiInputError, get_ai_client
from common.emotions import EMOTIONS
from common.errors import ApplicationError
from common.images import clean_upload
from emojis.models import EmojiTemplate, TemplateImage, TemplateStatus

logger = logging.getLogger(__name__)


def template_create(*, owner, name: str, files: dict[str, UploadedFile | None]) -> EmojiTemplate:
    # Every picture is checked before anything is written: one bad file → 400
    # naming it, and nothing stored.
    side = settings.TEMPLATE_PICTURE_MAX_SIDE
    cleaned = {emotion: clean_upload(files.get(emotion), field=emotion, max_side=side) for emotion in EMOTIONS}
    with transaction.atomic():
        template = EmojiTemplate.objects.create(owner=owner, name=name.strip())
        for emotion, picture in cleaned.items():
            image = TemplateImage(template=template, emotion=emotion)
            image.original.save(f"upload.{picture.extension}", ContentFile(picture.content), save=False)
            image.save()
        transaction.on_commit(lambda: _enqueue_process(template.id))
    logger.info("template_created template_id=%s owner_id=%s", template.id, owner.id)
    return template


def _enqueue_process(template_id: int) -> None:
    from emojis.tasks import template_process_task

    template_process_task.delay(template_id)


def template_process(*, template_id: int) -> EmojiTemplate | None:
    """Make the missing cut-outs through ai_server. Idempotent: finished pictures
    are skipped, a ready or failed template is left alone. AiUnavailableError
    propagates so the task can retry."""
    template = EmojiTemplate.objects.filter(pk=template_id).first()
    if template is None or template.status != TemplateStatus.PROCESSING:
        return template
    client = get_ai_client()
    for image in template.images.order_by("id"):
        if image.cutout:
            continue
        with image.original.open("rb") as fh:
            original = fh.read()
        try:
            result = client.cutout(image=original)
        except AiInputError as exc:
            return template_mark_failed(template_id=template_id, reason=f"{image.emotion}: {exc}")
        image.cutout.save("cutout.png", ContentFile(result.image), save=False)
        image.cutout_method = result.method
        image.save(update_fields=["cutout", "cutout_method"])
        logger.info(
            "template_cutout template_id=%s emotion=%s method=%s", template_id, image.emotion, result.method
        )
    with transaction.atomic():
        template = EmojiTemplate.objects.select_for_update().get(pk=template_id)
        if template.status == TemplateStatus.PROCESSING:
            template.status = TemplateStatus.READY
            template.error = ""
            template.save(update_fields=["status", "error", "updated_at"])
    logger.info("template_ready template_id=%s", template_id)
    return template


@transaction.atomic
def template_mark_failed(*, template_id: int, reason: str) -> EmojiTemplate | None:
    template = EmojiTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None or template.status != TemplateStatus.PROCESSING:
        return template
    template.status = TemplateStatus.FAILED
    template.error = reason[:1000]
    template.save(update_fields=["status", "error", "updated_at"])
    logger.warning("template_failed template_id=%s reason=%s", template_id, reason)
    return template


@transaction.atomic
def template_delete(*, template_id: int, user) -> None:
    template = EmojiTemplate.objects.select_for_update().filter(pk=template_id, is_active=True).first()
    is_owner = template is not None and template.owner_id == user.id
    if template is None or (not is_owner and template.status != TemplateStatus.READY):
        # Another user's processing or failed template is not public: answering
        # 403 would confirm it exists.
        raise ApplicationError("Template not found.", code="template_not_found", status_code=404)
    if not is_owner:
        raise ApplicationError(
            "Only the owner can delete this template.", code="forbidden", status_code=403
        )
    # Soft delete: the files stay, so results made with it keep loading.
    template.is_active = False
    template.save(update_fields=["is_active", "updated_at"])
    logger.info("template_deleted template_id=%s", template_id)


def templates_sweep() -> dict[str, int]:
    """Templates stuck `processing` (a lost message) are enqueued again; past
    twice the timeout they are failed, so none stays processing for ever."""
    now = timezone.now()
    timeout = timedelta(seconds=settings.TEMPLATE_PROCESSING_TIMEOUT)
    stuck = EmojiTemplate.objects.filter(status=TemplateStatus.PROCESSING, updated_at__lt=now - timeout)
    failed = requeued = 0
    for template in stuck:
        if template.created_at < now - 3 * timeout:
            template_mark_failed(template_id=template.id, reason="Cut-outs did not finish in time.")
            failed += 1
        else:
            EmojiTemplate.objects.filter(pk=template.id).update(updated_at=now)
            _enqueue_process(template.id)
            requeued += 1
    if failed or requeued:
        logger.info("templates_sweep requeued=%s failed=%s", requeued, failed)
    return {"requeued": requeued, "failed": failed}


def templates_deactivate_for_owner(*, owner) -> int:
    """Soft-delete every template of the owner (their account is going): they
    leave the gallery and the ranking; results made with them keep working."""
    return EmojiTemplate.objects.filter(owner=owner, is_active=True).update(is_active=False)
