from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from common.emotions import EMOTIONS
from common.models import Recoverable
from emojis.models import EmojiTemplate


class JobStatus(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    # The photo and result were deleted after DATA_RETENTION_DAYS; the row stays
    # so my page can say what happened to it.
    EXPIRED = "expired"


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED)

# What a done job with zero faces says (the API's `message`); the SPA shows its
# own translation of it.
NO_FACE_MESSAGE = "No face found in this photo."


def job_upload_to(instance: Job, filename: str) -> str:
    return f"jobs/{instance.id}/{filename}"


class Job(Recoverable):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    # PROTECT: templates are only ever soft-deleted, results keep their template.
    template = models.ForeignKey(EmojiTemplate, on_delete=models.PROTECT, related_name="jobs")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    error = models.TextField(blank=True, default="")
    message = models.CharField(max_length=200, blank=True, default="")
    overrides = models.JSONField(default=dict, blank=True)
    input_image = models.FileField(upload_to=job_upload_to, max_length=255)
    result_image = models.FileField(upload_to=job_upload_to, max_length=255, blank=True, default="")
    result_width = models.PositiveIntegerField(null=True, blank=True)
    result_height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A re-render: the job it was made from, and its face rows were written at
    # creation (boxes and scores of the source, emotions chosen by the user), so
    # the worker hands ai_server those boxes instead of detecting again.
    rerender_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rerenders"
    )
    faces_given = models.BooleanField(default=False)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The ranking: done jobs in a time window, grouped by template.
            # Partial and covering, so PostgreSQL reads only the window.
            models.Index(
                fields=["finished_at", "template"],
                name="job_ranking_idx",
                condition=Q(status="done"),
            ),
            models.Index(fields=["owner", "-created_at"], name="job_owner_idx"),
            models.Index(fields=["status", "created_at"], name="job_status_idx"),
        ]

    def __str__(self) -> str:
        return f"job {self.id} ({self.status})"


class Face(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="faces")
    index = models.PositiveSmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    w = models.IntegerField()
    h = models.IntegerField()
    emotion = models.CharField(max_length=10, choices=[(e, e) for e in EMOTIONS])
    scores = models.JSONField(default=dict)
    # Eye, nose and mouth points from detection: a re-render turns the emoji
    # with the head's roll without detecting again.
    landmarks = models.JSONField(default=dict, blank=True)
    # The emotion was chosen by the user, not read from the face.
    overridden = models.BooleanField(default=False)

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="face_job_index_unique")]

    def __str__(self) -> str:
        return f"face {self.index} of {self.job_id}"

    @property
    def box(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


class ShareLink(models.Model):
    """A public, unguessable link to one result image. Deleting the row is
    unsharing: the link answers 404 from then on."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="share_link")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"share of {self.job_id}"
