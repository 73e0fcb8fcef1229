"""Registry of expression classifiers, selected by ``AI_EMOTION_MODELS`` (comma list).

Each entry builds one classifier (once per process); see base.py for the interface.
"""

from __future__ import annotations

from collections.abc import Callable
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


def load_classifiers(names: list[str], models_dir: Path | None = None) -> list[Classifier]:
    unknown = [n for n in names if n not in REGISTRY]
    if unknown or not names:
        raise ValueError(f"Unknown emotion model(s) {unknown or names}; choose from {sorted(REGISTRY)}")
    return [REGISTRY[n](models_dir) for n in names]


__all__ = ["EMOTIONS", "REGISTRY", "Classifier", "load_classifiers"]
