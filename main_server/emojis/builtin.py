"""Built-in templates (assets/emoji/<dir>/<emotion>.png, transparent PNGs),
owned by a system user, ready at once: their pictures are their own cut-outs."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from common.emotions import EMOTIONS
from emojis.models import EmojiTemplate, TemplateImage, TemplateStatus

logger = logging.getLogger(__name__)

SYSTEM_EMAIL = "system@igemoji.invalid"
SYSTEM_ALIAS = "igemoji"
BUILTINS = {"Noto": "noto"}  # template name → folder under BUILTIN_ASSETS_DIR


def system_user_get_or_create() -> User:
    user = User.objects.filter(email=SYSTEM_EMAIL).first()
    if user is None:
        user = User(email=SYSTEM_EMAIL, alias=SYSTEM_ALIAS, is_system=True)
        user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def builtin_templates_ensure(*, assets_dir: Path | None = None) -> list[EmojiTemplate]:
    root = Path(assets_dir or settings.BUILTIN_ASSETS_DIR)
    owner = system_user_get_or_create()
    made = []
    for name, folder in BUILTINS.items():
        files = {e: root / folder / f"{e}.png" for e in EMOTIONS}
        missing = [str(p) for p in files.values() if not p.is_file()]
        if missing:
            logger.warning("builtin_template_skipped name=%s missing=%s", name, ",".join(missing))
            continue
        template = EmojiTemplate.objects.filter(owner=owner, name=name, is_builtin=True).first()
        if template is not None:
            continue
        template = EmojiTemplate.objects.create(
            owner=owner, name=name, is_builtin=True, status=TemplateStatus.READY
        )
        for emotion, path in files.items():
            data = path.read_bytes()
            image = TemplateImage(template=template, emotion=emotion, cutout_method="alpha")
            image.original.save(f"{emotion}.png", ContentFile(data), save=False)
            image.cutout.save(f"{emotion}.png", ContentFile(data), save=False)
            image.save()
        logger.info("builtin_template_created name=%s template_id=%s", name, template.id)
        made.append(template)
    return made
