"""The job shape, shared by the job view and my page (its schema components:
Job, JobTemplate, JobResult, Face, FacesSummary, EmotionScores, JobPage),
and the public link of a shared result."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from common.emotions import EMOTIONS
from common.pagination import page_serializer
from faces.models import Job, JobStatus
from media.signing import media_url

EmotionScoresSerializer = extend_schema_serializer(component_name="EmotionScores")(
    type(
        "EmotionScoresSerializer",
        (serializers.Serializer,),
        {
            "__doc__": "The face's probability for each emotion (they sum to 1).",
            **{e: serializers.FloatField(min_value=0, max_value=1) for e in EMOTIONS},
        },
    )
)


@extend_schema_serializer(component_name="Face")
class FaceSerializer(serializers.Serializer):
    box = serializers.ListField(
        child=serializers.IntegerField(), min_length=4, max_length=4,
        help_text="[x, y, width, height] in the photo's pixels (after its EXIF rotation).",
    )
    emotion = serializers.ChoiceField(choices=EMOTIONS, help_text="The pasted emoji's emotion.")
    scores = EmotionScoresSerializer()
    overridden = serializers.BooleanField(
        help_text="true when the user chose `emotion` (a re-render); the scores stay what the models read."
    )


def faces_summary(emotions: list[str]) -> dict[str, Any]:
    """{"faces": 5, "by_emotion": {"happy": 4, "sad": 1}}: most frequent first
    (ties in the order of EMOTIONS), emotions with no face left out."""
    counts = Counter(emotions)
    ordered = sorted(counts, key=lambda e: (-counts[e], EMOTIONS.index(e) if e in EMOTIONS else len(EMOTIONS)))
    return {"faces": len(emotions), "by_emotion": {e: counts[e] for e in ordered}}


@extend_schema_serializer(component_name="FacesSummary")
class FacesSummarySerializer(serializers.Serializer):
    faces = serializers.IntegerField(min_value=0, help_text="How many faces the photo has.")
    by_emotion = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        help_text="Faces per pasted emotion, most first (ties in the order angry … neutral); "
        'emotions no face has are left out, e.g. {"happy": 4, "sad": 1}.',
    )


@extend_schema_serializer(component_name="JobResult")
class JobResultSerializer(serializers.Serializer):
    image_url = serializers.SerializerMethodField()
    width = serializers.IntegerField(source="result_width", min_value=1)
    height = serializers.IntegerField(source="result_height", min_value=1)
    faces = FaceSerializer(many=True, help_text="Left to right; may be empty (see the job's `message`).")
    summary = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_image_url(self, job: Job) -> str:
        return media_url(request=self.context.get("request"), name=job.result_image.name)

    @extend_schema_field(FacesSummarySerializer())
    def get_summary(self, job: Job) -> dict[str, Any]:
        return faces_summary([face.emotion for face in job.faces.all()])


@extend_schema_serializer(component_name="JobTemplate")
class JobTemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


@extend_schema_serializer(component_name="Job")
class JobSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(source="id")
    status = serializers.ChoiceField(choices=JobStatus.choices)
    error = serializers.CharField(allow_blank=True, help_text="Why the job failed; empty otherwise.")
    message = serializers.CharField(
        allow_blank=True, help_text="A note on a done job, e.g. that no face was found; empty otherwise."
    )
    template = JobTemplateSerializer()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    input_url = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    rerender_of = serializers.UUIDField(
        source="rerender_of_id", allow_null=True, help_text="The job this one re-rendered; null otherwise."
    )
    share_url = serializers.SerializerMethodField()
    expired_at = serializers.DateTimeField(
        allow_null=True, help_text="When the photo and result were deleted (status `expired`); null otherwise."
    )

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="null once the photo expired."))
    def get_input_url(self, job: Job) -> str | None:
        return media_url(request=self.context.get("request"), name=job.input_image.name)

    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text="The public link while the result is shared; null otherwise.")
    )
    def get_share_url(self, job: Job) -> str | None:
        return share_url(job, request=self.context.get("request"))

    @extend_schema_field(JobResultSerializer(allow_null=True, help_text="null until the job is done."))
    def get_result(self, job: Job) -> dict[str, Any] | None:
        if job.status != JobStatus.DONE or not job.result_image:
            return None
        return JobResultSerializer(job, context=self.context).data


JobPageSerializer = page_serializer(JobSerializer, name="JobPage")


def share_url(job: Job, *, request) -> str | None:
    link = getattr(job, "share_link", None)
    if link is None or job.status != JobStatus.DONE:
        return None
    return share_page_url(token=link.token, request=request)


def share_page_url(*, token: str, request) -> str:
    path = reverse("share-page", kwargs={"token": token})
    return request.build_absolute_uri(path) if request is not None else path
