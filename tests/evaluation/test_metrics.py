"""Classification metrics against hand-computed cases."""

from __future__ import annotations

import json

import pytest

from ressenti.evaluation.metrics import score

LABELS = ("negative", "neutral", "positive")


def by_label(scores: object) -> dict[str, tuple[float, float, float, int]]:
    return {c.label: (c.precision, c.recall, c.f1, c.support) for c in scores.per_class}  # type: ignore[attr-defined]


def test_perfect_predictions_score_one_everywhere() -> None:
    gold = ["negative", "neutral", "positive", "negative"]
    scores = score(gold, list(gold), LABELS)
    assert scores.macro_f1 == 1.0
    assert scores.accuracy == 1.0
    assert scores.count == 4
    assert by_label(scores) == {
        "negative": (1.0, 1.0, 1.0, 2),
        "neutral": (1.0, 1.0, 1.0, 1),
        "positive": (1.0, 1.0, 1.0, 1),
    }
    assert scores.confusion == (
        (2, 0, 0, 0),
        (0, 1, 0, 0),
        (0, 0, 1, 0),
        (0, 0, 0, 0),
    )


def test_hand_computed_case_with_an_other_prediction() -> None:
    gold = ["negative", "negative", "negative", "positive", "positive", "neutral"]
    predicted = ["negative", "negative", "positive", "positive", "other", "negative"]
    scores = score(gold, predicted, LABELS)
    # negative: tp 2, predicted 3, support 3 → p 2/3, r 2/3, f1 2/3
    # neutral: tp 0, predicted 0, support 1 → 0, 0, 0
    # positive: tp 1, predicted 2, support 2 → p 1/2, r 1/2, f1 1/2
    per_class = by_label(scores)
    assert per_class["negative"] == pytest.approx((2 / 3, 2 / 3, 2 / 3, 3))
    assert per_class["neutral"] == (0.0, 0.0, 0.0, 1)
    assert per_class["positive"] == pytest.approx((0.5, 0.5, 0.5, 2))
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0 + 0.5) / 3)
    assert scores.accuracy == pytest.approx(3 / 6)
    # rows gold, columns predicted, in label order then "other"
    assert scores.confusion == (
        (2, 0, 1, 0),
        (1, 0, 0, 0),
        (0, 0, 1, 1),
        (0, 0, 0, 0),
    )


def test_precision_and_recall_differ_when_a_class_is_over_predicted() -> None:
    gold = ["positive", "negative", "negative", "negative"]
    predicted = ["positive", "positive", "positive", "negative"]
    per_class = by_label(score(gold, predicted, ("negative", "positive")))
    # positive: tp 1, predicted 3, support 1 → p 1/3, r 1, f1 2·(1/3)·1/(4/3) = 1/2
    assert per_class["positive"] == pytest.approx((1 / 3, 1.0, 0.5, 1))
    # negative: tp 1, predicted 1, support 3 → p 1, r 1/3, f1 1/2
    assert per_class["negative"] == pytest.approx((1.0, 1 / 3, 0.5, 3))


def test_a_class_with_no_support_is_left_out_of_the_macro_average() -> None:
    gold = ["negative", "negative", "positive"]
    predicted = ["negative", "neutral", "positive"]
    scores = score(gold, predicted, LABELS)
    per_class = by_label(scores)
    assert per_class["neutral"] == (0.0, 0.0, 0.0, 0)
    # negative: p 1, r 1/2, f1 2/3; positive: 1; neutral (no support) is not averaged in
    assert per_class["negative"] == pytest.approx((1.0, 0.5, 2 / 3, 2))
    assert scores.macro_f1 == pytest.approx((2 / 3 + 1.0) / 2)
    assert scores.confusion[0] == (1, 1, 0, 0)


def test_gold_outside_the_labels_goes_to_the_other_row() -> None:
    scores = score(["mixed", "positive"], ["positive", "positive"], LABELS)
    assert scores.confusion[3] == (0, 0, 1, 0)
    assert by_label(scores)["positive"] == pytest.approx((0.5, 1.0, 2 / 3, 1))
    assert scores.accuracy == 0.5


def test_mismatched_lengths_raise_value_error() -> None:
    with pytest.raises(ValueError, match="3 gold labels but 2 predictions"):
        score(["a", "b", "c"], ["a", "b"], ("a", "b", "c"))


def test_no_rows_score_zero_without_dividing_by_zero() -> None:
    scores = score([], [], LABELS)
    assert scores.count == 0
    assert scores.macro_f1 == 0.0
    assert scores.accuracy == 0.0


def test_to_dict_is_json_and_rounds_to_four_places() -> None:
    scores = score(["a", "a", "a", "b"], ["a", "b", "b", "b"], ("a", "b"))
    data = json.loads(json.dumps(scores.to_dict()))
    assert data["count"] == 4
    assert data["accuracy"] == 0.5
    assert data["per_class"]["a"] == {"precision": 1.0, "recall": 0.3333, "f1": 0.5, "support": 3}
    assert data["per_class"]["b"] == {"precision": 0.3333, "recall": 1.0, "f1": 0.5, "support": 1}
    assert data["macro_f1"] == 0.5
    assert data["confusion"] == {
        "labels": ["a", "b", "other"],
        "rows_gold_columns_predicted": [[1, 2, 0], [0, 1, 0], [0, 0, 0]],
    }
