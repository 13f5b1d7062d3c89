"""Classification metrics: per-class precision/recall/F1, macro-F1, confusion matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClassScores:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Scores:
    """Scores of predictions against gold labels, over a fixed label order."""

    labels: tuple[str, ...]
    per_class: tuple[ClassScores, ...]
    macro_f1: float
    accuracy: float
    confusion: tuple[tuple[int, ...], ...]  # rows: gold, columns: predicted (labels order, then "other")
    count: int

    def to_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "macro_f1": round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "per_class": {
                c.label: {
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "support": c.support,
                }
                for c in self.per_class
            },
            "confusion": {
                "labels": [*self.labels, "other"],
                "rows_gold_columns_predicted": [list(r) for r in self.confusion],
            },
        }


def score(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Scores:
    """Scores over ``labels``; a prediction outside them counts as wrong ("other")."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    order = tuple(labels)
    index = {label: i for i, label in enumerate(order)}
    other = len(order)
    matrix = [[0] * (other + 1) for _ in range(other + 1)]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index.get(g, other)][index.get(p, other)] += 1
    pairs: Counter[tuple[str, str]] = Counter(zip(gold, predicted, strict=True))
    per_class: list[ClassScores] = []
    for label in order:
        true_positive = pairs[(label, label)]
        predicted_count = sum(1 for p in predicted if p == label)
        support = sum(1 for g in gold if g == label)
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append(ClassScores(label, precision, recall, f1, support))
    present = [c for c in per_class if c.support > 0]
    macro = sum(c.f1 for c in present) / len(present) if present else 0.0
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return Scores(
        labels=order,
        per_class=tuple(per_class),
        macro_f1=macro,
        accuracy=correct / len(gold) if gold else 0.0,
        confusion=tuple(tuple(row) for row in matrix),
        count=len(gold),
    )
