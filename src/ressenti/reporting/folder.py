"""A report's folder written whole: prepared beside its place, then put there in one move.

The page, the charts and the aggregates' JSON are written into a new folder beside the output
(``.NAME.partial-PID-…``), which takes the output's place only once every file is complete; on an error
(a full disk) it is removed and the output is left as it was. A previous report is replaced as a
whole, so no chart of an earlier, larger run stays behind. A run killed outright (SIGKILL, a power cut)
cannot remove its folder: the next run over the same output removes those whose process is gone.

Since the folder is replaced as a whole, it may hold nothing but a report of ours: a folder that holds
anything else (a user's own files, a subfolder, an ``index.html`` that Ressenti did not write) is
refused before anything is written, and nothing in it is deleted.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ressenti.errors import OutputError
from ressenti.i18n import message, output_reason
from ressenti.reporting.charts import is_chart_name
from ressenti.reporting.html import written_by_ressenti

INDEX = "index.html"
AGGREGATES = "aggregates.json"
_HEAD = 4096  # bytes of an index.html read to tell whether Ressenti wrote it
_NAMED = 5  # files not ours named when a folder is refused


@contextmanager
def folder_written_whole(out_dir: Path, lang: str | None = None) -> Iterator[Path]:
    """Where to write a report: a new folder beside ``out_dir`` that replaces it once the block has
    finished without an error, and is removed otherwise.

    Raises ``OutputError`` (in ``lang``) when ``out_dir`` holds files that are not a report's, or when
    no folder can be made beside it. A link to a folder: the folder it points to is replaced, the link
    is kept."""
    place = Path(os.path.realpath(out_dir))
    previous = place.is_dir()
    if previous:
        strangers = not_ours(place)
        if strangers:
            names = ", ".join(strangers[:_NAMED]) + (", …" if len(strangers) > _NAMED else "")
            raise OutputError(message("report_folder_not_ours", lang, path=out_dir, names=names))
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:  # a file where the path needs a folder: said as such
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(place.parent)) from error
    _remove_left_behind(place)
    try:
        partial = _beside(place, "partial")
        partial.mkdir()
    except OSError as error:
        reason = output_reason(error, lang)
        raise OutputError(
            message("report_no_room_beside", lang, parent=place.parent, error=reason, path=out_dir)
        ) from error
    try:
        yield partial
        if previous:  # the report is read by whom the previous one was (a web server, a team)
            partial.chmod(stat.S_IMODE(place.stat().st_mode))
        _put_in_place(partial, place, previous=previous)
    finally:
        shutil.rmtree(partial, ignore_errors=True)  # gone already once put in place


def not_ours(folder: Path) -> list[str]:
    """The entries of ``folder`` that a report of ours does not have, sorted (a subfolder ends in /)."""
    strangers = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and _ours(entry.name, Path(entry.path)):
                continue
            strangers.append(entry.name + ("/" if entry.is_dir(follow_symlinks=False) else ""))
    return sorted(strangers)


def _ours(name: str, path: Path) -> bool:
    if name == AGGREGATES or is_chart_name(name):
        return True
    if name != INDEX:
        return False
    with path.open("rb") as page:  # a user's own index.html is kept, not replaced
        return written_by_ressenti(page.read(_HEAD).decode("utf-8", errors="replace"))


def _beside(place: Path, what: str) -> Path:
    """A new name beside ``place``, hidden, that says what it holds and which process made it."""
    return place.with_name(f".{place.name}.{what}-{os.getpid()}-{secrets.token_hex(4)}")


def _remove_left_behind(place: Path) -> None:
    """The folders that runs over ``place`` killed outright left beside it, removed: those named as
    ``_beside`` names them, by a process that is gone. A run still going keeps its own."""
    for what in ("partial", "previous"):
        for folder in place.parent.glob(f".{place.name}.{what}-*-*"):
            pid = folder.name.rsplit("-", 2)[-2]
            if pid.isdigit() and not _running(int(pid)) and folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


def _put_in_place(partial: Path, place: Path, *, previous: bool) -> None:
    """``partial`` renamed ``place``; the previous folder moved aside first, put back if that fails,
    and removed once the new one is in place."""
    if not previous:
        partial.rename(place)
        return
    aside = _beside(place, "previous")
    place.rename(aside)
    try:
        partial.rename(place)
    except BaseException:
        aside.rename(place)
        raise
    shutil.rmtree(aside, ignore_errors=True)
