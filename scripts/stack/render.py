"""Render the compose configs of nginx/ and prometheus/ for processes on this machine.

The server blocks, snippets and alert rules are used as they are; only what
differs between containers and one machine changes: listen ports, the upstream
servers (static 127.0.0.1 ports instead of Docker DNS), file paths, and
Prometheus' service discovery (static targets, same job names).
"""

from __future__ import annotations

import getpass
import shutil
from pathlib import Path

import yaml

from scripts.stack.config import StackConfig

# Paths of the container layout (docker/nginx.Dockerfile, docker-compose.yml).
SPA_ROOT = "/srv/igemoji/spa"
MEDIA_ROOT = "/srv/igemoji/media"


def render_nginx(
    cfg: StackConfig,
    dest: Path,
    *,
    main_addr: str,
    ai_addrs: list[str],
    grafana_addr: str,
    spa_root: Path,
    media_root: Path,
) -> Path:
    """Write a runnable copy of nginx/ under dest; returns the main config file."""
    src = cfg.repo / "nginx"
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "conf.d").mkdir(parents=True)
    shutil.copytree(src / "snippets", dest / "snippets")
    for sub in ("logs", "tmp"):
        (dest / sub).mkdir()

    site = (src / "conf.d" / "igemoji.conf").read_text()
    site = _replace_once(
        site, "listen 80 default_server;", f"listen 127.0.0.1:{cfg.nginx_port} default_server;"
    )
    site = _replace_once(site, "listen 8081;", f"listen 127.0.0.1:{cfg.ai_lb_port};")
    site = site.replace(SPA_ROOT, str(spa_root)).replace(MEDIA_ROOT, str(media_root))
    (dest / "conf.d" / "igemoji.conf").write_text(site)

    # max_fails=0 as in nginx/conf.d/upstreams.conf: no replica is benched, so
    # when the ai_servers come back the first request goes through.
    ai_servers = "\n".join(f"    server {addr} max_fails=0;" for addr in ai_addrs)
    (dest / "conf.d" / "upstreams.conf").write_text(
        "# Rendered by scripts/stack/render.py: static servers of the native rehearsal.\n"
        f"upstream main_api {{\n    server {main_addr} max_fails=0;\n    keepalive 16;\n"
        "    keepalive_timeout 60s;\n}\n\n"
        f"upstream ai_servers {{\n    least_conn;\n{ai_servers}\n    keepalive 16;\n}}\n\n"
        f"upstream grafana {{\n    server {grafana_addr};\n}}\n"
    )

    top = (src / "nginx.conf").read_text()
    top = _replace_once(top, "user nginx;", f"user {getpass.getuser()};")
    top = _replace_once(top, "worker_processes auto;", "worker_processes 1;")
    top = _replace_once(top, "pid /var/run/nginx.pid;", f"pid {dest / 'nginx.pid'};")
    top = top.replace("/var/log/nginx/", f"{dest / 'logs'}/")
    temp_paths = "".join(
        f"    {kind}_temp_path {dest / 'tmp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    top = _replace_once(top, "http {\n", "http {\n" + temp_paths)
    conf = dest / "nginx.conf"
    conf.write_text(top)
    return conf


def render_nginx_for_stack(cfg: StackConfig) -> Path:
    return render_nginx(
        cfg,
        cfg.state_dir / "nginx",
        main_addr=f"127.0.0.1:{cfg.main_port}",
        ai_addrs=[f"127.0.0.1:{cfg.ai_port(i)}" for i in range(cfg.ai_servers)],
        grafana_addr=f"127.0.0.1:{cfg.grafana_port}",
        spa_root=cfg.spa_dir,
        media_root=cfg.media_root,
    )


def render_prometheus(cfg: StackConfig, dest: Path, *, rabbitmq: str | None) -> Path:
    """prometheus/prometheus.yml with static targets; the rules file is the repository's own."""
    compose = yaml.safe_load((cfg.repo / "prometheus" / "prometheus.yml").read_text())
    static: dict[str, list[str]] = {
        "prometheus": [f"127.0.0.1:{cfg.prometheus_port}"],
        "main": [f"127.0.0.1:{cfg.main_port}"],
        "worker": [f"127.0.0.1:{cfg.worker_metrics_port(i)}" for i in range(cfg.workers)],
        "ai": [f"127.0.0.1:{cfg.ai_port(i)}" for i in range(cfg.ai_servers)],
    }
    if rabbitmq:
        static["rabbitmq"] = [rabbitmq]
    jobs = []
    for job in compose["scrape_configs"]:
        name = job["job_name"]
        if name not in static:
            continue
        jobs.append({"job_name": name, "static_configs": [{"targets": static[name]}]})
    missing = set(static) - {j["job_name"] for j in jobs}
    if missing:
        raise RuntimeError(f"prometheus/prometheus.yml has no job for {sorted(missing)}")
    rendered = {
        "global": {
            **compose["global"],
            "scrape_interval": cfg.scrape_interval,
            "evaluation_interval": cfg.scrape_interval,
        },
        "rule_files": [str(cfg.repo / "prometheus" / f) for f in compose["rule_files"]],
        "scrape_configs": jobs,
    }
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "prometheus.yml"
    path.write_text(
        "# Rendered by scripts/stack/render.py from prometheus/prometheus.yml.\n"
        + yaml.safe_dump(rendered, sort_keys=False)
    )
    return path


def _replace_once(text: str, old: str, new: str) -> str:
    # A silent no-op would render a config that still points at container paths.
    if text.count(old) != 1:
        raise RuntimeError(f"expected exactly one {old!r} in the config to render")
    return text.replace(old, new)
