"""A real stack on this machine: a throwaway PostgreSQL database, RabbitMQ with
a unique queue name, gunicorn (main_server), a Celery worker and ai_server on
free ports. Skipped with a message when PostgreSQL or RabbitMQ do not answer;
failed instead when IGEMOJI_REQUIRE_SERVICES=1 (CI)."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from scripts.procs import PYTHON, REPO, ProcessGroup, free_port
from scripts.stack.services import delete_queue

PG = os.environ.get("IGEMOJI_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
AMQP = os.environ.get("IGEMOJI_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//")
MAIN = REPO / "main_server"


def _unavailable(what: str, exc: Exception):
    message = f"{what} does not answer ({exc.__class__.__name__}: {exc}); integration tests need it"
    if os.environ.get("IGEMOJI_REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (IGEMOJI_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def _admin():
    import psycopg

    return psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3)


@pytest.fixture(scope="session")
def database():
    try:
        admin = _admin()
    except Exception as exc:  # noqa: BLE001 (any failure means: no PostgreSQL here)
        _unavailable(f"PostgreSQL at {PG}", exc)
    name = f"igemoji_it_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def broker():
    from kombu import Connection

    queue = f"igemoji_it_{uuid.uuid4().hex[:10]}"
    try:
        with Connection(AMQP, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001
        _unavailable("RabbitMQ at " + AMQP.split("@")[-1], exc)
    yield {"url": AMQP, "queue": queue}
    delete_queue(AMQP, queue)


@pytest.fixture(scope="session")
def stack_env(database, broker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("it-data")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.base",
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": broker["url"],
        "CELERY_QUEUE": broker["queue"],
        "CACHE_URL": "db://",
        "DATA_DIR": str(data_dir),
        "TASK_RETRY_BASE_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    migrate(env)
    return env


def migrate(env: dict) -> None:
    """What compose's one-shot `migrate` service runs."""
    for args in (["migrate", "--noinput", "-v", "0"], ["createcachetable"], ["ensure_builtin_templates"]):
        subprocess.run([PYTHON, "manage.py", *args], cwd=MAIN, env=env, check=True)


def manage_shell(env: dict, code: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=MAIN, env=env, check=True,
        capture_output=True, text=True,
    )
    return done.stdout


@pytest.fixture(scope="session")
def stack(stack_env, tmp_path_factory):
    ports = {"main": free_port(), "ai": free_port(), "metrics": free_port()}
    env = {
        **stack_env,
        "AI_SERVER_URL": f"http://127.0.0.1:{ports['ai']}",
        "WORKER_METRICS_PORT": str(ports["metrics"]),
    }
    group = ProcessGroup(log_dir=tmp_path_factory.mktemp("it-logs"))
    try:
        ai = group.start("ai_server", [PYTHON, "-m", "ai_server", "--host", "127.0.0.1", "--port", str(ports["ai"])],
                         cwd=REPO, env=env)
        group.start("main", [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{ports['main']}",
                             "--workers", "1", "--threads", "4"], cwd=MAIN, env=env)
        group.start("worker", [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "threads",
                               "--concurrency", "2", "--loglevel", "INFO",
                               "--hostname", f"it-{ports['main']}@%h"], cwd=MAIN, env=env)
        group.wait_http(f"http://127.0.0.1:{ports['main']}/api/v1/health", timeout=120)
        group.wait_http(f"http://127.0.0.1:{ports['ai']}/healthz", timeout=240)
        group.wait_http(f"http://127.0.0.1:{ports['metrics']}/metrics", timeout=120)
        yield {
            "url": f"http://127.0.0.1:{ports['main']}",
            "worker_metrics": f"http://127.0.0.1:{ports['metrics']}/metrics",
            "ai_port": ports["ai"],
            "group": group,
            "ai": ai,
            "env": env,
        }
    finally:
        group.stop()
        for child in group.children:
            if child.log_path and child.popen.returncode not in (0, -15, None):
                print(f"--- {child.name} log tail\n{child.log_path.read_text()[-3000:]}")
