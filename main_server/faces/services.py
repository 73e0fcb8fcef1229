from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from common import recovery
from common.ai_client import AiInputError, TemplatePictures, get_ai_client, template_key
from common.emotions import EMOTIONS
from common.errors import (
    ApplicationError,
    InvalidOverridesError,
    TaskExpiredError,
    TaskNotDoneError,
)
from common.images import clean_upload
from common.retry import is_transient
from emojis.models import EmojiTemplate, TemplateStatus
from faces import metrics
from faces.models import NO_FACE_MESSAGE, Face, Job, JobStatus, ShareLink
from faces.selectors import job_get_for_owner
from faces.work import JOB_WORK
from media.services import media_delete

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
        template = _template_pictures(images)
        photo = _read(job.input_image)
    except (KeyError, OSError) as exc:
        if is_transient(exc):
            raise
        job_mark_failed(job_id=job.id, token=token, reason=f"Input files are missing ({exc.__class__.__name__}).")
        return None
    try:
        result = get_ai_client().compose(image=photo, template=template, **_compose_options(job))
    except AiInputError as exc:
        job_mark_failed(job_id=job.id, token=token, reason=str(exc))
        return None
    except OSError as exc:  # the cut-outs, read only when ai_server asks for them
        if is_transient(exc):
            raise
        job_mark_failed(job_id=job.id, token=token, reason=f"Input files are missing ({exc.__class__.__name__}).")
        return None
    return _finish(job_id=job.id, token=token, result=result)


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
    emotions = _store_faces(job, result.faces)
    job.status = JobStatus.DONE
    job.error = ""
    job.message = "" if emotions else NO_FACE_MESSAGE
    job.finished_at = timezone.now()
    recovery.release(job)
    job.save()
    transaction.on_commit(lambda: _record_done(job, emotions))
    logger.info("job_done job_id=%s faces=%s", job.id, len(emotions))
    return job


def _compose_options(job: Job) -> dict[str, Any]:
    """A re-render hands ai_server its faces (boxes, landmarks and every face's
    emotion), so nothing is detected or read again; other jobs send only the
    overrides the user asked for."""
    if not job.faces_given:
        return {"overrides": job.overrides or None}
    faces = list(job.faces.all())
    return {
        "overrides": {str(f.index): f.emotion for f in faces},
        "boxes": [[f.x, f.y, f.w, f.h] for f in faces],
        "landmarks": [f.landmarks for f in faces],
    }


def _store_faces(job: Job, faces: list[dict[str, Any]]) -> list[str]:
    """The face rows of a finished job → their emotions. A re-render keeps the
    rows written when it was created (the source's boxes and scores); other
    jobs store what ai_server found, replacing any rows of an earlier run."""
    if job.faces_given:
        return [f.emotion for f in job.faces.all()]
    job.faces.all().delete()
    Face.objects.bulk_create(
        Face(
            job=job, index=i, x=int(f["box"][0]), y=int(f["box"][1]), w=int(f["box"][2]),
            h=int(f["box"][3]), emotion=f["emotion"],
            scores={e: float(f["scores"].get(e, 0.0)) for e in EMOTIONS},
            landmarks=f.get("landmarks") or {}, overridden=bool(f.get("overridden")),
        )
        for i, f in enumerate(faces)
    )
    return [f["emotion"] for f in faces]


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


# ---------------------------------------------------------------- re-render
def job_rerender(*, owner, job_id, overrides: dict[str, str]) -> Job:
    """A new job of the same owner on the same photo and template, whose faces
    keep the source's boxes and scores, with the emotions in `overrides`
    ({face index: emotion}) pasted instead. Nothing is detected again."""
    source = job_get_for_owner(job_id=job_id, user=owner)
    if source.status == JobStatus.EXPIRED:
        raise TaskExpiredError()
    if source.status != JobStatus.DONE:
        raise TaskNotDoneError("Only a finished result can be re-rendered.")
    faces = list(source.faces.all())
    if not overrides:
        raise InvalidOverridesError("Name at least one face to change, e.g. {\"0\": \"sad\"}.")
    bad = sorted(int(i) for i in overrides if int(i) >= len(faces))
    if bad:
        raise InvalidOverridesError(
            f"There is no face {bad[0]}: this result has {len(faces)} face(s), numbered from 0."
        )
    try:
        photo = _read(source.input_image)
    except (FileNotFoundError, OSError, ValueError):
        raise TaskExpiredError("The photo of this result is no longer stored.") from None
    extension = source.input_image.name.rsplit(".", 1)[-1] if "." in source.input_image.name else "jpg"
    with transaction.atomic():
        job = Job(
            owner=owner, template=source.template, rerender_of=source, faces_given=True,
            overrides={
                str(f.index): overrides.get(str(f.index), f.emotion)
                for f in faces if f.overridden or str(f.index) in overrides
            },
        )
        # The job owns a copy: the source's photo may expire or be deleted first.
        job.input_image.save(f"input.{extension}", ContentFile(photo), save=False)
        job.save()
        Face.objects.bulk_create(
            Face(
                job=job, index=f.index, x=f.x, y=f.y, w=f.w, h=f.h, scores=f.scores, landmarks=f.landmarks,
                emotion=overrides.get(str(f.index), f.emotion),
                overridden=f.overridden or str(f.index) in overrides,
            )
            for f in faces
        )
        transaction.on_commit(lambda: job_enqueue(job_id=job.id))
    logger.info("job_rerender job_id=%s source_id=%s overrides=%s", job.id, source.id, overrides)
    return job


# ---------------------------------------------------------------- sharing
def job_share(*, owner, job_id) -> tuple[ShareLink, bool]:
    """The result's public link → (link, created). Sharing twice gives the same link."""
    job = job_get_for_owner(job_id=job_id, user=owner)
    if job.status == JobStatus.EXPIRED:
        raise TaskExpiredError()
    if job.status != JobStatus.DONE or not job.result_image:
        raise TaskNotDoneError("Only a finished result can be shared.")
    # 32 random bytes: the link is the only key to the picture.
    link, created = ShareLink.objects.get_or_create(job=job, defaults={"token": secrets.token_urlsafe(32)})
    if created:
        logger.info("job_shared job_id=%s", job.id)
    return link, created


def job_unshare(*, owner, job_id) -> None:
    """Stop sharing (nothing to do when not shared): the old link answers 404."""
    job = job_get_for_owner(job_id=job_id, user=owner)
    deleted, _ = ShareLink.objects.filter(job=job).delete()
    if deleted:
        logger.info("job_unshared job_id=%s", job.id)


# ---------------------------------------------------------------- privacy
def _job_files(jobs) -> list[str]:
    return [name for job in jobs for name in (job.input_image.name, job.result_image.name) if name]


def jobs_expire(*, now=None, batch_size: int = 200) -> dict[str, int]:
    """Photos expire: finished jobs created more than DATA_RETENTION_DAYS ago
    lose their photo, result, faces and share link; the row stays, `expired`.
    0 days keeps everything. Files go before the rows change, in the same
    transaction, so a crash leaves rows to expire again, never orphan files."""
    days = settings.DATA_RETENTION_DAYS
    if days <= 0:
        return {"expired": 0}
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Job.objects.select_for_update(skip_locked=True)
                .filter(status__in=(JobStatus.DONE, JobStatus.FAILED), created_at__lt=cutoff)
                .order_by("created_at")[:batch_size]
            )
            if not batch:
                break
            media_delete(names=_job_files(batch))
            ShareLink.objects.filter(job__in=batch).delete()
            Face.objects.filter(job__in=batch).delete()
            Job.objects.filter(pk__in=[job.pk for job in batch]).update(
                status=JobStatus.EXPIRED, expired_at=now, input_image="", result_image="",
                result_width=None, result_height=None, message="",
            )
        expired += len(batch)
    if expired:
        logger.info("jobs_expired count=%s retention_days=%s", expired, days)
    return {"expired": expired}


@transaction.atomic
def jobs_delete_for_owner(*, owner) -> int:
    """Every job of the owner, its files, faces and share links, gone. The rows
    are locked first, so a worker finishing one of them either commits before
    (its result is deleted here) or finds the row gone (and stores nothing)."""
    jobs = list(Job.objects.select_for_update().filter(owner=owner))
    media_delete(names=_job_files(jobs))
    Job.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    return len(jobs)
