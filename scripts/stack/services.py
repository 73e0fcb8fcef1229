"""The machine's own services and tools the rehearsal uses: Debian's nginx,
prometheus, alertmanager and node exporter (installed when missing), a throwaway PostgreSQL database, a unique
RabbitMQ queue, and RabbitMQ's Prometheus plugin."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import time
import uuid

log = logging.getLogger("stack")

# command → Debian package that provides it
TOOLS = {
    "nginx": "nginx",
    "prometheus": "prometheus",
    "promtool": "prometheus",
    "prometheus-alertmanager": "prometheus-alertmanager",
    "amtool": "prometheus-alertmanager",
    "prometheus-node-exporter": "prometheus-node-exporter",
    # tests/deploy render Alertmanager's config with busybox, as its image does.
    "busybox": "busybox",
}


def ensure_tools() -> None:
    """apt-get install nginx / prometheus / … (TOOLS) when their commands are missing.

    Only the binaries are used: the rehearsal runs them with its own config
    files as its own processes, never the system services."""
    missing = sorted({pkg for cmd, pkg in TOOLS.items() if shutil.which(cmd) is None})
    if not missing:
        return
    if os.geteuid() != 0:
        raise RuntimeError(f"missing {missing}: run `sudo apt-get install -y {' '.join(missing)}`")
    log.info("installing Debian packages %s", missing)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *lock, *missing], check=True, env=env)


# ---------------------------------------------------------------- PostgreSQL
def create_database(admin_url: str) -> tuple[str, str]:
    """A new empty database; returns (name, url)."""
    import psycopg

    name = f"igemoji_stack_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    log.info("created database %s", name)
    return name, f"{base}/{name}"


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    if not name.startswith("igemoji_stack_"):  # never drop anything we did not create
        raise ValueError(f"refusing to drop {name!r}")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    log.info("dropped database %s", name)


# ---------------------------------------------------------------- RabbitMQ
def new_queue_name() -> str:
    # Other engineers' tests share this RabbitMQ: our own queue, so no worker
    # of theirs takes our jobs and none of ours takes theirs.
    return f"igemoji-stack-{uuid.uuid4().hex[:10]}"


def delete_queue(broker_url: str, queue: str) -> None:
    """The job queue and the two that come with it (main_server's
    config/integrations/celery.py): `.maintenance` and the dead-letter `.dead`."""
    from kombu import Connection

    for name in (queue, f"{queue}.maintenance", f"{queue}.dead"):
        try:
            with Connection(broker_url, connect_timeout=5) as conn:
                conn.default_channel.queue_delete(name)
            log.info("deleted queue %s", name)
        except Exception as exc:  # the broker may be gone: nothing left to clean
            log.warning("could not delete queue %s: %s", name, exc)


def rabbitmq_metrics_target(host: str = "127.0.0.1", port: int = 15692) -> str | None:
    """host:port of RabbitMQ's Prometheus endpoint, enabling the plugin if needed.

    STACK_RABBITMQ_PLUGIN=0 leaves the broker alone (no rabbitmq target then)."""
    if _port_open(host, port):
        return f"{host}:{port}"
    if os.environ.get("STACK_RABBITMQ_PLUGIN", "1") == "0" or not shutil.which("rabbitmq-plugins"):
        log.info("RabbitMQ Prometheus endpoint not available: no rabbitmq target")
        return None
    try:
        subprocess.run(
            ["rabbitmq-plugins", "enable", "rabbitmq_prometheus"],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        log.warning("could not enable rabbitmq_prometheus: %s", exc)
        return None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _port_open(host, port):
            log.info("rabbitmq_prometheus enabled")
            return f"{host}:{port}"
        time.sleep(1)
    return None


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False
