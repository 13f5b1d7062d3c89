"""What the commands write to a terminal, or to a log standing in for one: the error stream, and
customer text made safe to show."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Console
from rich.text import Text


def error_console() -> Console:
    """The console of standard error: warnings, skipped records, summaries, progress.

    It never wraps a line: stderr sent to a file or a pipe would otherwise be cut at 80 columns, one
    record's reason split over lines that ``grep`` no longer finds whole (a terminal still folds a long
    line on screen by itself). Nothing in it is highlighted: a record's reason is shown as it is."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


# C0 and C1 control characters but the tab and the newline, and DEL: what a terminal would obey (an
# escape sequence sets the window's title, clears the screen, moves the cursor) rather than show. And the
# bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): a terminal that
# reorders right-to-left text would show the rest of the line, our own words included, reversed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` for a terminal, its control characters (but tab and newline) and bidirectional overrides
    shown as escapes (``\\x1b``, ``\\u202e``) instead of being obeyed: customer text must not drive the
    reader's terminal."""
    return _CONTROL.sub(_escape, text)


def visible_text(text: str, spans: Iterable[tuple[int, int, str]] = ()) -> Text:
    """``visible(text)`` as rich text, each (start, end, style) of ``spans``, offsets in ``text``, styling
    the same characters once the control characters are escaped."""
    shown = visible(text)
    if len(shown) == len(text):
        moved = list(spans)
    else:  # where each character of ``text`` (and its end) lies in ``shown``
        at = [0]
        for character in text:
            at.append(at[-1] + len(visible(character)))
        moved = [(at[start], at[end], style) for start, end, style in spans]
    rich = Text(shown)
    for start, end, style in moved:
        rich.stylize(style, start, end)
    return rich
