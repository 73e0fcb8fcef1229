"""Environments of the rehearsal's processes: docker-compose.yml's own (resolved with
.env.example's values), with only what differs on one machine changed."""

from __future__ import annotations

import os

from scripts.stack.compose_env import read_env_file, service_environment
from scripts.stack.config import StackConfig


def _compose_env(cfg: StackConfig, service: str, **overrides: str) -> dict[str, str]:
    values = read_env_file(cfg.repo / ".env.example")
    values.update(SECRET_KEY=overrides.get("SECRET_KEY", "unused"), ALLOWED_HOSTS="127.0.0.1")
    # Our own environment minus settings of the kind compose sets (make exports AI_PORT …).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "AI_"))}
    env.pop("WORKER_METRICS_PORT", None)
    env.update(service_environment(cfg.repo / "docker-compose.yml", service, values))
    env.update(overrides, PYTHONUNBUFFERED="1")
    return env


def main_env(
    cfg: StackConfig, *, service: str, database_url: str, queue: str, secret_key: str
) -> dict[str, str]:
    """main / worker / beat: compose's production settings, pointed at this machine."""
    return _compose_env(
        cfg,
        service,
        SECRET_KEY=secret_key,
        SECURE_SSL_REDIRECT="0",  # plain http on 127.0.0.1; compose sits behind TLS
        CSRF_TRUSTED_ORIGINS=cfg.public_url,
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=cfg.broker_url,
        CELERY_QUEUE=queue,
        DATA_DIR=str(cfg.data_dir),
        MEDIA_ROOT=str(cfg.media_root),
        AI_SERVER_URL=f"http://127.0.0.1:{cfg.ai_lb_port}",
        FRONTEND_DIST=str(cfg.spa_dir),
        # This machine's Redis, keys apart from any other stack; nginx is on 127.0.0.1.
        CACHE_URL=cfg.redis_url,
        CACHE_KEY_PREFIX=f"igemoji-stack-{cfg.port_base}",
        TRUSTED_PROXIES="127.0.0.1",
    )


def ai_env(cfg: StackConfig, index: int) -> dict[str, str]:
    return _compose_env(
        cfg,
        "ai",
        MODELS_DIR=str(cfg.models_dir),
        # One directory per replica: each gunicorn merges only its own workers.
        PROMETHEUS_MULTIPROC_DIR=str(cfg.state_dir / f"ai{index}-metrics"),
    )
