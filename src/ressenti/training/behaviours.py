"""Train the agent-behaviour model (``make behaviour-model``): one logistic layer per behaviour.

Trained on the agent turns we wrote ourselves, development files only
(``data/agent_behaviours/*_dev*.jsonl``; the ``*_test`` files are held out and refused here).
Features: those the detector reads (``BehaviourDetector.features``): the turn's n-grams and where
they stand (first sentence, a question, last sentence), how many words it has, per behaviour whether
its phrases matched, and what the turn shares with the customer's turn before it, each scaled by its
naive-Bayes ratio for the behaviour (NB-SVM) before the logistic layer.
Per behaviour, the rule ("phrases match, or the model is at least that sure", or "the model alone is
at least that sure") and its threshold are those that give the best precision-and-recall (the weaker
of the two, as the floor reads them; then F1) on turns of a development set
the model did not train on (one fold per set: ``fr_dev3`` and ``en_dev3`` are held out together):
what must hold is reading writers the model has never seen, and random folds would share a writer's
wording.
Deterministic: the same files give the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from rich.progress import Progress
from scipy.sparse import csr_matrix, diags
from sklearn.linear_model import LogisticRegression

from ressenti.analysis.api import default_engine
from ressenti.conversation.behaviours import (
    BEHAVIOUR_MODEL,
    BEHAVIOUR_NAMES,
    BEHAVIOURS,
    BehaviourDetector,
    CustomerContext,
)
from ressenti.corpora import read_agent_turns
from ressenti.errors import RecordError

MIN_COUNT = 2  # an n-gram seen in fewer turns is left out
# What BehaviourDetector.features gives; say so when it changes.
FEATURES = "ngrams+placed+length+acronyms+patterns+shares+conflict"
C = 0.5
FOLDS = 5  # a behaviour needs at least this many examples to be trained
THRESHOLDS = np.round(np.arange(0.2, 0.96, 0.05), 2)
MODELS = Path(__file__).resolve().parents[1] / "models"
# How a behaviour is decided (``best_rule``).
RULE = "phrases or model, or model alone; best weaker of P and R"
WEIGHTING = "naive-bayes ratios"  # features scaled by how much likelier they are in the behaviour's turns


@dataclass(frozen=True)
class Rule:
    """How a behaviour is decided: the model's threshold, and whether phrase matches count without it."""

    threshold: float
    alone: bool
    f1: float
    precision: float
    recall: float


def nb_ratios(matrix: csr_matrix, target: np.ndarray) -> np.ndarray:
    """Per feature, the log ratio of its share among the behaviour's turns to its share among the others
    (add-one smoothed): scaling features by it before the logistic layer (NB-SVM, Wang & Manning 2012)
    lets rare but telling n-grams weigh from the start."""
    positive = np.asarray(matrix[target == 1].sum(axis=0)).ravel() + 1.0
    negative = np.asarray(matrix[target == 0].sum(axis=0)).ravel() + 1.0
    ratios: np.ndarray = np.log((positive / positive.sum()) / (negative / negative.sum()))
    return ratios


def fit(matrix: csr_matrix, target: np.ndarray, ratios: np.ndarray) -> LogisticRegression:
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    model.fit(matrix @ diags(ratios), target)
    return model


def best_rule(
    held_out: np.ndarray, phrases: np.ndarray, matched: np.ndarray, possible: np.ndarray, target: np.ndarray
) -> Rule:
    """The threshold, and phrases-or-model versus model alone, that give the best of precision and
    recall's weaker (then F1) on held-out turns, each decided as the detector does: ``phrases`` found it
    (checked), a phrase of it ``matched`` at all, the model may find it where ``possible``."""
    best = Rule(1.0, False, -1.0, 0.0, 0.0)
    for alone in (False, True):
        for threshold in THRESHOLDS:
            sure = (held_out >= threshold) & possible
            # Alone, the model must agree with a phrase, which must still pass its check.
            predicted = sure & (phrases | ~matched) if alone else phrases | sure
            tp = float((predicted & (target == 1)).sum())
            precision = tp / max(1.0, float(predicted.sum()))
            recall = tp / max(1.0, float(target.sum()))
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            # The floor is on both precision and recall: the weaker of the two decides, then F1.
            if (min(precision, recall), f1) > (min(best.precision, best.recall), best.f1):
                best = Rule(float(threshold), alone, f1, precision, recall)
    return best


def held_out_fold(matrix: csr_matrix, target: np.ndarray, test: np.ndarray) -> np.ndarray:
    """The probabilities of the ``test`` turns by a model trained on all the others."""
    train = ~test
    ratios = nb_ratios(matrix[train], target[train])
    model = fit(matrix[train], target[train], ratios)
    probabilities: np.ndarray = model.predict_proba(matrix[test] @ diags(ratios))[:, 1]
    return probabilities


def held_out_probabilities(matrix: csr_matrix, target: np.ndarray, sets: np.ndarray, jobs: int) -> np.ndarray:
    """Each turn's probability by a model trained without its development set (one set held out at a
    time), the folds fitted in ``jobs`` processes: the same figures whatever the number."""
    names = sorted(set(sets.tolist()))
    folds = Parallel(n_jobs=jobs)(delayed(held_out_fold)(matrix, target, sets == name) for name in names)
    held_out = np.zeros(matrix.shape[0])
    for name, probabilities in zip(names, folds, strict=True):
        held_out[sets == name] = probabilities
    return held_out


def training_files(folder: Path) -> list[Path]:
    """The development files; a held-out test file may never train the model."""
    files = sorted(path for path in folder.glob("*_dev*.jsonl") if "_test" not in path.name)
    if not files:
        raise SystemExit(f"no development file (*_dev*.jsonl) in {folder}")
    return files


def language_data() -> list[Path]:
    """Every language's ``behaviours.tsv`` (the phrase banks), ``signals.tsv`` (the customer signals a
    churn response needs) and ``stopwords.txt`` (the words a restatement is not compared on), in a fixed
    order: each shapes the features."""
    lang = Path(__file__).resolve().parents[1] / "lang"
    return sorted(
        [*lang.glob("*/behaviours.tsv"), *lang.glob("*/signals.tsv"), *lang.glob("*/stopwords.txt")]
    )


def writer_set(file: Path) -> str:
    """The development set a file belongs to, whatever its language: ``fr_dev3.jsonl`` → ``dev3``."""
    return file.stem.split("_", 1)[-1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("data/agent_behaviours"))
    parser.add_argument("--out", type=Path, default=MODELS / BEHAVIOUR_MODEL)
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes fitting the held-out folds"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be 1 or more, not {args.jobs}")
    started = time.perf_counter()
    engine = default_engine()
    detector = BehaviourDetector(engine.rules, use_model=False)
    rows, texts, groups = [], [], []
    files = training_files(args.data)  # once: a file that appears meanwhile is neither read nor listed
    for file in files:
        try:
            for _, row in read_agent_turns(file, BEHAVIOUR_NAMES):
                rows.append(row)
                groups.append(writer_set(file))
        except RecordError as error:  # a development file is ours to fix: say where, train nothing
            raise SystemExit(str(error)) from None
        texts.append(file.read_bytes())
    # The phrase banks and the customer signals are features too: the version changes when they do.
    texts.extend(bank.read_bytes() for bank in language_data())
    customers = [str(row.get("customer") or "") for row in rows]
    readings = engine.analyze_batch(customers, [row.get("lang") for row in rows])
    features: list[frozenset[str]] = []
    labels = np.zeros((len(rows), len(BEHAVIOURS)), dtype=np.int8)
    # What decides besides the model, as the detector has it: the behaviours its phrases show once
    # checked (a reformulation marker that restates, a churn response after a threat), and those the
    # model may find in the turn at all (``BehaviourDetector.model_may_find``).
    phrases = np.zeros_like(labels, dtype=bool)
    possible = np.zeros_like(labels, dtype=bool)
    for index, (row, customer, reading) in enumerate(zip(rows, customers, readings, strict=True)):
        context = CustomerContext(churn_threat=reading.signals["churn_threat"].value, texts=(customer,))
        turn = detector.features(row["agent"], row.get("lang"), context)
        features.append(turn.names)
        for shown in detector.decide(row["agent"], turn, context):
            phrases[index, BEHAVIOURS.index(shown.name)] = True
        for column, name in enumerate(BEHAVIOURS):
            possible[index, column] = detector.model_may_find(name, turn, context)
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
    alone: list[str] = []
    report: dict[str, dict[str, float | str]] = {}
    sets = np.array(groups)
    # One behaviour at a time: its folds (one development set held out each) fit in parallel.
    with Progress(transient=True) as progress:
        behaviours = enumerate(BEHAVIOURS)
        for column, name in progress.track(behaviours, len(BEHAVIOURS), description="held-out folds / plis"):
            target = labels[:, column]
            if target.sum() < FOLDS:
                continue
            held_out = held_out_probabilities(matrix, target, sets, args.jobs)
            matched = np.array([f"pattern:{name}" in found for found in features])
            best = best_rule(held_out, phrases[:, column], matched, possible[:, column], target)
            ratios = nb_ratios(matrix, target)
            model = fit(matrix, target, ratios)
            # Scaling the features by their ratios, then weighing them, is weighing them by the product.
            weights[:, column] = model.coef_[0] * ratios
            bias[column] = model.intercept_[0]
            thresholds[column] = best.threshold
            if best.alone:
                alone.append(name)
            report[name] = {
                "threshold": best.threshold,
                "decides": "model alone" if best.alone else "phrases or model",
                "cv_f1": round(best.f1, 3),
                "cv_p": round(best.precision, 3),
                "cv_r": round(best.recall, 3),
            }
    # The version changes with the data and with how it is read: features, settings, fold scheme.
    settings = json.dumps(
        {
            "C": C,
            "min_count": MIN_COUNT,
            "features": FEATURES,
            "folds": "per set",
            "weighting": WEIGHTING,
            "rule": RULE,
        }
    )
    digest = hashlib.sha256(b"".join(texts) + settings.encode()).hexdigest()[:10]
    meta = {
        "version": f"behaviours-{digest}",
        "trained_on": [p.name for p in files],
        "rows": len(rows),
        "vocabulary": len(vocabulary),
        "min_count": MIN_COUNT,
        "C": C,
        "weighting": WEIGHTING,
        "thresholds_chosen_on": "one development set held out at a time",
        "model_alone": alone,
        "cross_validated": report,
    }
    np.savez_compressed(
        args.out,
        vocabulary=np.array("\n".join(vocabulary)),
        weights=weights.astype(np.float16),
        bias=bias,
        thresholds=thresholds,
        alone=np.array(" ".join(alone)),
        meta=np.array(json.dumps(meta)),
    )
    args.out.with_suffix(".json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    elapsed = time.perf_counter() - started
    print(f"{meta['version']}: {len(rows)} turns, {len(vocabulary)} features → {args.out} ({elapsed:.0f} s)")
    for name, scores in report.items():
        cv = f"cross-validated P {scores['cv_p']:.2f} R {scores['cv_r']:.2f}"
        print(f"  {name:<18} threshold {scores['threshold']:.2f}  {cv}  ({scores['decides']})")


if __name__ == "__main__":
    main()
