"""How every background task runs one row: claim it (a lease and one more
attempt), keep the lease renewed while working, and apply the retry policy
(common/retry.py) to the claim and to the work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID

from common import recovery
from common.leases import keeper
from common.retry import call_with_retries

logger = logging.getLogger(__name__)


def run_leased(work: recovery.Work, pk: Any, *, task_name: str, run: Callable[[UUID], object]) -> None:
    """Run `run(token)` for the row `pk` if this delivery may start it.

    The task never raises: whatever happens is recorded on the row (done,
    failed with a reason) or left to the lease and the reconciler — Celery
    would acknowledge a message whose task raised and nothing would come back.
    """
    token = call_with_retries(lambda: recovery.claim(work, pk), name=task_name, object_id=pk, give_up=None)
    if token is None:
        return
    with keeper.hold(work.model, pk, token):
        call_with_retries(
            lambda: run(token),
            name=task_name,
            object_id=pk,
            give_up=lambda reason: recovery.fail(work, pk, reason, token=token),
        )
