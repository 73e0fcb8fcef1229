"""The OpenAPI schema states what the views do: shapes, errors, limits. (The running
service is checked against it by schemathesis, tests/schema/; these are the fast checks.)"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from common.tests.factories import JobFactory, TemplateFactory
from faces.models import Face, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _nullable_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` → JSON Schema's `anyOf [..., null]`."""
    if isinstance(node, dict):
        node = {k: _nullable_to_json_schema(v) for k, v in node.items()}
        if node.pop("nullable", False):
            return {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_nullable_to_json_schema(v) for v in node]
    return node


def _assert_matches(schema: dict, component: str, body: Any) -> None:
    document = _nullable_to_json_schema({"components": schema["components"]})
    jsonschema.validate(body, {**document, "$ref": f"#/components/schemas/{component}"})


def _operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_error_response_is_the_one_error_object(schema):
    for name, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorResponse", name
                assert "Codes: `" in response["description"], f"{name} {status} lists no codes"


def test_operations_document_the_statuses_their_setup_implies(schema):
    for name, operation in _operations(schema):
        statuses = set(operation["responses"])
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= statuses, name
        if {"jwtAuth": []} in operation.get("security", []):
            assert "401" in statuses, name
        if "{" in name:
            assert "404" in statuses, name
    throttled = {name for name, op in _operations(schema) if "429" in op["responses"]}
    assert throttled == {
        "GET /api/v1/users/", "POST /api/v1/emojis/", "POST /api/v1/faces/tasks/", "POST /api/v1/users/",
        "POST /api/v1/users/auth/", "POST /api/v1/users/auth/refresh/",
        "POST /api/v1/faces/tasks/{task_id}/rerender/", "DELETE /api/v1/users/me/",
    }
    assert all("Retry-After" in op["responses"]["429"]["headers"] for n, op in _operations(schema) if n in throttled)


def test_limits_are_in_the_schema(schema, settings):
    components = schema["components"]["schemas"]
    page = schema["paths"]["/api/v1/emojis/pages/{page_number}/"]["get"]["parameters"][0]["schema"]
    assert page["minimum"] == 1
    alias = components["UsersCreateInputRequest"]["properties"]["alias"]
    assert (alias["minLength"], alias["maxLength"]) == (2, 20)
    assert components["UsersCreateInputRequest"]["properties"]["password"]["minLength"] == 8
    assert components["TemplateCreateInputRequest"]["properties"]["name"]["maxLength"] == 40
    upload = schema["paths"]["/api/v1/faces/tasks/"]["post"]
    assert "15 MiB" in upload["responses"]["413"]["description"]
    encoding = upload["requestBody"]["content"]["multipart/form-data"]["encoding"]["image"]["contentType"]
    assert "image/tiff" not in encoding and "image/jpeg" in encoding
    assert components["PictureMediaType"]["enum"] == [
        "image/bmp", "image/gif", "image/jpeg", "image/png", "image/webp"
    ]


def test_a_done_job_with_faces_matches_the_job_schema(schema, auth_api, user):
    job = JobFactory(owner=user, status=JobStatus.DONE, result_image="jobs/x/result.jpg",
                     result_width=80, result_height=60)
    scores = {"angry": 0.1, "disgust": 0.0, "fear": 0.0, "happy": 0.9, "sad": 0.0, "surprise": 0.0, "neutral": 0.0}
    Face.objects.create(job=job, index=0, x=1, y=2, w=3, h=4, emotion="happy", scores=scores)
    body = auth_api.get(f"/api/v1/faces/tasks/{job.id}/").json()
    _assert_matches(schema, "Job", body)
    assert body["result"]["faces"] == [{"box": [1, 2, 3, 4], "emotion": "happy", "scores": scores, "overridden": False}]
    assert body["result"]["summary"] == {"faces": 1, "by_emotion": {"happy": 1}}
    _assert_matches(schema, "JobPage", auth_api.get("/api/v1/users/mypage/result/").json())


def test_pending_job_template_and_pages_match_their_schemas(schema, auth_api, user):
    JobFactory(owner=user)
    _assert_matches(schema, "JobPage", auth_api.get("/api/v1/users/mypage/result/").json())
    template = TemplateFactory(owner=user)
    _assert_matches(schema, "Template", auth_api.get(f"/api/v1/emojis/{template.id}/").json())
    _assert_matches(schema, "TemplatePage", auth_api.get("/api/v1/emojis/pages/1/").json())
    _assert_matches(schema, "TemplatePage", auth_api.get("/api/v1/users/mypage/upload/").json())
    error = auth_api.get("/api/v1/emojis/pages/99/").json()
    _assert_matches(schema, "ErrorResponse", error)


def test_a_template_row_without_its_pictures_does_not_break_the_gallery(schema, api):
    # rows made outside the API (a data import, a test) may lack TemplateImage rows
    from emojis.models import EmojiTemplate

    bare = EmojiTemplate.objects.create(owner=TemplateFactory().owner, name="bare", status="ready")
    response = api.get("/api/v1/emojis/pages/1/")
    assert response.status_code == 200
    _assert_matches(schema, "TemplatePage", response.json())
    listed = next(t for t in response.json()["results"] if t["id"] == bare.id)
    assert listed["images"]["angry"] == {"original_url": None, "cutout_url": None, "cutout_method": None}
    assert listed["preview_url"] is None


def test_shared_rerendered_and_expired_jobs_match_the_job_schema(schema, auth_api, done_job):
    from faces.services import jobs_expire

    auth_api.post(f"/api/v1/faces/tasks/{done_job.id}/share/")
    task_id = auth_api.post(
        f"/api/v1/faces/tasks/{done_job.id}/rerender/", {"overrides": {"0": "sad"}}, format="json"
    ).json()["task_id"]
    rerender = auth_api.get(f"/api/v1/faces/tasks/{task_id}/").json()
    assert rerender["rerender_of"] == str(done_job.id)
    _assert_matches(schema, "Job", rerender)
    shared = auth_api.get(f"/api/v1/faces/tasks/{done_job.id}/").json()
    assert shared["share_url"]
    _assert_matches(schema, "Job", shared)
    Job = type(done_job)
    Job.objects.filter(pk=done_job.pk).update(created_at=done_job.created_at.replace(year=2000))
    jobs_expire()
    expired = auth_api.get(f"/api/v1/faces/tasks/{done_job.id}/").json()
    assert expired["status"] == "expired" and expired["input_url"] is None
    _assert_matches(schema, "Job", expired)
    _assert_matches(schema, "JobPage", auth_api.get("/api/v1/users/mypage/result/").json())
