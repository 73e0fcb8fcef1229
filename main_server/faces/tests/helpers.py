"""A group photo's faces as ai_server answers them, and running a job the way a worker does."""

from common.emotions import EMOTIONS
from faces.tasks import job_process_task


def group_face(box, emotion: str, roll: float = 0.0) -> dict:
    """A face as ai_server answers it, with its landmarks and uneven scores."""
    x, y, w, h = box
    scores = {e: 0.01 for e in EMOTIONS}
    scores[emotion] = 0.94
    return {
        "box": list(box), "emotion": emotion, "scores": scores, "confidence": 0.99,
        "landmarks": {"left_eye": [x + w * 0.3, y + h * 0.4], "right_eye": [x + w * 0.7, y + h * 0.4 + roll]},
    }


# Three people, left to right.
GROUP = [group_face((5, 5, 20, 20), "happy"), group_face((30, 8, 18, 18), "happy", 3.0),
         group_face((55, 6, 19, 19), "sad")]


def run(job) -> None:
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
