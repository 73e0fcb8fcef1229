"""`make stack-check`: the whole rehearsal stack for the session, stopped at the
end whatever happens (pytest finalizers run on failures and on Ctrl-C)."""

from __future__ import annotations

import dataclasses
import logging
import os

import pytest

from scripts.stack import procs, stack
from scripts.stack.config import StackConfig
from tests.deploy.conftest import free_stack_config


def _config() -> StackConfig:
    cfg = StackConfig.from_env()
    if not os.environ.get("STACK_PORT_BASE") and not all(
        procs.port_free(p) for p in cfg.all_ports()
    ):
        # Our range is taken (a `make stack` left running?): any free block, and a state
        # directory of its own so that stack's state.json stays untouched.
        cfg = free_stack_config(cfg.state_dir.with_name("stack-check"))
    # The check runs its own webhook receiver: alerts go there, whatever ALERT_WEBHOOK_URL says.
    return dataclasses.replace(cfg, alert_webhook_url="")


@pytest.fixture(scope="session")
def stack_cfg():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    cfg = _config()
    stack.up(cfg)  # on a failed start it has already stopped what it started
    try:
        yield cfg
    finally:
        stack.down(cfg)
