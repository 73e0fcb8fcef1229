"""A template's cut-outs as recoverable work (common/recovery.py): the
template stays `processing` while it waits and while a worker holds it (its
lease token says which), then becomes ready or failed."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from common.recovery import Work
from emojis.models import EmojiTemplate, TemplateStatus


def _unchanged(template: EmojiTemplate, *_args: object) -> None:
    pass


def _on_fail(template: EmojiTemplate, reason: str, now: datetime) -> None:
    template.status = TemplateStatus.FAILED
    template.error = reason


TEMPLATE_WORK = Work(
    name="template",
    model=EmojiTemplate,
    task="emojis.tasks.template_process",
    waiting=Q(status=TemplateStatus.PROCESSING, lease_token__isnull=True),
    running=Q(status=TemplateStatus.PROCESSING, lease_token__isnull=False),
    on_start=_unchanged,
    on_requeue=_unchanged,
    on_fail=_on_fail,
)
