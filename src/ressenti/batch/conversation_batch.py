"""Reading many conversations into reports: chunked, resumable, on this machine or on Dask.

Reports are written in input order, each with the ``position`` (line, row or message number) of its
conversation in the input, so that ``resume`` knows exactly where an interrupted run stopped: nothing
is lost and nothing doubled. A chunk is read the same way wherever it runs, so the results do not
depend on the chunk size nor on the engine (local or Dask).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from ressenti.batch.conversations import Good, Noted, read_conversations
from ressenti.batch.records import PARQUET_SUFFIXES, Rejected, names_jsonl
from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import conversation_from_dict
from ressenti.errors import ClusterError, FormatError, InputError
from ressenti.i18n import message

CHUNK = 64  # conversations per chunk (~600 customer turns: one engine batch)
SCHEDULER_TIMEOUT = 10.0  # seconds to reach a Dask scheduler given by address
OutputFormat = Literal["jsonl", "parquet"]
_analyzer: ConversationAnalyzer | None = None  # one per process: a Dask worker loads it once


def _shared_analyzer() -> ConversationAnalyzer:
    global _analyzer
    if _analyzer is None:
        _analyzer = ConversationAnalyzer()
    return _analyzer


def _warm() -> str:
    """Load the analyzer in this process (a Dask worker) ahead of its first chunk."""
    return _shared_analyzer().engine.version


def process_chunk(items: list[Good]) -> list[str]:
    """The JSON reports of a chunk of checked conversation records, in order (runs on any worker)."""
    analyzer = _shared_analyzer()
    reports = analyzer.analyze_many([conversation_from_dict(fields) for _, fields in items])
    return [
        json.dumps({"position": position, **report}, ensure_ascii=False)
        for (position, _), report in zip(items, reports, strict=True)
    ]


class Sink(Protocol):
    def done(self) -> tuple[int, str | None]: ...  # the last position written, and its conversation
    def write(self, lines: list[str]) -> None: ...
    def close(self) -> None: ...


class JsonlSink:
    """Reports as JSONL, appended chunk by chunk and flushed to disk after each."""

    def __init__(self, path: Path, *, resume: bool) -> None:
        self.path = path
        self._done, self._last_id = self._recover() if resume and path.exists() else (0, None)
        self.handle = path.open("ab" if resume else "wb")
        # A regular file is synced after each chunk; a device or a pipe (/dev/null) cannot be.
        self._durable = stat.S_ISREG(os.fstat(self.handle.fileno()).st_mode)

    def _recover(self) -> tuple[int, str | None]:
        """The position and conversation id of the last complete report; a half-written last line is
        cut off."""
        with self.path.open("rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            end = size
            block = 1 << 16
            tail = b""
            while end > 0:
                start = max(0, end - block)
                handle.seek(start)
                tail = handle.read(end - start) + tail
                end = start
                if tail.count(b"\n") >= 2 or (end == 0 and tail):
                    break
            complete = tail[: tail.rfind(b"\n") + 1] if b"\n" in tail else b""
            keep = size - (len(tail) - len(complete))
            if keep != size:
                handle.truncate(keep)
            lines = complete.rstrip(b"\n").split(b"\n")
            if not lines or not lines[-1]:
                return 0, None
            try:
                last = json.loads(lines[-1])
                return int(last["position"]), str(last["id"])
            except (ValueError, KeyError, TypeError):
                raise FormatError(message("resume_unreadable", path=self.path)) from None

    def done(self) -> tuple[int, str | None]:
        return self._done, self._last_id

    def write(self, lines: list[str]) -> None:
        self.handle.write("".join(line + "\n" for line in lines).encode("utf-8"))
        self.handle.flush()
        if self._durable:
            os.fsync(self.handle.fileno())

    def close(self) -> None:
        self.handle.close()


PARQUET_COLUMNS = (
    "position",
    "id",
    "channel",
    "lang",
    "agent_id",
    "team_id",
    "sentiment",
    "satisfaction",
    "motive",
    "recovered",
    "deteriorated",
    "report",
)


class ParquetSink:
    """Reports as Parquet: each chunk a finished part file, joined into one file at the end.

    A part is written under a temporary name and renamed, so a killed run leaves only whole parts.
    """

    def __init__(self, path: Path, *, resume: bool) -> None:
        import pyarrow as pa

        self.path = path
        self.parts = path.with_name(path.name + ".parts")
        if not resume:
            shutil.rmtree(self.parts, ignore_errors=True)
        # A run that ended (finished, or stopped cleanly) left one file: it becomes the first part, once
        # it is known to be our reports (any other file stays where it is, untouched).
        ended = resume and path.exists() and not any(self.parts.glob("part-*.parquet"))
        if ended:
            self._last_position(path)
        self.parts.mkdir(parents=True, exist_ok=True)
        self.schema = pa.schema(
            [
                ("position", pa.int64()),
                ("id", pa.string()),
                ("channel", pa.string()),
                ("lang", pa.string()),
                ("agent_id", pa.string()),
                ("team_id", pa.string()),
                ("sentiment", pa.string()),
                ("satisfaction", pa.int8()),
                ("motive", pa.string()),
                ("recovered", pa.bool_()),
                ("deteriorated", pa.bool_()),
                ("report", pa.string()),
            ]
        )
        if ended:
            path.replace(self.parts / "part-00000000.parquet")
        self._done: tuple[int, str | None] = (0, None)
        self._count = 0
        for part in sorted(self.parts.glob("part-*.parquet")):
            self._count = max(self._count, int(part.stem.split("-")[1]))
            self._done = max(self._done, self._last_position(part), key=lambda done: done[0])

    @staticmethod
    def _last_position(file: Path) -> tuple[int, str | None]:
        """The last position written in a part (or a previous run's file), which must be our reports,
        and the id of its conversation."""
        import pyarrow.parquet as pq

        refused = FormatError(message("resume_not_reports", path=file))
        try:
            source = pq.ParquetFile(file)
        except Exception:  # pyarrow's own errors: not Parquet, or damaged
            raise refused from None
        if not {"position", "id", "report"} <= set(source.schema_arrow.names):
            raise refused
        try:  # only positions and ids are read: the reports of a large file would not fit in memory
            table = source.read(columns=["position", "id"])
            positions = table.column("position").to_pylist()
            ids = table.column("id").to_pylist()
        except Exception:
            raise refused from None
        if not positions:
            return 0, None
        last = max(range(len(positions)), key=positions.__getitem__)
        return int(positions[last]), ids[last]

    def done(self) -> tuple[int, str | None]:
        return self._done

    def write(self, lines: list[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = []
        for line in lines:
            report = json.loads(line)
            path = report["trajectory"]
            rows.append(
                {
                    "position": report["position"],
                    "id": report["id"],
                    "channel": report["channel"],
                    "lang": report["lang"],
                    "agent_id": report["agent_id"],
                    "team_id": report["team_id"],
                    "sentiment": report["sentiment"],
                    "satisfaction": report["satisfaction"]["score"],
                    "motive": report["motive"],
                    "recovered": path["recovered"],
                    "deteriorated": path["deteriorated"],
                    "report": line,
                }
            )
        self._count += 1
        final = self.parts / f"part-{self._count:08d}.parquet"
        temporary = final.with_suffix(".tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=self.schema), temporary)
        temporary.replace(final)

    def close(self) -> None:
        import pyarrow.parquet as pq

        parts = sorted(self.parts.glob("part-*.parquet"))
        temporary = self.path.with_name(self.path.name + ".tmp")
        with pq.ParquetWriter(temporary, self.schema) as writer:
            for part in parts:
                writer.write_table(pq.read_table(part, schema=self.schema))
        temporary.replace(self.path)
        shutil.rmtree(self.parts, ignore_errors=True)


def output_format(path: Path, explicit: str | None = None) -> OutputFormat:
    """The format named, or the one the output's suffix tells; a suffix that tells another format
    (``reports.csv``) is refused rather than given JSONL under its name."""
    if explicit in ("jsonl", "parquet"):
        return explicit  # type: ignore[return-value]
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return "parquet"
    if names_jsonl(path):
        return "jsonl"
    raise FormatError(message("batch_output_format", path=path))


@dataclass(slots=True)
class BatchSummary:
    """What a run did."""

    written: int = 0
    skipped: int = 0
    already_done: int = 0


def _chunks(items: Iterable[Good], size: int) -> Iterator[list[Good]]:
    chunk: list[Good] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Runner(Protocol):
    def __call__(self, chunks: Iterator[list[Good]], write: Callable[[list[str]], None]) -> None: ...


def run_local(chunks: Iterator[list[Good]], write: Callable[[list[str]], None]) -> None:
    """Every chunk in this process, one after the other."""
    for chunk in chunks:
        write(process_chunk(chunk))


@contextmanager
def scheduler_client(address: str, timeout: float = SCHEDULER_TIMEOUT) -> Iterator[Any]:
    """A client of the Dask scheduler at ``address``, connected once, to be given to ``dask_runner``
    (closed when the block ends): connected before any output is opened, an address that is malformed or
    that nothing answers is an ``InputError`` saying so, and a previous run's output stays as it was."""
    from dask import distributed

    dask: Any = distributed  # untyped library
    try:
        client = dask.Client(address, timeout=timeout)
    except (OSError, ValueError, TimeoutError) as error:
        raise InputError(message("scheduler_unreachable", address=address, error=error)) from None
    with client:
        yield client


def dask_runner(workers: int = 2, *, client: Any = None) -> Runner:
    """Chunks spread over a Dask cluster (``client``'s, connected by ``scheduler_client``, or else a
    local one of ``workers`` processes), a few in flight per worker,
    written back in input order. What fails on the cluster's side (a worker killed, the scheduler gone)
    is a ``ClusterError`` saying so; what fails reading the input or writing the output is raised as it
    is."""

    def run(chunks: Iterator[list[Good]], write: Callable[[list[str]], None]) -> None:
        from dask import distributed

        dask: Any = distributed  # untyped library: its calls are checked by the tests, not by mypy

        def read() -> Iterator[list[Good]]:
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    return
                except Exception as error:
                    raise _PassedError(error) from error
                yield chunk

        def written(lines: list[str]) -> None:
            try:
                write(lines)
            except Exception as error:
                raise _PassedError(error) from error

        try:
            _run_on_dask(dask, client, workers, read(), written)
        except _PassedError as passed:
            raise passed.error from None
        except Exception as error:  # KilledWorker, a lost connection, a cancelled task… all Dask's own
            raise ClusterError(message("dask_failed", error=_described(error))) from None

    return run


class _PassedError(Exception):
    """An error of the input or the output met while running on Dask: not the cluster's."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


@contextmanager
def _workers_deaf_to_ctrl_c() -> Iterator[None]:
    """Worker processes started meanwhile ignore Ctrl-C, which the terminal sends to them too: each
    printed its own KeyboardInterrupt traceback. This process stops the run, and its cluster then
    closes them. (Python leaves an ignored SIGINT ignored in the processes it starts.)"""
    if threading.current_thread() is not threading.main_thread():  # only the main thread sets handlers
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _described(error: BaseException) -> str:
    """An exception as a person can read it, even one that says nothing of itself."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _run_on_dask(
    dask: Any,
    client: Any,
    workers: int,
    chunks: Iterator[list[Good]],
    write: Callable[[list[str]], None],
) -> None:
    """``dask_runner``'s work: chunks submitted, a few in flight per worker, written in input order, on
    ``client`` (connected already: used, left open) or, when None, on a local cluster of ``workers``."""
    with ExitStack() as stack:
        if client is None:
            with _workers_deaf_to_ctrl_c():
                cluster = stack.enter_context(
                    dask.LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                    )
                )
            client = stack.enter_context(dask.Client(cluster))
        client.run(_warm)  # every worker loads the engine once, before the first chunk is timed
        in_flight: deque[Any] = deque()
        limit = 3 * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        for chunk in chunks:
            in_flight.append(client.submit(process_chunk, chunk, pure=False))
            while len(in_flight) >= limit:
                write(in_flight.popleft().result())
        while in_flight:
            write(in_flight.popleft().result())


def run_batch(
    input_path: Path,
    output_path: Path,
    *,
    input_format: str | None = None,
    out_format: str | None = None,
    resume: bool = False,
    chunk: int = CHUNK,
    runner: Runner = run_local,
    agent_domains: tuple[str, ...] = (),
    on_rejected: Callable[[Rejected], None] = lambda rejected: None,
    on_progress: Callable[[int], None] = lambda count: None,
    on_noted: Callable[[Noted], None] = lambda noted: None,
) -> BatchSummary:
    """Read every conversation of ``input_path`` and write its report to ``output_path`` (through it,
    when it is a symbolic link: the file it names is written, the link stays). What is left out of a
    conversation that is read (``Noted``) goes to ``on_noted``, once: not again when resumed."""
    kind = output_format(output_path, out_format)
    output_path = output_path.resolve() if output_path.is_symlink() else output_path
    items = read_conversations(input_path, input_format, agent_domains=agent_domains)
    # The first record is read before the output is opened: an input refused outright (no such
    # columns, not Parquet…) must leave a previous run's output as it was.
    first = next(items, None)
    if first is None:  # nothing to write: "0 conversations written" would pass for a run that worked
        raise InputError(message("batch_input_none", path=input_path))
    sink: Sink = (
        ParquetSink(output_path, resume=resume)
        if kind == "parquet"
        else JsonlSink(output_path, resume=resume)
    )
    summary = BatchSummary()
    done, last_id = sink.done()

    def other_input(found: str | None) -> FormatError:
        """A resumed output that this input did not write: going on would double and lose reports."""
        there = repr(found) if found is not None else message("resume_nothing_there")
        return FormatError(
            message("resume_other_input", path=output_path, position=done, written=last_id, found=there)
        )

    def good() -> Iterator[Good]:
        met = done == 0  # whether the input holds, where the output ends, the conversation written there
        for item in itertools.chain([] if first is None else [first], items):
            if isinstance(item, Noted):
                if item.within > done:
                    on_noted(item)
                continue
            position = item.line if isinstance(item, Rejected) else item[0]
            if position == done and not met:
                found = None if isinstance(item, Rejected) else str(item[1].get("id"))
                if found != last_id:
                    raise other_input(found)
                met = True
            elif position > done and not met:
                raise other_input(None)
            if isinstance(item, Rejected):
                if (item.within or item.line) > done:
                    summary.skipped += 1
                    on_rejected(item)
                continue
            if item[0] <= done:
                summary.already_done += 1
                continue
            yield item
        if not met:
            raise other_input(None)

    def write(lines: list[str]) -> None:
        sink.write(lines)
        summary.written += len(lines)
        on_progress(summary.written)

    try:
        runner(_chunks(good(), chunk), write)
    finally:
        sink.close()
    return summary
