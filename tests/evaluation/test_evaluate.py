"""``ressenti evaluate``: tasks, gold mappings, filters and errors, on small invented corpora.

The logic is checked with a stub engine whose readings are fixed by the test (exact counts and
scores); the real engine is run once per task and through the command, checking shape only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ressenti.corpora import BadRow, BadRowError
from ressenti.errors import EvaluationError, InputError, RecordError
from ressenti.evaluation.evaluate import TASKS, evaluate


@dataclass(frozen=True)
class FakeReading:
    sentiment: str = "neutral"
    emotion: str = "neutral"
    complaint: bool = False
    motive: str | None = None

    def signal(self, name: str) -> bool:
        assert name == "complaint"
        return self.complaint


class FakeEngine:
    """Reads each text as the test says; remembers what it was asked."""

    def __init__(self, readings: dict[str, FakeReading] | None = None) -> None:
        self.readings = readings or {}
        self.calls: list[tuple[list[str], list[str | None]]] = []

    def analyze_batch(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[FakeReading]:
        self.calls.append((list(texts), list(langs or [None] * len(texts))))
        return [self.readings.get(text, FakeReading()) for text in texts]

    @property
    def texts(self) -> list[str]:
        return [text for texts, _ in self.calls for text in texts]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


AIRLINE = [
    {
        "id": "airline-1",
        "text": "Bag lost, nobody answers",
        "sentiment": "negative",
        "reason": "Lost Luggage",
        "reason_confidence": 1.0,
    },
    {"id": "airline-2", "text": "Lovely crew, thanks", "sentiment": "positive", "reason": None},
    {"id": "airline-3", "text": "Flight at 6pm?", "sentiment": "neutral", "reason": None},
    {"id": "airline-4", "text": "Not happy at all", "sentiment": "negative", "reason": None},
    {
        "id": "airline-5",
        "text": "Delayed three hours again",
        "sentiment": "negative",
        "reason": "Late Flight",
        "reason_confidence": 0.9,
    },
]
UMSAB = [
    {"id": "umsab-fr-1", "lang": "fr", "text": "Service nul, je suis furieux", "sentiment": "negative"},
    {"id": "umsab-en-1", "lang": "en", "text": "Great support team", "sentiment": "positive"},
    {"id": "umsab-fr-2", "lang": "fr", "text": "Merci, tout est réglé", "sentiment": "positive"},
    {"id": "umsab-fr-3", "lang": "fr", "text": "Le colis arrive demain", "sentiment": "neutral"},
    {"id": "umsab-en-2", "lang": "en", "text": "Where is my parcel", "sentiment": "neutral"},
]
GOEMOTIONS = [
    {
        "id": "goemotions-1",
        "text": "This is so annoying",
        "emotions": ["annoyance"],
        "sentiment_group": ["negative"],
        "emotions_ekman": ["anger"],
    },
    {
        "id": "goemotions-2",
        "text": "Wow, did not see that coming",
        "emotions": ["surprise"],
        "sentiment_group": ["ambiguous"],
        "emotions_ekman": ["surprise"],
    },
    {
        "id": "goemotions-3",
        "text": "Thank you so much",
        "emotions": ["gratitude"],
        "sentiment_group": ["positive"],
        "emotions_ekman": ["joy"],
    },
    {
        "id": "goemotions-4",
        "text": "I'm scared and sad",
        "emotions": ["fear", "sadness"],
        "sentiment_group": ["negative", "ambiguous"],
        "emotions_ekman": ["fear", "sadness"],
    },
]
XED = [
    {"id": "xed-fr-1", "lang": "fr", "text": "Je suis tellement en colère", "emotions": ["anger"]},
    {"id": "xed-fr-2", "lang": "fr", "text": "Quelle surprise", "emotions": ["surprise", "anticipation"]},
    {"id": "xed-fr-3", "lang": "fr", "text": "J'ai confiance, merci", "emotions": ["trust", "joy"]},
]


@pytest.fixture
def airline(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "airline.jsonl", AIRLINE)


@pytest.fixture
def umsab(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "umsab.jsonl", UMSAB)


@pytest.fixture
def goemotions(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "goemotions.jsonl", GOEMOTIONS)


@pytest.fixture
def xed(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "xed.jsonl", XED)


def per_class(result: Any) -> dict[str, tuple[float, float, float, int]]:
    return {c.label: (c.precision, c.recall, c.f1, c.support) for c in result.scores.per_class}


# --- sentiment -----------------------------------------------------------------------------------


def test_sentiment_task_on_airline_rows_counts_every_labelled_row(airline: Path) -> None:
    engine = FakeEngine(
        {
            "Bag lost, nobody answers": FakeReading(sentiment="negative"),
            "Lovely crew, thanks": FakeReading(sentiment="positive"),
            "Not happy at all": FakeReading(sentiment="positive"),
            "Delayed three hours again": FakeReading(sentiment="negative"),
        }
    )
    result = evaluate(engine, airline, "sentiment")  # type: ignore[arg-type]
    assert result.task == "sentiment"
    assert result.skipped == 0
    assert result.scores.count == 5
    assert result.scores.labels == ("negative", "neutral", "positive")
    assert result.scores.accuracy == pytest.approx(4 / 5)
    assert result.scores.confusion[0] == (2, 0, 1, 0)  # gold negative: 2 right, 1 read positive
    assert per_class(result)["positive"] == pytest.approx((0.5, 1.0, 2 / 3, 1))


def test_sentiment_task_leaves_out_ambiguous_goemotions_rows(goemotions: Path) -> None:
    engine = FakeEngine()
    result = evaluate(engine, goemotions, "sentiment")  # type: ignore[arg-type]
    # goemotions-2 is only "ambiguous": left out; goemotions-4 is negative once "ambiguous" is dropped
    assert (result.skipped, result.unlabelled) == (0, 1)
    assert result.scores.count == 3
    assert "Wow, did not see that coming" not in engine.texts
    assert {c.label: c.support for c in result.scores.per_class} == {
        "negative": 2,
        "neutral": 0,
        "positive": 1,
    }


def test_sentiment_task_reads_xed_sentiment_from_plutchik_emotions(xed: Path) -> None:
    result = evaluate(FakeEngine(), xed, "sentiment")  # type: ignore[arg-type]
    assert result.unlabelled == 1  # surprise + anticipation tells no sentiment
    assert {c.label: c.support for c in result.scores.per_class} == {
        "negative": 1,
        "neutral": 0,
        "positive": 1,
    }


def test_lang_filter_keeps_only_rows_of_that_language_and_passes_it_to_the_engine(umsab: Path) -> None:
    engine = FakeEngine()
    result = evaluate(engine, umsab, "sentiment", lang="fr")  # type: ignore[arg-type]
    assert result.lang == "fr"
    assert result.scores.count == 3
    assert sorted(engine.texts) == sorted(row["text"] for row in UMSAB if row["lang"] == "fr")
    assert {lang for _, langs in engine.calls for lang in langs} == {"fr"}


def test_limit_keeps_the_first_rows_of_the_language(umsab: Path) -> None:
    engine = FakeEngine()
    result = evaluate(engine, umsab, "sentiment", lang="en", limit=1)  # type: ignore[arg-type]
    assert result.scores.count == 1
    assert engine.texts == ["Great support team"]
    result = evaluate(FakeEngine(), umsab, "sentiment", limit=4)  # type: ignore[arg-type]
    assert result.scores.count == 4


def test_limit_counts_left_out_rows_too(goemotions: Path) -> None:
    result = evaluate(FakeEngine(), goemotions, "sentiment", limit=2)  # type: ignore[arg-type]
    assert result.scores.count == 1
    assert result.unlabelled == 1


def test_progress_is_reported_per_batch(umsab: Path) -> None:
    seen: list[int] = []
    evaluate(FakeEngine(), umsab, "sentiment", on_progress=seen.append)  # type: ignore[arg-type]
    assert sum(seen) == 5


# --- emotion -------------------------------------------------------------------------------------


def test_emotion_task_maps_gold_and_leaves_out_rows_with_only_surprise(goemotions: Path) -> None:
    engine = FakeEngine(
        {
            "This is so annoying": FakeReading(emotion="frustration"),  # frustration → anger: right
            "Thank you so much": FakeReading(emotion="confusion"),  # confusion has no counterpart: wrong
            "I'm scared and sad": FakeReading(emotion="sadness"),  # among the row's labels: right
        }
    )
    result = evaluate(engine, goemotions, "emotion")  # type: ignore[arg-type]
    assert result.unlabelled == 1
    assert result.scores.count == 3
    assert result.scores.labels == ("anger", "fear", "sadness", "joy", "neutral")
    assert result.scores.accuracy == pytest.approx(2 / 3)
    supports = {c.label: c.support for c in result.scores.per_class}
    assert supports == {"anger": 1, "fear": 0, "sadness": 1, "joy": 1, "neutral": 0}
    joy_row = result.scores.confusion[3]
    assert joy_row[-1] == 1  # gold joy, predicted "other" (confusion)


def test_emotion_task_with_multi_label_gold_scores_a_miss_against_the_first_gold_label(
    goemotions: Path,
) -> None:
    engine = FakeEngine({"I'm scared and sad": FakeReading(emotion="gratitude")})
    result = evaluate(engine, goemotions, "emotion")  # type: ignore[arg-type]
    fear_row = result.scores.confusion[1]
    assert fear_row == (0, 0, 0, 1, 0, 0)  # gold fear (first of fear, sadness), predicted joy


def test_emotion_task_on_xed_rows(xed: Path) -> None:
    engine = FakeEngine({"J'ai confiance, merci": FakeReading(emotion="gratitude")})
    result = evaluate(engine, xed, "emotion")  # type: ignore[arg-type]
    assert result.unlabelled == 1
    assert result.scores.count == 2
    assert {c.label: c.support for c in result.scores.per_class}["joy"] == 1
    assert per_class(result)["joy"] == (1.0, 1.0, 1.0, 1)


# --- complaint -----------------------------------------------------------------------------------


def test_complaint_task_negative_with_reason_is_a_complaint_and_without_is_left_out(airline: Path) -> None:
    engine = FakeEngine(
        {
            "Bag lost, nobody answers": FakeReading(complaint=True),
            "Lovely crew, thanks": FakeReading(complaint=True),
        }
    )
    result = evaluate(engine, airline, "complaint")  # type: ignore[arg-type]
    assert result.unlabelled == 1  # airline-4: negative without a reason
    assert "Not happy at all" not in engine.texts
    assert result.scores.labels == ("complaint", "no_complaint")
    assert per_class(result) == {
        "complaint": pytest.approx((0.5, 0.5, 0.5, 2)),
        "no_complaint": pytest.approx((0.5, 0.5, 0.5, 2)),
    }
    assert result.scores.confusion == ((1, 1, 0), (1, 1, 0), (0, 0, 0))


# --- errors --------------------------------------------------------------------------------------


def test_unknown_task_is_an_evaluation_error(airline: Path) -> None:
    with pytest.raises(EvaluationError, match="unknown task 'mood'") as caught:
        evaluate(FakeEngine(), airline, "mood")  # type: ignore[arg-type]
    assert caught.value.code == "E020"


def test_missing_file_is_an_evaluation_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    with pytest.raises(EvaluationError, match="no file"):
        evaluate(FakeEngine(), tmp_path / "absent.jsonl", "sentiment")  # type: ignore[arg-type]


def test_file_without_usable_rows_is_an_evaluation_error(
    tmp_path: Path, umsab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    # sentiment-less rows for the complaint task, and a language with no rows
    with pytest.raises(EvaluationError, match="no row labelled for the complaint task"):
        evaluate(FakeEngine(), write_jsonl(tmp_path / "x.jsonl", XED), "complaint")  # type: ignore[arg-type]
    with pytest.raises(EvaluationError, match="no row labelled for the emotion task"):
        evaluate(FakeEngine(), umsab, "emotion")  # type: ignore[arg-type]
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"empty\.jsonl has no row"):
        evaluate(FakeEngine(), empty, "sentiment")  # type: ignore[arg-type]


def test_lang_with_no_rows_is_an_evaluation_error_naming_the_language(
    airline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    with pytest.raises(EvaluationError, match="in 'fr'"):
        evaluate(FakeEngine(), airline, "sentiment", lang="fr")  # type: ignore[arg-type]


def test_malformed_row_is_a_record_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(AIRLINE[0]) + "\nnot json\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        evaluate(FakeEngine(), path, "sentiment")  # type: ignore[arg-type]
    assert caught.value.line == 2


# --- bad rows: reported with file and line, left out, the run goes on ---------------------------


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((line.encode() if isinstance(line, str) else line) + b"\n" for line in lines))
    return path


@pytest.mark.parametrize(
    ("task", "bad_row", "reason"),
    [
        ("sentiment", {"text": "Bof", "sentiment": "happy"}, "unknown value 'happy' for `sentiment`"),
        ("sentiment", {"text": "Bof", "sentiment": 5}, "the `sentiment` field must be a string"),
        ("sentiment", {"text": "Bof", "sentiment_group": 5}, "the `sentiment_group` field must be a list"),
        ("emotion", {"text": "Bof", "emotions": 5}, "the `emotions` field must be a list of strings"),
        ("emotion", {"text": "Bof", "emotion": "happy"}, "unknown value 'happy' for `emotion`"),
        ("complaint", {"text": "Bof", "complaint": "yes"}, "the `complaint` field must be true or false"),
        ("motive", {"text": "Bof", "motive": "weather"}, "unknown value 'weather' for `motive`"),
        ("motive", {"text": "Bof", "motive": 5}, "the `motive` field must be a string"),
        ("sentiment", {"text": 5, "sentiment": "neutral"}, "the `text` field must be a string"),
        (
            "sentiment",
            {"text": "Hallo", "lang": "de", "sentiment": "neutral"},
            "language 'de' is not supported",
        ),
        (
            "sentiment",
            {"text": "Bof", "lang": 5, "sentiment": "neutral"},
            "the `lang` field must be a string",
        ),
    ],
)
def test_a_bad_row_is_given_to_on_skipped_with_file_and_line_and_the_run_goes_on(
    tmp_path: Path, task: str, bad_row: dict[str, Any], reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of these used to crash (TypeError), stop the run with no line (lang "de") or be scored as a
    class of its own ("happy"); it is now left out, counted, and reported where it is."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    good = {
        "sentiment": {"text": "Merci", "lang": "fr", "sentiment": "positive"},
        "emotion": {"text": "Merci", "lang": "fr", "emotion": "gratitude"},
        "complaint": {"text": "Merci", "lang": "fr", "complaint": False},
        "motive": {"text": "Merci", "lang": "fr", "motive": None},
    }[task]
    path = write_jsonl(tmp_path / "rows.jsonl", [good, bad_row, good])
    engine = FakeEngine()
    skipped: list[BadRow] = []
    result = evaluate(engine, path, task, on_skipped=skipped.append)  # type: ignore[arg-type]
    assert [(bad.file, bad.line) for bad in skipped] == [("rows.jsonl", 2)]
    assert reason in skipped[0].reason
    assert result.skipped == 1
    assert result.scores.count == 2
    assert engine.texts == ["Merci", "Merci"]


def test_a_bad_label_without_on_skipped_raises_naming_its_line_never_scored(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", [UMSAB[0], {"text": "Bof", "sentiment": "happy"}])
    with pytest.raises(BadRowError) as caught:
        evaluate(FakeEngine(), path, "sentiment")  # type: ignore[arg-type]
    assert (caught.value.bad.file, caught.value.bad.line) == ("rows.jsonl", 2)


def test_unreadable_lines_are_skipped_with_their_line_and_the_good_ones_scored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    deep = '{"text": "x", "sentiment": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = write_lines(
        tmp_path / "mixed.jsonl",
        [
            json.dumps(UMSAB[0]),  # 1
            "not json",  # 2
            "",  # 3: blank, passed over
            '["a", "list"]',  # 4
            b'{"text": "caf\xe9", "sentiment": "neutral"}',  # 5
            '{"text": "big", "sentiment": ' + "9" * 5000 + "}",  # 6
            deep,  # 7
            '{"sentiment": "neutral"}',  # 8
            json.dumps(UMSAB[1]),  # 9
        ],
    )
    skipped: list[BadRow] = []
    result = evaluate(FakeEngine(), path, "sentiment", on_skipped=skipped.append)  # type: ignore[arg-type]
    assert [(bad.line, bad.reason.split(":")[0]) for bad in skipped] == [
        (2, "invalid JSON"),
        (4, "a JSON object is expected"),
        (5, "invalid text (UTF-8 expected) at byte 13"),
        (6, "invalid JSON"),
        (7, "invalid JSON"),
        (8, "no `text` field"),
    ]
    assert "a number too long to read" in skipped[3].reason
    assert "nested too deeply" in skipped[4].reason
    assert result.skipped == 6
    assert result.scores.count == 2


def test_a_folder_is_read_in_name_order_and_each_bad_row_names_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write_jsonl(folder / "b.jsonl", [UMSAB[1], {"text": "Bof", "sentiment": 5}])
    write_jsonl(folder / "a.jsonl", [{"text": "Bof", "sentiment": "happy"}, UMSAB[0]])
    (folder / "notes.txt").write_text("not read\n", encoding="utf-8")
    engine = FakeEngine()
    skipped: list[BadRow] = []
    result = evaluate(engine, folder, "sentiment", on_skipped=skipped.append)  # type: ignore[arg-type]
    assert [(bad.file, bad.line) for bad in skipped] == [("a.jsonl", 1), ("b.jsonl", 2)]
    assert engine.texts == [UMSAB[0]["text"], UMSAB[1]["text"]]
    assert result.scores.count == 2


def test_a_folder_holding_a_jsonl_that_cannot_be_opened_stops_before_scoring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder named like a JSONL file used to be an IsADirectoryError traceback, after the files
    before it had been scored; it is an InputError naming it, before anything is read."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    write_jsonl(tmp_path / "a.jsonl", UMSAB)
    (tmp_path / "b.jsonl").mkdir()
    engine = FakeEngine()
    with pytest.raises(InputError, match=f"cannot read {tmp_path / 'b.jsonl'}: it is a folder"):
        evaluate(engine, tmp_path, "sentiment", on_skipped=lambda bad: None)  # type: ignore[arg-type]
    assert engine.calls == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_folder_without_jsonl_files_is_an_evaluation_error_saying_so(
    tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", lang)
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    said = "aucun fichier .jsonl dans le dossier" if lang == "fr" else "no .jsonl file in the folder"
    with pytest.raises(EvaluationError, match=said):
        evaluate(FakeEngine(), tmp_path, "sentiment")  # type: ignore[arg-type]


def test_an_unreadable_line_does_not_count_towards_the_limit(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "rows.jsonl", ["not json", json.dumps(UMSAB[0]), json.dumps(UMSAB[1])])
    engine = FakeEngine()
    result = evaluate(engine, path, "sentiment", limit=1, on_skipped=lambda bad: None)  # type: ignore[arg-type]
    assert engine.texts == [UMSAB[0]["text"]]
    assert result.skipped == 1


# --- with the real engine ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine() -> Any:
    from ressenti.analysis.api import default_engine

    return default_engine()


@pytest.mark.parametrize("task", TASKS)
def test_real_engine_runs_every_task(engine: Any, tmp_path: Path, task: str) -> None:
    path = write_jsonl(tmp_path / "all.jsonl", AIRLINE + UMSAB + GOEMOTIONS + XED)
    result = evaluate(engine, path, task)
    # complaint: 4 airline rows, and the positive or neutral umsab rows (not complaints either)
    # motive: the two airline rows with a reason we map, given with confidence ≥ 0.7
    expected_count = {"sentiment": 15, "emotion": 5, "complaint": 8, "motive": 2}[task]
    assert result.scores.count == expected_count
    assert 0.0 <= result.scores.macro_f1 <= 1.0
    assert sum(sum(row) for row in result.scores.confusion) == expected_count


# --- the command ---------------------------------------------------------------------------------


def ressenti_command() -> str:
    found = Path(sys.executable).parent / "ressenti"
    return str(found) if found.exists() else (shutil.which("ressenti") or "ressenti")


def run_evaluate(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RESSENTI_LANG": "en"}
    return subprocess.run(
        [ressenti_command(), "evaluate", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )


def test_command_prints_macro_f1_and_exits_zero(umsab: Path) -> None:
    done = run_evaluate("--data", str(umsab), "--task", "sentiment")
    assert done.returncode == 0, done.stderr
    assert "macro-F1" in done.stdout
    assert "5 rows" in done.stdout
    assert "confusion (rows: gold, columns: predicted)" in done.stdout


def test_command_json_output_is_parseable(goemotions: Path) -> None:
    done = run_evaluate("--data", str(goemotions), "--task", "sentiment", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["task"] == "sentiment"
    assert data["count"] == 3
    assert data["left_out"] == 1
    assert set(data["per_class"]) == {"negative", "neutral", "positive"}
    assert 0.0 <= data["macro_f1"] <= 1.0
    assert data["confusion"]["labels"] == ["negative", "neutral", "positive", "other"]


def test_command_lang_and_limit(umsab: Path) -> None:
    done = run_evaluate("--data", str(umsab), "--task", "sentiment", "--lang", "fr", "--limit", "2", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["lang"] == "fr"
    assert data["count"] == 2


def test_command_without_usable_rows_exits_two_with_a_message(xed: Path) -> None:
    done = run_evaluate("--data", str(xed), "--task", "complaint")
    assert done.returncode == 2
    assert "[E020]" in done.stderr
    assert "Traceback" not in done.stderr


def test_command_unknown_task_is_a_usage_error(umsab: Path) -> None:
    done = run_evaluate("--data", str(umsab), "--task", "mood")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_motive_task_maps_airline_reasons_and_reads_our_labels(engine: Any, tmp_path: Path) -> None:
    rows = [
        {
            "id": "airline-1",
            "text": "Flight delayed 3 hours",
            "reason": "Late Flight",
            "reason_confidence": 1.0,
        },
        {"id": "airline-2", "text": "Bad seat", "reason": "Bad Flight", "reason_confidence": 1.0},
        {"id": "airline-3", "text": "Lost my bag", "reason": "Lost Luggage", "reason_confidence": 0.5},
        {"id": "mo-fr-1", "lang": "fr", "text": "Merci pour votre aide !", "motive": None},
        {
            "id": "mo-fr-2",
            "lang": "fr",
            "text": "Mon colis est perdu depuis 10 jours",
            "motive": "lost_or_damaged",
        },
    ]
    result = evaluate(engine, write_jsonl(tmp_path / "m.jsonl", rows), "motive")
    assert result.unlabelled == 2  # "Bad Flight" has no counterpart; 0.5 is under the confidence floor
    assert result.scores.count == 3
    assert set(result.scores.labels) == {"delay", "lost_or_damaged", "none"}
