"""Train the agent-behaviour model (``make behaviour-model``): one logistic layer per behaviour.

Trained on the agent turns we wrote ourselves, development files only
(``data/agent_behaviours/*_dev*.jsonl``; the ``*_test`` files are held out and refused here).
Features: those the detector reads (``BehaviourDetector.features``): the turn's n-grams, per
behaviour whether its phrases matched, and what the turn shares with the customer's turn before it.
Each behaviour's threshold is the one at which "phrases match, or the model is at least that sure"
gives the best F1 on turns of a development set the model did not train on (one fold per set:
``fr_dev3`` and ``en_dev3`` are held out together): what must hold is reading writers the model has
never seen, and random folds would share a writer's wording.
Deterministic: the same files give the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_predict

from ressenti.analysis.api import default_engine
from ressenti.conversation.behaviours import BEHAVIOUR_MODEL, BEHAVIOURS, BehaviourDetector, CustomerContext

MIN_COUNT = 2  # an n-gram seen in fewer turns is left out
FEATURES = "ngrams+patterns+shares"  # what BehaviourDetector.features gives; say so when it changes
C = 0.5
FOLDS = 5  # a behaviour needs at least this many examples to be trained
THRESHOLDS = np.round(np.arange(0.3, 0.96, 0.05), 2)
MODELS = Path(__file__).resolve().parents[1] / "models"


def training_files(folder: Path) -> list[Path]:
    """The development files; a held-out test file may never train the model."""
    files = sorted(path for path in folder.glob("*_dev*.jsonl") if "_test" not in path.name)
    if not files:
        raise SystemExit(f"no development file (*_dev*.jsonl) in {folder}")
    return files


def writer_set(file: Path) -> str:
    """The development set a file belongs to, whatever its language: ``fr_dev3.jsonl`` → ``dev3``."""
    return file.stem.split("_", 1)[-1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("data/agent_behaviours"))
    parser.add_argument("--out", type=Path, default=MODELS / BEHAVIOUR_MODEL)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    engine = default_engine()
    detector = BehaviourDetector(engine.rules, use_model=False)
    rows, texts, groups = [], [], []
    for file in training_files(args.data):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
                groups.append(writer_set(file))
        texts.append(file.read_bytes())
    customers = [str(row.get("customer") or "") for row in rows]
    readings = engine.analyze_batch(customers, [row.get("lang") for row in rows])
    features: list[frozenset[str]] = []
    labels = np.zeros((len(rows), len(BEHAVIOURS)), dtype=np.int8)
    for index, (row, customer, reading) in enumerate(zip(rows, customers, readings, strict=True)):
        context = CustomerContext(churn_threat=reading.signals["churn_threat"].value, texts=(customer,))
        features.append(detector.features(row["agent"], row.get("lang"), context).names)
        for name in row["behaviours"]:
            labels[index, BEHAVIOURS.index(name)] = 1
    counts: dict[str, int] = {}
    for found in features:
        for gram in found:
            counts[gram] = counts.get(gram, 0) + 1
    vocabulary = sorted(
        g for g, n in counts.items() if n >= MIN_COUNT or g.startswith(("pattern:", "shares:"))
    )
    index_of = {g: i for i, g in enumerate(vocabulary)}
    data, cols, indptr = [], [], [0]
    for found in features:
        chosen = sorted(index_of[g] for g in found if g in index_of)
        cols.extend(chosen)
        data.extend([1.0] * len(chosen))
        indptr.append(len(cols))
    matrix = csr_matrix((data, cols, indptr), shape=(len(rows), len(vocabulary)))
    weights = np.zeros((len(vocabulary), len(BEHAVIOURS)), dtype=np.float32)
    bias = np.zeros(len(BEHAVIOURS), dtype=np.float32)
    thresholds = np.ones(len(BEHAVIOURS), dtype=np.float32)
    report: dict[str, dict[str, float]] = {}
    for column, name in enumerate(BEHAVIOURS):
        target = labels[:, column]
        if target.sum() < FOLDS:
            continue
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        folds = GroupKFold(n_splits=len(set(groups)))
        held_out = cross_val_predict(model, matrix, target, cv=folds, groups=groups, method="predict_proba")[
            :, 1
        ]
        pattern = np.array([f"pattern:{name}" in found for found in features])
        best = (-1.0, 1.0, 0.0, 0.0)
        for threshold in THRESHOLDS:
            predicted = pattern | (held_out >= threshold)
            tp = float((predicted & (target == 1)).sum())
            precision = tp / max(1.0, float(predicted.sum()))
            recall = tp / max(1.0, float(target.sum()))
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            if f1 > best[0]:
                best = (f1, float(threshold), precision, recall)
        model.fit(matrix, target)
        weights[:, column] = model.coef_[0]
        bias[column] = model.intercept_[0]
        thresholds[column] = best[1]
        report[name] = {
            "threshold": best[1],
            "cv_f1": round(best[0], 3),
            "cv_p": round(best[2], 3),
            "cv_r": round(best[3], 3),
        }
    # The version changes with the data and with how it is read: features, settings, fold scheme.
    settings = json.dumps({"C": C, "min_count": MIN_COUNT, "features": FEATURES, "folds": "per set"})
    digest = hashlib.sha256(b"".join(texts) + settings.encode()).hexdigest()[:10]
    meta = {
        "version": f"behaviours-{digest}",
        "trained_on": [p.name for p in training_files(args.data)],
        "rows": len(rows),
        "vocabulary": len(vocabulary),
        "min_count": MIN_COUNT,
        "C": C,
        "thresholds_chosen_on": "one development set held out at a time",
        "cross_validated": report,
    }
    np.savez_compressed(
        args.out,
        vocabulary=np.array("\n".join(vocabulary)),
        weights=weights.astype(np.float16),
        bias=bias,
        thresholds=thresholds,
        meta=np.array(json.dumps(meta)),
    )
    args.out.with_suffix(".json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    elapsed = time.perf_counter() - started
    print(f"{meta['version']}: {len(rows)} turns, {len(vocabulary)} features → {args.out} ({elapsed:.0f} s)")
    for name, scores in report.items():
        cv = f"cross-validated P {scores['cv_p']:.2f} R {scores['cv_r']:.2f}"
        print(f"  {name:<18} threshold {scores['threshold']:.2f}  {cv}", file=sys.stdout)


if __name__ == "__main__":
    main()
