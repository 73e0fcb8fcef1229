"""Job output shape (docs/api.md), shared by the job view and my page."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.urls import reverse

from common.ai_client import EMOTIONS
from faces.models import Job
from media.signing import media_url


def job_to_dict(job: Job, *, request) -> dict[str, Any]:
    result = None
    if job.status == "done" and job.result_image:
        result = {
            "image_url": media_url(request=request, name=job.result_image.name),
            "width": job.result_width,
            "height": job.result_height,
            "faces": [
                {"box": [f.x, f.y, f.w, f.h], "emotion": f.emotion, "scores": f.scores, "overridden": f.overridden}
                for f in job.faces.all()
            ],
            "summary": faces_summary([f.emotion for f in job.faces.all()]),
        }
    return {
        "task_id": str(job.id),
        "status": job.status,
        "error": job.error,
        "message": job.message,
        "template": {"id": job.template_id, "name": job.template.name},
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "input_url": media_url(request=request, name=job.input_image.name),
        "result": result,
        "rerender_of": str(job.rerender_of_id) if job.rerender_of_id else None,
        "share_url": share_url(job, request=request),
        "expired_at": job.expired_at,
    }


def faces_summary(emotions: list[str]) -> dict[str, Any]:
    """{"faces": 5, "by_emotion": {"happy": 4, "sad": 1}}: most frequent first
    (ties in the order of EMOTIONS), emotions with no face left out."""
    counts = Counter(emotions)
    ordered = sorted(counts, key=lambda e: (-counts[e], EMOTIONS.index(e) if e in EMOTIONS else len(EMOTIONS)))
    return {"faces": len(emotions), "by_emotion": {e: counts[e] for e in ordered}}


def share_url(job: Job, *, request) -> str | None:
    link = getattr(job, "share_link", None)
    if link is None or job.status != "done":
        return None
    return share_page_url(token=link.token, request=request)


def share_page_url(*, token: str, request) -> str:
    path = reverse("share-page", kwargs={"token": token})
    return request.build_absolute_uri(path) if request is not None else path
