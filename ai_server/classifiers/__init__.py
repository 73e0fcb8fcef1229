"""Registry of expression classifiers, selected by ``AI_EMOTION_MODELS`` (comma list).

Each entry builds one classifier (once per process); see base.py for the interface.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ai_server.classifiers.base import EMOTIONS, Classifier


def _fer(models_dir: Path | None = None, threads: int = 1) -> Classifier:
    from ai_server.classifiers.fer_model import FerClassifier

    return FerClassifier()


def _human(models_dir: Path | None = None, threads: int = 1) -> Classifier:
    from ai_server.classifiers.human import HumanEmotionClassifier

    # model under <models_dir>/human, put there by `make models`
    return HumanEmotionClassifier(models_dir, threads=threads)


def _vgg48(models_dir: Path | None = None, threads: int = 1) -> Classifier:
    from ai_server.classifiers.vgg48 import Vgg48Classifier

    # trained in this repo (training/expression); weights committed in weights/vgg48
    return Vgg48Classifier(threads=threads)


# Each builder takes the models directory (AI_MODELS_DIR; FER's model ships in its package)
# and the threads one call may use (AI_CLASSIFIER_THREADS; the onnxruntime models).
REGISTRY: dict[str, Callable[..., Classifier]] = {
    "fer": _fer,
    "human": _human,
    "vgg48": _vgg48,
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
    # PublicTest: plain average 0.6912 (fear 0.413) -> 0.6971 (fear 0.524)
    ("fer", "human", "vgg48"): Calibration(
        members=(1.0, 1.0, 1.0), emotions=(1.0, 0.8, 1.12, 0.72, 0.72, 0.88, 1.0)),
    # PublicTest: plain average 0.6836 (fear 0.423) -> 0.6901 (fear 0.534)
    ("fer", "human"): Calibration(
        members=(1.0, 0.5), emotions=(1.059, 1.176, 1.588, 1.294, 1.176, 0.882, 1.0)),
}


def calibration_for(names: list[str] | tuple[str, ...]) -> Calibration | None:
    return CALIBRATION.get(tuple(names))


def load_classifiers(names: list[str], models_dir: Path | None = None) -> list[Classifier]:
    unknown = [n for n in names if n not in REGISTRY]
    if unknown or not names:
        raise ValueError(f"Unknown emotion model(s) {unknown or names}; choose from {sorted(REGISTRY)}")
    return [REGISTRY[n](models_dir) for n in names]


__all__ = ["CALIBRATION", "Calibration", "EMOTIONS", "REGISTRY", "Classifier", "calibration_for", "load_classifiers"]
