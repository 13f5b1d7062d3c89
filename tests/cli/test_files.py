"""What the commands check about their files, and how an output is put in place whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from ressenti.cli.files import written_whole


class RunError(Exception):
    """The run's own error, raised while the output is written."""


def fail_while_writing(target: Path, text: str | None = None) -> None:
    """A run that writes ``text`` (when given) to ``target``'s partial file, then fails."""
    with written_whole(target) as partial:
        assert partial.name == f".{target.name}.partial"
        if text is not None:
            partial.write_text(text, encoding="utf-8")
        raise RunError


def test_an_output_whose_folder_is_a_file_lets_the_runs_own_error_through(tmp_path: Path) -> None:
    """Removing the hidden partial file in a 'folder' that is a file raised NotADirectoryError, which hid
    the run's error: the user read about '.x.jsonl.partial' instead of the output they named."""
    (tmp_path / "afile").write_text("", encoding="utf-8")
    with pytest.raises(RunError):
        fail_while_writing(tmp_path / "afile" / "x.jsonl")


def test_an_output_is_put_in_place_once_written_and_the_partial_file_is_gone(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with written_whole(target) as partial:
        partial.write_text("{}\n", encoding="utf-8")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert list(tmp_path.iterdir()) == [target]


def test_a_run_that_fails_leaves_the_previous_output_and_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("previous\n", encoding="utf-8")
    with pytest.raises(RunError):
        fail_while_writing(target, "half")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert list(tmp_path.iterdir()) == [target]
