"""python -m scripts.stack up|down|status (make stack / make stack-stop)."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from scripts.stack import stack
from scripts.stack.config import StackConfig
from scripts.stack.procs import State


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.stack")
    parser.add_argument("command", choices=["up", "down", "status"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    cfg = StackConfig.from_env()
    if args.command == "up":
        try:
            stack.up(cfg)
        except (RuntimeError, OSError) as exc:
            logging.getLogger("stack").error("%s", exc)
            return 1
        print(stack.describe(cfg))  # CLI output
    elif args.command == "down":
        stack.down(cfg)
    else:
        status = {**State(cfg.state_file).data, "supervised": stack.supervisor_status(cfg).get("programs", {})}
        print(json.dumps(status, indent=2))  # CLI output
    return 0


if __name__ == "__main__":
    sys.exit(main())
