"""Labelled corpora: reading them, and mapping their labels to ours (fixtures invented here)."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import pytest

from ressenti.corpora import (
    BadRow,
    BadRowError,
    LabelledText,
    gold_complaint,
    gold_ekman,
    gold_motive,
    gold_sentiment,
    jsonl_files,
    our_emotions,
    read_agent_turns,
    read_corpus,
    source_of,
)
from ressenti.errors import InputError, RecordError


def item(row: dict[str, Any]) -> LabelledText:
    row = {"text": "un message", **row}
    row_id = str(row.get("id", "line-1"))
    return LabelledText(row_id, row["text"], str(row.get("lang") or "en"), source_of(row_id), row)


def write_jsonl(path: Path, rows: list[dict[str, Any] | str | bytes]) -> Path:
    lines = []
    for row in rows:
        if isinstance(row, dict):
            row = json.dumps(row, ensure_ascii=False)
        lines.append(row.encode("utf-8") if isinstance(row, str) else row)
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


# --- read_corpus ---------------------------------------------------------------------------------


def test_read_corpus_yields_rows_with_source_and_language(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            {
                "id": "airline-1",
                "text": "Flight late again",
                "sentiment": "negative",
                "reason": "Late Flight",
            },
            "",
            {"id": "umsab-fr-1", "lang": "fr", "text": "Service au top", "sentiment": "positive"},
            {"text": "no id here"},
        ],
    )
    rows = list(read_corpus(path))
    assert [(r.id, r.source, r.lang) for r in rows] == [
        ("airline-1", "airline", "en"),
        ("umsab-fr-1", "umsab", "fr"),
        ("line-4", "line", "en"),
    ]
    assert rows[0].text == "Flight late again"
    assert rows[0].row["reason"] == "Late Flight"


@pytest.mark.parametrize(
    ("bad_line", "fragment"),
    [
        ('{"id": "x-2", "text": "unclosed', "invalid JSON: Unterminated string starting at (col 23)"),
        (b'{"id": "x-2", "text": "caf\xe9"}', "invalid text (UTF-8 expected) at byte 26"),
        ('{"id": "x-2"}', "no `text` field"),
        ('{"id": "x-2", "text": 12}', "the `text` field must be a string"),
        ('["a", "list"]', "a JSON object is expected"),
        ('{"id": "x-2", "text": "Hallo", "lang": "de"}', "language 'de' is not supported (fr, en)"),
        ('{"id": "x-2", "text": "Hallo", "lang": 5}', "the `lang` field must be a string"),
    ],
    ids=["bad-json", "bad-utf8", "no-text", "text-not-string", "not-object", "lang-de", "lang-not-string"],
)
def test_read_corpus_raises_record_error_with_the_line_number(
    tmp_path: Path, bad_line: str | bytes, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    path = write_jsonl(tmp_path / "corpus.jsonl", [{"id": "x-1", "text": "fine"}, "", bad_line])
    reader = read_corpus(path)
    assert next(reader).id == "x-1"
    with pytest.raises(RecordError) as caught:
        next(reader)
    assert caught.value.line == 3
    assert caught.value.code == "E011"
    assert fragment in caught.value.reason
    assert "corpus.jsonl" in caught.value.reason
    assert "line 3" in str(caught.value)


def test_read_corpus_drops_a_byte_order_mark_and_names_a_line_too_deep_to_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    deep = '{"text": "x", "d": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = write_jsonl(tmp_path / "corpus.jsonl", [b'\xef\xbb\xbf{"id": "x-1", "text": "fine"}', deep])
    reader = read_corpus(path)
    assert next(reader).text == "fine"
    with pytest.raises(RecordError) as caught:
        next(reader)
    assert caught.value.line == 2
    assert "nested too deeply" in caught.value.reason


# --- read_agent_turns ----------------------------------------------------------------------------


def test_read_agent_turns_yields_each_labelled_turn_with_its_line(tmp_path: Path) -> None:
    turn = {"id": "t-1", "agent": "Je lance le remboursement.", "behaviours": ["solution"]}
    path = write_jsonl(tmp_path / "fr_dev1.jsonl", [turn, "", {**turn, "id": "t-2", "behaviours": []}])
    assert [(number, row["id"]) for number, row in read_agent_turns(path)] == [(1, "t-1"), (3, "t-2")]


@pytest.mark.parametrize(
    ("bad_line", "fragment"),
    [
        ('{"id": "t-2", "behaviours": []}', "no `agent` text"),
        ('{"id": "t-2", "agent": "Bonjour."}', "no `behaviours` list"),
        ('{"id": "t-2", "agent": "Bonjour.", "behaviours": "solution"}', "no `behaviours` list"),
        (
            '{"id": "t-2", "agent": "Bonjour.", "behaviours": ["empaty"]}',
            "unknown value 'empaty' for `behaviours` (expected: empathy, solution)",
        ),
        ('{"id": "t-2", "agent": "Bonjour.", "behaviours": [], "customer": 5}', "`customer` field must be"),
        ('{"id": "t-2", "agent": "Bonjour.", "behaviours": [], "lang": "de"}', "language 'de' is not"),
        ("[1, 2]", "a JSON object is expected"),
    ],
    ids=[
        "no-agent",
        "no-behaviours",
        "behaviours-not-list",
        "unknown-behaviour",
        "customer-not-string",
        "lang-de",
        "not-object",
    ],
)
def test_read_agent_turns_names_the_line_of_a_bad_turn(
    tmp_path: Path, bad_line: str, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    good = {"id": "t-1", "agent": "Bonjour.", "behaviours": ["empathy"]}
    path = write_jsonl(tmp_path / "fr_dev1.jsonl", [good, bad_line])
    reader = read_agent_turns(path, frozenset({"empathy", "solution"}))
    assert next(reader)[0] == 1
    with pytest.raises(RecordError) as caught:
        next(reader)
    assert caught.value.line == 2
    assert fragment in caught.value.reason
    assert "fr_dev1.jsonl" in caught.value.reason


def test_bad_lines_given_to_on_bad_are_passed_over_and_the_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``on_bad``, a bad line no longer ends the reading: it is reported with its file, line and
    reason, and the good lines after it are still read."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            {"id": "x-1", "text": "fine"},
            "not json",
            {"id": "x-3", "text": "Hallo", "lang": "de"},
            b"\xff\xfe",
            {"id": "x-5", "text": "fine too", "lang": "fr-FR"},
        ],
    )
    bad: list[BadRow] = []
    rows = list(read_corpus(path, bad.append))
    assert [(row.id, row.file, row.line) for row in rows] == [
        ("x-1", "mixed.jsonl", 1),
        ("x-5", "mixed.jsonl", 5),
    ]
    assert [(row.file, row.line) for row in bad] == [
        ("mixed.jsonl", 2),
        ("mixed.jsonl", 3),
        ("mixed.jsonl", 4),
    ]
    assert bad[0].reason.startswith("invalid JSON: Expecting value (col 1)")
    assert bad[1].reason == "language 'de' is not supported (fr, en)"
    assert bad[2].reason == "invalid text (UTF-8 expected) at byte 0"


def test_bad_turns_given_to_on_bad_are_passed_over(tmp_path: Path) -> None:
    good = {"id": "t-1", "agent": "Bonjour.", "behaviours": ["empathy"]}
    path = write_jsonl(tmp_path / "fr_dev1.jsonl", [good, '{"agent": 3}', {**good, "id": "t-3"}])
    bad: list[BadRow] = []
    assert [number for number, _ in read_agent_turns(path, on_bad=bad.append)] == [1, 3]
    assert [(row.file, row.line) for row in bad] == [("fr_dev1.jsonl", 2)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_file_that_cannot_be_read_is_an_input_error_naming_it(
    tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder named like a JSONL file (or a file without read permission) used to be an OSError
    traceback; it is an ``InputError`` naming the file, when listed and when read."""
    monkeypatch.setenv("RESSENTI_LANG", lang)
    write_jsonl(tmp_path / "a.jsonl", [{"text": "fine"}])
    (tmp_path / "b.jsonl").mkdir()
    said = (
        f"impossible de lire {tmp_path / 'b.jsonl'} : c'est un dossier"
        if lang == "fr"
        else f"cannot read {tmp_path / 'b.jsonl'}: it is a folder"
    )
    with pytest.raises(InputError, match=said) as caught:
        jsonl_files(tmp_path)
    assert caught.value.code == "E010"
    with pytest.raises(InputError, match=said):
        list(read_corpus(tmp_path / "b.jsonl"))


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "no such file or directory"),
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
)
def test_why_a_file_cannot_be_opened_is_said(
    tmp_path: Path, error: OSError, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usual reasons in the user's language; any other as the system says it."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    locked = write_jsonl(tmp_path / "locked.jsonl", [{"text": "fine"}])
    opened = Path.open

    def refuse(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path == locked:
            raise error
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError) as caught:
        jsonl_files(tmp_path)
    assert str(caught.value) == f"[E010] cannot read {locked}: {reason}"


def test_a_file_in_utf16_is_refused_as_a_whole_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of its lines used to be a bad row of its own, "not UTF-8"; the evaluation read nothing and
    said so line by line. It is read as every JSONL file is now, the batch's way."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    path = tmp_path / "rows.jsonl"
    path.write_bytes(json.dumps({"text": "fine", "lang": "en"}).encode("utf-16") + b"\n\x00")
    bad: list[BadRow] = []
    with pytest.raises(InputError, match=f"cannot read {path}: the file is UTF-16: save it as UTF-8"):
        list(read_corpus(path, bad.append))
    assert bad == []


def test_an_os_error_of_the_reporter_is_not_taken_for_an_unreadable_file(tmp_path: Path) -> None:
    """Reporting a bad line to a closed stderr (a broken pipe) is no reason to say the file cannot be read."""
    path = write_jsonl(tmp_path / "rows.jsonl", ["not json", {"text": "fine"}])

    def report(bad: BadRow) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(BrokenPipeError):
        list(read_corpus(path, report))


def test_jsonl_files_are_a_file_itself_or_a_folders_jsonl_in_name_order(tmp_path: Path) -> None:
    for name in ("b.jsonl", "a.jsonl", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [file.name for file in jsonl_files(tmp_path)] == ["a.jsonl", "b.jsonl"]
    assert jsonl_files(tmp_path / "b.jsonl") == [tmp_path / "b.jsonl"]


def test_source_is_the_id_prefix() -> None:
    assert source_of("goemotions-123") == "goemotions"
    assert source_of("xed-fr-9") == "xed"
    assert source_of("umsab-en-2") == "umsab"
    assert source_of("airline-1") == "airline"


# --- gold_sentiment ------------------------------------------------------------------------------


@pytest.mark.parametrize("sentiment", ["negative", "neutral", "positive"])
def test_gold_sentiment_of_airline_rows(sentiment: str) -> None:
    assert gold_sentiment(item({"id": "airline-1", "sentiment": sentiment, "reason": None})) == sentiment


def test_gold_sentiment_of_umsab_rows() -> None:
    assert gold_sentiment(item({"id": "umsab-fr-1", "lang": "fr", "sentiment": "negative"})) == "negative"
    assert gold_sentiment(item({"id": "umsab-en-2", "lang": "en", "sentiment": "positive"})) == "positive"


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (["positive"], "positive"),
        (["negative", "negative"], "negative"),
        (["neutral"], "neutral"),
        (["ambiguous", "positive"], "positive"),
        (["ambiguous"], None),
        (["positive", "negative"], None),
        ([], None),
    ],
)
def test_gold_sentiment_of_goemotions_rows(groups: list[str], expected: str | None) -> None:
    row = {"id": "goemotions-1", "sentiment_group": groups, "emotions_ekman": ["joy"]}
    assert gold_sentiment(item(row)) == expected


@pytest.mark.parametrize(
    ("emotions", "expected"),
    [
        (["joy"], "positive"),
        (["trust", "joy"], "positive"),
        (["anger", "sadness"], "negative"),
        (["fear"], "negative"),
        (["neutral"], "neutral"),
        (["joy", "anger"], None),
        (["surprise"], None),
        (["anticipation", "trust"], "positive"),
        ([], None),
    ],
)
def test_gold_sentiment_of_xed_rows_from_plutchik_emotions(emotions: list[str], expected: str | None) -> None:
    assert gold_sentiment(item({"id": "xed-fr-1", "lang": "fr", "emotions": emotions})) == expected


def test_plutchik_emotions_give_no_sentiment_outside_xed() -> None:
    assert gold_sentiment(item({"id": "other-1", "emotions": ["joy"]})) is None


# --- our_emotions and gold_ekman -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("emotions", "expected"),
    [
        (["annoyance"], ["frustration"]),
        (["disapproval", "annoyance"], ["frustration"]),
        (["anger", "disgust"], ["anger"]),
        (["nervousness"], ["anxiety"]),
        (["disappointment"], ["sadness"]),
        (["gratitude", "joy"], ["gratitude", "satisfaction"]),
        (["neutral"], ["neutral"]),
        (["neutral", "annoyance"], ["frustration"]),
        (["curiosity", "surprise"], []),
        (["curiosity", "neutral"], ["neutral"]),
    ],
)
def test_our_emotions_of_goemotions_rows(emotions: list[str], expected: list[str]) -> None:
    assert our_emotions(item({"id": "goemotions-7", "emotions": emotions})) == expected


@pytest.mark.parametrize(
    ("emotions", "expected"),
    [
        (["trust"], ["satisfaction"]),
        (["disgust", "anger"], ["anger"]),
        (["fear", "neutral"], ["anxiety"]),
        (["anticipation", "surprise"], []),
        (["annoyance"], []),  # a GoEmotions label means nothing in XED
    ],
)
def test_our_emotions_of_xed_rows(emotions: list[str], expected: list[str]) -> None:
    assert our_emotions(item({"id": "xed-fr-3", "lang": "fr", "emotions": emotions})) == expected


def test_gold_ekman_prefers_the_ekman_labels_of_goemotions() -> None:
    row = {"id": "goemotions-2", "emotions": ["annoyance"], "emotions_ekman": ["anger", "surprise"]}
    assert gold_ekman(item(row)) == {"anger"}


def test_gold_ekman_reads_plutchik_emotions_of_xed() -> None:
    assert gold_ekman(item({"id": "xed-fr-1", "emotions": ["joy", "trust", "fear"]})) == {"joy", "fear"}
    assert gold_ekman(item({"id": "xed-fr-2", "emotions": ["surprise"]})) == set()


# --- labels of the wrong type or unknown: BadRowError, never read as another class -----------------

GOLD = {
    "sentiment": gold_sentiment,
    "emotion": gold_ekman,
    "complaint": gold_complaint,
    "motive": gold_motive,
}


@pytest.mark.parametrize(
    ("task", "row", "reason"),
    [
        ("sentiment", {"sentiment": 5}, "the `sentiment` field must be a string"),
        (
            "sentiment",
            {"sentiment": "happy"},
            "unknown value 'happy' for `sentiment` (expected: negative, neutral, positive)",
        ),
        ("sentiment", {"sentiment": ""}, "unknown value '' for `sentiment`"),
        ("sentiment", {"sentiment_group": 5}, "the `sentiment_group` field must be a list of strings"),
        ("sentiment", {"sentiment_group": [["positive"]]}, "the `sentiment_group` field must be a list"),
        ("sentiment", {"sentiment_group": ["happy"]}, "unknown value 'happy' for `sentiment_group`"),
        ("sentiment", {"id": "xed-1", "emotions": 5}, "the `emotions` field must be a list of strings"),
        ("sentiment", {"id": "xed-1", "emotions": ["joy", "happy"]}, "unknown value 'happy' for `emotions`"),
        ("emotion", {"emotions": 5}, "the `emotions` field must be a list of strings"),
        ("emotion", {"emotions": ["happy"]}, "unknown value 'happy' for `emotions` (expected: admiration,"),
        ("emotion", {"id": "xed-1", "emotions": ["annoyance"]}, "unknown value 'annoyance' for `emotions`"),
        ("emotion", {"emotions_ekman": 5}, "the `emotions_ekman` field must be a list of strings"),
        ("emotion", {"emotions_ekman": ["love"]}, "unknown value 'love' for `emotions_ekman`"),
        ("emotion", {"emotion": ["joy"]}, "the `emotion` field must be a string"),
        (
            "emotion",
            {"emotion": "happy"},
            "unknown value 'happy' for `emotion` (expected: anger, frustration,",
        ),
        ("complaint", {"complaint": "yes"}, "the `complaint` field must be true or false"),
        ("complaint", {"sentiment": "happy"}, "unknown value 'happy' for `sentiment`"),
        ("complaint", {"sentiment": "negative", "reason": 5}, "the `reason` field must be a string"),
        ("motive", {"motive": 5}, "the `motive` field must be a string"),
        ("motive", {"motive": ["delay"]}, "the `motive` field must be a string"),
        ("motive", {"motive": "weather"}, "unknown value 'weather' for `motive` (expected: delay,"),
        ("motive", {"reason": 5, "reason_confidence": 1.0}, "the `reason` field must be a string"),
        ("motive", {"reason": "Late flight", "reason_confidence": 1.0}, "unknown value 'Late flight'"),
        ("motive", {"reason": "Late Flight", "reason_confidence": "high"}, "must be a number from 0 to 1"),
        ("motive", {"reason": "Late Flight", "reason_confidence": True}, "must be a number from 0 to 1"),
        ("motive", {"reason": "Late Flight", "reason_confidence": 7}, "must be a number from 0 to 1"),
        ("motive", {"reason": "Late Flight", "reason_confidence": float("nan")}, "must be a number from 0"),
    ],
)
def test_a_label_of_the_wrong_type_or_unknown_raises_bad_row_error_naming_file_and_line(
    task: str, row: dict[str, Any], reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Such labels used to crash (TypeError), be read as another class ("happy" scored as a class of
    its own, 5 as "5") or be passed over silently; each now names its file, line and why."""
    monkeypatch.setenv("RESSENTI_LANG", "en")
    labelled = item(row)
    labelled = LabelledText(
        labelled.id, labelled.text, labelled.lang, labelled.source, labelled.row, "x.jsonl", 7
    )
    with pytest.raises(BadRowError) as caught:
        GOLD[task](labelled)
    assert caught.value.bad.file == "x.jsonl"
    assert caught.value.bad.line == 7
    assert reason in caught.value.bad.reason
    assert caught.value.code == "E011"


def test_an_unknown_label_is_said_in_french_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESSENTI_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    with pytest.raises(BadRowError) as caught:
        gold_sentiment(item({"sentiment": "happy"}))
    assert caught.value.bad.reason == (
        "valeur 'happy' inconnue pour `sentiment` (attendu : negative, neutral, positive)"
    )


def test_a_long_unknown_label_is_cut_in_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    with pytest.raises(BadRowError) as caught:
        gold_sentiment(item({"sentiment": "x" * 10_000}))
    assert len(caught.value.bad.reason) < 200


@pytest.mark.parametrize(
    ("task", "row", "expected"),
    [
        ("sentiment", {"sentiment": None, "sentiment_group": ["negative"]}, "negative"),
        ("sentiment", {"sentiment_group": None}, None),
        ("emotion", {"emotion": None, "emotions": ["fear"]}, {"fear"}),
        ("emotion", {"emotions_ekman": [], "emotions": ["joy"]}, set()),  # the Ekman labels win, even none
        ("complaint", {"complaint": False, "sentiment": "negative", "reason": "Late Flight"}, "no_complaint"),
        ("complaint", {"complaint": None, "sentiment": "negative", "reason": "Late Flight"}, "complaint"),
        ("complaint", {"sentiment": "negative", "reason": None}, None),
        ("motive", {"motive": None}, "none"),
        ("motive", {"motive": "none"}, "none"),
        ("motive", {"motive": "refund"}, "refund"),
        ("motive", {"reason": "Late Flight", "reason_confidence": 1}, "delay"),
        ("motive", {"reason": "Late Flight", "reason_confidence": 0.5}, None),
        ("motive", {"reason": "Bad Flight", "reason_confidence": 1.0}, None),
        ("motive", {"reason": "Late Flight", "reason_confidence": None}, None),
    ],
)
def test_labels_that_are_right_still_map_as_before(task: str, row: dict[str, Any], expected: object) -> None:
    assert GOLD[task](item(row)) == expected


def test_read_corpus_reads_a_language_tag_as_its_code_so_that_lang_filters_find_it(tmp_path: Path) -> None:
    # "FR" and "fr-FR" rows were read by the engine but left out by `evaluate --lang fr`.
    rows = [
        {"id": f"cs-{n}", "lang": tag, "text": "Merci", "sentiment": "positive"}
        for n, tag in enumerate(["FR", "fr-FR", "en_GB"])
    ]
    path = write_jsonl(tmp_path / "tags.jsonl", rows)
    assert [item.lang for item in read_corpus(path)] == ["fr", "fr", "en"]
