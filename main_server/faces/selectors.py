from __future__ import annotations

import time
from datetime import timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from common.errors import ApplicationError, ShareNotFoundError
from emojis.models import EmojiTemplate
from faces.models import FINISHED, Job, JobStatus, ShareLink

RANKING_WINDOW = timedelta(days=7)
RANKING_SIZE = 3


def job_get_for_owner(*, job_id, user) -> Job:
    # Another user's job is "not found", not "forbidden": ids are not confirmed.
    job = (
        Job.objects.select_related("template", "share_link")
        .prefetch_related("faces")
        .filter(pk=job_id, owner=user)
        .first()
    )
    if job is None:
        raise ApplicationError("Task not found.", code="task_not_found", status_code=404)
    return job


# Long-poll: ?wait=N holds the request at most this long (a gunicorn thread each).
JOB_WAIT_MAX_SECONDS = 20.0


def job_wait_param(raw: str | None) -> float:
    """The `wait` query parameter: seconds, 0 (default) to JOB_WAIT_MAX_SECONDS."""
    if raw in (None, ""):
        return 0.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= JOB_WAIT_MAX_SECONDS:
        raise ApplicationError(
            f"wait must be a number of seconds from 0 to {JOB_WAIT_MAX_SECONDS:g}.", code="validation_error",
            status_code=400, fields={"wait": [f"0 to {JOB_WAIT_MAX_SECONDS:g} seconds."]},
        )
    return seconds


def job_get_for_owner_when_finished(*, job_id, user, wait: float) -> Job:
    """The job once it is done or failed, or as it is after `wait` seconds: a client
    learns the outcome the moment it is written instead of at its next poll. The row
    is re-read every 50 ms at most (after 10 ms, then 20, 40: most jobs take well under a
    second), a primary-key lookup; the client sees the outcome ≤ 50 ms after it is written."""
    job = job_get_for_owner(job_id=job_id, user=user)
    deadline = time.monotonic() + wait
    interval = 0.01
    while job.status not in FINISHED:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        time.sleep(min(interval, remaining))
        interval = min(0.05, interval * 2)
        status = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()
        if status != job.status:
            job = job_get_for_owner(job_id=job_id, user=user)
    return job


def job_owned_queryset(*, user) -> QuerySet[Job]:
    return (
        Job.objects.filter(owner=user)
        .select_related("template", "share_link")
        .prefetch_related("faces")
        .order_by("-created_at", "-id")
    )


def ranking_queryset(*, now=None) -> QuerySet:
    """One aggregate query over job_ranking_idx: done jobs of the last 7 days
    per active template, top 3 (ties: the newer template first)."""
    since = (now or timezone.now()) - RANKING_WINDOW
    return (
        Job.objects.filter(status=JobStatus.DONE, finished_at__gte=since, template__is_active=True)
        .values("template_id", "template__name", "template__owner__alias")
        # count(template_id): a column of the index, so PostgreSQL can answer
        # from the index alone (index-only scan once the table is vacuumed).
        .annotate(count=Count("template"))
        .order_by("-count", "-template_id")[:RANKING_SIZE]
    )


def ranking_top(*, now=None) -> list[dict]:
    rows = list(ranking_queryset(now=now))
    templates = EmojiTemplate.objects.prefetch_related("images").in_bulk([r["template_id"] for r in rows])
    return [
        {
            "template": templates[r["template_id"]],
            "id": r["template_id"],
            "name": r["template__name"],
            "owner_alias": r["template__owner__alias"],
            "count": r["count"],
        }
        for r in rows
    ]


def job_counts_by_status() -> dict[str, int]:
    counts = {s.value: 0 for s in JobStatus}
    for row in Job.objects.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def job_oldest_unfinished_created_at():
    """Upload time of the oldest job still pending or running, or None (job_status_idx)."""
    return (
        Job.objects.filter(status__in=(JobStatus.PENDING, JobStatus.RUNNING))
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def share_get_by_token(*, token: str) -> ShareLink:
    """A shared result that can still be shown; anything else is one 404, so a
    link never tells whether it once existed."""
    link = ShareLink.objects.select_related("job__template").filter(token=token).first()
    if link is None or link.job.status != JobStatus.DONE or not link.job.result_image:
        raise ShareNotFoundError()
    return link
