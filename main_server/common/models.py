"""Fields every unit of background work carries (a face job, a template's
cut-outs), so one recovery mechanism (common/recovery.py) serves both."""

from __future__ import annotations

from django.db import models


class Recoverable(models.Model):
    # Every start counts, whatever handed the row out (first run, a broker
    # redelivery, the reconciler): one budget, JOB_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    # When the last wake-up call was handed to the broker; NULL = not yet
    # (the transactional outbox: the row was committed, the message may not be).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # The worker running the row holds a lease it renews every few seconds;
    # only the holder of the current token may finish the row.
    lease_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
