from __future__ import annotations

from celery import shared_task

from common.tasks import run_with_ai_retry
from emojis import services


@shared_task(bind=True, name="emojis.tasks.template_process", max_retries=None)
def template_process_task(self, template_id: int) -> None:
    run_with_ai_retry(
        self,
        name="template_process",
        object_id=template_id,
        run=lambda: services.template_process(template_id=template_id),
        mark_failed=lambda reason: services.template_mark_failed(template_id=template_id, reason=reason),
    )


@shared_task(name="emojis.tasks.templates_sweep")
def templates_sweep() -> dict[str, int]:
    return services.templates_sweep()
