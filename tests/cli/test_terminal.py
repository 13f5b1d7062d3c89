"""The error console: one line per message, whatever its length, when stderr is not a terminal."""

from __future__ import annotations

import pytest

from ressenti.cli.terminal import error_console, visible, visible_text


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


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Bonjour \x1b]0;PWNED\x07 \x1b[2J", "Bonjour \\x1b]0;PWNED\\x07 \\x1b[2J"),
        ("a\x00b\x7fc\x9bd\re", "a\\x00b\\x7fc\\x9bd\\x0de"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("accents é, emoji 😡, guillemets « »", "accents é, emoji 😡, guillemets « »"),
        ("remboursé \u202e05 €\u202c ok", "remboursé \\u202e05 €\\u202c ok"),
        ("\u2066isolé\u2069 \u200f", "\\u2066isolé\\u2069 \u200f"),  # a bare direction mark reorders nothing
        ("مرحبا bonjour", "مرحبا bonjour"),  # right-to-left text itself is shown
    ],
)
def test_control_characters_are_shown_as_escapes_not_obeyed(text: str, shown: str) -> None:
    """An escape sequence in a customer's text used to reach the terminal: it set the window's title and
    cleared the screen. C0 and C1 controls (but tab and newline) and DEL are shown as \\xNN; a
    bidirectional override (U+202E) reversed the rest of the line on screen, and is shown as \\u202e."""
    assert visible(text) == shown


def test_styled_spans_follow_their_characters_once_controls_are_escaped() -> None:
    text = "a\x1b[2J furieux \x07!"
    start = text.index("furieux")
    shown = visible_text(
        text, [(start, start + len("furieux"), "bold red"), (len(text) - 1, len(text), "bold")]
    )
    assert shown.plain == "a\\x1b[2J furieux \\x07!"
    styled = [(shown.plain[span.start : span.end], span.style) for span in shown.spans]
    assert styled == [("furieux", "bold red"), ("!", "bold")]


def test_text_without_control_characters_keeps_its_spans() -> None:
    shown = visible_text("très en colère", [(9, 14, "bold")])
    assert shown.plain == "très en colère"
    assert [(span.start, span.end) for span in shown.spans] == [(9, 14)]
