"""factory_boy factories and small picture helpers for the unit tests."""

from __future__ import annotations

import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from common.emotions import EMOTIONS
from emojis.models import EmojiTemplate, TemplateImage, TemplateStatus
from faces.models import Job

PASSWORD = "correct horse battery staple"


def picture_bytes(fmt: str = "PNG", size=(64, 48), color=(200, 30, 30, 255), exif=None) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, color[: len(mode)])
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(name: str = "pic.png", content: bytes | None = None, fmt: str = "PNG") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else picture_bytes(fmt), "image/png")


def seven_uploads() -> dict[str, SimpleUploadedFile]:
    return {e: upload(f"{e}.png") for e in EMOTIONS}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    alias = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class TemplateFactory(factory.django.DjangoModelFactory):
    """A ready template whose seven pictures and cut-outs exist in storage."""

    class Meta:
        model = EmojiTemplate
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Template {n}")
    status = TemplateStatus.READY

    @factory.post_generation
    def pictures(self, create, extracted, **kwargs):
        if not create:
            return
        with_cutouts = self.status == TemplateStatus.READY
        for emotion in EMOTIONS:
            image = TemplateImage(template=self, emotion=emotion)
            image.original.save(f"{emotion}.png", ContentFile(picture_bytes()), save=False)
            if with_cutouts:
                image.cutout.save(f"{emotion}.png", ContentFile(picture_bytes()), save=False)
                image.cutout_method = "alpha"
            image.save()


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    owner = factory.SubFactory(UserFactory)
    template = factory.SubFactory(TemplateFactory)
    input_image = factory.django.FileField(filename="input.jpg", data=picture_bytes("JPEG"))
