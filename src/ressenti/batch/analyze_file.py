"""Reading a whole file of messages: records in, each with its ``analysis``, out as JSONL.

Streams in chunks, so memory stays flat whatever the file's size; bad records are reported through
``on_rejected`` and skipped, and the run goes on. A record whose ``id`` an earlier one has is read all
the same (messages exported twice, or ids that are not unique to begin with: which one is wrong is
the user's to say), and reported through ``on_duplicate`` with both lines, as ``ressenti batch``
names the first line of a conversation read twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from ressenti.analysis.engine import Engine
from ressenti.batch.conversations import FirstPositions
from ressenti.batch.records import Format, Record, Rejected, read_records

CHUNK = 512  # records scored together: large enough to spread numpy's fixed costs, small for memory


@dataclass(slots=True)
class FileReport:
    """What a run did."""

    read: int = 0
    written: int = 0
    skipped: int = 0
    truncated: int = 0  # written records whose text was read on its first ``MAX_CHARS`` characters only
    duplicates: int = 0  # records whose ``id`` an earlier record has (read and written all the same)


def analyze_stream(
    engine: Engine,
    source: BinaryIO,
    fmt: Format,
    sink: TextIO,
    *,
    on_rejected: Callable[[Rejected], None],
    on_progress: Callable[[int], None] | None = None,
    chunk: int = CHUNK,
    lang: str | None = None,
    on_duplicate: Callable[[Record, int], None] | None = None,
) -> FileReport:
    """Read every record of ``source``, write each good one with its reading to ``sink``; ``lang`` is
    the language of the records that give none (detected when it is None too). A record whose ``id``
    was met before is given to ``on_duplicate`` with the first one's line, then read as the others."""
    report = FileReport()
    pending: list[Record] = []
    seen = FirstPositions()  # some 24 bytes an id: flat memory on the largest files

    def flush() -> None:
        readings = engine.analyze_batch([r.text for r in pending], [r.lang or lang for r in pending])
        for record, reading in zip(pending, readings, strict=True):
            report.truncated += reading.truncated
            sink.write(json.dumps({**record.fields, "analysis": reading.to_dict()}, ensure_ascii=False))
            sink.write("\n")
        report.written += len(pending)
        pending.clear()
        if on_progress is not None and source.seekable():
            on_progress(source.tell())

    for item in read_records(source, fmt):
        if isinstance(item, Rejected):
            report.skipped += 1
            on_rejected(item)
            continue
        report.read += 1
        first = _first_line(seen, item)
        if first is not None:
            report.duplicates += 1
            if on_duplicate is not None:
                on_duplicate(item, first)
        pending.append(item)
        if len(pending) >= chunk:
            flush()
    if pending:
        flush()
    report.read += report.skipped
    return report


def _first_line(seen: FirstPositions, record: Record) -> int | None:
    """The line of the first record with this record's ``id``, when it is not this one; None for a record
    without an id (absent, null or empty: nothing to tell apart)."""
    ident = record.fields.get("id")
    if ident is None or ident == "":
        return None
    first, _ = seen.setdefault(str(ident), record.line)
    return None if first == record.line else first
