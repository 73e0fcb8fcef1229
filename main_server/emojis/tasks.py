from __future__ import annotations

from celery import shared_task

from common.tasks import run_leased
from emojis import services
from emojis.work import TEMPLATE_WORK


@shared_task(name="emojis.tasks.template_process")
def template_process_task(template_id: int) -> None:
    run_leased(
        TEMPLATE_WORK,
        int(template_id),
        task_name="template_process",
        run=lambda token: services.template_process(template_id=int(template_id), token=token),
    )


@shared_task(name="emojis.tasks.templates_reconcile")
def templates_reconcile() -> dict[str, int]:
    return services.templates_reconcile()


@shared_task(name="emojis.tasks.templates_sweep")
def templates_sweep() -> dict[str, int]:
    return services.templates_sweep()
