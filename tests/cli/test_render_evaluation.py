"""``ressenti evaluate`` for a person: French or English, columns as wide as their widest cell."""

from __future__ import annotations

from ressenti.cli.render_evaluation import behaviour_lines, scores_lines, table
from ressenti.evaluation.behaviours import BehaviourScores
from ressenti.evaluation.metrics import ClassScores, Scores

MOTIVES = Scores(
    labels=("delay", "order_or_booking_problem"),
    per_class=(
        ClassScores("delay", 0.75, 1.0, 0.857, 3),
        ClassScores("order_or_booking_problem", 0.5, 0.25, 1 / 3, 12),
    ),
    macro_f1=0.595,
    accuracy=0.4,
    confusion=((3, 0, 0), (1, 3, 8), (0, 0, 0)),
    count=15,
)


def test_a_table_fits_its_widest_cell_and_aligns_numbers_to_the_right() -> None:
    assert table(["", "a", "longer"], [["x", "1", "2"], ["a_long_label", "10", "200"]]) == [
        " " * 15 + "a  longer",
        "x" + " " * 14 + "1" + " " * 7 + "2",
        "a_long_label  10     200",
    ]


def test_the_scores_in_english() -> None:
    assert scores_lines("motive", "airline.jsonl", None, MOTIVES, (2, 180), "en") == [
        "motive · airline.jsonl · 15 rows (2 skipped)",
        "180 rows without a usable motive (`motive`, or a `reason` given with confidence 0.7 or more) "
        "left out",
        "macro-F1 0.595 · accuracy 0.400",
        "class                     precision  recall     F1  support",
        "delay                         0.750   1.000  0.857        3",
        "order_or_booking_problem      0.500   0.250  0.333       12",
        "confusion (rows: gold, columns: predicted)",
        "                          delay  order_or_booking_problem  other",
        "delay                         3                         0      0",
        "order_or_booking_problem      1                         3      8",
    ]


def test_the_scores_in_french_with_decimal_commas() -> None:
    assert scores_lines("motive", "airline.jsonl", "fr", MOTIVES, (0, 0), "fr") == [
        "motive · airline.jsonl · fr · 15 lignes",
        "F1 macro 0,595 · exactitude 0,400",
        "classe                    précision  rappel     F1  effectif",
        "delay                         0,750   1,000  0,857         3",
        "order_or_booking_problem      0,500   0,250  0,333        12",
        "confusion (lignes : annotation, colonnes : prédiction)",
        "                          delay  order_or_booking_problem  autre",
        "delay                         3                         0      0",
        "order_or_booking_problem      1                         3      8",
    ]


def test_the_rows_skipped_and_those_without_a_label_are_said_apart_in_french() -> None:
    """The heading said « 2 lignes (1 laissée de côté) » for a row without a label and a bad one together,
    and the footer « lignes ignorées : 1 »: the bad rows are counted in the heading as the footer counts
    them, those without a label on a line of their own, with why."""
    lines = scores_lines("sentiment", "ev.jsonl", None, MOTIVES, (1, 47), "fr")
    assert lines[:2] == [
        "sentiment · ev.jsonl · 15 lignes (1 ignorée)",
        "47 lignes sans étiquette de sentiment utilisable laissées de côté",
    ]
    assert scores_lines("arc", "c.jsonl", None, MOTIVES, (0, 1), "fr")[:2] == [
        "arc · c.jsonl · 15 lignes",
        "1 ligne sans `labels.arc` laissée de côté",
    ]


def test_the_behaviours_in_each_language() -> None:
    result = BehaviourScores(
        rows=320, per_behaviour=(ClassScores("closing_followup", 0.947, 0.973, 0.96, 37),)
    )
    assert behaviour_lines("fr_test.jsonl", None, result, 2, "fr") == [
        "behaviour · fr_test.jsonl · 320 tours de conseiller (2 lignes ignorées)",
        "comportement      précision  rappel     F1  effectif",
        "closing_followup      0,947   0,973  0,960        37",
    ]
    assert behaviour_lines("fr_test.jsonl", "fr", result, 0, "en") == [
        "behaviour · fr_test.jsonl · fr · 320 agent turns",
        "behaviour         precision  recall     F1  support",
        "closing_followup      0.947   0.973  0.960       37",
    ]
