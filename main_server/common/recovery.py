"""The database is the truth, the broker a wake-up call.

A unit of background work is a row (a `Recoverable`). Where it stands:

  waiting, dispatched_at NULL    in the outbox: committed, wake-up call not sent yet
  waiting, dispatched_at set     a wake-up call went to the broker
  running, lease live            a worker holds it and renews the lease (common/leases.py)
  running, lease run out         its worker died or hung

`reconcile` (Celery beat, every RECONCILE_SECONDS) sends what is in the
outbox, hands out again rows whose lease ran out — or fails them once they
used their JOB_MAX_ATTEMPTS starts — and sends a wake-up call again for rows
left waiting while the broker holds no message (lost with a worker on the
filesystem transport, or acknowledged by a task that could not record
anything). `sweep` is the slow backstop. A duplicate wake-up call is harmless:
`claim` starts a row only if no live lease holds it.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from prometheus_client import Counter as MetricCounter

from common import broker, metrics

logger = logging.getLogger(__name__)

BATCH = 500  # rows per step of one pass: a pass stays short whatever happened
OUTBOX_GRACE = timedelta(seconds=2)  # the request's own on-commit send comes first

RECOVERY_ACTIONS = MetricCounter(
    "igemoji_recovery_actions",
    "Reconciler and sweep actions: dispatched (from the outbox), redispatched (lost "
    "wake-up call), requeued (lease ran out), failed (attempt budget used)",
    ["kind", "action"],
    registry=metrics.WORKER_REGISTRY,
)
for _kind in ("job", "template"):
    for _action in ("dispatched", "redispatched", "requeued", "failed"):
        RECOVERY_ACTIONS.labels(kind=_kind, action=_action)


@dataclass(frozen=True)
class Work:
    """How one kind of row is handed out. The hooks set the row's own fields
    (status, error, …) on a locked row; this module handles the lease fields."""

    name: str  # "job" | "template": logs and metrics
    model: Any  # a Recoverable model
    task: str  # the Celery task that runs one row, given its id
    waiting: Q  # not finished, not held by a worker
    running: Q  # held by a worker (the lease may have run out)
    on_start: Callable[[Any, datetime], None]
    on_requeue: Callable[[Any], None]
    on_fail: Callable[[Any, str, datetime], None]

    @property
    def active(self) -> Q:
        return self.waiting | self.running


def exhausted_reason(attempts: int) -> str:
    return f"Stopped after {attempts} attempts: the worker stopped (crashed or timed out) during each one."


def dispatch(work: Work, pk: Any) -> bool:
    """Send the row's wake-up call; on success record when (it leaves the outbox)."""
    if not broker.publish(work.task, pk if isinstance(pk, int) else str(pk)):
        return False
    work.model.objects.filter(work.waiting, pk=pk).update(dispatched_at=timezone.now())
    return True


def claim(work: Work, pk: Any) -> uuid.UUID | None:
    """Start the row for this worker: a new lease token, one more attempt.
    None when there is nothing to do here: finished, unknown, held by a live
    lease (a duplicate or redelivered wake-up call), or out of attempts (then
    it is failed)."""
    now = timezone.now()
    with transaction.atomic():
        row = work.model.objects.select_for_update().filter(work.active, pk=pk).first()
        if row is None:
            return None
        if _lease_live(row, now):
            logger.info("%s_held_elsewhere id=%s", work.name, pk)
            return None
        if row.attempts >= settings.JOB_MAX_ATTEMPTS:
            _fail_locked(work, row, exhausted_reason(row.attempts), now)
            RECOVERY_ACTIONS.labels(kind=work.name, action="failed").inc()
            return None
        row.attempts += 1
        row.started_at = now
        row.lease_token = uuid.uuid4()
        row.lease_expires_at = now + timedelta(seconds=settings.JOB_LEASE_SECONDS)
        work.on_start(row, now)
        row.save()
    logger.info("%s_started id=%s attempt=%s", work.name, pk, row.attempts)
    return row.lease_token


def locked_if_held(work: Work, pk: Any, token: uuid.UUID) -> Any | None:
    """The row, locked (call inside a transaction), if `token` still holds it.
    A worker that lost its lease (the row was handed out again) gets None and
    must write nothing."""
    return work.model.objects.select_for_update().filter(work.running, pk=pk, lease_token=token).first()


def release(row: Any) -> None:
    """Clear the lease of a row being finished (set its own fields, then save)."""
    row.lease_token = None
    row.lease_expires_at = None


def fail(work: Work, pk: Any, reason: str, *, token: uuid.UUID | None = None) -> bool:
    """Fail an unfinished row with a reason; with `token`, only if it still holds the row."""
    with transaction.atomic():
        rows = work.model.objects.select_for_update().filter(work.active, pk=pk)
        if token is not None:
            rows = rows.filter(lease_token=token)
        row = rows.first()
        if row is None:
            return False
        _fail_locked(work, row, reason, timezone.now())
    return True


def reconcile(work: Work, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    done: Counter[str] = Counter()
    expired = work.model.objects.filter(work.running).filter(
        Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True)
    )
    for pk in list(expired.values_list("pk", flat=True)[:BATCH]):
        done[_take_back(work, pk, now, force=False)] += 1
    outbox = work.model.objects.filter(work.waiting, dispatched_at__isnull=True, created_at__lt=now - OUTBOX_GRACE)
    for pk in list(outbox.order_by("created_at").values_list("pk", flat=True)[:BATCH]):
        done["dispatched" if dispatch(work, pk) else "unsent"] += 1
    stale = work.model.objects.filter(
        work.waiting, dispatched_at__lt=now - timedelta(seconds=settings.JOB_REDISPATCH_SECONDS)
    )
    stale_ids = list(stale.order_by("dispatched_at").values_list("pk", flat=True)[:BATCH])
    # Rows waiting while no message is ready for any worker: their wake-up
    # calls are gone. With messages still queued, the rows are just queued.
    if stale_ids and broker.queue_is_empty():
        for pk in stale_ids:
            done["redispatched" if dispatch(work, pk) else "unsent"] += 1
    return _report(work, "reconcile", done)


def sweep(work: Work, *, running_timeout: int, waiting_timeout: int, now: datetime | None = None) -> dict[str, int]:
    """The backstop: rows running longer than `running_timeout` (whatever their
    lease says) or waiting longer than `waiting_timeout` are handed out again."""
    now = now or timezone.now()
    done: Counter[str] = Counter()
    hung = work.model.objects.filter(work.running, started_at__lt=now - timedelta(seconds=running_timeout))
    for pk in list(hung.values_list("pk", flat=True)[:BATCH]):
        done[_take_back(work, pk, now, force=True)] += 1
    cut = now - timedelta(seconds=waiting_timeout)
    waiting = work.model.objects.filter(work.waiting).filter(
        Q(dispatched_at__lt=cut) | Q(dispatched_at__isnull=True, created_at__lt=cut)
    )
    for pk in list(waiting.values_list("pk", flat=True)[:BATCH]):
        done["redispatched" if dispatch(work, pk) else "unsent"] += 1
    return _report(work, "sweep", done)


def _lease_live(row: Any, now: datetime) -> bool:
    return row.lease_token is not None and row.lease_expires_at is not None and row.lease_expires_at > now


def _take_back(work: Work, pk: Any, now: datetime, *, force: bool) -> str:
    with transaction.atomic():
        row = work.model.objects.select_for_update().filter(work.running, pk=pk).first()
        if row is None or (not force and _lease_live(row, now)):
            return "skipped"  # finished or renewed meanwhile
        if row.attempts >= settings.JOB_MAX_ATTEMPTS:
            _fail_locked(work, row, exhausted_reason(row.attempts), now)
            return "failed"
        release(row)
        row.dispatched_at = None
        work.on_requeue(row)
        row.save()
    logger.warning("%s_lease_lost id=%s attempts=%s: handed out again", work.name, pk, row.attempts)
    dispatch(work, pk)  # if the broker is down, the outbox keeps it for the next pass
    return "requeued"


def _fail_locked(work: Work, row: Any, reason: str, now: datetime) -> None:
    release(row)
    work.on_fail(row, reason[:1000] or "Failed.", now)
    row.save()
    logger.warning("%s_failed id=%s attempts=%s reason=%s", work.name, row.pk, row.attempts, reason)


def _report(work: Work, what: str, done: Counter[str]) -> dict[str, int]:
    for action in ("dispatched", "redispatched", "requeued", "failed"):
        if done[action]:
            RECOVERY_ACTIONS.labels(kind=work.name, action=action).inc(done[action])
    counts = {k: v for k, v in done.items() if k != "skipped" and v}
    if counts:
        logger.info("%s_%s %s", work.name, what, " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return counts
