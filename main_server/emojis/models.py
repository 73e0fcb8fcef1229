from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from common.emotions import EMOTIONS
from common.models import Recoverable


class TemplateStatus(models.TextChoices):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class EmojiTemplate(Recoverable):
    # NULL once the owner deleted their account (the template is soft-deleted
    # then, and other people's results that used it keep their template).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="templates"
    )
    name = models.CharField(max_length=40)
    status = models.CharField(
        max_length=12, choices=TemplateStatus.choices, default=TemplateStatus.PROCESSING
    )
    error = models.TextField(blank=True, default="")
    # Soft delete: jobs made with a deleted template keep their results.
    is_active = models.BooleanField(default=True)
    is_builtin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["is_active", "status", "-created_at"], name="template_gallery_idx"),
            models.Index(fields=["owner", "is_active", "-created_at"], name="template_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pk})"


def _upload_to(kind: str):
    def path(instance: TemplateImage, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
        return f"templates/{instance.template_id}/{instance.emotion}-{kind}-{uuid.uuid4().hex[:12]}.{ext}"

    return path


def original_upload_to(instance: TemplateImage, filename: str) -> str:
    return _upload_to("original")(instance, filename)


def cutout_upload_to(instance: TemplateImage, filename: str) -> str:
    return _upload_to("cutout")(instance, filename)


class TemplateImage(models.Model):
    template = models.ForeignKey(EmojiTemplate, on_delete=models.CASCADE, related_name="images")
    emotion = models.CharField(max_length=10, choices=[(e, e) for e in EMOTIONS])
    original = models.FileField(upload_to=original_upload_to, max_length=255)
    cutout = models.FileField(upload_to=cutout_upload_to, max_length=255, blank=True, default="")
    cutout_method = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "emotion"], name="template_image_emotion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template_id}:{self.emotion}"
