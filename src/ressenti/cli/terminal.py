"""What the commands write to a terminal, or to a log standing in for one: the error stream."""

from __future__ import annotations

from rich.console import Console


def error_console() -> Console:
    """The console of standard error: warnings, skipped records, summaries, progress.

    It never wraps a line: stderr sent to a file or a pipe would otherwise be cut at 80 columns, one
    record's reason split over lines that ``grep`` no longer finds whole (a terminal still folds a long
    line on screen by itself). Nothing in it is highlighted: a record's reason is shown as it is."""
    return Console(stderr=True, highlight=False, soft_wrap=True)
