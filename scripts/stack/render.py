"""Render the compose configs of nginx/, prometheus/ and alertmanager/ for processes
on this machine.

The server blocks, snippets and alert rules are used as they are; only what
differs between containers and one machine changes: listen ports, the upstream
servers (static 127.0.0.1 ports instead of Docker DNS), file paths, and
Prometheus' service discovery (static targets, same job names). To prove the
alert path in seconds, the rehearsal caps every rule's `for:` (STACK_ALERT_FOR)
and Alertmanager's group waits; the expressions and routes stay the same.
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
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
    status = (src / "conf.d" / "status.conf").read_text()
    status = _replace_once(
        status, "listen 127.0.0.1:8082;", f"listen 127.0.0.1:{cfg.nginx_status_port};"
    )
    (dest / "conf.d" / "status.conf").write_text(status)

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
    top = _replace_once(
        top, "syslog:server=127.0.0.1:9514,", f"syslog:server=127.0.0.1:{cfg.nginx_log_port},"
    )
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
    """prometheus/prometheus.yml with static targets, sending to the rehearsal's
    Alertmanager; the rules are the repository's own (`for:` capped, see render_rules)."""
    compose = yaml.safe_load((cfg.repo / "prometheus" / "prometheus.yml").read_text())
    static: dict[str, list[str]] = {
        "prometheus": [f"127.0.0.1:{cfg.prometheus_port}"],
        "alertmanager": [f"127.0.0.1:{cfg.alertmanager_port}"],
        "main": [f"127.0.0.1:{cfg.main_port}"],
        "worker": [f"127.0.0.1:{cfg.worker_metrics_port(i)}" for i in range(cfg.workers)],
        "ai": [f"127.0.0.1:{cfg.ai_port(i)}" for i in range(cfg.ai_servers)],
        "node": [f"127.0.0.1:{cfg.node_exporter_port}"],
        "nginx": [f"127.0.0.1:{cfg.nginx_exporter_port}"],
    }
    if rabbitmq:
        static["rabbitmq"] = [rabbitmq]
        static["rabbitmq_queues"] = [rabbitmq]
    jobs = []
    for job in compose["scrape_configs"]:
        name = job["job_name"]
        if name not in static:
            continue
        # Same job, same path and parameters; only the discovery differs.
        kept = {k: v for k, v in job.items() if k not in ("static_configs", "dns_sd_configs")}
        jobs.append({**kept, "static_configs": [{"targets": static[name]}]})
    missing = set(static) - {j["job_name"] for j in jobs}
    if missing:
        raise RuntimeError(f"prometheus/prometheus.yml has no job for {sorted(missing)}")
    rendered = {
        "global": {
            **compose["global"],
            "scrape_interval": cfg.scrape_interval,
            "evaluation_interval": cfg.scrape_interval,
        },
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": static["alertmanager"]}]}]},
        "rule_files": [
            str(render_rules(cfg, cfg.repo / "prometheus" / f, dest)) for f in compose["rule_files"]
        ],
        "scrape_configs": jobs,
    }
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "prometheus.yml"
    path.write_text(
        "# Rendered by scripts/stack/render.py from prometheus/prometheus.yml.\n"
        + yaml.safe_dump(rendered, sort_keys=False)
    )
    return path


def render_rules(cfg: StackConfig, source: Path, dest: Path) -> Path:
    """A copy of an alert rules file whose every `for:` is at most cfg.alert_for, so
    the rehearsal sees an alert fire within seconds; expressions stay as they are."""
    if not cfg.alert_for:
        return source
    limit = _seconds(cfg.alert_for)
    rules = yaml.safe_load(source.read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            if "for" in rule and _seconds(rule["for"]) > limit:
                rule["for"] = cfg.alert_for
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / source.name
    path.write_text(
        f"# Rendered by scripts/stack/render.py from {source.name}: for <= {cfg.alert_for}.\n"
        + yaml.safe_dump(rules, sort_keys=False, allow_unicode=True)
    )
    return path


def render_alertmanager(cfg: StackConfig, dest: Path, *, webhook_url: str) -> Path:
    """alertmanager/alertmanager.yml through its own render-config.sh (as in compose),
    with the rehearsal's short waits so a notification goes out within seconds."""
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "alertmanager.yml"
    src = cfg.repo / "alertmanager"
    subprocess.run(
        ["sh", str(src / "render-config.sh"), str(src / "alertmanager.yml"), str(path)],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ALERT_WEBHOOK_URL": webhook_url},
        check=True,
        capture_output=True,
        text=True,
    )
    config = yaml.safe_load(path.read_text())
    for route in [config["route"], *config["route"].get("routes", [])]:
        route.update(group_wait="1s", group_interval="5s")
    path.write_text(
        "# Rendered by scripts/stack/render.py from alertmanager/alertmanager.yml.\n"
        + yaml.safe_dump(config, sort_keys=False)
    )
    return path


_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(duration: str) -> float:
    """A Prometheus duration (15s, 2m, 1h30m) in seconds."""
    total, number = 0.0, ""
    text = str(duration)
    i = 0
    while i < len(text):
        if text[i].isdigit() or text[i] == ".":
            number += text[i]
            i += 1
            continue
        unit = "ms" if text.startswith("ms", i) else text[i]
        if unit not in _UNITS or not number:
            raise ValueError(f"not a duration: {duration!r}")
        total += float(number) * _UNITS[unit]
        number = ""
        i += len(unit)
    if number:
        raise ValueError(f"not a duration (no unit): {duration!r}")
    return total


def _replace_once(text: str, old: str, new: str) -> str:
    # A silent no-op would render a config that still points at container paths.
    if text.count(old) != 1:
        raise RuntimeError(f"expected exactly one {old!r} in the config to render")
    return text.replace(old, new)
