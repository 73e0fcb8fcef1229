"""Job output shape (docs/api.md), shared by the job view and my page."""

from __future__ import annotations

from typing import Any

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
                {"box": [f.x, f.y, f.w, f.h], "emotion": f.emotion, "scores": f.scores}
                for f in job.faces.all()
            ],
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
    }
