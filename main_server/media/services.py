"""Deleting stored files (a user's photos when they expire or the account goes)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)


def media_delete(*, names: Iterable[str]) -> int:
    """Delete the named files; a file already gone counts as deleted (so a retry
    after a crash repeats nothing harmful). On a local disk the folder a file
    leaves empty (jobs/<id>/) goes too. Storage errors propagate: the caller's
    transaction then keeps the rows that point at the files, to try again."""
    deleted = 0
    for name in {n for n in names if n}:
        default_storage.delete(name)
        deleted += 1
        _remove_empty_folder(name)
    return deleted


def _remove_empty_folder(name: str) -> None:
    try:
        folder = os.path.dirname(default_storage.path(name))
    except NotImplementedError:  # object storage has no folders
        return
    try:
        os.rmdir(folder)
    except OSError:
        pass  # not empty (another file of the job), or already gone
