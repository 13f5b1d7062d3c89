"""How every evaluation reads its rows: what is refused whole, what ``--limit`` counts, what is left out.

- A file that is not of the task's kind at all is refused once, with why, rather than line by line
  (umsab's tweets given to the behaviour task used to print 4,326 lines "no `agent` text"): one whose
  first bytes say it is not text (Parquet, gzip, zip), or whose first ``PROBE`` rows are all bad, or
  whose rows are all bad when nothing else was scored. The bad rows at a file's start are held until a
  good row shows it is of the task's kind, then reported in order.
- ``--limit N`` is the first N rows (of the language) that can be read: a row left out for want of a
  label is one of them (it was read, and said so), a line that cannot be read is none (it is no row).
  ``LimitReachedError`` says the N-th was met, whichever task reads.
- The rows that are not scored are counted once each, apart: ``skipped`` (bad: each given to
  ``on_skipped`` with its file, line and why) and ``unlabelled`` (read, but with no usable label for the
  task), so that the heading and the footer of ``ressenti evaluate`` tell the same account.
"""

from __future__ import annotations

from pathlib import Path

from ressenti.corpora import BadRow, BadRowError, OnBad
from ressenti.errors import EvaluationError
from ressenti.i18n import message

PROBE = 20  # the first rows of a file that tell whether it is of the task's kind
# What a file's first bytes say it is, when it is not text at all.
SIGNATURES = ((b"PAR1", "Parquet"), (b"\x1f\x8b", "gzip"), (b"PK\x03\x04", "zip"))


class LimitReachedError(Exception):
    """The ``limit`` rows are read: the reading stops there (raised through the readers' callbacks)."""


class Reading:
    """The account of one evaluation's rows: feed it each row as it is met (``start`` a file, then
    ``bad``, ``good`` or ``left_out`` for each row, ``finish`` at the end); it reports, counts and says
    when to stop.

    Without ``on_skipped`` (a library caller), the first bad row raises ``BadRowError``."""

    def __init__(self, task: str, limit: int | None, on_skipped: OnBad | None) -> None:
        self.task = task
        self.limit = limit
        self.skipped = 0
        self.unlabelled = 0
        self._on_skipped = on_skipped
        self._counted = 0  # rows of the language met: scored or left out
        self._held: list[BadRow] = []  # the bad rows at the start of the file being read
        self._settled = True  # whether the file being read showed a good row
        self._good_files = 0  # files that showed one

    def start(self, file: Path) -> None:
        """A file begins; ``EvaluationError`` when its first bytes say it is not text."""
        self._end_file(last=False)
        refuse_binary(file)
        self._settled = False

    def bad(self, row: BadRow) -> None:
        """A row that cannot be used: reported (or held, at a file's start) and counted, but none of the
        ``limit``'s. ``EvaluationError`` when the file's first ``PROBE`` rows are all bad."""
        if self._on_skipped is None:
            raise BadRowError(row)
        self.skipped += 1
        if self._settled:
            self._on_skipped(row)
        else:
            self._held.append(row)
            if len(self._held) >= PROBE:
                raise self._wrong_kind()

    def good(self) -> None:
        """A row of the task's kind was read (of any language): the file is one; what was held is said."""
        if not self._settled:
            self._settled = True
            self._good_files += 1
            self._release()

    def left_out(self) -> None:
        """A row of the language with no usable label for the task: counted apart, one of the ``limit``."""
        self.good()
        self.unlabelled += 1
        self._count()

    def scored(self) -> None:
        """A row of the language is kept to be scored: one of the ``limit``."""
        self.good()
        self._count()

    def finish(self) -> None:
        """The reading is over (all read, or the ``limit``): the bad rows still held are said, or, when
        no file showed a good row, the file is refused once with the first one's reason."""
        self._end_file(last=True)

    def _end_file(self, *, last: bool) -> None:
        """The file read ends: what it held is said, or refused once when nothing at all was good."""
        if last and self._held and not self._good_files:
            raise self._wrong_kind()
        self._release()
        self._settled = True

    def _release(self) -> None:
        held, self._held = self._held, []
        for row in held:
            assert self._on_skipped is not None
            self._on_skipped(row)

    def _count(self) -> None:
        """One more of the ``limit``'s rows; ``LimitReachedError`` once it was the last."""
        self._counted += 1
        if self.limit is not None and self._counted >= self.limit:
            raise LimitReachedError()

    def _wrong_kind(self) -> EvaluationError:
        first = self._held[0]
        return EvaluationError(
            message(
                "eval_wrong_kind",
                name=first.file,
                task=self.task,
                count=len(self._held),
                line=first.line,
                reason=first.reason,
            )
        )


def refuse_binary(file: Path) -> None:
    """``EvaluationError`` when ``file`` starts as a Parquet, gzip or zip file does: not JSON Lines, whose
    every line would be refused as not text."""
    try:
        with file.open("rb") as handle:
            start = handle.read(4)
    except OSError:
        return  # said by the reader that opens it, with why
    for signature, kind in SIGNATURES:
        if start.startswith(signature):
            raise EvaluationError(message("eval_not_jsonl", name=file.name, kind=kind))
