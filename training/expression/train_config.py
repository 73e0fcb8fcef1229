"""Training settings (no PyTorch import: the CLI reads them to build its options)."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    epochs: int = 24
    batch: int = 128
    lr: float = 0.05
    momentum: float = 0.9
    weight_decay: float = 5e-4
    label_smoothing: float = 0.1
    warmup_epochs: float = 1.0
    ema_decay: float = 0.999
    seed: int = 20261130
    bf16: bool = False  # autocast: slower than float32 channels-last on this 2-core machine
