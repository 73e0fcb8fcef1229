"""The filesystem broker of `make run`: a consumer polling the queue folder while a
message is being written never sees it half-written (kombu's own transport shows it
empty, and the worker dies on the JSONDecodeError)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from queue import Empty

import pytest
from kombu import Connection
from kombu.utils.json import dumps as kombu_dumps

from common import filesystem_broker

MAIN_SERVER = Path(__file__).resolve().parents[2]


@pytest.fixture
def channel(tmp_path):
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "store_processed": False}
    with Connection("filesystem://", transport=filesystem_broker.Transport, transport_options=options) as conn:
        yield conn.default_channel


def test_a_message_is_invisible_until_it_is_whole(channel, tmp_path, monkeypatch):
    payload = {"body": "x" * 100_000, "headers": {"id": "1"}}
    seen_while_writing = []

    def dumps_then_poll(obj):
        # The fault: a worker polls the folder while the producer is mid-write.
        data = kombu_dumps(obj)
        try:
            seen_while_writing.append(channel._get("jobs"))
        except Empty:
            seen_while_writing.append("Empty")
        return data

    monkeypatch.setattr(filesystem_broker, "dumps", dumps_then_poll)
    channel._put("jobs", payload)
    assert seen_while_writing == ["Empty"]  # not a JSONDecodeError, not a message
    assert channel._get("jobs") == payload  # then the whole message, once
    assert os.listdir(tmp_path) == []


def test_messages_go_to_their_own_queue(channel):
    for i in range(3):
        channel._put("jobs", {"n": i})
    channel._put("maintenance", {"n": "m"})
    assert channel._size("jobs") == 3
    assert sorted(channel._get("jobs")["n"] for _ in range(3)) == [0, 1, 2]
    assert channel._get("maintenance") == {"n": "m"}


def test_make_run_settings_select_it(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.django.base", "DATA_DIR": str(tmp_path),
           "CELERY_BROKER_URL": "filesystem://", "PYTHONPATH": str(MAIN_SERVER)}
    code = ("import django; django.setup(); from config.celery import app; "
            "c = app.connection_for_write(); print(type(c.transport).__module__)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "common.filesystem_broker", out.stderr[-2000:]
