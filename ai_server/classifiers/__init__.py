"""Registry of expression classifiers, selected by ``AI_EMOTION_MODELS`` (comma list).

Each entry builds one classifier (once per process); see base.py for the interface.
"""

from __future__ import annotations

from collections.abc import Callable

from ai_server.classifiers.base import EMOTIONS, Classifier


def _fer() -> Classifier:
    from ai_server.classifiers.fer_model import FerClassifier

    return FerClassifier()


def _human() -> Classifier:
    from ai_server.classifiers.human import HumanEmotionClassifier

    return HumanEmotionClassifier()  # model under $MODELS_DIR/human, put there by `make models`


REGISTRY: dict[str, Callable[[], Classifier]] = {
    "fer": _fer,
    "human": _human,
}


def load_classifiers(names: list[str]) -> list[Classifier]:
    unknown = [n for n in names if n not in REGISTRY]
    if unknown or not names:
        raise ValueError(f"Unknown emotion model(s) {unknown or names}; choose from {sorted(REGISTRY)}")
    return [REGISTRY[n]() for n in names]


__all__ = ["EMOTIONS", "REGISTRY", "Classifier", "load_classifiers"]
