"""VGG48: a small VGG-style network for 48x48 greyscale faces.

Input: (N, 1, 48, 48) float, raw grey levels 0..255; the network standardises
them itself, so the exported graph needs no preprocessing beyond the resize.
Output: logits over the seven FER2013 classes (the service's EMOTIONS order).
"""

from __future__ import annotations

import torch
from torch import nn

MEAN = 129.4  # FER2013 Training split, grey levels
STD = 65.0
WIDTHS = (32, 64, 128, 256)


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class Vgg48(nn.Module):
    def __init__(self, classes: int = 7, widths: tuple[int, ...] = WIDTHS, dropout: float = 0.4):
        super().__init__()
        layers, cin = [], 1
        for w in widths:
            layers.append(_block(cin, w))
            cin = w
        self.features = nn.Sequential(*layers)  # 48 -> 3
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(cin * 3 * 3, 256),
            nn.BatchNorm1d(256),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(256, classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - MEAN) / STD
        return self.head(self.features(x))


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
