from __future__ import annotations

import logging
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from common import recovery
from common.ai_client import AiInputError, get_ai_client
from common.emotions import EMOTIONS
from common.errors import ApplicationError
from common.images import clean_upload
from common.retry import is_transient
from emojis.models import EmojiTemplate, TemplateImage, TemplateStatus
from emojis.work import TEMPLATE_WORK

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
        transaction.on_commit(lambda: template_enqueue(template_id=template.id))
    logger.info("template_created template_id=%s owner_id=%s", template.id, owner.id)
    return template


def template_enqueue(*, template_id: int) -> bool:
    """Hand the cut-outs to the broker; never raises (the outbox keeps the template)."""
    return recovery.dispatch(TEMPLATE_WORK, template_id)


def template_process(*, template_id: int, token: UUID) -> EmojiTemplate | None:
    """Make the missing cut-outs through ai_server, for a template this worker
    holds (`token`). Idempotent: finished pictures are skipped. Transient
    errors propagate for the retry policy; a refused picture fails the template."""
    template = EmojiTemplate.objects.filter(pk=template_id).first()
    if template is None:
        return None
    client = get_ai_client()
    for image in template.images.order_by("id"):
        if image.cutout:
            continue
        try:
            with image.original.open("rb") as fh:
                original = fh.read()
        except OSError as exc:
            if is_transient(exc):
                raise
            template_mark_failed(template_id=template_id, token=token, reason=f"{image.emotion}: picture missing.")
            return None
        try:
            result = client.cutout(image=original)
        except AiInputError as exc:
            template_mark_failed(template_id=template_id, token=token, reason=f"{image.emotion}: {exc}")
            return None
        image.cutout.save("cutout.png", ContentFile(result.image), save=False)
        image.cutout_method = result.method
        image.save(update_fields=["cutout", "cutout_method"])
        logger.info(
            "template_cutout template_id=%s emotion=%s method=%s", template_id, image.emotion, result.method
        )
    with transaction.atomic():
        template = recovery.locked_if_held(TEMPLATE_WORK, template_id, token)
        if template is None:
            return None  # finished or handed out again meanwhile
        template.status = TemplateStatus.READY
        template.error = ""
        recovery.release(template)
        template.save()
    logger.info("template_ready template_id=%s", template_id)
    return template


def template_mark_failed(*, template_id: int, reason: str, token: UUID | None = None) -> bool:
    return recovery.fail(TEMPLATE_WORK, template_id, reason, token=token)


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


def templates_reconcile() -> dict[str, int]:
    return recovery.reconcile(TEMPLATE_WORK)


def templates_sweep() -> dict[str, int]:
    """The backstop behind the reconciler (see jobs_sweep)."""
    timeout = settings.TEMPLATE_PROCESSING_TIMEOUT
    return recovery.sweep(TEMPLATE_WORK, running_timeout=timeout, waiting_timeout=timeout)


def templates_deactivate_for_owner(*, owner) -> int:
    """Soft-delete every template of the owner (their account is going): they
    leave the gallery and the ranking; results made with them keep working."""
    return EmojiTemplate.objects.filter(owner=owner, is_active=True).update(is_active=False)
