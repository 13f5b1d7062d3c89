"""The error console: one line per message, whatever its length, when stderr is not a terminal."""

from __future__ import annotations

import pytest

from ressenti.cli.terminal import error_console


def test_the_error_console_never_wraps_a_long_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A reason of 200 characters used to come out as three lines of at most 80."""
    reason = "ligne 7 ignorée : " + " ".join(["mot"] * 50) + " (attendu : customer, agent, bot)"
    error_console().print(reason, markup=False)
    assert capsys.readouterr().err == reason + "\n"


def test_the_error_console_writes_to_stderr_without_highlighting(capsys: pytest.CaptureFixture[str]) -> None:
    console = error_console()
    assert console.stderr
    console.print("ligne 3 ignorée : 42 [x]", markup=False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "ligne 3 ignorée : 42 [x]\n"
