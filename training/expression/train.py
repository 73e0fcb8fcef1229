"""Train VGG48 on FER2013 Training; choose the checkpoint on PublicTest (no disgust).

Resumable: every epoch writes <out>/last.pt (model, EMA, optimiser, RNG states);
the best EMA accuracy on PublicTest so far is kept in <out>/best.pt. Each epoch
appends one JSON line to <out>/log.jsonl. Seeded: the same command and thread
count give the same weights.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from training.expression import data
from training.expression.net import Vgg48, parameter_count
from training.expression.train_config import TrainConfig


def _lr(cfg: TrainConfig, step: int, steps_per_epoch: int) -> float:
    t = step / steps_per_epoch
    if t < cfg.warmup_epochs:
        return cfg.lr * t / cfg.warmup_epochs
    p = (t - cfg.warmup_epochs) / max(1e-9, cfg.epochs - cfg.warmup_epochs)
    return 0.5 * cfg.lr * (1 + math.cos(math.pi * min(1.0, p)))


@torch.no_grad()
def evaluate(model: torch.nn.Module, x: np.ndarray, y: np.ndarray, flip: bool = True) -> dict:
    model.eval()
    probs = []
    for i in range(0, len(x), 512):
        xb = torch.from_numpy(x[i : i + 512]).float().unsqueeze(1)
        p = F.softmax(model(xb), 1)
        if flip:
            p = (p + F.softmax(model(torch.flip(xb, dims=[3])), 1)) / 2
        probs.append(p)
    pred = torch.cat(probs).argmax(1).numpy()
    per_class = {
        data.CLASSES[c]: float((pred[y == c] == c).mean()) for c in range(7) if (y == c).any()
    }
    return {"acc": float((pred == y).mean()), "per_class": per_class}


def train(data_path: Path, out: Path, cfg: TrainConfig, threads: int) -> Path:
    torch.set_num_threads(threads)
    out.mkdir(parents=True, exist_ok=True)
    arrays = data.load(data_path)
    x_train = torch.from_numpy(arrays["x_train"]).float().unsqueeze(1)
    y_train = torch.from_numpy(arrays["y_train"].astype(np.int64))
    x_val, y_val = arrays["x_val"], arrays["y_val"].astype(np.int64)

    torch.manual_seed(cfg.seed)
    model = Vgg48().to(memory_format=torch.channels_last)  # oneDNN's fast layout
    ema = copy.deepcopy(model)
    opt = torch.optim.SGD(
        model.parameters(), lr=cfg.lr, momentum=cfg.momentum, nesterov=True,
        weight_decay=cfg.weight_decay,
    )
    gen = torch.Generator().manual_seed(cfg.seed)
    start, best = 0, 0.0
    last = out / "last.pt"
    if last.exists():
        ck = torch.load(last, weights_only=False)
        if ck["config"] != dataclasses.asdict(cfg):
            raise SystemExit(f"{last} was trained with {ck['config']}; refusing to mix settings")
        model.load_state_dict(ck["model"])
        ema.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        gen.set_state(ck["gen"])
        torch.set_rng_state(ck["torch_rng"])
        start, best = ck["epoch"], ck["best"]
        print(f"resumed after epoch {start} (best {best:.4f})", flush=True)
    else:
        print(f"VGG48, {parameter_count(model):,} parameters, {len(x_train)} faces", flush=True)

    steps_per_epoch = len(x_train) // cfg.batch
    for epoch in range(start, cfg.epochs):
        t0 = time.time()
        model.train()
        total, correct, seen = 0.0, 0, 0
        for k, idx in enumerate(data.batches(len(x_train), cfg.batch, gen)):
            step = epoch * steps_per_epoch + k
            for g in opt.param_groups:
                g["lr"] = _lr(cfg, step, steps_per_epoch)
            xb = data.augment(x_train[idx], gen).contiguous(memory_format=torch.channels_last)
            yb = y_train[idx]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
                logits = model(xb)
            loss = F.cross_entropy(logits.float(), yb, label_smoothing=cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                d = min(cfg.ema_decay, (1 + step) / (10 + step))
                for pe, pm in zip(ema.parameters(), model.parameters(), strict=True):
                    pe.mul_(d).add_(pm.detach(), alpha=1 - d)
                for be, bm in zip(ema.buffers(), model.buffers(), strict=True):
                    be.copy_(bm)
            total += loss.item() * len(idx)
            correct += int((logits.argmax(1) == yb).sum())
            seen += len(idx)
        val = evaluate(model, x_val, y_val)
        val_ema = evaluate(ema, x_val, y_val)
        record = {
            "epoch": epoch + 1, "seconds": round(time.time() - t0, 1),
            "lr": round(opt.param_groups[0]["lr"], 6),
            "train_loss": round(total / seen, 4), "train_acc": round(correct / seen, 4),
            "val_acc": round(val["acc"], 4), "val_acc_ema": round(val_ema["acc"], 4),
            "val_per_class_ema": {k: round(v, 3) for k, v in val_ema["per_class"].items()},
        }
        ck = {
            "config": dataclasses.asdict(cfg), "epoch": epoch + 1, "best": best,
            "model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(),
            "gen": gen.get_state(), "torch_rng": torch.get_rng_state(),
        }
        if val_ema["acc"] > best:
            best = ck["best"] = val_ema["acc"]
            torch.save({"config": ck["config"], "epoch": epoch + 1, "val": val_ema,
                        "model": ema.state_dict()}, out / "best.pt")
            record["best"] = True
        torch.save(ck, out / "last.tmp")
        (out / "last.tmp").replace(last)
        with open(out / "log.jsonl", "a") as f:
            f.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)
    return out / "best.pt"
