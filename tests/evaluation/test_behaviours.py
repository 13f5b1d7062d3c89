"""The behaviour evaluation scores each detector as a yes/no question over labelled agent turns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ressenti.analysis.api import default_engine
from ressenti.errors import EvaluationError, RecordError
from ressenti.evaluation.behaviours import agreement, evaluate_behaviours

ROWS = [
    {
        "lang": "fr",
        "customer": "Colis pas reçu.",
        "agent": "Je suis désolé pour ce retard.",
        "behaviours": ["apology"],
    },
    {
        "lang": "fr",
        "customer": "Colis pas reçu.",
        "agent": "Votre colis arrive demain.",
        "behaviours": ["apology"],
    },
    {"lang": "en", "customer": "No refund yet.", "agent": "Sorry, could you repeat that?", "behaviours": []},
]


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_precision_and_recall_count_hits_misses_and_false_alarms(tmp_path: Path) -> None:
    result = evaluate_behaviours(default_engine(), write(tmp_path / "b.jsonl", ROWS))
    apology = next(c for c in result.per_behaviour if c.label == "apology")
    assert result.rows == 3
    assert apology.support == 2
    assert apology.recall == pytest.approx(0.5)  # the second turn, labelled an apology, has none
    assert apology.precision == pytest.approx(1.0)  # "Sorry, could you repeat" is not taken for one


def test_one_language_can_be_measured_alone(tmp_path: Path) -> None:
    result = evaluate_behaviours(default_engine(), write(tmp_path / "b.jsonl", ROWS), lang="en")
    assert result.rows == 1


def test_a_row_without_an_agent_turn_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "b.jsonl", [ROWS[0], {"lang": "fr", "behaviours": []}])
    with pytest.raises(RecordError, match="line 2"):
        evaluate_behaviours(default_engine(), path)


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        (
            b'{"agent": "ok", broken',
            "invalid JSON: Expecting property name enclosed in double quotes (col 17)",
        ),
        (b'\xff\xfe{"agent": "ok"}', "invalid text (UTF-8 expected) at byte 0"),
    ],
    ids=["bad-json", "bad-utf8"],
)
def test_an_unreadable_line_names_its_line_and_column_or_byte(
    tmp_path: Path, bad_line: bytes, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    path = write(tmp_path / "b.jsonl", [ROWS[0]])
    path.write_bytes(path.read_bytes() + bad_line + b"\n")
    with pytest.raises(RecordError) as caught:
        evaluate_behaviours(default_engine(), path)
    assert caught.value.line == 2
    assert caught.value.reason == f"b.jsonl: {reason}"


def test_no_file_is_an_evaluation_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError):
        evaluate_behaviours(default_engine(), tmp_path / "missing.jsonl")


def _write(path: Path, labels: dict[str, list[str]]) -> Path:
    return write(
        path, [{"id": key, "lang": "en", "agent": "…", "behaviours": names} for key, names in labels.items()]
    )


def test_agreement_scores_a_second_annotator_against_the_first_turn_by_turn(tmp_path: Path) -> None:
    first = _write(tmp_path / "first.jsonl", {"a": ["apology"], "b": ["apology", "solution"], "c": []})
    # In another order, one apology missed and one solution added.
    second = _write(tmp_path / "second.jsonl", {"c": ["solution"], "b": ["apology", "solution"], "a": []})
    scores = {c.label: c for c in agreement(first, second).per_behaviour}
    assert (scores["apology"].precision, scores["apology"].recall, scores["apology"].support) == (1.0, 0.5, 2)
    assert (scores["solution"].precision, scores["solution"].recall) == (0.5, 1.0)


def test_agreement_refuses_turns_the_first_annotator_never_labelled(tmp_path: Path) -> None:
    first = _write(tmp_path / "first.jsonl", {"a": ["apology"]})
    second = _write(tmp_path / "second.jsonl", {"z": ["apology"]})
    with pytest.raises(EvaluationError, match=r"not in first\.jsonl"):
        agreement(first, second)


def test_agreement_names_a_missing_file(tmp_path: Path) -> None:
    first = _write(tmp_path / "first.jsonl", {"a": ["apology"]})
    with pytest.raises(EvaluationError, match="no file at"):
        agreement(first, tmp_path / "second.jsonl")
