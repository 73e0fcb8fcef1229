"""The template shape, shared by the template, gallery, my-page and create views
(its schema components: Template, TemplateImages, TemplateImage, TemplatePage)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from common.emotions import EMOTIONS
from common.pagination import page_serializer
from emojis.models import EmojiTemplate, TemplateStatus
from media.signing import media_url

CUTOUT_METHODS = ("alpha", "border", "rembg")


def template_preview_url(template: EmojiTemplate, *, request) -> str | None:
    images = {image.emotion: image for image in template.images.all()}
    happy = images.get("happy")
    if happy is None:
        return None
    return media_url(request=request, name=happy.cutout.name or happy.original.name)


@extend_schema_serializer(component_name="TemplateImage")
class TemplateImageSerializer(serializers.Serializer):
    original_url = serializers.URLField(
        allow_null=True,
        help_text="The picture as uploaded (metadata removed); null only if its row is missing, "
        "which the API never makes (a page must not fail for one bad row).",
    )
    cutout_url = serializers.URLField(allow_null=True, help_text="Its cut-out; null until it is made.")
    cutout_method = serializers.ChoiceField(
        choices=CUTOUT_METHODS, allow_null=True,
        help_text="How the cut-out was made: its own transparency, a plain background, or rembg.",
    )


TemplateImagesSerializer = extend_schema_serializer(component_name="TemplateImages")(
    type(
        "TemplateImagesSerializer",
        (serializers.Serializer,),
        {"__doc__": "One picture per emotion.", **{e: TemplateImageSerializer() for e in EMOTIONS}},
    )
)


@extend_schema_serializer(component_name="Template")
class TemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(max_length=40)
    owner_alias = serializers.CharField(source="owner.alias")
    status = serializers.ChoiceField(choices=TemplateStatus.choices)
    error = serializers.CharField(allow_blank=True, help_text="Why the template failed; empty otherwise.")
    is_builtin = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    preview_url = serializers.SerializerMethodField(help_text="The happy picture's cut-out (or original).")
    images = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_preview_url(self, obj: EmojiTemplate) -> str | None:
        return template_preview_url(obj, request=self.context.get("request"))

    @extend_schema_field(TemplateImagesSerializer)
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


TemplatePageSerializer = page_serializer(TemplateSerializer, name="TemplatePage")
