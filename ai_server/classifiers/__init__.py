"""Registry of expression classifiers, selected by ``AI_EMOTION_MODELS`` (comma list).

Each entry builds one classifier (once per process); see base.py for the interface.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ai_server.classifiers.base import EMOTIONS, Classifier


def _fer(models_dir: Path | None = None) -> Classifier:
    from ai_server.classifiers.fer_model import FerClassifier

    return FerClassifier()


def _human(models_dir: Path | None = None) -> Classifier:
    from ai_server.classifiers.human import HumanEmotionClassifier

    # model under <models_dir>/human, put there by `make models`
    return HumanEmotionClassifier(models_dir)


# Each builder takes the models directory (AI_MODELS_DIR); FER's model ships in its package.
REGISTRY: dict[str, Callable[[Path | None], Classifier]] = {
    "fer": _fer,
    "human": _human,
}


@dataclass(frozen=True)
class Calibration:
    """How one ensemble's scores are combined, chosen on FER2013 PublicTest by
    training/expression/evaluate.py (docs/expression-models.md).

    members: each classifier's weight in the average (AI_EMOTION_MODELS order);
    emotions: per-emotion weights (EMOTIONS order) applied to that average before it
    is renormalised, so that fear, the class the models under-call, is found at
    least half the time without losing accuracy.
    """

    members: tuple[float, ...]
    emotions: tuple[float, ...]


# Keyed by the ensemble, in AI_EMOTION_MODELS order; other ensembles get a plain average.
CALIBRATION: dict[tuple[str, ...], Calibration] = {
    # PublicTest: plain 0.6861 (fear 0.427) -> 0.6870 (fear 0.522)
    ("fer", "human"): Calibration(members=(1.0, 1.0), emotions=(0.9, 1.0, 1.4, 0.65, 1.0, 1.05, 1.0)),
}


def calibration_for(names: list[str] | tuple[str, ...]) -> Calibration | None:
    return CALIBRATION.get(tuple(names))


def load_classifiers(names: list[str], models_dir: Path | None = None) -> list[Classifier]:
    unknown = [n for n in names if n not in REGISTRY]
    if unknown or not names:
        raise ValueError(f"Unknown emotion model(s) {unknown or names}; choose from {sorted(REGISTRY)}")
    return [REGISTRY[n](models_dir) for n in names]


__all__ = ["CALIBRATION", "Calibration", "EMOTIONS", "REGISTRY", "Classifier", "calibration_for", "load_classifiers"]
