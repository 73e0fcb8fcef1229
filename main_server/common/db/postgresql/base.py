"""Django's PostgreSQL backend, waiting for the database instead of failing
at once when it refuses connections (a restart, a fail-over, a full
connection table): a new connection is retried with backoff for up to
DB_CONNECT_RETRY_SECONDS. A request or a task that arrives during a short
outage is answered late rather than with a 5xx. Errors inside an open
connection are not retried here (the task retry policy handles those)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + settings.DB_CONNECT_RETRY_SECONDS
        delay = 0.25
        while True:
            try:
                return super().get_new_connection(conn_params)
            except base.Database.OperationalError as exc:
                if time.monotonic() + delay > deadline:
                    raise
                logger.warning("db_connect_retry in=%.2fs error=%s", delay, str(exc).strip().splitlines()[0])
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
