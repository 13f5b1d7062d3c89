"""The behaviour evaluation scores each detector as a yes/no question over labelled agent turns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ressenti.analysis.api import default_engine
from ressenti.corpora import BadRow, BadRowError
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


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (
            {"lang": "fr", "agent": "Désolé.", "behaviours": ["empaty"]},
            "unknown value 'empaty' for `behaviours` (expected: acknowledgement,",
        ),
        (
            {"lang": "de", "agent": "Entschuldigung.", "behaviours": []},
            "language 'de' is not supported (fr, en)",
        ),
        (
            {"lang": "fr", "agent": "Désolé.", "behaviours": [], "customer": 5},
            "`customer` field must be a string",
        ),
        ({"lang": "fr", "agent": 5, "behaviours": []}, "no `agent` text"),
        ({"lang": "fr", "agent": "Désolé.", "behaviours": "apology"}, "no `behaviours` list"),
    ],
    ids=["unknown-behaviour", "lang-de", "customer-not-string", "agent-not-string", "behaviours-not-list"],
)
def test_a_bad_turn_is_given_to_on_skipped_with_its_line_and_the_others_scored(
    tmp_path: Path, bad_row: dict[str, object], reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misspelt behaviour used to be scored as a turn without it, and a turn in German stopped the
    whole evaluation with no line; each is now left out and reported where it is."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    path = write(tmp_path / "b.jsonl", [ROWS[0], bad_row, *ROWS[1:]])
    skipped: list[BadRow] = []
    result = evaluate_behaviours(default_engine(), path, on_skipped=skipped.append)
    assert [(bad.file, bad.line) for bad in skipped] == [("b.jsonl", 2)]
    assert reason in skipped[0].reason
    assert result.rows == 3


def test_without_on_skipped_an_unknown_behaviour_raises_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "b.jsonl", [ROWS[0], {"lang": "fr", "agent": "Désolé.", "behaviours": ["empaty"]}]
    )
    with pytest.raises(BadRowError) as caught:
        evaluate_behaviours(default_engine(), path)
    assert caught.value.line == 2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_file_with_no_turn_is_an_evaluation_error_in_the_users_language(
    tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", lang)
    path = write(tmp_path / "b.jsonl", ROWS)
    said = (
        "b.jsonl n'a aucun tour de conseiller en 'xx'"
        if lang == "fr"
        else "b.jsonl has no agent turn in 'xx'"
    )
    with pytest.raises(EvaluationError, match=said):
        evaluate_behaviours(default_engine(), path, lang="xx")


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


def test_agreement_names_a_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    first = _write(tmp_path / "first.jsonl", {"a": ["apology"]})
    with pytest.raises(EvaluationError, match="no file at"):
        agreement(first, tmp_path / "second.jsonl")


def test_limit_keeps_the_first_turns_of_the_language(tmp_path: Path) -> None:
    """--limit used to be ignored for the behaviour task: every turn was scored."""
    path = write(tmp_path / "b.jsonl", ROWS)
    assert evaluate_behaviours(default_engine(), path, limit=2).rows == 2
    assert evaluate_behaviours(default_engine(), path, lang="fr", limit=1).rows == 1
    assert evaluate_behaviours(default_engine(), path, lang="en", limit=5).rows == 1
