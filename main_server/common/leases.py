"""The worker side of a lease: while a task holds a row, one background thread
per process renews the row's lease every LEASE_RENEW_SECONDS. A worker that
dies (kill -9, OOM, a lost container) stops renewing, the lease runs out, and
the reconciler hands the row out again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)


class LeaseKeeper:
    def __init__(self) -> None:
        self._held: dict[tuple[Any, Any], UUID] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @contextmanager
    def hold(self, model: Any, pk: Any, token: UUID) -> Iterator[None]:
        with self._lock:
            self._held[(model, pk)] = token
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)
                self._thread.start()
        try:
            yield
        finally:
            with self._lock:
                if self._held.get((model, pk)) == token:
                    del self._held[(model, pk)]

    def held(self) -> dict[tuple[Any, Any], UUID]:
        with self._lock:
            return dict(self._held)

    def renew(self) -> int:
        """Extend every held lease; returns how many rows are still ours."""
        held = self.held()
        if not held:
            return 0
        expires = timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS)
        renewed = 0
        try:
            close_old_connections()
            for (model, pk), token in held.items():
                renewed += model.objects.filter(pk=pk, lease_token=token).update(lease_expires_at=expires)
        except DatabaseError as exc:
            logger.warning("lease_renew_failed rows=%s error=%r", len(held), exc)
            connection.close()
        return renewed

    def _run(self) -> None:
        while True:
            time.sleep(settings.JOB_LEASE_RENEW_SECONDS)
            try:
                self.renew()
            except Exception:  # noqa: BLE001 (the thread must outlive any one failure)
                logger.exception("lease_keeper_error")


keeper = LeaseKeeper()
