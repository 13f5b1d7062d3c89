"""What the commands check about the files they are given, before reading or writing any."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import click

from ressenti.i18n import message


def refuse_same_file(input_path: str | Path, output_path: str | Path) -> None:
    """Writing a run's output over its own input would destroy the input as it is read: a usage error."""
    source, target = Path(input_path), Path(output_path)
    if str(source) == "-" or str(target) == "-" or not (source.is_file() and target.exists()):
        return
    if source.samefile(target):
        raise click.UsageError(message("same_file", path=target))


@contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """Where to write a run's output: a file beside ``path`` that replaces it once the run has finished,
    so a run stopped by an error (a CSV without its ``text`` column) leaves the previous output as it
    was. A device or a pipe (``/dev/stdout``) is written directly."""
    if path.exists() and not path.is_file():
        yield path
        return
    path = path.resolve() if path.is_symlink() else path  # the file the link names is replaced, not the link
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        partial.replace(path)
    finally:
        # Not there (put in place, or never made: its folder may be a file) is no error, and no error
        # of this clean-up may hide the run's own (which names the output, not this hidden file).
        with suppress(OSError):
            partial.unlink()
