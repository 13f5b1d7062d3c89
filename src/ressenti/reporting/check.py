"""What a conversation report must hold to be aggregated: the parts ``aggregate`` reads, with their types.

``aggregate`` reads defensively (a part of the wrong type counts as missing), which suits a library
but would let a damaged or hand-made file be counted as conversations with nothing in them.
``report_problem`` says what is wrong with a report, in the user's language, naming the field by its
path (``turns[3].behaviours[0].name``, indexes from 0), so that ``ressenti report`` can skip it and
say why.

A report needs an ``id`` (a conversation is counted once, by its id) and a ``trajectory`` with
``recovered``, ``deteriorated`` and ``peak.valence``. The other parts aggregate reads may be missing
(or null): the rate they feed is then taken over the conversations that have them, as
docs/conversations.md says. When present they must have the type ``ressenti batch`` writes: numbers
in their range (NaN and infinities are in none), names as text that UTF-8 can write.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ressenti.conversation.model import MAX_TURNS, SPEAKERS
from ressenti.i18n import message

SHOWN = 40  # characters of a wrong value quoted in the reason


class _BadReportError(Exception):
    """The first problem met, already in words."""


def report_problem(report: Mapping[str, Any]) -> str | None:
    """Why ``report`` (a parsed JSON object) cannot be aggregated, or None when it can."""
    if "trajectory" not in report:
        return message("not_a_report")
    try:
        _check(report)
    except _BadReportError as bad:
        return str(bad)
    return None


def _check(report: Mapping[str, Any]) -> None:
    ident = report.get("id")
    if ident is None or ident == "":
        raise _BadReportError(message("conv_no_id"))
    _text(ident, "id")
    for name in ("agent_id", "team_id", "motive"):
        _text(report.get(name), name, optional=True)
    trajectory = _object(report["trajectory"], "trajectory")
    for name in ("recovered", "deteriorated"):
        _bool(_required(trajectory, name, "trajectory"), f"trajectory.{name}")
    if (awaiting := trajectory.get("awaiting_reply")) is not None:
        _bool(awaiting, "trajectory.awaiting_reply")
    peak = _object(_required(trajectory, "peak", "trajectory"), "trajectory.peak")
    _number(_required(peak, "valence", "trajectory.peak"), "trajectory.peak.valence", -1, 1)
    if (levels := report.get("levels")) is not None:
        _bool(_required(_object(levels, "levels"), "both", "levels"), "levels.both")
    if (satisfaction := report.get("satisfaction")) is not None:
        score = _required(_object(satisfaction, "satisfaction"), "score", "satisfaction")
        _number(score, "satisfaction.score", 1, 5)
    if (counts := report.get("behaviour_counts")) is not None:
        for name, count in _object(counts, "behaviour_counts").items():
            _writable(name, "behaviour_counts")
            _count(count, f"behaviour_counts.{name}")
    if (signals := report.get("signals")) is not None:
        for name, signal in _object(signals, "signals").items():
            _writable(name, "signals")
            _bool(
                _required(_object(signal, f"signals.{name}"), "value", f"signals.{name}"),
                f"signals.{name}.value",
            )
    if (improvements := report.get("improvements")) is not None:
        for index, improvement in enumerate(_list(improvements, "improvements")):
            where = f"improvements[{index}]"
            _text(_required(_object(improvement, where), "moment", where), f"{where}.moment")
    if (turns := report.get("turns")) is not None:
        for index, turn in enumerate(_list(turns, "turns")):
            _turn(turn, f"turns[{index}]")


def _turn(turn: object, where: str) -> None:
    """A turn as aggregate reads it: an agent's behaviours by name, a customer's emotion."""
    fields = _object(turn, where)
    speaker = _required(fields, "speaker", where)
    if speaker not in SPEAKERS:
        raise _type(f"{where}.speaker", "one_of", allowed=", ".join(SPEAKERS))
    if speaker == "agent" and (behaviours := fields.get("behaviours")) is not None:
        for index, behaviour in enumerate(_list(behaviours, f"{where}.behaviours")):
            name = f"{where}.behaviours[{index}]"
            _text(_required(_object(behaviour, name), "name", name), f"{name}.name")
    if speaker == "customer" and (analysis := fields.get("analysis")) is not None:
        emotion = _required(_object(analysis, f"{where}.analysis"), "emotion", f"{where}.analysis")
        _text(emotion, f"{where}.analysis.emotion")


def _type(field: str, expected: str, **values: object) -> _BadReportError:
    return _BadReportError(
        message("report_field_type", field=field, expected=message(f"report_expects_{expected}", **values))
    )


def _required(fields: Mapping[str, Any], name: str, parent: str) -> Any:
    if name not in fields:
        raise _BadReportError(message("report_field_missing", field=f"{parent}.{name}"))
    return fields[name]


def _object(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _type(field, "object")
    return value


def _list(value: object, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise _type(field, "list")
    return value


def _bool(value: object, field: str) -> None:
    if not isinstance(value, bool):
        raise _type(field, "bool")


def _text(value: object, field: str, *, optional: bool = False) -> None:
    """A name or an id: text that is not blank (or null, when ``optional``), which UTF-8 can write."""
    if value is None and optional:
        return
    if not isinstance(value, str) or not (optional or value.strip()):
        raise _type(field, "text_or_null" if optional else "text")
    _writable(value, field)


def _writable(text: str, field: str) -> None:
    # JSON may escape half of a UTF-16 pair ("\ud800"): the page and aggregates.json could not be written.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _BadReportError(message("report_surrogate", field=field)) from None


def _number(value: object, field: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:  # NaN too
        raise _type(field, "number", low=low, high=high, value=_shown(value))


def _count(value: object, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TURNS:
        raise _type(field, "count", limit=MAX_TURNS, value=_shown(value))


def _shown(value: object) -> str:
    """The wrong value as JSON spells it (``NaN``, ``Infinity``, ``"5"``), cut short."""
    text = json.dumps(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
