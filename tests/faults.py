"""Fault injection for the cross-process tests, always at the edges of the
system under test, never inside it:

- `TcpProxy`: a private TCP proxy in front of a shared service (PostgreSQL,
  RabbitMQ, an ai_server). `stop()` refuses new connections and cuts the open
  ones (what a server restart looks like to its clients); `start()` brings it
  back on the same port. The shared services themselves are never touched.
- `AiEdge`: an HTTP stand-in in front of the real ai_server that proxies every
  call, and can hold one call (so a worker can be killed mid-job) or kill the
  worker process that sent a poisoned photo (a job that kills its worker).
"""

from __future__ import annotations

import http.client
import io
import os
import select
import signal
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOLD_LIMIT = 60.0  # a held call never waits longer than this, whatever happens


class TcpProxy:
    def __init__(self, target_port: int, *, target_host: str = "127.0.0.1", port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.port = port
        self._listener: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.start()

    @property
    def up(self) -> bool:
        return self._listener is not None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
            except OSError:
                pass
            listener.close()
        with self._lock:
            conns, self._conns = self._conns, set()
        for conn in conns:
            _abort(conn)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _abort(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # stopped meanwhile
                    _abort(client)
                    _abort(upstream)
                    return
                self._conns |= {client, upstream}
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        try:
            while True:
                readable, _, _ = select.select([a, b], [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
                with self._lock:
                    if a not in self._conns:
                        return
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                self._conns -= {a, b}
            _abort(a)
            _abort(b)


def _abort(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


# ---------------------------------------------------------------- ai_server edge
class AiEdge(ThreadingHTTPServer):
    """Proxies to the real ai_server. `hold_first_compose` (or `arm_hold()`):
    the next /v1/compose waits until `release` is set (then is answered only
    if its caller still listens). `poisoned(body) -> bool`: for a matching compose,
    the calling process is killed with SIGKILL instead of answered."""

    daemon_threads = True

    def __init__(self, upstream_port: int, *, hold_first_compose: bool = False,
                 poisoned: Callable[[bytes], bool] | None = None) -> None:  # fmt: skip
        super().__init__(("127.0.0.1", 0), _EdgeHandler)
        self.upstream_port = upstream_port
        self.poisoned = poisoned
        self.held = threading.Event()
        self.release = threading.Event()
        self._hold_armed = hold_first_compose
        self.compose_calls = 0
        self.killed: list[tuple[int, float]] = []  # (pid, monotonic time)
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, name="ai-edge", daemon=True)
        self._thread.start()

    def arm_hold(self) -> None:
        """Hold the next /v1/compose until `release` is set."""
        with self.lock:
            self.held.clear()
            self.release.clear()
            self._hold_armed = True

    def _take_hold(self) -> bool:
        with self.lock:
            armed, self._hold_armed = self._hold_armed, False
            return armed

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


class _EdgeHandler(BaseHTTPRequestHandler):
    server: AiEdge
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._proxy(b"")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/v1/compose"):
            with self.server.lock:
                self.server.compose_calls += 1
            if self.server.poisoned is not None and self.server.poisoned(body):
                pid = socket_owner_pid(self.client_address[1])
                if pid and pid != os.getpid():
                    self.server.killed.append((pid, time.monotonic()))
                    os.kill(pid, signal.SIGKILL)
                self.close_connection = True
                return
            if self.server._take_hold():
                self.server.held.set()
                self.server.release.wait(HOLD_LIMIT)
                if _peer_closed(self.connection):
                    self.close_connection = True
                    return  # the worker that asked is dead: nobody to answer
        self._proxy(body)

    def _proxy(self, body: bytes) -> None:
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=120)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True
        finally:
            upstream.close()


def _peer_closed(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def socket_owner_pid(local_port: int) -> int | None:
    """The pid of the process that owns the TCP socket bound to 127.0.0.1:local_port."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                inodes.add(fields[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def photo_width(body: bytes) -> int | None:
    """Width of the `image` part of a multipart compose request."""
    from PIL import Image

    part = body.find(b'name="image"')  # the form fields (template_key, …) come first
    start = body.find(b"\r\n\r\n", part) if part >= 0 else -1
    if start < 0:
        return None
    try:
        return Image.open(io.BytesIO(body[start + 4 :])).width
    except Exception:  # noqa: BLE001 (not the picture part)
        return None


# ---------------------------------------------------------------- waiting
def wait_for(what: str, check: Callable[[], object], *, timeout: float, every: float = 0.5) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(every)


def report(fault: str, seconds: float) -> None:
    """Append a measured time-to-recovery to $IGEMOJI_FAULT_REPORT (JSON lines),
    for the figures in docs/reliability.md; tests assert only the bound."""
    path = os.environ.get("IGEMOJI_FAULT_REPORT")
    if path:
        import json

        with open(path, "a") as fh:
            fh.write(json.dumps({"fault": fault, "recovered_s": round(seconds, 1)}) + "\n")
