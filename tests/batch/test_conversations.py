"""Reading conversation files (JSONL, CSV of turns, Parquet): good conversations with their position,
bad ones as ``Rejected`` with their line (or row) number and a reason that names the problem."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import tracemalloc
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ressenti.batch.conversations import (
    PARQUET_BATCH,
    FirstPositions,
    Good,
    Item,
    Noted,
    conversation_format,
    read_conversations,
)
from ressenti.batch.records import Rejected
from ressenti.errors import FormatError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")


def conversation(ident: str, *texts: str, **extra: Any) -> dict[str, Any]:
    """A conversation whose turns alternate customer, agent, customer…"""
    speakers = ("customer", "agent")
    turns = [{"speaker": speakers[i % 2], "text": text} for i, text in enumerate(texts)]
    return {"id": ident, "turns": turns, **extra}


def write_lines(path: Path, *lines: bytes | str | dict[str, Any]) -> Path:
    parts = []
    for line in lines:
        if isinstance(line, dict):
            line = json.dumps(line, ensure_ascii=False)
        parts.append(line.encode("utf-8") if isinstance(line, str) else line)
    path.write_bytes(b"\n".join(parts) + b"\n")
    return path


def read(path: Path, fmt: str | None = None) -> list[Item]:
    return list(read_conversations(path, fmt))


def good(items: list[Item]) -> list[Good]:
    return [item for item in items if isinstance(item, tuple)]


def noted(items: list[Item]) -> list[Noted]:
    return [item for item in items if isinstance(item, Noted)]


def bad(items: list[Item]) -> list[Rejected]:
    return [item for item in items if isinstance(item, Rejected)]


def turn_texts(fields: dict[str, Any]) -> list[tuple[str, str]]:
    return [(turn["speaker"], turn["text"]) for turn in fields["turns"]]


# --- the format ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.jsonl", "jsonl"),
        ("a.NDJSON", "jsonl"),
        ("a.csv", "csv"),
        ("a.parquet", "parquet"),
        ("a.pq", "parquet"),
        ("a.eml", "email"),
        ("a.mbox", "email"),
    ],
)
def test_format_is_told_by_the_suffix(name: str, expected: str) -> None:
    assert conversation_format(name) == expected


def test_an_explicit_format_wins_and_an_unknown_suffix_without_one_is_a_format_error() -> None:
    assert conversation_format("dump.txt", "csv") == "csv"
    with pytest.raises(FormatError, match=r"dump\.txt"):
        conversation_format("dump.txt")


# --- JSONL ---------------------------------------------------------------------------------------


def test_jsonl_good_and_bad_records_each_with_its_line_number_and_reason(tmp_path: Path) -> None:
    first = conversation(
        "c1", "Toujours pas reçu ma commande 😡", "Je regarde tout de suite.", channel="chat"
    )
    last = conversation("c2", "Where is my parcel?", agent_id="ag-1", team_id="team-1")
    path = write_lines(
        tmp_path / "mixed.jsonl",
        first,  # 1
        '{"id": "broken", "turns": [',  # 2: invalid JSON
        b'{"id": "latin1", "turns": [{"speaker": "customer", "text": "caf\xe9"}]}',  # 3: not UTF-8
        "",  # 4: blank, not a record
        {"turns": [{"speaker": "customer", "text": "hello"}]},  # 5: no id
        {"id": "c5", "turns": [{"speaker": "customer", "text": "a"}, {"speaker": "robot", "text": "b"}]},  # 6
        {
            "id": "c6",
            "turns": [{"speaker": "agent", "text": "Bonjour"}, {"speaker": "bot", "text": "Hi"}],
        },  # 7
        {"id": "c7", "turns": []},  # 8: empty turns
        {"id": "c8", "turns": "customer: hello"},  # 9: turns not a list
        '["not", "an", "object"]',  # 10
        {"id": "c10", "channel": "fax", "turns": [{"speaker": "customer", "text": "x"}]},  # 11
        "   ",  # 12: blank
        last,  # 13
    )
    items = read(path)
    assert good(items) == [(1, first), (13, last)]
    rejected = bad(items)
    assert [item.line for item in rejected] == [2, 3, 5, 6, 7, 8, 9, 10, 11]
    reasons = {item.line: item.reason for item in rejected}
    assert reasons[2].startswith("invalid JSON: ")
    assert reasons[3] == "invalid text (UTF-8 expected) at byte 63"
    assert reasons[5] == "no `id` field, or an empty one"
    assert reasons[6] == "turn 2: unknown speaker 'robot' (expected: customer, agent, bot)"
    assert reasons[7] == "no customer turn"
    assert reasons[8] == "no `turns` field, or an empty one"
    assert reasons[9] == "the `turns` field must be a list of turns (speaker, text)"
    assert reasons[10] == "a JSON object is expected"
    assert reasons[11].startswith("unknown channel 'fax'")


def test_jsonl_records_come_out_in_file_order(tmp_path: Path) -> None:
    records = [conversation(f"c{i}", f"message {i}") for i in range(30)]
    path = write_lines(tmp_path / "many.jsonl", *records)
    assert read(path) == [(i + 1, record) for i, record in enumerate(records)]


def test_jsonl_reasons_follow_the_users_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    path = write_lines(
        tmp_path / "bad.jsonl", {"id": "c1", "turns": [{"speaker": "agent", "text": "Bonjour"}]}
    )
    assert read(path) == [Rejected(1, "aucun tour du client")]


def test_a_jsonl_file_read_under_another_suffix_with_an_explicit_format(tmp_path: Path) -> None:
    record = conversation("c1", "Bonjour")
    path = write_lines(tmp_path / "export.txt", record)
    assert read(path, "jsonl") == [(1, record)]


# --- CSV of turns --------------------------------------------------------------------------------


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_consecutive_rows_make_one_conversation_positioned_at_its_first_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text,ts\n"
        "c1,customer,Toujours pas reçu ma commande,2026-10-01T10:00:00Z\n"  # line 2
        "c1,agent,Je regarde,\n"
        "c2,bot,Bonjour,\n"  # line 4
        "c2,customer,Where is my parcel?,2026-10-02T08:00:00Z\n"
        "c2,agent,On its way,\n"
        "c3,customer,Merci,\n",  # line 7
    )
    assert read(path) == [
        (
            2,
            {
                "id": "c1",
                "turns": [
                    {
                        "speaker": "customer",
                        "text": "Toujours pas reçu ma commande",
                        "ts": "2026-10-01T10:00:00Z",
                    },
                    {"speaker": "agent", "text": "Je regarde"},
                ],
            },
        ),
        (
            4,
            {
                "id": "c2",
                "turns": [
                    {"speaker": "bot", "text": "Bonjour"},
                    {"speaker": "customer", "text": "Where is my parcel?", "ts": "2026-10-02T08:00:00Z"},
                    {"speaker": "agent", "text": "On its way"},
                ],
            },
        ),
        (7, {"id": "c3", "turns": [{"speaker": "customer", "text": "Merci"}]}),
    ]


def test_csv_optional_columns_are_taken_from_the_first_row_and_empty_cells_left_out(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text,channel,agent_id,team_id\n"
        "c1,customer,Bonjour,email,ag-1,team-a\n"
        "c1,agent,Bonjour madame,email,ag-1,team-a\n"
        "c2,customer,Hello,,,\n",
    )
    items = read(path)
    assert [position for position, _ in good(items)] == [2, 4]
    first, second = (fields for _, fields in good(items))
    assert (first["channel"], first["agent_id"], first["team_id"]) == ("email", "ag-1", "team-a")
    assert set(second) == {"id", "turns"}


def test_csv_a_conversation_handed_to_another_agent_keeps_every_agent_in_its_metadata(tmp_path: Path) -> None:
    """The second agent's id was dropped, silently: the conversation is the first agent's, and its
    metadata now names every agent and team that took it, in order."""
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text,agent_id,team_id\n"
        "c1,customer,Bonjour,,\n"
        "c1,agent,Je regarde,ag-1,team-a\n"
        "c1,agent,Je vous passe la facturation,ag-1,team-a\n"
        "c1,agent,Facturation bonjour,ag-2,team-b\n"
        "c1,agent,Je reprends,ag-1,team-a\n"
        "c2,customer,Hello,ag-3,team-a\n",
    )
    first, second = (fields for _, fields in good(read(path)))
    assert (first["agent_id"], first["team_id"]) == ("ag-1", "team-a")
    assert first["metadata"] == {"agent_ids": ["ag-1", "ag-2"], "team_ids": ["team-a", "team-b"]}
    assert "metadata" not in second


def test_csv_rows_of_a_conversation_that_are_not_consecutive_are_rejected(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text\nc1,customer,Bonjour\nc2,customer,Hello\nc1,agent,Re-bonjour\n",
    )
    items = read(path)
    assert [(position, fields["id"]) for position, fields in good(items)] == [(2, "c1"), (3, "c2")]
    assert bad(items) == [
        Rejected(
            4, "the turns of conversation 'c1' are not consecutive (seen earlier, line 2): sort the file"
        )
    ]


@pytest.mark.parametrize("missing", ["conversation_id", "speaker", "text"])
def test_csv_without_a_required_column_is_a_format_error(tmp_path: Path, missing: str) -> None:
    columns = [name for name in ("conversation_id", "speaker", "text", "ts") if name != missing]
    path = write_csv(tmp_path / "turns.csv", ",".join(columns) + "\n" + ",".join(["x"] * len(columns)) + "\n")
    with pytest.raises(FormatError, match="lacks the `conversation_id`, `speaker` and `text` columns"):
        read(path)


def test_csv_quoted_texts_keep_their_commas_and_newlines_and_positions_count_lines(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text\n"
        'c1,customer,"Bonjour,\n\nma commande, la ML-1, n\'est pas arrivée ""vite"""\n'  # lines 2-4
        'c1,agent,"Je regarde, un instant"\n'  # line 5
        "c2,customer,Merci\n",  # line 6
    )
    items = read(path)
    assert [position for position, _ in good(items)] == [2, 6]
    assert turn_texts(good(items)[0][1]) == [
        ("customer", 'Bonjour,\n\nma commande, la ML-1, n\'est pas arrivée "vite"'),
        ("agent", "Je regarde, un instant"),
    ]


def test_csv_a_conversation_with_a_bad_turn_is_rejected_at_its_first_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text\nc1,customer,Bonjour\nc1,manager,Hello\nc2,agent,Bonjour\nc3,customer,Ok\n",
    )
    assert read(path) == [
        Rejected(2, "turn 2: unknown speaker 'manager' (expected: customer, agent, bot)"),
        Rejected(4, "no customer turn"),
        (5, {"id": "c3", "turns": [{"speaker": "customer", "text": "Ok"}]}),
    ]


def test_csv_a_bad_row_inside_a_conversation_refuses_the_conversation_naming_the_row(tmp_path: Path) -> None:
    # Read without its bad turn, c1's report would pass for the whole conversation; a JSONL conversation
    # with a bad turn is refused whole too.
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text\nc1,customer,Bonjour\nc1,agent,Bonjour,extra\nc1,agent,Re\nc2,customer,Ok\n",
    )
    assert read(path) == [
        Rejected(2, "a turn of the conversation cannot be read, line 3: 4 columns instead of 3"),
        (5, {"id": "c2", "turns": [{"speaker": "customer", "text": "Ok"}]}),
    ]


def test_csv_a_bad_first_or_last_row_of_a_conversation_refuses_the_conversation_it_names(
    tmp_path: Path,
) -> None:
    # The row's conversation_id tells whose turn it is: c1 used to be read without its last turn, and
    # c2 without its first.
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text\n"
        "c1,customer,Bonjour\n"
        "c1,agent,Re\n"
        "c1,customer,Merci,extra\n"  # line 4: c1's last turn
        "c2,customer,Trop,de,colonnes\n"  # line 5: c2's first turn
        "c2,agent,Pardon\n"
        "c3,customer,Ok\n",
    )
    assert read(path) == [
        Rejected(2, "a turn of the conversation cannot be read, line 4: 4 columns instead of 3"),
        Rejected(5, "a turn of the conversation cannot be read, line 5: 5 columns instead of 3"),
        (7, {"id": "c3", "turns": [{"speaker": "customer", "text": "Ok"}]}),
    ]


def test_csv_a_row_whose_conversation_cannot_be_read_after_a_conversation_is_reported_within_it(
    tmp_path: Path,
) -> None:
    # Whose turn it was cannot be told (the parser could not read the row): the conversation before it
    # is kept, the row reported with it.
    path = tmp_path / "turns.csv"
    path.write_bytes(
        b"conversation_id,speaker,text\nc1,customer,Bonjour\nc1,agent,Re\nc2,bare\rreturn\nc2,customer,Ok\n"
    )
    items = read(path)
    assert [(item.line, item.within) for item in bad(items)] == [(4, 2)]
    assert [item[1]["id"] for item in good(items)] == ["c1", "c2"]


def test_csv_a_quote_never_closed_in_a_turn_loses_no_later_conversation(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "turns.csv",
        'conversation_id,speaker,text\nc1,customer,"Bonjour\nc1,agent,Re\nc2,customer,Je pars\nc2,agent,Ok\n',
    )
    items = read(path)
    (refused,) = bad(items)  # c1, with its broken turn; its other row was read again, not swallowed
    assert refused.line == 2
    assert refused.reason.startswith("a turn of the conversation cannot be read, line 2: a quote opened")
    assert good(items) == [
        (
            4,
            {
                "id": "c2",
                "turns": [{"speaker": "customer", "text": "Je pars"}, {"speaker": "agent", "text": "Ok"}],
            },
        )
    ]


def test_csv_a_turn_with_text_after_its_closing_quote_refuses_its_conversation_naming_the_line(
    tmp_path: Path,
) -> None:
    # "abc"def was read as abcdef, saying nothing. Quotes inside a field that does not start with one are
    # read as they stand, and a field in quotes as the rules write it.
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text,ts\n"
        'c1,customer,il a dit "non" puis,2026-01-01T10:00:00Z\n'  # line 2
        'c2,customer,"abc"def,2026-01-01T10:00:00Z\n'  # line 3
        'c3,customer,"il a dit ""non"" puis",2026-01-01T10:00:00Z\n',  # line 4
    )
    items = read(path)
    assert [(item.line, item.reason.split(":")[0]) for item in bad(items)] == [
        (3, "a turn of the conversation cannot be read, line 3"),
    ]
    assert "text follows the quote that closes the field of column `text`" in bad(items)[0].reason
    assert [turn_texts(fields) for _, fields in good(items)] == [
        [("customer", 'il a dit "non" puis')],
        [("customer", 'il a dit "non" puis')],
    ]


# --- Parquet -------------------------------------------------------------------------------------


TURN_TYPE = pa.struct([("speaker", pa.string()), ("text", pa.string()), ("ts", pa.string())])


def test_parquet_conversations_table_with_a_turns_column_positions_are_row_numbers(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": ["c1", "c2", "c3"],
            "channel": ["email", "chat", None],
            "agent_id": ["ag-1", None, "ag-3"],
            "turns": pa.array(
                [
                    [
                        {"speaker": "customer", "text": "Colis perdu", "ts": "2026-10-01T10:00:00Z"},
                        {"speaker": "agent", "text": "Je regarde", "ts": None},
                    ],
                    [{"speaker": "agent", "text": "Hello", "ts": None}],  # no customer turn
                    [{"speaker": "customer", "text": "Thanks", "ts": None}],
                ],
                type=pa.list_(TURN_TYPE),
            ),
        }
    )
    path = tmp_path / "conversations.parquet"
    pq.write_table(table, path)
    items = read(path)
    assert bad(items) == [Rejected(2, "no customer turn")]
    assert [(position, fields["id"]) for position, fields in good(items)] == [(1, "c1"), (3, "c3")]
    first = good(items)[0][1]
    assert (first["channel"], first["agent_id"]) == ("email", "ag-1")
    assert turn_texts(first) == [("customer", "Colis perdu"), ("agent", "Je regarde")]
    assert first["turns"][0]["ts"] == "2026-10-01T10:00:00Z"


def test_parquet_turns_table_is_grouped_like_a_csv_positioned_at_the_first_row(tmp_path: Path) -> None:
    table = pa.table(
        {
            "conversation_id": ["c1", "c1", "c2", "c2", "c2"],
            "speaker": ["customer", "agent", "customer", "agent", "customer"],
            "text": ["Bonjour", "Bonjour madame", "Hello", "Hi", "Thanks"],
            "ts": ["2026-10-01T10:00:00Z", None, None, None, "2026-10-02T10:00:00Z"],
        }
    )
    path = tmp_path / "turns.parquet"
    pq.write_table(table, path)
    items = read(path)
    assert not bad(items)
    assert [(position, fields["id"]) for position, fields in good(items)] == [(1, "c1"), (3, "c2")]
    assert good(items)[0][1]["turns"] == [
        {"speaker": "customer", "text": "Bonjour", "ts": "2026-10-01T10:00:00Z"},
        {"speaker": "agent", "text": "Bonjour madame"},
    ]
    assert turn_texts(good(items)[1][1]) == [("customer", "Hello"), ("agent", "Hi"), ("customer", "Thanks")]


def test_parquet_turns_table_conversations_spanning_read_batches_stay_whole(tmp_path: Path) -> None:
    count = PARQUET_BATCH // 3 + 50  # 3 turns each: some conversation straddles the batch boundary
    table = pa.table(
        {
            "conversation_id": [f"c{i}" for i in range(count) for _ in range(3)],
            "speaker": ["customer", "agent", "customer"] * count,
            "text": [f"{i}-{turn}" for i in range(count) for turn in range(3)],
        }
    )
    path = tmp_path / "turns.parquet"
    pq.write_table(table, path, row_group_size=1000)
    items = read(path)
    assert not bad(items)
    assert [position for position, _ in good(items)] == [1 + 3 * i for i in range(count)]
    assert all(
        [turn["text"] for turn in fields["turns"]] == [f"{i}-0", f"{i}-1", f"{i}-2"]
        for i, (_, fields) in enumerate(good(items))
    )


def test_a_file_that_is_not_parquet_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "conversations.parquet"
    path.write_text('{"id": "c1"}\n', encoding="utf-8")
    with pytest.raises(FormatError, match="is not a readable Parquet file"):
        read(path)


def test_a_parquet_file_without_the_needed_columns_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "messages.parquet"
    pq.write_table(pa.table({"conversation_id": ["c1"], "text": ["Bonjour"]}), path)  # no speaker
    with pytest.raises(FormatError, match="a `turns` column is needed"):
        read(path)


def test_parquet_timestamp_columns_are_read_as_iso_8601_in_utc(tmp_path: Path) -> None:
    aware = dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)
    naive = dt.datetime(2026, 10, 1, 10, 5)  # a timestamp without a zone is taken as UTC
    turns_table = pa.table(
        {
            "conversation_id": ["c1", "c1"],
            "speaker": ["customer", "agent"],
            "text": ["Bonjour", "Bonjour madame"],
            "ts": pa.array([aware, aware], type=pa.timestamp("s", tz="UTC")),
        }
    )
    pq.write_table(turns_table, tmp_path / "turns.parquet")
    conversations_table = pa.table(
        {
            "id": ["c1"],
            "turns": [[{"speaker": "customer", "text": "Hello", "ts": naive}]],
        }
    )
    pq.write_table(conversations_table, tmp_path / "conversations.parquet")
    from_turns = read(tmp_path / "turns.parquet")
    from_conversations = read(tmp_path / "conversations.parquet")
    assert not bad(from_turns)
    assert not bad(from_conversations)
    assert [turn["ts"] for turn in good(from_turns)[0][1]["turns"]] == ["2026-10-01T10:00:00Z"] * 2
    assert good(from_conversations)[0][1]["turns"][0]["ts"] == "2026-10-01T10:05:00Z"
    json.dumps(good(from_conversations)[0][1])  # the record is plain JSON, as a report needs


# --- the examples --------------------------------------------------------------------------------


def test_the_csv_and_jsonl_examples_hold_the_same_conversations() -> None:
    from_jsonl = read(EXAMPLES / "conversations.jsonl")
    from_csv = read(EXAMPLES / "turns.csv")
    assert not bad(from_jsonl)
    assert not bad(from_csv)
    assert len(from_jsonl) >= 2

    def summary(items: list[Item]) -> list[tuple[str, list[tuple[str, str, str | None]]]]:
        return [
            (fields["id"], [(turn["speaker"], turn["text"], turn.get("ts")) for turn in fields["turns"]])
            for _, fields in good(items)
        ]

    assert summary(from_csv) == summary(from_jsonl)


def test_parquet_metadata_of_any_column_type_is_plain_json(tmp_path: Path) -> None:
    # Decimals, dates, durations and bytes have no JSON form of their own: they were a traceback.
    metadata = pa.array(
        [
            {
                "amount": decimal.Decimal("1.50"),
                "day": dt.date(2026, 1, 2),
                "wait": dt.timedelta(minutes=2),
                "raw": b"\x00\xff",
                "ref": b"A-12",
                "score": math.nan,  # written as NaN, the reports were not JSON any more
                "ceiling": math.inf,
            }
        ],
        pa.struct(
            [
                ("amount", pa.decimal128(5, 2)),
                ("day", pa.date32()),
                ("wait", pa.duration("s")),
                ("raw", pa.binary()),
                ("ref", pa.binary()),
                ("score", pa.float64()),
                ("ceiling", pa.float64()),
            ]
        ),
    )
    table = pa.table(
        {"id": ["m1"], "turns": [[{"speaker": "customer", "text": "Hello"}]], "metadata": metadata}
    )
    pq.write_table(table, tmp_path / "conversations.parquet")
    (item,) = read(tmp_path / "conversations.parquet")
    assert not isinstance(item, Rejected)
    assert item[1]["metadata"] == {
        "amount": "1.50",
        "day": "2026-01-02",
        "wait": 120.0,
        "raw": "AP8=",
        "ref": "A-12",
        "score": None,
        "ceiling": None,
    }
    json.dumps(item[1], allow_nan=False)


def test_a_conversation_whose_id_was_already_read_is_refused_naming_where_it_was(tmp_path: Path) -> None:
    # Read twice (a file exported twice over), its report would count twice in every aggregate.
    table = pa.table(
        {
            "id": ["c1", "c2", "c1"],
            "turns": pa.array(
                [[{"speaker": "customer", "text": "Colis perdu", "ts": None}]] * 3, type=pa.list_(TURN_TYPE)
            ),
        }
    )
    path = tmp_path / "conversations.parquet"
    pq.write_table(table, path)
    items = read(path)
    assert bad(items) == [Rejected(3, "conversation 'c1' is already above (row 1): it would count twice")]
    assert [fields["id"] for _, fields in good(items)] == ["c1", "c2"]


def test_parquet_text_held_as_bytes_that_are_not_utf8_is_refused_not_read_as_base64(tmp_path: Path) -> None:
    # b"\xff\xfe" was read as the message "//4=".
    rows = pa.table(
        {
            "conversation_id": ["c1", "c1", "c2"],
            "speaker": ["customer", "agent", "customer"],
            "text": pa.array([b"Bonjour", b"\xff\xfe", b"Merci"], pa.binary()),
        }
    )
    pq.write_table(rows, tmp_path / "turns.parquet")
    items = read(tmp_path / "turns.parquet")
    assert bad(items) == [
        Rejected(
            1, "a turn of the conversation cannot be read, line 2: invalid text (UTF-8 expected) at byte 0"
        )
    ]
    assert good(items) == [(3, {"id": "c2", "turns": [{"speaker": "customer", "text": "Merci"}]})]
    turn = pa.struct([("speaker", pa.string()), ("text", pa.binary())])
    conversations = pa.table(
        {"id": ["m1"], "turns": pa.array([[{"speaker": "customer", "text": b"caf\xe9"}]], pa.list_(turn))}
    )
    pq.write_table(conversations, tmp_path / "conversations.parquet")
    assert read(tmp_path / "conversations.parquet") == [
        Rejected(1, "invalid text (UTF-8 expected) at byte 3")
    ]


def test_first_positions_finds_every_id_across_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FirstPositions, "MERGE", 4)  # many merges into the sorted arrays
    first = FirstPositions()
    ids = [f"conv-{number}" for number in range(50)]
    firsts = [first.setdefault(ident, line, -line) for line, ident in enumerate(ids, start=1)]
    assert firsts == [(line, -line) for line in range(1, 51)]
    again = [first.setdefault(ident, 999, 999) for ident in reversed(ids)]
    assert again == [(line, -line) for line in range(50, 0, -1)]  # the first position and mark stay
    assert first.get("conv-7") == 8
    assert first.get("never-read") is None


def test_first_positions_keeps_some_sixteen_bytes_an_id() -> None:
    # A dict of the ids took 71 MB for 577,000 conversations, most of `ressenti batch`'s memory.
    tracemalloc.start()
    try:
        first = FirstPositions()
        for line in range(200_000):
            first.setdefault(f"conv-en-{line:06d}-{line % 7}", line)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 200_000 * 40


# --- times that are no time ----------------------------------------------------------------------

ODD_TIMES: list[object] = [12345, "not a date", "2026-13-45T10:00:00Z", {"at": "10:00"}]


def ts_note(turn: int, value: object) -> str:
    return (
        f"turn {turn}: `ts` {value!r} is not an ISO 8601 date and time (such as 2026-01-01T10:00:00Z); "
        "the turn is read without it"
    )


@pytest.mark.parametrize("value", ODD_TIMES)
def test_jsonl_a_turn_whose_ts_is_no_date_is_read_without_it_and_noted_before_its_conversation(
    tmp_path: Path, value: object
) -> None:
    # It was kept as given (12345, 'not a date' in the report's turns), or a whole conversation was
    # refused for it (an object); a time without its zone is a time all the same and stays.
    record = conversation("c1", "Bonjour", "Bonjour madame", "Merci")
    record["turns"][0]["ts"] = "2026-01-01T10:00:00"
    record["turns"][1]["ts"] = value
    path = write_lines(tmp_path / "c.jsonl", conversation("c0", "Salut"), record)
    items = read(path)
    assert items[1:] == [Noted(2, ts_note(2, value), within=2), good(items)[1]]
    turns = good(items)[1][1]["turns"]
    assert [turn.get("ts") for turn in turns] == ["2026-01-01T10:00:00", None, None]
    assert [turn["text"] for turn in turns] == ["Bonjour", "Bonjour madame", "Merci"]


def test_csv_a_turn_whose_ts_is_no_date_is_noted_at_its_own_line(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "turns.csv",
        "conversation_id,speaker,text,ts\n"
        "c1,customer,Bonjour,2026-01-01T10:00:00Z\n"
        "c1,agent,Bonjour madame,12345\n"  # line 3
        "c1,customer,Merci,not a date\n"  # line 4
        "c2,customer,Ok,2026-01-01\n",
    )
    items = read(path)
    assert noted(items) == [
        Noted(3, ts_note(2, "12345"), within=2),
        Noted(4, ts_note(3, "not a date"), within=2),
    ]
    assert items.index(noted(items)[1]) + 1 == items.index(good(items)[0])  # just before c1
    c1, c2 = (fields for _, fields in good(items))
    assert [turn.get("ts") for turn in c1["turns"]] == ["2026-01-01T10:00:00Z", None, None]
    assert c2["turns"][0]["ts"] == "2026-01-01"


def test_parquet_a_turn_whose_ts_is_no_date_is_noted_at_its_row_in_both_layouts(tmp_path: Path) -> None:
    rows = tmp_path / "turns.parquet"
    pq.write_table(
        pa.table(
            {
                "conversation_id": ["c1", "c1"],
                "speaker": ["customer", "agent"],
                "text": ["a", "b"],
                "ts": [1767261600, 12345],
            }
        ),
        rows,
    )
    assert noted(read(rows)) == [Noted(1, ts_note(1, 1767261600), within=1), Noted(2, ts_note(2, 12345), 1)]
    nested = tmp_path / "conversations.parquet"
    turns = [{"speaker": "customer", "text": "a", "ts": "hier"}]
    pq.write_table(pa.table({"id": ["c1"], "turns": [turns]}), nested)
    items = read(nested)
    assert items == [
        Noted(1, ts_note(1, "hier"), within=1),
        (1, {"id": "c1", "turns": [{"speaker": "customer", "text": "a"}]}),
    ]


def test_the_notes_of_a_conversation_refused_are_not_said(tmp_path: Path) -> None:
    # Refused (read twice, or no customer turn): it is skipped, and said so, once.
    twice = conversation("c1", "Bonjour")
    twice["turns"][0]["ts"] = "n/a"
    no_customer = {"id": "c2", "turns": [{"speaker": "agent", "text": "Re", "ts": "n/a"}]}
    path = write_lines(tmp_path / "c.jsonl", conversation("c1", "Salut"), twice, no_customer)
    items = read(path)
    assert not noted(items)
    assert [item.line for item in bad(items)] == [2, 3]


def test_a_ts_note_is_said_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    record = conversation("c1", "Bonjour")
    record["turns"][0]["ts"] = 12345
    (note,) = noted(read(write_lines(tmp_path / "c.jsonl", record)))
    assert note.reason == (
        "tour 1 : `ts` 12345 n'est pas une date ISO 8601 (comme 2026-01-01T10:00:00Z) ; le tour est lu sans"
    )
