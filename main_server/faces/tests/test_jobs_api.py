import io

import pytest
from PIL import Image

from common.tests.factories import JobFactory, TemplateFactory, picture_bytes, upload
from emojis.models import TemplateStatus
from faces.models import Job
from faces.tasks import job_process_task

pytestmark = pytest.mark.django_db


def _post(client, template_id, **extra):
    data = {"emoji_id": template_id, "image": upload("photo.jpg", picture_bytes("JPEG", (80, 60))), **extra}
    return client.post("/api/v1/faces/tasks/", data, format="multipart")


def test_create_job_is_202_pending_and_enqueued_on_commit(auth_api, template, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(auth_api, template.id)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    job = Job.objects.get(pk=body["task_id"])
    assert job.status == "pending" and job.input_image
    assert len(callbacks) == 1


def test_job_runs_to_done_and_detail_shows_result(auth_api, template, fake_ai):
    task_id = _post(auth_api, template.id).json()["task_id"]
    job_process_task.apply(args=[task_id])
    body = auth_api.get(f"/api/v1/faces/tasks/{task_id}").json()
    assert body["status"] == "done" and body["error"] == ""
    assert body["template"] == {"id": template.id, "name": template.name}
    result = body["result"]
    assert (result["width"], result["height"]) == (80, 60)
    assert result["faces"][0]["box"] == [10, 10, 20, 20]
    assert result["faces"][0]["emotion"] == "happy"
    assert set(result["faces"][0]["scores"]) == {"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"}
    picture = auth_api.get(result["image_url"])
    assert picture.status_code == 200
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).size == (80, 60)


def test_overrides_are_validated_and_stored(auth_api, template):
    bad = _post(auth_api, template.id, overrides='{"0": "sleepy"}')
    assert bad.status_code == 400 and "overrides" in bad.json()["error"]["fields"]
    assert _post(auth_api, template.id, overrides="not json").status_code == 400
    ok = _post(auth_api, template.id, overrides='{"0": "sad"}')
    assert ok.status_code == 202
    assert Job.objects.get(pk=ok.json()["task_id"]).overrides == {"0": "sad"}


def test_unknown_or_deleted_template_is_404(auth_api):
    deleted = TemplateFactory(is_active=False)
    for template_id in (999999, deleted.id):
        response = _post(auth_api, template_id)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "template_not_found"
    assert Job.objects.count() == 0


def test_template_not_ready_is_409(auth_api, user):
    template = TemplateFactory(owner=user, status=TemplateStatus.PROCESSING)
    response = _post(auth_api, template.id)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "template_not_ready"


def test_someone_elses_processing_template_is_404(auth_api):
    template = TemplateFactory(status=TemplateStatus.PROCESSING)
    assert _post(auth_api, template.id).status_code == 404


@pytest.mark.parametrize("content", [b"GIF89a but not really", b"", b"\x89PNG\r\n\x1a\n broken"])
def test_non_image_is_400_and_creates_no_job(auth_api, template, content):
    response = auth_api.post(
        "/api/v1/faces/tasks/", {"emoji_id": template.id, "image": upload("x.jpg", content)}, format="multipart"
    )
    assert response.status_code == 400
    assert "image" in response.json()["error"]["fields"]
    assert Job.objects.count() == 0


@pytest.mark.parametrize("emoji_id", ["abc", "", "-1"])
def test_bad_emoji_id_is_400(auth_api, emoji_id):
    response = auth_api.post(
        "/api/v1/faces/tasks/", {"emoji_id": emoji_id, "image": upload()}, format="multipart"
    )
    assert response.status_code == 400
    assert "emoji_id" in response.json()["error"]["fields"]


def test_json_body_instead_of_multipart_is_415(auth_api, template):
    response = auth_api.post("/api/v1/faces/tasks/", {"emoji_id": template.id}, format="json")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_create_job_needs_login(api, template):
    assert _post(api, template.id).status_code == 401


def test_other_user_gets_404_for_my_job(other_api, user):
    job = JobFactory(owner=user)
    response = other_api.get(f"/api/v1/faces/tasks/{job.id}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "task_not_found"


def test_malformed_task_id_is_404_json(auth_api):
    response = auth_api.get("/api/v1/faces/tasks/not-a-uuid")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_my_results_lists_only_my_jobs_newest_first(auth_api, user):
    mine = JobFactory.create_batch(9, owner=user)
    JobFactory()
    first = auth_api.get("/api/v1/users/mypage/result").json()
    assert first["count"] == 9 and first["num_pages"] == 2
    assert first["results"][0]["task_id"] == str(mine[-1].id)
    second = auth_api.get("/api/v1/users/mypage/result?page=2").json()
    assert [r["task_id"] for r in second["results"]] == [str(mine[0].id)]
    assert auth_api.get("/api/v1/users/mypage/result?page=3").status_code == 404


def test_result_of_deleted_template_still_loads(auth_api, user, template):
    task_id = _post(auth_api, template.id).json()["task_id"]
    job_process_task.apply(args=[task_id])
    template.is_active = False
    template.save()
    body = auth_api.get(f"/api/v1/faces/tasks/{task_id}").json()
    assert body["status"] == "done"
    assert auth_api.get(body["result"]["image_url"]).status_code == 200


def test_uploads_are_rate_limited_per_user(auth_api, other_api, template, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "uploads": "2/min"})
    assert [_post(auth_api, template.id).status_code for _ in range(3)] == [202, 202, 429]
    assert _post(other_api, template.id).status_code == 202


def test_result_summary_counts_faces_by_emotion_most_first(auth_api, template, fake_ai):
    from common.tests.fake_ai import fake_face

    fake_ai.faces = [fake_face((i * 10, 0, 8, 8), e) for i, e in enumerate(["sad", "happy", "happy", "happy", "happy"])]
    task_id = _post(auth_api, template.id).json()["task_id"]
    job_process_task.apply(args=[task_id])
    result = auth_api.get(f"/api/v1/faces/tasks/{task_id}").json()["result"]
    assert result["summary"] == {"faces": 5, "by_emotion": {"happy": 4, "sad": 1}}
    assert list(result["summary"]["by_emotion"]) == ["happy", "sad"]
    assert [f["overridden"] for f in result["faces"]] == [False] * 5


def test_summary_of_a_photo_without_faces_is_zero(auth_api, template, fake_ai):
    fake_ai.faces = []
    task_id = _post(auth_api, template.id).json()["task_id"]
    job_process_task.apply(args=[task_id])
    assert auth_api.get(f"/api/v1/faces/tasks/{task_id}").json()["result"]["summary"] == {
        "faces": 0, "by_emotion": {}
    }
