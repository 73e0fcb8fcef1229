"""kombu's filesystem transport (the broker of `make run`), with every message
written whole before a consumer can see it.

kombu's own ``_put`` creates ``<id>.<queue>.msg`` and then writes into it; a worker
polling the folder (every 0.05 s) can move and read the file in between, get an
empty payload, and die on the JSONDecodeError ("Unrecoverable error"; kombu issue
#1551) — the message lost and every task it was running cut short. Here the payload
goes to a file whose name no queue matches, then ``os.replace`` gives it its queue
name in one step. Selected by CELERY_BROKER_TRANSPORT when the broker URL is
``filesystem://`` (config/integrations/celery.py); the reading side is kombu's.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # "~<name>.part": _get only takes names whose part after the first dot is "<queue>.msg"
        partial = os.path.join(self.data_folder_out, f"~{name}.part")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
