"""How the behaviour model is trained: feature weighting and the rule chosen per behaviour."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from ressenti.training.behaviours import (
    best_rule,
    held_out_fold,
    held_out_probabilities,
    language_data,
    main,
    nb_ratios,
)


def test_naive_bayes_ratios_favour_features_of_the_behaviour_turns() -> None:
    # Feature 0 shows in the behaviour's turns, feature 1 in the others, feature 2 in both.
    matrix = csr_matrix(np.array([[1, 0, 1], [1, 0, 1], [0, 1, 1], [0, 1, 1]], dtype=float))
    ratios = nb_ratios(matrix, np.array([1, 1, 0, 0]))
    assert ratios[0] > 0 > ratios[1]
    assert abs(ratios[2]) < 1e-9


def test_phrases_that_often_misfire_leave_the_model_to_decide_alone() -> None:
    target = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    held_out = np.array([0.9, 0.9, 0.8, 0.7, 0.1, 0.1, 0.2, 0.1])
    everywhere = np.ones(8, dtype=bool)  # the phrases match every turn, half of them wrongly
    rule = best_rule(held_out, everywhere, everywhere, everywhere, target)
    assert rule.alone
    assert rule.f1 == 1.0


def test_phrases_that_are_right_are_kept_beside_the_model() -> None:
    target = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    held_out = np.array([0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.2, 0.1])  # the model misses two
    phrases = target.astype(bool)
    rule = best_rule(held_out, phrases, phrases, np.ones(8, dtype=bool), target)
    assert not rule.alone
    assert rule.f1 == 1.0


def test_the_model_counts_only_where_it_may_find_the_behaviour() -> None:
    target = np.array([1, 1, 0, 0])
    held_out = np.array([0.9, 0.9, 0.9, 0.9])
    nothing = np.zeros(4, dtype=bool)
    possible = np.array([True, True, False, False])  # e.g. no threat to answer in the last two
    rule = best_rule(held_out, nothing, nothing, possible, target)
    assert rule.precision == 1.0
    assert rule.recall == 1.0


def test_the_version_follows_the_customer_signals_as_well_as_the_phrase_banks() -> None:
    # A churn response counts only after a threat the customer signals see: new signal patterns
    # change the features, so they must change the model's version.
    # So do the stopwords: a restatement is compared with the customer's words without them.
    names = {(path.parent.name, path.name) for path in language_data()}
    assert {
        ("fr", "signals.tsv"),
        ("en", "signals.tsv"),
        ("fr", "behaviours.tsv"),
        ("en", "stopwords.txt"),
    } <= names


def test_each_turn_is_read_by_a_model_trained_without_its_set_whatever_the_processes() -> None:
    # Feature 0 marks the behaviour in sets a and b; the larger set c labels it the other way round,
    # so a model that had seen set c would read feature 0 as not the behaviour.
    matrix = csr_matrix(np.array([[1, 0], [0, 1]] * 20, dtype=float))
    target = np.array([1, 0] * 8 + [0, 1] * 12)
    sets = np.array(["a"] * 8 + ["b"] * 8 + ["c"] * 24)
    alone = held_out_probabilities(matrix, target, sets, jobs=1)
    assert np.array_equal(alone, held_out_probabilities(matrix, target, sets, jobs=2))
    without_c = held_out_fold(matrix, target, sets == "c")
    assert np.array_equal(alone[sets == "c"], without_c)
    # Trained on a and b only, the model reads c's first turn (feature 0) as the behaviour.
    assert alone[16] > 0.5 > alone[17]


def test_fewer_than_one_process_is_refused_with_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--jobs", "0"])
    assert stopped.value.code == 2
    assert "--jobs must be 1 or more, not 0" in capsys.readouterr().err


def test_a_bad_development_turn_stops_training_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    # A typo in a label would silently drop it from the model: training names the line and stops.
    good: dict[str, object] = {"id": "ab-fr-dev1-0001", "lang": "fr", "agent": "Je lance le remboursement."}
    good["behaviours"] = ["solution"]
    bad = {**good, "id": "ab-fr-dev1-0002", "behaviours": ["soluton"]}
    (tmp_path / "fr_dev1.jsonl").write_text(
        "\n".join(json.dumps(row) for row in (good, bad)) + "\n", encoding="utf-8"
    )
    with pytest.raises(SystemExit) as stopped:
        main(["--data", str(tmp_path), "--out", str(tmp_path / "model.npz")])
    assert "line 2" in str(stopped.value.code)
    assert "unknown value 'soluton' for `behaviours`" in str(stopped.value.code)
    assert not (tmp_path / "model.npz").exists()
