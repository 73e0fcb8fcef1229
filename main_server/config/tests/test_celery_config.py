import urllib.request

from config.celery import app


def test_no_job_is_lost_settings():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is True
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    # Below RabbitMQ's consumer_timeout (30 min), retry delays included.
    from django.conf import settings

    assert conf.task_time_limit < 30 * 60
    assert settings.TASK_RETRY_MAX_DELAY < 30 * 60


def test_periodic_sweeps_are_scheduled():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert tasks == {
        "faces.tasks.jobs_sweep", "emojis.tasks.templates_sweep", "accounts.tasks.flush_expired_tokens",
        "faces.tasks.jobs_expire",
    }
    app.loader.import_default_modules()  # what a worker does at start (autodiscovery)
    assert set(app.tasks) >= tasks


def test_worker_metrics_server_exports_the_worker_registry():
    import socket

    from common import metrics

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    metrics.start_worker_metrics_server(port)
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert "igemoji_job_latency_seconds" in body
    assert "process_resident_memory_bytes" in body
    assert "django_http" not in body  # the web's metrics stay in the web process
    # series exist at 0 before any job, so rate() sees the first one
    assert 'igemoji_jobs_finished_total{status="failed"} 0.0' in body
