"""The job shape, shared by the job view and my page (its schema components:
Job, JobTemplate, JobResult, Face, EmotionScores, JobPage)."""

from __future__ import annotations

from typing import Any

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


@extend_schema_serializer(component_name="JobResult")
class JobResultSerializer(serializers.Serializer):
    image_url = serializers.SerializerMethodField()
    width = serializers.IntegerField(source="result_width", min_value=1)
    height = serializers.IntegerField(source="result_height", min_value=1)
    faces = FaceSerializer(many=True, help_text="Left to right; may be empty (see the job's `message`).")

    @extend_schema_field(serializers.URLField())
    def get_image_url(self, job: Job) -> str:
        return media_url(request=self.context.get("request"), name=job.result_image.name)


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

    @extend_schema_field(serializers.URLField())
    def get_input_url(self, job: Job) -> str:
        return media_url(request=self.context.get("request"), name=job.input_image.name)

    @extend_schema_field(JobResultSerializer(allow_null=True, help_text="null until the job is done."))
    def get_result(self, job: Job) -> dict[str, Any] | None:
        if job.status != JobStatus.DONE or not job.result_image:
            return None
        return JobResultSerializer(job, context=self.context).data


JobPageSerializer = page_serializer(JobSerializer, name="JobPage")
