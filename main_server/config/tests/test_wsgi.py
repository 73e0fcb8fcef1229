import io

import pytest
from django.test import override_settings


def _call(path: str, host: str) -> tuple[str, str]:
    from config.wsgi import application

    status: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "8000",
        "HTTP_HOST": f"{host}:8000",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    body = b"".join(application(environ, lambda s, headers, exc=None: status.append(s)))
    return status[0], body.decode()


@pytest.mark.django_db(transaction=True)
@override_settings(ALLOWED_HOSTS=["igemoji.example.com"])
def test_metrics_answers_a_scrape_by_replica_ip_that_is_not_an_allowed_host():
    status, body = _call("/metrics", "10.0.3.7")

    assert status.startswith("200")
    assert "igemoji_jobs_backlog" in body  # the database collector
    assert "django_http_requests_latency_seconds_by_view_method" in body  # django-prometheus


@pytest.mark.django_db(transaction=True)
@override_settings(ALLOWED_HOSTS=["igemoji.example.com"])
def test_other_paths_still_go_through_django_host_check():
    status, _ = _call("/api/v1/health", "10.0.3.7")

    assert status.startswith("400")


@pytest.mark.django_db(transaction=True)
def test_an_upload_refused_before_its_body_is_read_is_drained_before_the_answer():
    from config.wsgi import application

    body = b"--x\r\n" + b"0" * 300_000  # an upload without a token: 401 before parsing
    stream = io.BytesIO(body)
    sent: list[str] = []

    def start_response(status, headers, exc=None):  # gunicorn sends these with the first body bytes
        sent.append(status)

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/faces/tasks/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": stream,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    result = application(environ, start_response)
    assert stream.tell() == len(body), "the answer would go out before the body was read"
    b"".join(result)
    assert sent[0].startswith("401")
