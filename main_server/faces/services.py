from __future__ import annotations

import logging
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from common import recovery
from common.ai_client import AiInputError, get_ai_client
from common.emotions import EMOTIONS
from common.errors import ApplicationError
from common.images import clean_upload
from common.retry import is_transient
from emojis.models import EmojiTemplate, TemplateStatus
from faces import metrics
from faces.models import NO_FACE_MESSAGE, Face, Job, JobStatus
from faces.work import JOB_WORK

logger = logging.getLogger(__name__)


def job_create(*, owner, template_id: int, image: UploadedFile | None, overrides: dict[str, str]) -> Job:
    template = EmojiTemplate.objects.filter(pk=template_id, is_active=True).first()
    if template is None or (template.status != TemplateStatus.READY and template.owner_id != owner.id):
        raise ApplicationError(
            "Template not found.", code="template_not_found", status_code=404,
            fields={"emoji_id": ["No such template."]},
        )
    if template.status != TemplateStatus.READY:
        raise ApplicationError(
            f"The template is {template.status}, not ready.", code="template_not_ready",
            status_code=409, fields={"emoji_id": [f"The template is {template.status}."]},
        )
    picture = clean_upload(image, field="image")
    with transaction.atomic():
        job = Job(owner=owner, template=template, overrides=overrides)
        job.input_image.save(f"input.{picture.extension}", ContentFile(picture.content), save=False)
        job.save()
        transaction.on_commit(lambda: job_enqueue(job_id=job.id))
    logger.info("job_created job_id=%s template_id=%s owner_id=%s", job.id, template.id, owner.id)
    return job


def job_enqueue(*, job_id) -> bool:
    """Hand the job to the broker. Never raises: with the broker down the job
    stays in the outbox (pending, not dispatched) and the reconciler sends it."""
    return recovery.dispatch(JOB_WORK, job_id)


def _read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


def job_run(*, job_id, token: UUID) -> Job | None:
    """Process a job this worker holds (`token`, from common.recovery.claim).
    Idempotent. Transient errors (ai_server, database, broker unreachable)
    propagate for the retry policy; bad input fails the job at once."""
    job = Job.objects.select_related("template").filter(pk=job_id).first()
    if job is None:
        return None
    images = {image.emotion: image for image in job.template.images.all()}
    try:
        emojis = {e: _read(images[e].cutout or images[e].original) for e in EMOTIONS}
        photo = _read(job.input_image)
    except (KeyError, OSError) as exc:
        if is_transient(exc):
            raise
        job_mark_failed(job_id=job.id, token=token, reason=f"Input files are missing ({exc.__class__.__name__}).")
        return None
    try:
        result = get_ai_client().compose(image=photo, emojis=emojis, overrides=job.overrides or None)
    except AiInputError as exc:
        job_mark_failed(job_id=job.id, token=token, reason=str(exc))
        return None
    return _finish(job_id=job.id, token=token, result=result)


@transaction.atomic
def _finish(*, job_id, token: UUID, result) -> Job | None:
    job = recovery.locked_if_held(JOB_WORK, job_id, token)
    if job is None:
        # Finished, or handed out again after our lease ran out: the holder
        # of the current lease writes the result, not us.
        logger.info("job_result_dropped job_id=%s (lease lost)", job_id)
        return None
    ext = "png" if result.image_format == "png" else "jpg"
    job.result_image.save(f"result.{ext}", ContentFile(result.image), save=False)
    job.result_width, job.result_height = result.width, result.height
    job.faces.all().delete()  # a rerun replaces, never duplicates, face rows
    Face.objects.bulk_create(
        Face(
            job=job, index=i, x=int(f["box"][0]), y=int(f["box"][1]), w=int(f["box"][2]),
            h=int(f["box"][3]), emotion=f["emotion"],
            scores={e: float(f["scores"].get(e, 0.0)) for e in EMOTIONS},
        )
        for i, f in enumerate(result.faces)
    )
    job.status = JobStatus.DONE
    job.error = ""
    job.message = "" if result.faces else NO_FACE_MESSAGE
    job.finished_at = timezone.now()
    recovery.release(job)
    job.save()
    transaction.on_commit(lambda: _record_done(job, [f["emotion"] for f in result.faces]))
    logger.info("job_done job_id=%s faces=%s", job.id, len(result.faces))
    return job


def _record_done(job: Job, emotions: list[str]) -> None:
    metrics.JOBS_FINISHED.labels(status="done").inc()
    metrics.JOB_LATENCY.observe((job.finished_at - job.created_at).total_seconds())
    for emotion in emotions:
        metrics.JOB_FACES.labels(emotion=emotion).inc()


def job_mark_failed(*, job_id, reason: str, token: UUID | None = None) -> bool:
    """Fail an unfinished job with a reason a person can read (with `token`:
    only while this worker still holds it)."""
    return recovery.fail(JOB_WORK, job_id, reason, token=token)


def jobs_reconcile() -> dict[str, int]:
    return recovery.reconcile(JOB_WORK)


def jobs_sweep() -> dict[str, int]:
    """The backstop behind the reconciler: jobs running or pending for far longer
    than any job takes are handed out again (or failed past their attempts)."""
    return recovery.sweep(
        JOB_WORK, running_timeout=settings.JOB_RUNNING_TIMEOUT, waiting_timeout=settings.JOB_PENDING_TIMEOUT
    )
