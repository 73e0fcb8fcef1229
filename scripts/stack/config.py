"""Where the rehearsal puts things and which ports it uses (all from the environment).

Ports: STACK_PORT_BASE (default 18500) and fixed offsets from it, so two stacks on
one machine only need two bases. The offsets leave room for up to 9 workers and
9 ai_servers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True)
class StackConfig:
    repo: Path
    state_dir: Path
    port_base: int
    workers: int
    ai_servers: int
    main_threads: int
    pg_admin_url: str
    broker_url: str
    redis_url: str
    models_dir: Path
    scrape_interval: str
    alert_for: str
    alert_webhook_url: str

    @classmethod
    def from_env(cls) -> StackConfig:
        repo = REPO
        return cls(
            repo=repo,
            state_dir=Path(os.environ.get("STACK_DIR") or repo / "var" / "stack").resolve(),
            port_base=_int("STACK_PORT_BASE", 18500),
            workers=_int("STACK_WORKERS", 2),
            ai_servers=_int("STACK_AI_SERVERS", 2),
            main_threads=_int("STACK_MAIN_THREADS", 4),
            pg_admin_url=os.environ.get(
                "STACK_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
            ),
            broker_url=os.environ.get("STACK_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
            redis_url=os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/0"),
            models_dir=Path(os.environ.get("MODELS_DIR") or repo / "models").resolve(),
            scrape_interval=os.environ.get("STACK_SCRAPE_INTERVAL", "5s"),
            # Every rule's `for:` is at most this in the rehearsal ("" keeps alerts.yml's).
            alert_for=os.environ.get("STACK_ALERT_FOR", "15s"),
            # Empty: Alertmanager notifies the stack's own test receiver.
            alert_webhook_url=os.environ.get("ALERT_WEBHOOK_URL", ""),
        )

    # ------------------------------------------------------------ ports
    @property
    def nginx_port(self) -> int:
        return self.port_base

    @property
    def ai_lb_port(self) -> int:
        """nginx's internal load balancer in front of the ai_servers (compose: nginx:8081)."""
        return self.port_base + 1

    @property
    def grafana_port(self) -> int:
        """Nothing listens here natively (Grafana is not a Debian package): /grafana/ → 503."""
        return self.port_base + 2

    @property
    def main_port(self) -> int:
        return self.port_base + 10

    def worker_metrics_port(self, index: int) -> int:
        return self.port_base + 21 + index

    def ai_port(self, index: int) -> int:
        return self.port_base + 31 + index

    @property
    def nginx_status_port(self) -> int:
        """nginx's stub_status on loopback (compose: 127.0.0.1:8082 inside nginx)."""
        return self.port_base + 3

    @property
    def prometheus_port(self) -> int:
        return self.port_base + 90

    @property
    def alertmanager_port(self) -> int:
        return self.port_base + 91

    @property
    def alert_receiver_port(self) -> int:
        """The rehearsal's own webhook receiver (scripts/stack/alert_receiver.py)."""
        return self.port_base + 92

    @property
    def node_exporter_port(self) -> int:
        return self.port_base + 93

    @property
    def nginx_exporter_port(self) -> int:
        return self.port_base + 94

    @property
    def nginx_log_port(self) -> int:
        """UDP: nginx's access log lines to the nginx exporter (compose: 127.0.0.1:9514)."""
        return self.port_base + 95

    def all_ports(self) -> list[int]:
        return [
            self.nginx_port,
            self.ai_lb_port,
            self.nginx_status_port,
            self.main_port,
            self.prometheus_port,
            self.alertmanager_port,
            self.alert_receiver_port,
            self.node_exporter_port,
            self.nginx_exporter_port,
            self.nginx_log_port,
            *(self.worker_metrics_port(i) for i in range(self.workers)),
            *(self.ai_port(i) for i in range(self.ai_servers)),
        ]

    # ------------------------------------------------------------ paths
    @property
    def venv_bin(self) -> Path:
        return self.repo / ".venv" / "bin"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def data_dir(self) -> Path:
        return self.state_dir / "data"

    @property
    def media_root(self) -> Path:
        return self.data_dir / "media"

    @property
    def state_file(self) -> Path:
        return self.state_dir / "state.json"

    @property
    def supervisor_status_file(self) -> Path:
        return self.state_dir / "supervisor.json"

    @property
    def spa_dir(self) -> Path:
        return self.repo / "frontend" / "dist"

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def prometheus_url(self) -> str:
        return f"http://127.0.0.1:{self.prometheus_port}"

    @property
    def alertmanager_url(self) -> str:
        return f"http://127.0.0.1:{self.alertmanager_port}"

    @property
    def alert_receiver_url(self) -> str:
        return f"http://127.0.0.1:{self.alert_receiver_port}"
