"""Re-render a result with other emotions on some faces, without detecting again."""

import pytest
from django.core.files.storage import default_storage

from common.ai_client import AiInputError
from common.tests.factories import JobFactory
from faces.models import Job
from faces.services import jobs_expire
from faces.tests.helpers import GROUP, run

pytestmark = pytest.mark.django_db


def _rerender(client, job_id, overrides):
    return client.post(f"/api/v1/faces/tasks/{job_id}/rerender", {"overrides": overrides}, format="json")


def test_rerender_is_202_a_new_pending_job_enqueued_on_commit(auth_api, done_job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _rerender(auth_api, done_job.id, {"1": "angry"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["task_id"] != str(done_job.id)
    job = Job.objects.get(pk=body["task_id"])
    assert (job.owner, job.template, job.rerender_of) == (done_job.owner, done_job.template, done_job)
    assert len(callbacks) == 1


def test_rerendered_faces_keep_boxes_and_scores_and_the_override_is_marked(auth_api, done_job):
    task_id = _rerender(auth_api, done_job.id, {"1": "angry"}).json()["task_id"]
    run(Job.objects.get(pk=task_id))
    body = auth_api.get(f"/api/v1/faces/tasks/{task_id}").json()
    assert body["status"] == "done" and body["rerender_of"] == str(done_job.id)
    before = auth_api.get(f"/api/v1/faces/tasks/{done_job.id}").json()["result"]["faces"]
    after = body["result"]["faces"]
    assert [f["box"] for f in after] == [f["box"] for f in before]
    assert [f["scores"] for f in after] == [f["scores"] for f in before]
    assert [f["emotion"] for f in after] == ["happy", "angry", "sad"]
    assert [f["overridden"] for f in after] == [False, True, False]
    assert body["result"]["summary"] == {"faces": 3, "by_emotion": {"happy": 1, "angry": 1, "sad": 1}}
    # the original stays as it was
    assert [f["emotion"] for f in before] == ["happy", "happy", "sad"]


def test_ai_server_gets_the_stored_faces_and_detects_nothing(auth_api, done_job, fake_ai):
    task_id = _rerender(auth_api, done_job.id, {"0": "surprise"}).json()["task_id"]
    run(Job.objects.get(pk=task_id))
    sent = fake_ai.compose_requests[-1]
    assert sent["boxes"] == [f["box"] for f in GROUP]
    assert sent["landmarks"] == [f["landmarks"] for f in GROUP]  # the emoji turns with the head as before
    # every face's emotion is given, so none is read again
    assert sent["overrides"] == {"0": "surprise", "1": "happy", "2": "sad"}


def test_the_new_job_has_its_own_copy_of_the_photo(auth_api, done_job):
    task_id = _rerender(auth_api, done_job.id, {"2": "happy"}).json()["task_id"]
    job = Job.objects.get(pk=task_id)
    assert job.input_image.name != done_job.input_image.name
    with job.input_image.open("rb") as new, done_job.input_image.open("rb") as old:
        assert new.read() == old.read()


def test_rerender_still_runs_when_the_source_expired_meanwhile(auth_api, done_job, settings):
    task_id = _rerender(auth_api, done_job.id, {"2": "happy"}).json()["task_id"]
    Job.objects.filter(pk=done_job.pk).update(created_at=done_job.created_at.replace(year=2000))
    assert jobs_expire()["expired"] == 1
    job = Job.objects.get(pk=task_id)
    run(job)
    assert job.status == "done" and [f.emotion for f in job.faces.all()] == ["happy", "happy", "happy"]


def test_a_rerender_of_a_rerender_keeps_the_earlier_choices(auth_api, done_job):
    first = Job.objects.get(pk=_rerender(auth_api, done_job.id, {"0": "fear"}).json()["task_id"])
    run(first)
    second = Job.objects.get(pk=_rerender(auth_api, first.id, {"2": "neutral"}).json()["task_id"])
    run(second)
    assert [(f.emotion, f.overridden) for f in second.faces.all()] == [
        ("fear", True), ("happy", False), ("neutral", True)
    ]
    assert second.overrides == {"0": "fear", "2": "neutral"}


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"3": "sad"}, "invalid_overrides"),  # the result has faces 0-2
        ({}, "validation_error"),
        ({"0": "sleepy"}, "validation_error"),
        ({"first": "sad"}, "validation_error"),
        ({"-1": "sad"}, "validation_error"),
        ("sad", "validation_error"),
    ],
)
def test_a_bad_index_or_emotion_is_400_and_creates_nothing(auth_api, done_job, overrides, code):
    response = _rerender(auth_api, done_job.id, overrides)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == code
    assert "overrides" in response.json()["error"]["fields"]
    assert Job.objects.count() == 1


def test_missing_overrides_is_400(auth_api, done_job):
    response = auth_api.post(f"/api/v1/faces/tasks/{done_job.id}/rerender", {}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"


def test_someone_elses_or_an_unknown_job_is_404(other_api, done_job):
    for job_id in (done_job.id, "00000000-0000-4000-8000-000000000000"):
        response = _rerender(other_api, job_id, {"0": "sad"})
        assert response.status_code == 404 and response.json()["error"]["code"] == "task_not_found"
    assert Job.objects.count() == 1


def test_without_a_token_is_401(api, done_job):
    assert _rerender(api, done_job.id, {"0": "sad"}).status_code == 401


@pytest.mark.parametrize("status", ["pending", "running", "failed"])
def test_a_job_that_is_not_done_is_409(auth_api, user, status):
    job = JobFactory(owner=user, status=status)
    response = _rerender(auth_api, job.id, {"0": "sad"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "task_not_done"


def test_an_expired_job_is_409(auth_api, done_job):
    Job.objects.filter(pk=done_job.pk).update(created_at=done_job.created_at.replace(year=2000))
    jobs_expire()
    response = _rerender(auth_api, done_job.id, {"0": "sad"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "task_expired"


def test_a_rerender_ai_server_refuses_fails_with_its_message(auth_api, done_job, fake_ai):
    task_id = _rerender(auth_api, done_job.id, {"0": "sad"}).json()["task_id"]
    fake_ai.fail_with = AiInputError("boxes[0] lies outside the 64×48 image.")
    job = Job.objects.get(pk=task_id)
    run(job)
    assert job.status == "failed" and "outside" in job.error
    assert not default_storage.exists(f"jobs/{job.id}/result.jpg")


def test_a_new_job_stores_landmarks_and_marks_faces_overridden_on_upload(auth_api, template, fake_ai):
    from common.tests.factories import picture_bytes, upload

    fake_ai.faces = [dict(f) for f in GROUP]
    data = {"emoji_id": template.id, "image": upload("p.jpg", picture_bytes("JPEG")), "overrides": '{"2": "fear"}'}
    task_id = auth_api.post("/api/v1/faces/tasks/", data, format="multipart").json()["task_id"]
    job = Job.objects.get(pk=task_id)
    run(job)
    assert [f.overridden for f in job.faces.all()] == [False, False, True]
    assert job.faces.get(index=1).landmarks == GROUP[1]["landmarks"]
