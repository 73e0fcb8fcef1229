"""Template pictures kept decoded and ready to paste, by template key.

A template key is the content hash of a template's seven cut-outs (``template_key``;
main_server's ``common.ai_client.template_key`` computes the same, a test checks both
agree). The worker composes by key alone; a worker process that has the pictures
answers from memory, one that has not (first use, evicted, restarted) says so and the
worker resends the pictures once, with the key, which fills the cache again.

The cache is a per-process LRU bounded by the bytes of the arrays it holds
(``AI_TEMPLATE_CACHE_MB``): a template of seven 512 px RGBA pictures takes ~7 MB.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from ai_server.classifiers.base import EMOTIONS
from ai_server.pipeline.compose import as_rgba, visible_crop

Pictures = dict[str, np.ndarray]


def template_key(pictures: Mapping[str, bytes]) -> str:
    """sha256 over the seven files in EMOTIONS order, each prefixed by its emotion and length."""
    digest = hashlib.sha256()
    for emotion in EMOTIONS:
        data = pictures[emotion]
        digest.update(f"{emotion}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def ready_to_paste(pixels: np.ndarray) -> np.ndarray:
    """RGBA cropped to the visible part: what compose works from, made once per template."""
    return np.ascontiguousarray(visible_crop(as_rgba(pixels)))


class TemplateCache:
    """Thread-safe LRU of key → decoded pictures, capped by their total bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self._entries: OrderedDict[str, tuple[Pictures, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self.hits = self.misses = self.evictions = 0

    def get(self, key: str) -> Pictures | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: str, pictures: Pictures) -> None:
        size = sum(int(p.nbytes) for p in pictures.values())
        if size > self.max_bytes:
            return  # larger than the whole cache: used for this request only
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._entries[key] = (pictures, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, freed) = self._entries.popitem(last=False)
                self.bytes -= freed
                self.evictions += 1

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "templates": len(self._entries), "bytes": self.bytes, "max_bytes": self.max_bytes,
                "hits": self.hits, "misses": self.misses, "evictions": self.evictions,
            }
