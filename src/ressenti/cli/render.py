"""Showing a reading in a terminal: emoticon, emotion, scores, the text with its cues, signals."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ressenti.analysis.rules import MAX_CHARS
from ressenti.analysis.schemas import EMOTION_LABELS, SIGNAL_NAMES, Analysis, Cue
from ressenti.cli.terminal import visible, visible_text
from ressenti.i18n import (
    cue_kind_name,
    cue_note_name,
    decimal,
    emotion_name,
    message,
    sentiment_name,
    signal_name,
)

_KIND_STYLE = {
    "negation": "bold magenta",
    "intensifier": "bold yellow",
    "attenuator": "yellow",
    "contrast": "bold blue",
    "capitals": "bold",
    "elongation": "italic",
    "punctuation": "bold",
}


def _style(cue: Cue) -> str:
    if cue.kind in _KIND_STYLE:
        return _KIND_STYLE[cue.kind]
    valence = cue.effect.get("valence", 0.0)
    return "bold red" if valence < 0 else "bold green" if valence > 0 else "cyan"


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "·" * (width - filled)


def _effect(cue: Cue, lang: str) -> str:
    parts = []
    for key, value in cue.effect.items():
        name = message("valence", lang) if key == "valence" else emotion_name(key, lang)
        parts.append(f"{name} {decimal(value, lang, signed=True)}")
    return ", ".join(parts)


def render(reading: Analysis, console: Console, *, lang: str) -> None:
    """Print a reading for a person."""
    head = Text()
    head.append(f"{reading.emoticon.symbol}  ", style="bold")
    head.append(reading.emoticon.label_fr if lang == "fr" else reading.emoticon.label_en, style="bold")
    head.append(" · ")
    head.append(emotion_name(reading.emotion, lang), style="bold")
    head.append(f" · {message('sentiment', lang)} {sentiment_name(reading.sentiment, lang)}")
    head.append(f" · {message('valence', lang)} {decimal(reading.valence, lang, signed=True)}")
    head.append(f" · {message('intensity', lang)} {decimal(reading.intensity, lang)}")
    head.append(f" · {reading.lang}" + (f" ({message('lang_mixed', lang)})" if reading.lang_mixed else ""))
    console.print(head)

    console.print(visible_text(reading.text, [(cue.start, cue.end, _style(cue)) for cue in reading.cues]))

    table = Table(title=message("emotions", lang), show_header=False, box=None, padding=(0, 1))
    for label in sorted(EMOTION_LABELS, key=lambda label: -reading.emotions[label]):
        table.add_row(
            emotion_name(label, lang), _bar(reading.emotions[label]), decimal(reading.emotions[label], lang)
        )
    console.print(table)

    if reading.cues:
        why = Table(title=message("why", lang), show_header=False, box=None, padding=(0, 1))
        for cue in reading.cues:
            note = f" ({cue_note_name(cue.note, lang)})" if cue.note else ""
            why.add_row(
                Text(message("quoted", lang, text=visible(cue.text)), style=_style(cue)),
                cue_kind_name(cue.kind, lang) + note,
                _effect(cue, lang),
            )
        console.print(why)

    raised = [name for name in SIGNAL_NAMES if reading.signals[name].value]
    line = Text(message("labelled", lang, label=message("signals", lang), value=""))
    if not raised:
        line.append(message("none", lang))
    for index, name in enumerate(raised):
        if index:
            line.append(", ")
        line.append(signal_name(name, lang), style="bold red")
        quotes = " ".join(
            message("quoted", lang, text=visible(cue.text)) for cue in reading.signals[name].cues
        )
        if quotes:
            line.append(f" {quotes}")
    console.print(line)
    if reading.truncated:
        console.print(message("truncated", lang, limit=MAX_CHARS), style="yellow")
