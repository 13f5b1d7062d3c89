"""Train the agent-behaviour model (``make behaviour-model``): one logistic layer per behaviour.

Trained on the agent turns we wrote ourselves, development files only
(``data/agent_behaviours/*_dev*.jsonl``; the ``*_test`` files are held out and refused here).
Features: the turn's n-grams (``conversation.behaviours.turn_ngrams``) and, per behaviour, whether
its phrases matched. Each behaviour's threshold is chosen on cross-validated predictions, so that
"phrases match, or the model is at least that sure" gives the best F1 on turns it did not train on.
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
from sklearn.model_selection import cross_val_predict

from ressenti.analysis.engine import load_rules
from ressenti.conversation.behaviours import BEHAVIOUR_MODEL, BEHAVIOURS, BehaviourDetector, turn_ngrams

MIN_COUNT = 2  # an n-gram seen in fewer turns is left out
C = 0.5
FOLDS = 5
THRESHOLDS = np.round(np.arange(0.3, 0.96, 0.05), 2)
MODELS = Path(__file__).resolve().parents[1] / "models"


def training_files(folder: Path) -> list[Path]:
    """The development files; a held-out test file may never train the model."""
    files = sorted(path for path in folder.glob("*_dev*.jsonl") if "_test" not in path.name)
    if not files:
        raise SystemExit(f"no development file (*_dev*.jsonl) in {folder}")
    return files


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("data/agent_behaviours"))
    parser.add_argument("--out", type=Path, default=MODELS / BEHAVIOUR_MODEL)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    detector = BehaviourDetector(load_rules(), use_model=False)
    rows, texts = [], []
    for file in training_files(args.data):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
        texts.append(file.read_bytes())
    features: list[set[str]] = []
    labels = np.zeros((len(rows), len(BEHAVIOURS)), dtype=np.int8)
    for index, row in enumerate(rows):
        _, _, keys, _ = detector.rules.keys(row["agent"], row.get("lang"))
        table = detector.tables[row.get("lang") or "fr"]
        found = {gram for gram, _, _ in turn_ngrams(keys)}
        found |= {f"pattern:{name}" for name in table.find(keys)}
        features.append(found)
        for name in row["behaviours"]:
            labels[index, BEHAVIOURS.index(name)] = 1
    counts: dict[str, int] = {}
    for found in features:
        for gram in found:
            counts[gram] = counts.get(gram, 0) + 1
    vocabulary = sorted(g for g, n in counts.items() if n >= MIN_COUNT or g.startswith("pattern:"))
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
        held_out = cross_val_predict(model, matrix, target, cv=FOLDS, method="predict_proba")[:, 1]
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
    digest = hashlib.sha256(b"".join(texts)).hexdigest()[:10]
    meta = {
        "version": f"behaviours-{digest}",
        "trained_on": [p.name for p in training_files(args.data)],
        "rows": len(rows),
        "vocabulary": len(vocabulary),
        "min_count": MIN_COUNT,
        "C": C,
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
