import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_json_404():
    response = Client().get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


def test_wrong_method_is_json_405(api):
    response = api.put("/api/v1/faces/ranking")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_malformed_json_is_400(api):
    response = api.post("/api/v1/users/auth", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_unexpected_exception_is_json_500(api, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("faces.apis.ranking_top", boom)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/faces/ranking")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "boom" not in response.content.decode()


def test_oversized_request_is_413_before_parsing(settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = Client().post(
        "/api/v1/emojis/", data=b"x" * 2000, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_openapi_schema_and_swagger_ui():
    client = Client()
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/faces/tasks/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_health():
    assert Client().get("/api/v1/health").json() == {"status": "ok", "database": "ok"}


def test_metrics_export_job_gauges_from_the_database():
    from common.tests.factories import JobFactory

    JobFactory()
    body = Client().get("/metrics").content.decode()
    assert 'igemoji_jobs{status="pending"} 1.0' in body
    assert "igemoji_jobs_backlog 1.0" in body
    assert 'igemoji_templates{status="ready"} 1.0' in body
    assert "django_http_requests_total_by_view_transport_method_total" in body


def test_worker_metrics_registry_has_the_contract_names():
    from prometheus_client import generate_latest

    from common import metrics
    from faces import metrics as faces_metrics

    faces_metrics.JOBS_FINISHED.labels(status="done")
    metrics.TASK_RETRIES.labels(task="job_process")
    metrics.AI_CALL_SECONDS.labels(endpoint="compose")
    faces_metrics.JOB_FACES.labels(emotion="happy")
    text = generate_latest(metrics.WORKER_REGISTRY).decode()
    for name in (
        "igemoji_jobs_finished_total", "igemoji_job_latency_seconds_bucket", "igemoji_job_faces_total",
        "igemoji_task_retries_total", "igemoji_ai_call_seconds_bucket",
    ):
        assert name in text


class TestSpa:
    @pytest.fixture
    def dist(self, tmp_path, settings):
        (tmp_path / "assets").mkdir()
        (tmp_path / "index.html").write_text("<html>spa</html>")
        (tmp_path / "assets" / "app-1a2b.js").write_text("console.log(1)")
        (tmp_path / "favicon.svg").write_text("<svg/>")
        settings.FRONTEND_DIST = str(tmp_path)
        return tmp_path

    def test_index_and_history_fallback(self, dist):
        client = Client()
        for path in ("/", "/login", "/mypage/results"):
            response = client.get(path)
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == b"<html>spa</html>"
            assert response["Cache-Control"] == "no-cache"

    def test_hashed_assets_are_cached_long(self, dist):
        response = Client().get("/assets/app-1a2b.js")
        assert "immutable" in response["Cache-Control"]
        assert "javascript" in response["Content-Type"]

    def test_no_escape_from_dist(self, dist):
        response = Client().get("/assets/../../../../etc/passwd")
        assert response.status_code == 404 or b"root:" not in b"".join(response.streaming_content)
        response = Client().get("/..%2F..%2F..%2Fetc%2Fpasswd")
        assert b"root:" not in b"".join(response.streaming_content)

    def test_missing_asset_is_404_not_index(self, dist):
        assert Client().get("/assets/gone-123.js").status_code == 404

    def test_missing_build_shows_a_plain_page(self, settings, tmp_path):
        settings.FRONTEND_DIST = str(tmp_path / "nothing")
        response = Client().get("/")
        assert response.status_code == 200 and b"not built" in response.content


def test_swagger_ui_assets_are_served_locally():
    client = Client()
    page = client.get("/api/docs/").content.decode()
    assert "cdn.jsdelivr" not in page
    response = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert client.get("/static/../config/settings.py").status_code == 404
