"""The rehearsal's webhook receiver: where Alertmanager's notifications land when
ALERT_WEBHOOK_URL is not set, so `make stack-check` can prove that an alert
travels Prometheus → Alertmanager → a receiver.

POST /<receiver>   Alertmanager's webhook JSON; kept in memory, one log line per alert
GET  /notifications  every notification received, oldest first, with its receipt time
    python -m scripts.stack.alert_receiver --port 18592
"""

from __future__ import annotations

import argparse
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger("alert_receiver")
MAX_BODY = 1 << 20


class Inbox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[dict] = []

    def add(self, path: str, payload: dict) -> None:
        with self._lock:
            self._items.append({"received_at": time.time(), "path": path, "payload": payload})
        for alert in payload.get("alerts", []):
            log.info(
                "notification receiver=%s status=%s alertname=%s severity=%s",
                payload.get("receiver"),
                alert.get("status"),
                alert.get("labels", {}).get("alertname"),
                alert.get("labels", {}).get("severity"),
            )

    def all(self) -> list[dict]:
        with self._lock:
            return list(self._items)


def make_server(host: str, port: int, inbox: Inbox) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # one line per alert instead
            pass

        def _reply(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._reply(413, {"error": "too large"})
                return
            try:
                payload = json.loads(self.rfile.read(length))
            except ValueError:
                self._reply(400, {"error": "not JSON"})
                return
            if not isinstance(payload, dict):
                self._reply(400, {"error": "not an Alertmanager notification"})
                return
            inbox.add(self.path, payload)
            self._reply(200, {"ok": True})

        def do_GET(self) -> None:
            if self.path == "/notifications":
                self._reply(200, inbox.all())
            elif self.path == "/healthz":
                self._reply(200, {"ok": True})
            else:
                self._reply(404, {"error": "not found"})

    return ThreadingHTTPServer((host, port), Handler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scripts.stack.alert_receiver")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    server = make_server(args.host, args.port, Inbox())
    log.info("listening on %s:%s", args.host, args.port)
    server.serve_forever()


if __name__ == "__main__":
    main()
