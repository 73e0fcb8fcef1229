"""Celery settings (read by config/celery.py with namespace CELERY) and the
recovery of background work (docs/reliability.md)."""

from kombu import Exchange, Queue

from config.env import data_dir, env_int, env_str

_data = data_dir()

# ---------------------------------------------------------------- recovery
# Every start of a job (or of a template's cut-outs) counts, whatever handed it
# out; past this many the row is failed ("stopped after N attempts").
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# A worker holding a row renews its lease every JOB_LEASE_RENEW_SECONDS; a lease
# not renewed for JOB_LEASE_SECONDS means the worker died: the row is handed out again.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 30)
JOB_LEASE_RENEW_SECONDS = env_int("JOB_LEASE_RENEW_SECONDS", 5)
# The reconciler's period (Celery beat), and how long a wake-up call may go
# untaken, with no message left in the queue, before it is sent again.
JOB_RECONCILE_SECONDS = env_int("JOB_RECONCILE_SECONDS", 5)
JOB_REDISPATCH_SECONDS = env_int("JOB_REDISPATCH_SECONDS", 20)
# The backstop sweep: rows running or waiting this long are handed out again.
JOB_RUNNING_TIMEOUT = env_int("JOB_RUNNING_TIMEOUT", 15 * 60)
JOB_PENDING_TIMEOUT = env_int("JOB_PENDING_TIMEOUT", 15 * 60)
TEMPLATE_PROCESSING_TIMEOUT = env_int("TEMPLATE_PROCESSING_TIMEOUT", 20 * 60)
# The retry policy (common/retry.py): transient errors (database, broker,
# ai_server unreachable or 5xx) are retried inside the task after 2, 4, 8, 15,
# 15 … s; past TASK_RETRY_MAX retries (~2.5 min) the row fails with the reason.
TASK_RETRY_MAX = env_int("TASK_RETRY_MAX", 12)
TASK_RETRY_BASE_SECONDS = env_int("TASK_RETRY_BASE_SECONDS", 2)
TASK_RETRY_MAX_DELAY = env_int("TASK_RETRY_MAX_DELAY", 15)
# After a failed publish a process waits this long before trying the broker
# again (the outbox and the reconciler send what it skipped).
BROKER_PUBLISH_BACKOFF_SECONDS = env_int("BROKER_PUBLISH_BACKOFF_SECONDS", 5)

# ---------------------------------------------------------------- broker
# amqp://… (RabbitMQ) in deployment and CI; kombu's filesystem transport for
# `make run`, so one machine needs no broker server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = _data / "broker" / "queue"
    _processed_dir = _data / "broker" / "processed"
    _control_dir = _data / "broker" / "control"  # kombu's default is ./control (the cwd)
    for _d in (_queue_dir, _processed_dir, _control_dir):
        _d.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
        # An idle worker looks for a message this often (a directory listing): each job
        # waits half of it on average before it starts, and as long again after the
        # previous task when the worker was busy (bench/e2e.py, "queue").
        "polling_interval": 0.05,
    }
    # kombu's transport, writing each message whole before it is visible (common/filesystem_broker.py)
    CELERY_BROKER_TRANSPORT = "common.filesystem_broker:Transport"
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
# A publish makes one quick attempt (common/broker.py); a worker or beat that
# lost the broker reconnects for as long as it takes.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 3)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None

# Three queues per deployment: jobs and cut-outs; the reconciler and sweeps on
# their own queue, so they run even behind a long backlog of jobs; and the
# dead-letter queue where RabbitMQ parks a message delivered more than
# CELERY_DELIVERY_LIMIT times (it kept killing its workers). The job row stays
# the truth: the reconciler fails or hands out the row; the parked message is
# only kept for inspection.
TASK_QUEUE = env_str("CELERY_QUEUE", "igemoji")
MAINTENANCE_QUEUE = f"{TASK_QUEUE}.maintenance"
DEAD_LETTER_QUEUE = f"{TASK_QUEUE}.dead"
CELERY_DELIVERY_LIMIT = env_int("CELERY_DELIVERY_LIMIT", JOB_MAX_ATTEMPTS)
if CELERY_BROKER_URL.startswith("amqp"):
    # Quorum queues: replicated, durable, and they count deliveries.
    QUEUE_ARGUMENTS = {
        "x-queue-type": "quorum",
        "x-delivery-limit": CELERY_DELIVERY_LIMIT,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": DEAD_LETTER_QUEUE,
    }
    DEAD_LETTER_QUEUE_ARGUMENTS = {"x-queue-type": "quorum"}
else:
    QUEUE_ARGUMENTS = DEAD_LETTER_QUEUE_ARGUMENTS = None  # the filesystem transport has no such thing


def _queue(name: str) -> Queue:
    return Queue(name, Exchange(name, type="direct"), routing_key=name, queue_arguments=QUEUE_ARGUMENTS)


CELERY_TASK_DEFAULT_QUEUE = TASK_QUEUE
CELERY_TASK_QUEUES = (_queue(TASK_QUEUE), _queue(MAINTENANCE_QUEUE))
CELERY_TASK_ROUTES = {
    "faces.tasks.jobs_*": {"queue": MAINTENANCE_QUEUE},
    "emojis.tasks.templates_*": {"queue": MAINTENANCE_QUEUE},
    "accounts.tasks.*": {"queue": MAINTENANCE_QUEUE},
}
# Retries never travel as delayed messages (see common/retry.py): no native
# delayed delivery exchanges are declared on the broker.
CELERY_WORKER_CONSUMER = "config.celery:Consumer"

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Job state lives in the database; Celery results are not needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None

# A message is acknowledged only after the task finished, and given back when
# the worker dies. Tasks never raise (common/tasks.py): Celery acknowledges a
# message whose task raised, so every outcome is written on the row instead.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# RabbitMQ's consumer_timeout is 30 min: every task, retries included, stays
# far below it, else the broker closes the channel and redelivers.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_TASK_ALWAYS_EAGER = False


def _every(seconds: float, task: str, *, expires: float | None = None) -> dict:
    # A tick not run in time is dropped (the next one does the same work), so
    # a worker that was away does not replay a pile of them.
    return {"task": task, "schedule": float(seconds), "options": {"expires": float(expires or seconds)}}


# A reconcile tick may wait for a worker thread behind the jobs that worker
# runs: it stays valid for 30 s.
CELERY_BEAT_SCHEDULE = {
    "jobs-reconcile": _every(JOB_RECONCILE_SECONDS, "faces.tasks.jobs_reconcile", expires=30),
    "templates-reconcile": _every(JOB_RECONCILE_SECONDS, "emojis.tasks.templates_reconcile", expires=30),
    "jobs-sweep": _every(60, "faces.tasks.jobs_sweep"),
    "templates-sweep": _every(120, "emojis.tasks.templates_sweep"),
    "flush-expired-tokens": _every(6 * 3600, "accounts.tasks.flush_expired_tokens"),
    "jobs-expire": _every(3600, "faces.tasks.jobs_expire"),
}

WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0)
