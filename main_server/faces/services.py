from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common import metrics
from common.ai_client import EMOTIONS, AiInputError, TemplatePictures, get_ai_client, template_key
from common.errors import ApplicationError
from common.images import clean_upload
from emojis.models import EmojiTemplate, TemplateStatus
from faces.models import FINISHED, Face, Job, JobStatus

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


def job_enqueue(*, job_id) -> None:
    from faces.tasks import job_process_task

    try:
        job_process_task.delay(str(job_id))
    except Exception:
        # Broker down: the job stays pending in the database and jobs_sweep
        # enqueues it again; the user's request must not fail for it.
        logger.exception("job_enqueue_failed job_id=%s", job_id)


def _start(job_id) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in FINISHED:
            return None  # redelivered message for a finished job: nothing to do
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "attempts"])
    return job


def _read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


def job_run(*, job_id) -> Job | None:
    """Process one job. Idempotent; AiUnavailableError propagates for a retry."""
    job = _start(job_id)
    if job is None:
        return None
    images = {image.emotion: image for image in job.template.images.all()}
    try:
        template = _template_pictures(images)
        photo = _read(job.input_image)
    except (KeyError, FileNotFoundError, OSError) as exc:
        return job_mark_failed(job_id=job.id, reason=f"Input files are missing ({exc.__class__.__name__}).")
    try:
        result = get_ai_client().compose(image=photo, template=template, overrides=job.overrides or None)
    except AiInputError as exc:
        return job_mark_failed(job_id=job.id, reason=str(exc))
    except OSError as exc:  # the cut-outs, read only when ai_server asked for them
        return job_mark_failed(job_id=job.id, reason=f"Input files are missing ({exc.__class__.__name__}).")
    return _finish(job_id=job.id, result=result)


# Template key of each set of stored cut-outs, by their storage names (a re-made
# cut-out gets a new name): the seven files are read and hashed once per worker
# process, then again only when ai_server asks for the pictures.
_TEMPLATE_KEYS: dict[tuple[str, ...], str] = {}
_TEMPLATE_KEYS_MAX = 512


def _template_pictures(images: dict) -> TemplatePictures:
    files = {e: images[e].cutout or images[e].original for e in EMOTIONS}

    def load() -> dict[str, bytes]:
        return {e: _read(files[e]) for e in EMOTIONS}

    names = tuple(files[e].name for e in EMOTIONS)
    key = _TEMPLATE_KEYS.get(names)
    if key is None:
        key = template_key(load())
        if len(_TEMPLATE_KEYS) >= _TEMPLATE_KEYS_MAX:
            _TEMPLATE_KEYS.pop(next(iter(_TEMPLATE_KEYS)))
        _TEMPLATE_KEYS[names] = key
    return TemplatePictures(key=key, load=load)


@transaction.atomic
def _finish(*, job_id, result) -> Job | None:
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.status in FINISHED:
        return job
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
    job.message = result.message or ("" if result.faces else "No face found in this photo.")
    job.finished_at = timezone.now()
    job.save()
    transaction.on_commit(lambda: _record_done(job, [f["emotion"] for f in result.faces]))
    logger.info("job_done job_id=%s faces=%s", job.id, len(result.faces))
    return job


def _record_done(job: Job, emotions: list[str]) -> None:
    metrics.JOBS_FINISHED.labels(status="done").inc()
    metrics.JOB_LATENCY.observe((job.finished_at - job.created_at).total_seconds())
    for emotion in emotions:
        metrics.JOB_FACES.labels(emotion=emotion).inc()


@transaction.atomic
def job_mark_failed(*, job_id, reason: str) -> Job | None:
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status in FINISHED:
        return job
    job.status = JobStatus.FAILED
    job.error = reason[:1000] or "The job failed."
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    transaction.on_commit(lambda: metrics.JOBS_FINISHED.labels(status="failed").inc())
    logger.warning("job_failed job_id=%s reason=%s", job.id, reason)
    return job


def jobs_sweep(*, now=None) -> dict[str, int]:
    """No job stays stuck: `running` past JOB_RUNNING_TIMEOUT (a worker died
    without its message coming back) or `pending` past JOB_PENDING_TIMEOUT (the
    message was lost) is enqueued again, up to JOB_MAX_ATTEMPTS; after that,
    or when the job can never run, it fails with a reason."""
    now = now or timezone.now()
    running_cut = now - timedelta(seconds=settings.JOB_RUNNING_TIMEOUT)
    pending_cut = now - timedelta(seconds=settings.JOB_PENDING_TIMEOUT)
    requeued = failed = 0
    stuck = Job.objects.filter(
        Q(status=JobStatus.RUNNING, started_at__lt=running_cut)
        | Q(status=JobStatus.PENDING, started_at__isnull=True, created_at__lt=pending_cut)
        | Q(status=JobStatus.PENDING, started_at__lt=pending_cut)
    )
    for job in stuck:
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            job_mark_failed(job_id=job.id, reason=f"Gave up after {job.attempts} attempts.")
            failed += 1
            continue
        with transaction.atomic():
            # started_at doubles as "last enqueued" so a requeued job is not
            # requeued again on the next sweep.
            updated = Job.objects.filter(pk=job.id, status=job.status).update(
                status=JobStatus.PENDING, started_at=now
            )
        if updated:
            job_enqueue(job_id=job.id)
            requeued += 1
    if requeued or failed:
        logger.info("jobs_sweep requeued=%s failed=%s", requeued, failed)
    return {"requeued": requeued, "failed": failed}
