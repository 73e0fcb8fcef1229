"""Choose each classifier's crop, its test-time views and the ensemble's calibration
on FER2013 PublicTest (without disgust) -- never on anything else.

Protocol (the one the service is judged by): each 48x48 face is upscaled to 144x144
(bicubic) and given to the classifier as an RGB picture with the whole picture as
the face box. Every classifier is the service's own (ai_server.classifiers), so
the numbers are the service's numbers. Runs in the service's .venv (no PyTorch):

    .venv/bin/python -m training.expression evaluate --data <npz> --cache <dir>

Predictions are cached per classifier and box growth in <cache>/<name>/ (delete a
classifier's directory after retraining it); the summary goes to <cache>/summary.json.
"""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import numpy as np
from PIL import Image

from ai_server.classifiers import REGISTRY
from ai_server.classifiers.base import EMOTIONS, VIEW_SETS, View
from ai_server.pipeline.classify import mirror_boxes

SIDE = 144
GROWS = {"fer": (-0.12, -0.08, -0.04, 0.0), "human": (-0.04, 0.0, 0.04, 0.08), "vgg48": (-0.04, 0.0, 0.04)}
# every view any set uses, in one order; a set's score is the mean over its members
ALL_VIEWS: tuple[View, ...] = tuple(dict.fromkeys(v for vs in VIEW_SETS.values() for v in vs))
FEAR = EMOTIONS.index("fear")
FEAR_TARGET = 0.52  # 0.50 asked for, with a margin for the held-out split


def load(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:
        if tuple(str(c) for c in z["classes"]) != EMOTIONS:
            raise ValueError("class order differs from the service's EMOTIONS")
        return z["x_val"], z["y_val"].astype(np.int64)


def upscale(face: np.ndarray) -> np.ndarray:
    big = Image.fromarray(face).resize((SIDE, SIDE), Image.Resampling.BICUBIC).convert("RGB")
    return np.asarray(big)


def predictions(clf, faces: np.ndarray, grow: float) -> np.ndarray:
    """(N, len(ALL_VIEWS), 7): each view's flip-averaged probabilities."""
    box = (0, 0, SIDE, SIDE)
    boxes = [v.apply(box, grow) for v in ALL_VIEWS]
    mirrored = mirror_boxes(boxes, SIDE)
    out = np.empty((len(faces), len(ALL_VIEWS), 7), dtype=np.float32)
    for i, face in enumerate(faces):
        rgb = upscale(face)
        flipped = np.ascontiguousarray(rgb[:, ::-1])
        out[i] = (clf.predict(rgb, boxes) + clf.predict(flipped, mirrored)) / 2
    return out


def cached(cache: Path, name: str, grow: float, faces: np.ndarray, clf_box: list) -> np.ndarray:
    path = cache / name / f"grow{grow:+.2f}.npy"
    if path.exists():
        return np.load(path)
    if not clf_box:
        clf_box.append(REGISTRY[name](None, 2))  # both cores, as AI_CLASSIFIER_THREADS' default
    started = time.time()
    preds = predictions(clf_box[0], faces, grow)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, preds)
    print(f"  {name} grow {grow:+.2f}: {time.time() - started:.0f} s", flush=True)
    return preds


def view_set(preds: np.ndarray, name: str) -> np.ndarray:
    idx = [ALL_VIEWS.index(v) for v in VIEW_SETS[name]]
    return preds[:, idx].mean(axis=1)


def score(probs: np.ndarray, y: np.ndarray) -> dict:
    pred = probs.argmax(1)
    return {"acc": round(float((pred == y).mean()), 4),
            "fear": round(float((pred[y == FEAR] == FEAR).mean()), 4)}


def calibrate(probs: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, dict]:
    """Per-emotion weights by coordinate search: the best accuracy with fear recall
    at least FEAR_TARGET (weights on a 0.05 grid, disgust untouched: PublicTest has none)."""
    def objective(w: np.ndarray) -> tuple[float, float]:
        s = score(probs * w, y)
        return (s["fear"] >= FEAR_TARGET, s["acc"] + 0.1 * min(s["fear"], FEAR_TARGET))

    w = np.ones(7)
    best = objective(w)
    grid = np.round(np.arange(0.5, 2.51, 0.05), 2)
    for _ in range(4):
        improved = False
        for c in (0, 2, 3, 4, 5, 6):
            for value in grid:
                trial = w.copy()
                trial[c] = value
                o = objective(trial)
                if o > best:
                    best, w, improved = o, trial, True
        if not improved:
            break
    w = w / w[EMOTIONS.index("neutral")]
    return np.round(w, 3), score(probs * w, y)


MEMBER_GRID = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
MEMBER_MARGIN = 0.003
VIEW_MARGIN = 0.002


def member_weights(members: list[np.ndarray], y: np.ndarray) -> tuple[tuple[float, ...], dict]:
    """Each classifier's weight in the average (the first fixed at 1): the grid point
    with the best accuracy, if it beats the plain average by MEMBER_MARGIN (less is
    noise on 3 533 faces: keep the plain average)."""
    best_w = (1.0,) * len(members)
    best = score(np.average(members, axis=0, weights=best_w), y)
    for rest in itertools.product(MEMBER_GRID, repeat=len(members) - 1):
        w = (1.0, *rest)
        s = score(np.average(members, axis=0, weights=w), y)
        if s["acc"] > best["acc"] + (MEMBER_MARGIN if best_w == (1.0,) * len(members) else 0):
            best_w, best = w, s
    return best_w, best


def run(data_path: Path, cache: Path, names: list[str]) -> dict:
    x, y = load(data_path)
    summary: dict = {"faces": len(y), "classifiers": {}, "ensembles": {}}
    chosen: dict[str, np.ndarray] = {}
    for name in names:
        box: list = []
        per_grow = {g: cached(cache, name, g, x, box) for g in GROWS.get(name, (0.0,))}
        table = {f"{g:+.2f}/{vs}": score(view_set(p, vs), y)
                 for g, p in per_grow.items() for vs in VIEW_SETS}
        best_single = max((k for k in table if k.endswith("/single")), key=lambda k: table[k]["acc"])
        top = max(table[k]["acc"] for k in table)
        # every view costs a pass of the net: the fewest views within VIEW_MARGIN of the best
        best = min((k for k in table if table[k]["acc"] >= top - VIEW_MARGIN),
                   key=lambda k: (len(VIEW_SETS[k.split("/")[1]]), -table[k]["acc"]))
        g, vs = best.split("/")
        chosen[name] = view_set(per_grow[float(g)], vs)
        summary["classifiers"][name] = {"best": best, "best_score": table[best],
                                        "best_single_crop": best_single, "table": table}
        print(f"{name}: best {best} {table[best]}; single crop {best_single} {table[best_single]}",
              flush=True)
    for k in range(1, len(names) + 1):
        for combo in itertools.combinations(names, k):
            members = [chosen[n] for n in combo]
            entry = {"plain": score(np.mean(members, axis=0), y)}
            if k >= 2:
                w, entry["weighted"] = member_weights(members, y)
                weights, s = calibrate(np.average(members, axis=0, weights=w), y)
                entry.update(members=list(w), emotions=weights.tolist(), calibrated=s)
            summary["ensembles"]["+".join(combo)] = entry
            print("+".join(combo), entry, flush=True)
    (cache / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary
