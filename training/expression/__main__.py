"""python -m training.expression {train,export,evaluate} --help"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m training.expression")
    sub = p.add_subparsers(dest="cmd", required=True)

    t = sub.add_parser("train", help="train VGG48 (resumable from <out>/last.pt)")
    t.add_argument("--data", type=Path, required=True, help="fer2013_train_publictest.npz")
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--threads", type=int, default=2)
    from training.expression.train_config import TrainConfig

    for f in dataclasses.fields(TrainConfig):
        flag = f"--{f.name.replace('_', '-')}"
        if isinstance(f.default, bool):
            t.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default)
        else:
            t.add_argument(flag, type=type(f.default), default=f.default)

    e = sub.add_parser("export", help="best.pt -> ONNX (float16 weights) + manifest.json")
    e.add_argument("--checkpoint", type=Path, required=True)
    e.add_argument("--out", type=Path, required=True)
    e.add_argument("--which", choices=("model", "ema"), default="model",
                   help="best.pt: model (its EMA weights); last.pt: model (live) or ema")
    e.add_argument("--data", type=Path, help="measure PublicTest accuracy again for the manifest")

    v = sub.add_parser("evaluate", help="choose crops, test-time views and calibration on PublicTest")
    v.add_argument("--data", type=Path, required=True)
    v.add_argument("--cache", type=Path, required=True)
    v.add_argument("--classifiers", default="fer,human,vgg48")

    a = p.parse_args(argv)
    if a.cmd == "train":
        from training.expression.train import train

        cfg = TrainConfig(**{f.name: getattr(a, f.name) for f in dataclasses.fields(TrainConfig)})
        train(a.data, a.out, cfg, a.threads)
    elif a.cmd == "export":
        from training.expression.export import export

        export(a.checkpoint, a.out, a.which, a.data)
    else:
        from training.expression.evaluate import run

        run(a.data, a.cache, a.classifiers.split(","))


if __name__ == "__main__":
    main()
