import runpy
import urllib.request

from config.celery import Consumer, app


def test_no_job_is_lost_settings():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.broker_connection_max_retries is None  # a worker waits out a broker outage
    # Below RabbitMQ's consumer_timeout (30 min), retries included.
    from django.conf import settings

    assert conf.task_time_limit < 30 * 60
    assert settings.TASK_RETRY_MAX * settings.TASK_RETRY_MAX_DELAY < 30 * 60


def test_the_reconciler_runs_every_few_seconds_and_the_sweeps_back_it_up():
    schedule = {entry["task"]: entry for entry in app.conf.beat_schedule.values()}
    assert set(schedule) == {
        "faces.tasks.jobs_reconcile", "emojis.tasks.templates_reconcile", "faces.tasks.jobs_sweep",
        "emojis.tasks.templates_sweep", "accounts.tasks.flush_expired_tokens", "faces.tasks.jobs_expire",
    }
    assert schedule["faces.tasks.jobs_reconcile"]["schedule"] <= 10
    assert schedule["emojis.tasks.templates_reconcile"]["schedule"] <= 10
    app.loader.import_default_modules()  # what a worker does at start (autodiscovery)
    assert set(app.tasks) >= set(schedule)


def test_periodic_tasks_have_their_own_queue():
    from django.conf import settings

    router = app.amqp.router
    for name in (
        "faces.tasks.jobs_reconcile", "emojis.tasks.templates_sweep", "accounts.tasks.flush_expired_tokens",
        "faces.tasks.jobs_expire",
    ):
        assert router.route({}, name)["queue"].name == settings.MAINTENANCE_QUEUE
    for name in ("faces.tasks.job_process", "emojis.tasks.template_process"):
        assert router.route({}, name)["queue"].name == settings.TASK_QUEUE


def test_rabbitmq_queues_are_quorum_with_a_delivery_limit_and_a_dead_letter_queue(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "amqp://guest:guest@rabbitmq:5672//")
    monkeypatch.setenv("CELERY_QUEUE", "igemoji")
    monkeypatch.setenv("JOB_MAX_ATTEMPTS", "4")
    from config.integrations import celery as celery_settings

    conf = runpy.run_path(celery_settings.__file__)
    arguments = [q.queue_arguments for q in conf["CELERY_TASK_QUEUES"]]
    assert [q.name for q in conf["CELERY_TASK_QUEUES"]] == ["igemoji", "igemoji.maintenance"]
    assert arguments[0] == {
        "x-queue-type": "quorum", "x-delivery-limit": 4,
        "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "igemoji.dead",
    }
    assert conf["DEAD_LETTER_QUEUE"] == "igemoji.dead"


def test_the_worker_declares_no_delayed_delivery_exchanges():
    steps = Consumer.Blueprint.default_steps
    assert not any("delayed_delivery" in s for s in steps)
    assert "celery.worker.consumer.tasks:Tasks" in steps


def test_worker_metrics_server_exports_the_worker_registry():
    import socket

    from common import metrics, recovery  # noqa: F401 (a worker imports it with its tasks)

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
    assert 'igemoji_recovery_actions_total{action="requeued",kind="job"} ' in body  # born at 0
