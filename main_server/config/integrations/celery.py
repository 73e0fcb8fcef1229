"""Celery settings (read by config/celery.py with namespace CELERY)."""

from config.env import data_dir, env_int, env_str

_data = data_dir()

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
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}

CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "igemoji")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Job state lives in the database; Celery results are not needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None

# A message is acknowledged only after the task finished, and given back when
# the worker dies, so a killed worker loses no job.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# RabbitMQ's consumer_timeout is 30 min: every task and every retry delay stays
# far below it, else the broker closes the channel and redelivers.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
TASK_RETRY_MAX = env_int("TASK_RETRY_MAX", 6)
TASK_RETRY_BASE_SECONDS = env_int("TASK_RETRY_BASE_SECONDS", 2)
TASK_RETRY_MAX_DELAY = env_int("TASK_RETRY_MAX_DELAY", 120)
CELERY_TASK_ALWAYS_EAGER = False

CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {"task": "faces.tasks.jobs_sweep", "schedule": 60.0},
    "templates-sweep": {"task": "emojis.tasks.templates_sweep", "schedule": 120.0},
    "flush-expired-tokens": {"task": "accounts.tasks.flush_expired_tokens", "schedule": 6 * 3600.0},
}

WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0)
