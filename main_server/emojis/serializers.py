"""Template output shape (docs/api.md), shared by the template, gallery and
my-page views."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.emotions import EMOTIONS
from emojis.models import EmojiTemplate
from media.signing import media_url


def template_preview_url(template: EmojiTemplate, *, request) -> str | None:
    images = {image.emotion: image for image in template.images.all()}
    happy = images.get("happy")
    if happy is None:
        return None
    return media_url(request=request, name=happy.cutout.name or happy.original.name)


class TemplateOutputSerializer(serializers.ModelSerializer):
    owner_alias = serializers.CharField(source="owner.alias")
    preview_url = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()

    class Meta:
        model = EmojiTemplate
        fields = [
            "id", "name", "owner_alias", "status", "error", "is_builtin",
            "created_at", "preview_url", "images",
        ]

    def get_preview_url(self, obj: EmojiTemplate) -> str | None:
        return template_preview_url(obj, request=self.context.get("request"))

    def get_images(self, obj: EmojiTemplate) -> dict[str, Any]:
        request = self.context.get("request")
        by_emotion = {image.emotion: image for image in obj.images.all()}
        out: dict[str, Any] = {}
        for emotion in EMOTIONS:
            image = by_emotion.get(emotion)
            out[emotion] = {
                "original_url": media_url(request=request, name=image.original.name) if image else None,
                "cutout_url": media_url(request=request, name=image.cutout.name) if image and image.cutout else None,
                "cutout_method": (image.cutout_method or None) if image else None,
            }
        return out


def template_to_dict(template: EmojiTemplate, *, request) -> dict[str, Any]:
    return TemplateOutputSerializer(template, context={"request": request}).data
