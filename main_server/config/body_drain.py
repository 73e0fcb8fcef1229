"""Read what the application left of a request body before the answer goes out.

An early answer to an upload — 401 without a token, 429 over the limit, 413 —
is decided before Django reads the body. gunicorn then drains at most 64 KiB
of it and closes a connection it has just announced as keep-alive; nginx,
which keeps its upstream connections alive, may already have sent the next
request down that connection, and answers that request 502. A client talking
to gunicorn directly may see a reset instead of the answer. Reading the rest
of the body here (it is already buffered by nginx, so this is fast) keeps the
connection sound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

CHUNK = 64 * 1024


class _CountingInput:
    """wsgi.input that remembers how much the application read."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size) if size is not None and size >= 0 else self._stream.read()
        self.consumed += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self._stream.readline(size) if size is not None and size >= 0 else self._stream.readline()
        self.consumed += len(data)
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        lines = self._stream.readlines(hint)
        self.consumed += sum(len(line) for line in lines)
        return lines

    def __iter__(self):
        for line in self._stream:
            self.consumed += len(line)
            yield line

    def discard(self, limit: int) -> None:
        while limit > 0:
            data = self._stream.read(min(CHUNK, limit))
            if not data:
                return
            limit -= len(data)


def drain_unread_body(app: Callable, *, max_bytes: int) -> Callable:
    """Wrap a WSGI app. Bodies up to `max_bytes` are drained; a bigger one is
    left for the server to cut off (nginx refuses those before they get here)."""

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length <= 0 and not chunked:
            return app(environ, start_response)
        stream = _CountingInput(environ["wsgi.input"])
        environ["wsgi.input"] = stream
        result = app(environ, start_response)
        left = max_bytes - stream.consumed if chunked else length - stream.consumed
        if 0 < left <= max_bytes:
            stream.discard(left)
        return result

    return wrapped
