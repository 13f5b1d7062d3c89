"""Showing a conversation report in a terminal: arc, curve, turns, what went well, what to improve.

Everything is said in the reader's language but what was, or could have been, said to the customer:
the turns, their quotes and the better phrasings, in the conversation's. The report's sentences for a
reader (arc, satisfaction) are said again from its codes, so a French reader of an English conversation
reads them in French.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ressenti.analysis.scale import emoticon_for
from ressenti.cli.terminal import visible
from ressenti.conversation.report import arc_in, satisfaction_in
from ressenti.i18n import (
    behaviour_name,
    channel_name,
    decimal,
    emotion_name,
    message,
    motive_name,
    signal_name,
)

_SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    """A valence curve (-1..1) as one line of block characters."""
    return "".join(_SPARK[min(len(_SPARK) - 1, int((v + 1) / 2 * len(_SPARK)))] for v in values)


def _labelled(label: str, value: str, lang: str) -> str:
    """``label: value``, with French spacing in French."""
    return message("labelled", lang, label=label, value=value)


def render_conversation(report: dict[str, Any], console: Console, *, lang: str) -> None:
    """Print a conversation report for a person (labels in ``lang``; quotes in the conversation's)."""
    path = report["trajectory"]
    head = Text()
    head.append(visible(str(report["id"])), style="bold")
    head.append(f" · {channel_name(report['channel'], lang)} · {report['lang']}")
    if report.get("agent_id"):
        head.append(f" · {message('agent', lang)} {visible(report['agent_id'])}")
    if report.get("team_id"):
        head.append(f" · {message('team', lang)} {visible(report['team_id'])}")
    console.print(head)
    console.print(Text(arc_in(report, lang), style="bold"))
    satisfaction = satisfaction_in(report, lang)
    console.print(
        f"{message('satisfaction', lang)} {satisfaction['score']}/5 ({satisfaction['label']}) · "
        + message("reasons_separator", lang).join(satisfaction["reasons"]),
        markup=False,
    )
    curve = Text(f"{message('curve', lang)} ")
    curve.append(sparkline(path["valence"]), style="bold")
    curve.append("  " + " ".join(decimal(v, lang, signed=True) for v in path["valence"]))
    console.print(curve)
    levels = report["levels"]
    yes, no = message("yes", lang), message("no", lang)
    emotional = _labelled(message("level_emotional", lang), yes if levels["emotional"] else no, lang)
    rational = _labelled(message("level_rational", lang), yes if levels["rational"] else no, lang)
    console.print(f"{emotional} · {rational}", markup=False)

    turns = Table(show_header=False, box=None, padding=(0, 1))
    for turn in report["turns"]:
        who = message(f"speaker_{turn['speaker']}", lang)
        flat = visible(" ".join(turn["text"].split()))
        text = Text(flat if len(flat) <= 300 else flat[:300] + "…")
        if "analysis" in turn:
            reading = turn["analysis"]
            symbol = emoticon_for(
                reading["valence"], reading["intensity"], reading["sentiment"], reading["emotion"]
            ).symbol
            tag = f"{symbol} {emotion_name(reading['emotion'], lang)}"
        elif turn["speaker"] == "agent":
            names = [behaviour_name(b["name"], lang) for b in turn.get("behaviours", [])]
            tag = ", ".join(names) or "·"
        else:
            tag = ""
        turns.add_row(f"{turn['index'] + 1}", who, text, Text(tag, style="cyan"))
    console.print(turns)

    if report["ei_moments"]:
        console.print(Text(message("ei_moments", lang), style="bold green"))
        for moment in report["ei_moments"]:
            name = behaviour_name(moment["behaviour"], lang)
            quote = message("quoted", lang, text=visible(moment["quote"]))
            console.print(f"  + [{moment['turn'] + 1}] {_labelled(name, quote, lang)}", markup=False)
    if report["improvements"]:
        console.print(Text(message("improvements", lang), style="bold yellow"))
        for moment in report["improvements"]:
            name = behaviour_name(moment["moment"], lang)
            quote = message("quoted", lang, text=visible(moment["quote"]))
            console.print(f"  - [{moment['turn'] + 1}] {_labelled(name, quote, lang)}", markup=False)
            if moment.get("suggestion"):
                console.print(f"      → {visible(moment['suggestion'])}", markup=False, style="italic")
    motives = ", ".join(
        f"{motive_name(m['label'], lang)} {decimal(m['score'], lang)}" for m in report["motives"]
    )
    console.print(_labelled(message("motives", lang), motives or message("none", lang), lang), markup=False)
    exposure = path["public_exposure"]
    raised = [
        signal_name(name, lang)
        for name, signal in report["signals"].items()
        if signal["value"] and name != "public_exposure"
    ]
    if exposure["value"]:  # the contact's exposure: the signal, and the channel (social networks weigh more)
        raised.append(f"{signal_name('public_exposure', lang)} {decimal(exposure['score'], lang)}")
    signals = ", ".join(raised) or message("none", lang)
    console.print(_labelled(message("signals", lang), signals, lang), markup=False)
