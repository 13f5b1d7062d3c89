"""Many conversations into reports: every one written once, in input order, whatever the chunk size, the
output format or the engine; an interrupted run resumed loses nothing and doubles nothing."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyarrow.parquet as pq
import pytest

from ressenti.batch.conversation_batch import (
    BatchSummary,
    ParquetSink,
    Runner,
    dask_runner,
    process_chunk,
    run_batch,
    run_local,
)
from ressenti.batch.conversations import Good, Noted, read_conversations
from ressenti.batch.records import Rejected
from ressenti.errors import ClusterError, FormatError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "conversations" / "conversations.jsonl"
ONE_CHUNK = 1000  # more than the file holds: the whole file in one chunk


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")


@pytest.fixture(scope="module")
def inputs() -> list[Good]:
    """The conversations of the data file, as read: (line, fields)."""
    items = list(read_conversations(DATA))
    assert all(not isinstance(item, Rejected) for item in items)
    return items  # type: ignore[return-value]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reports of the data file, written in one run, in one chunk."""
    path = tmp_path_factory.mktemp("reference") / "reports.jsonl"
    summary = run_batch(DATA, path, chunk=ONE_CHUNK)
    assert summary == BatchSummary(written=120, skipped=0, already_done=0)
    return path


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def parquet_reports(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in pq.read_table(path).column("report").to_pylist()]


def failing_after(chunks_done: int) -> Runner:
    """A runner that writes ``chunks_done`` chunks, then dies as a killed worker would."""

    def run(chunks: Iterator[list[Good]], write: Callable[[list[str]], None]) -> None:
        for count, chunk in enumerate(chunks):
            if count == chunks_done:
                raise RuntimeError("worker lost")
            write(process_chunk(chunk))

    return run


# --- every conversation, once, in order ----------------------------------------------------------


def test_every_conversation_is_written_once_in_input_order_with_its_position(
    reference: Path, inputs: list[Good]
) -> None:
    reports = lines_of(reference)
    assert len(inputs) == 120
    assert [(report["position"], report["id"]) for report in reports] == [
        (position, fields["id"]) for position, fields in inputs
    ]
    assert [report["position"] for report in reports] == list(range(1, 121))  # one conversation a line
    assert all("trajectory" in report and "satisfaction" in report for report in reports)


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_the_reports_do_not_depend_on_the_chunk_size(tmp_path: Path, reference: Path, chunk: int) -> None:
    output = tmp_path / "reports.jsonl"
    progress: list[int] = []
    summary = run_batch(DATA, output, chunk=chunk, on_progress=progress.append)
    assert summary == BatchSummary(written=120, skipped=0, already_done=0)
    assert output.read_bytes() == reference.read_bytes()
    assert progress == sorted(progress)
    assert progress[-1] == 120
    assert len(progress) == -(-120 // chunk)  # one progress call a chunk


def test_parquet_output_holds_the_same_reports_and_their_key_fields(tmp_path: Path, reference: Path) -> None:
    output = tmp_path / "reports.parquet"
    summary = run_batch(DATA, output, chunk=7)
    assert summary.written == 120
    expected = lines_of(reference)
    assert parquet_reports(output) == expected
    table = pq.read_table(output).to_pylist()
    assert [row["position"] for row in table] == [report["position"] for report in expected]
    assert [row["id"] for row in table] == [report["id"] for report in expected]
    assert [row["satisfaction"] for row in table] == [report["satisfaction"]["score"] for report in expected]
    assert [row["recovered"] for row in table] == [report["trajectory"]["recovered"] for report in expected]
    assert not output.with_name(output.name + ".parts").exists()


def test_the_output_format_can_be_named_whatever_the_suffix(tmp_path: Path, reference: Path) -> None:
    output = tmp_path / "reports.out"
    run_batch(DATA, output, out_format="parquet")
    assert parquet_reports(output) == lines_of(reference)


def test_without_resume_an_existing_output_is_replaced(tmp_path: Path, reference: Path) -> None:
    output = tmp_path / "reports.jsonl"
    output.write_text('{"position": 999, "id": "stale"}\n', encoding="utf-8")
    run_batch(DATA, output)
    assert output.read_bytes() == reference.read_bytes()


# --- resume --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cut", "done"),
    [
        ("middle", 29),  # the 30th report half written: it is redone
        ("boundary", 30),  # the run died between two writes
        ("first", 0),  # not even one whole report
    ],
)
def test_resume_after_a_killed_run_writes_every_conversation_exactly_once(
    tmp_path: Path, reference: Path, cut: str, done: int
) -> None:
    output = tmp_path / "reports.jsonl"
    with pytest.raises(RuntimeError, match="worker lost"):
        run_batch(DATA, output, chunk=10, runner=failing_after(3))
    written = output.read_bytes()
    assert written.count(b"\n") == 30
    ends = [index + 1 for index, byte in enumerate(written) if byte == ord("\n")]
    if cut == "middle":
        output.write_bytes(written[: ends[28] + (ends[29] - ends[28]) // 2])
    elif cut == "first":
        output.write_bytes(written[: ends[0] // 2])
    summary = run_batch(DATA, output, chunk=10, resume=True)
    assert summary == BatchSummary(written=120 - done, skipped=0, already_done=done)
    assert output.read_bytes() == reference.read_bytes()


def test_resume_on_a_finished_file_writes_nothing_new(tmp_path: Path, reference: Path) -> None:
    output = tmp_path / "reports.jsonl"
    shutil.copyfile(reference, output)
    summary = run_batch(DATA, output, resume=True)
    assert summary == BatchSummary(written=0, skipped=0, already_done=120)
    assert output.read_bytes() == reference.read_bytes()


def test_resume_on_a_missing_output_starts_from_the_beginning(tmp_path: Path, reference: Path) -> None:
    output = tmp_path / "reports.jsonl"
    summary = run_batch(DATA, output, resume=True)
    assert summary == BatchSummary(written=120, skipped=0, already_done=0)
    assert output.read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("added_on_top", [True, False])  # every position moved down by one; or cut short
@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_resume_from_another_input_is_refused_and_leaves_the_output_as_it_was(
    tmp_path: Path, reference: Path, added_on_top: bool, suffix: str
) -> None:
    # Resume went by positions alone: onto a changed input it wrote a conversation twice and lost another.
    output = tmp_path / f"reports{suffix}"
    with pytest.raises(RuntimeError, match="worker lost"):
        run_batch(DATA, output, chunk=10, runner=failing_after(3))  # 30 reports written, then it died

    def written() -> object:
        return output.read_bytes() if suffix == ".jsonl" else parquet_reports(output)

    before = written()
    lines = DATA.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = tmp_path / "changed.jsonl"
    new = json.dumps({"id": "new-one", "turns": [{"speaker": "customer", "text": "Bonjour"}]}) + "\n"
    changed.write_text("".join([new, *lines] if added_on_top else lines[:20]), encoding="utf-8")
    reports = lines_of(reference)
    last, found = reports[29], (reports[28]["id"] if added_on_top else None)
    with pytest.raises(FormatError, match="was not written from this input") as refused:
        run_batch(changed, output, chunk=10, resume=True)
    there = repr(found) if found is not None else "no readable conversation"  # it said "None"
    assert f"position {last['position']}, is {last['id']!r}, where the input has {there}." in str(
        refused.value
    )
    assert written() == before


def test_an_input_refused_outright_leaves_an_existing_output_as_it_was(tmp_path: Path) -> None:
    source = tmp_path / "messages.csv"
    source.write_text("id,text\n1,Bonjour\n", encoding="utf-8")
    output = tmp_path / "reports.jsonl"
    output.write_text('{"position": 1, "id": "earlier"}\n', encoding="utf-8")
    with pytest.raises(FormatError, match="lacks the `conversation_id`"):
        run_batch(source, output)
    assert output.read_text(encoding="utf-8") == '{"position": 1, "id": "earlier"}\n'


def test_resume_refuses_an_output_whose_last_line_is_not_a_report(tmp_path: Path) -> None:
    output = tmp_path / "reports.jsonl"
    output.write_text('{"id": "not a report"}\n', encoding="utf-8")
    with pytest.raises(FormatError, match="cannot resume"):
        run_batch(DATA, output, resume=True)
    assert output.read_text(encoding="utf-8") == '{"id": "not a report"}\n'


def test_parquet_a_failed_run_keeps_what_it_wrote_and_resume_finishes(
    tmp_path: Path, reference: Path
) -> None:
    output = tmp_path / "reports.parquet"
    with pytest.raises(RuntimeError, match="worker lost"):
        run_batch(DATA, output, chunk=16, runner=failing_after(2))
    assert [report["position"] for report in parquet_reports(output)] == list(range(1, 33))
    summary = run_batch(DATA, output, chunk=16, resume=True)
    assert summary == BatchSummary(written=88, skipped=0, already_done=32)
    assert parquet_reports(output) == lines_of(reference)
    assert not output.with_name(output.name + ".parts").exists()


def test_parquet_resume_with_parts_left_behind_by_a_killed_run(
    tmp_path: Path, reference: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "reports.parquet"
    parts = output.with_name(output.name + ".parts")
    with monkeypatch.context() as killed:
        killed.setattr(ParquetSink, "close", lambda self: None)  # a killed process closes nothing
        with pytest.raises(RuntimeError, match="worker lost"):
            run_batch(DATA, output, chunk=16, runner=failing_after(2))
    assert not output.exists()
    assert len(list(parts.glob("part-*.parquet"))) == 2
    (parts / "part-00000003.tmp").write_bytes(b"half a part")  # a part being written when killed
    summary = run_batch(DATA, output, chunk=16, resume=True)
    assert summary == BatchSummary(written=88, skipped=0, already_done=32)
    assert parquet_reports(output) == lines_of(reference)
    assert not parts.exists()


def test_parquet_resume_on_a_finished_file_writes_nothing_new(tmp_path: Path, reference: Path) -> None:
    output = tmp_path / "reports.parquet"
    run_batch(DATA, output)
    summary = run_batch(DATA, output, resume=True)
    assert summary == BatchSummary(written=0, skipped=0, already_done=120)
    assert parquet_reports(output) == lines_of(reference)


@pytest.mark.parametrize("kind", ["other-table", "cut-short"])
def test_parquet_resume_on_a_file_that_is_not_our_reports_refuses_and_leaves_it(
    tmp_path: Path, kind: str
) -> None:
    import pyarrow as pa

    output = tmp_path / "reports.parquet"
    if kind == "other-table":
        pq.write_table(pa.table({"a": [1, 2]}), output)
    else:
        run_batch(DATA, output)
        output.write_bytes(output.read_bytes()[:2000])
    before = output.read_bytes()
    with pytest.raises(
        FormatError, match=r"cannot resume: .*reports\.parquet is not a Parquet file of Ressenti"
    ):
        run_batch(DATA, output, resume=True)
    assert output.read_bytes() == before  # still there, as it was: not moved into the parts
    assert not output.with_name("reports.parquet.parts").exists()


# --- bad records ---------------------------------------------------------------------------------


def mixed_input(tmp_path: Path) -> Path:
    """20 conversations of the data file with 3 bad lines: 3 (invalid JSON), 11 (no customer), 23."""
    good_lines = DATA.read_text(encoding="utf-8").splitlines()[:20]
    no_customer = json.dumps({"id": "x1", "turns": [{"speaker": "agent", "text": "Bonjour"}]})
    bad_speaker = json.dumps({"id": "x2", "turns": [{"speaker": "boss", "text": "Hello"}]})
    lines = [*good_lines[:2], '{"id": ', *good_lines[2:9], no_customer, *good_lines[9:], bad_speaker]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_records_are_skipped_counted_and_reported_with_their_line(tmp_path: Path) -> None:
    source = mixed_input(tmp_path)
    output = tmp_path / "reports.jsonl"
    rejected: list[Rejected] = []
    summary = run_batch(source, output, chunk=5, on_rejected=rejected.append)
    assert summary == BatchSummary(written=20, skipped=3, already_done=0)
    assert [item.line for item in rejected] == [3, 11, 23]
    assert rejected[1].reason == "no customer turn"
    assert rejected[2].reason.startswith("turn 1: unknown speaker 'boss'")
    positions = [report["position"] for report in lines_of(output)]
    assert positions == [1, 2, *range(4, 11), *range(12, 23)]


def test_a_resumed_run_does_not_report_again_the_bad_records_before_the_resume_point(tmp_path: Path) -> None:
    source = mixed_input(tmp_path)
    output = tmp_path / "reports.jsonl"
    run_batch(source, output, chunk=5)
    complete = output.read_text(encoding="utf-8")
    output.write_text("".join(complete.splitlines(keepends=True)[:10]), encoding="utf-8")  # up to line 12
    rejected: list[Rejected] = []
    summary = run_batch(source, output, chunk=5, resume=True, on_rejected=rejected.append)
    assert [item.line for item in rejected] == [23]
    assert summary == BatchSummary(written=10, skipped=1, already_done=10)
    assert output.read_text(encoding="utf-8") == complete


def test_a_turn_whose_ts_is_no_date_is_noted_once_and_its_conversation_written_without_it(
    tmp_path: Path,
) -> None:
    # Its ts was written in the report as given ('not a date'); a resumed run must not say it again.
    source = tmp_path / "turns.csv"
    source.write_text(
        "conversation_id,speaker,text,ts\n"
        "c1,customer,Toujours pas reçu ma commande,not a date\n"  # line 2
        "c2,customer,Merci,2026-01-01T10:00:00Z\n"
        "c3,customer,Encore moi,12345\n",  # line 4
        encoding="utf-8",
    )
    output = tmp_path / "reports.jsonl"
    notes: list[Noted] = []
    summary = run_batch(source, output, on_noted=notes.append)
    assert summary == BatchSummary(written=3, skipped=0, already_done=0)
    assert [(note.line, note.within) for note in notes] == [(2, 2), (4, 4)]
    reports = lines_of(output)
    assert [[turn.get("ts") for turn in report["turns"]] for report in reports] == [
        [None],
        ["2026-01-01T10:00:00Z"],
        [None],
    ]
    complete = output.read_text(encoding="utf-8")
    output.write_text("".join(complete.splitlines(keepends=True)[:2]), encoding="utf-8")  # c3 not written
    notes.clear()
    run_batch(source, output, resume=True, on_noted=notes.append)
    assert [note.line for note in notes] == [4]
    assert output.read_text(encoding="utf-8") == complete


def test_csv_resume_does_not_report_again_a_bad_row_after_a_written_conversation(tmp_path: Path) -> None:
    source = tmp_path / "turns.csv"
    source.write_text(
        "conversation_id,speaker,text\n"
        "c1,customer,Toujours pas reçu ma commande\n"  # line 2
        "c1,agent,Je regarde tout de suite\n"
        "c1,agent,Je\rregarde\n"  # line 4: a row the parser cannot read (whose?), reported within c1
        "c2,customer,Merci\n",  # line 5
        encoding="utf-8",
    )
    output = tmp_path / "reports.jsonl"
    run_batch(source, output)
    complete = output.read_text(encoding="utf-8")
    output.write_text(complete.splitlines(keepends=True)[0], encoding="utf-8")  # c1 written, c2 not
    rejected: list[Rejected] = []
    summary = run_batch(source, output, resume=True, on_rejected=rejected.append)
    assert output.read_text(encoding="utf-8") == complete
    assert rejected == []
    assert summary == BatchSummary(written=1, skipped=0, already_done=1)


# --- Dask ----------------------------------------------------------------------------------------


def test_dask_local_cluster_of_two_worker_processes_writes_what_run_local_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dask import distributed

    clusters: list[dict[str, Any]] = []

    class SpyCluster(distributed.LocalCluster):  # type: ignore[misc]
        """The real LocalCluster, noting what it started."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            workers = list(self.workers.values())
            clusters.append(
                {"kinds": [type(worker).__name__ for worker in workers], "pids": [w.pid for w in workers]}
            )

    monkeypatch.setattr(distributed, "LocalCluster", SpyCluster)
    local = tmp_path / "local.jsonl"
    on_dask = tmp_path / "dask.jsonl"
    run_batch(DATA, local, chunk=16, runner=run_local)
    summary = run_batch(DATA, on_dask, chunk=16, runner=dask_runner(workers=2))
    assert summary == BatchSummary(written=120, skipped=0, already_done=0)
    assert [report["position"] for report in lines_of(on_dask)] == list(range(1, 121))
    assert on_dask.read_bytes() == local.read_bytes()
    assert len(clusters) == 1
    assert clusters[0]["kinds"] == ["Nanny", "Nanny"]  # each worker in a process of its own
    pids = clusters[0]["pids"]
    assert len(set(pids)) == 2
    assert os.getpid() not in pids


def test_reports_can_go_to_a_device_such_as_dev_null() -> None:
    """A device cannot be synced to disk: the run must not fail on it (used to time runs)."""
    summary = run_batch(ROOT / "examples" / "conversations.jsonl", Path(os.devnull))
    assert summary.written == 6


def test_dask_a_failure_of_the_cluster_is_a_cluster_error_and_one_of_the_output_is_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A killed worker ended in a KilledWorker traceback, or in "reports.jsonl: None" (the lost
    # connection, an OSError without a file, was blamed on the output).
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    from ressenti.batch import conversation_batch

    for dask_error in (
        KilledWorker("process_chunk-1", SimpleNamespace(address="tcp://127.0.0.1:1"), 3),
        CommClosedError(),
    ):

        def fails_on_the_cluster(*args: Any, error: Exception = dask_error) -> None:
            raise error

        monkeypatch.setattr(conversation_batch, "_run_on_dask", fails_on_the_cluster)
        with pytest.raises(ClusterError, match="the Dask run failed") as caught:
            dask_runner()(iter([]), lambda lines: None)
        assert type(dask_error).__name__ in str(caught.value)
        assert "--resume" in str(caught.value)

    def writes(
        dask: Any, scheduler: Any, workers: int, chunks: Iterator[Any], write: Callable[[list[str]], None]
    ) -> None:
        write(["{}"])

    def full(lines: list[str]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(conversation_batch, "_run_on_dask", writes)
    with pytest.raises(OSError, match="No space left"):  # the output's own error, not the cluster's
        dask_runner()(iter([]), full)


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_an_output_that_is_a_symbolic_link_is_written_through(
    tmp_path: Path, reference: Path, suffix: str
) -> None:
    # A Parquet output replaced the link by a new file; the file it named kept its old content.
    target = tmp_path / f"reports{suffix}"
    target.write_bytes(b"old")
    link = tmp_path / f"latest{suffix}"
    link.symlink_to(target)
    run_batch(DATA, link, chunk=ONE_CHUNK)
    assert link.is_symlink()
    written = lines_of(target) if suffix == ".jsonl" else parquet_reports(target)
    assert written == lines_of(reference)
