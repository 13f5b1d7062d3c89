"""``ressenti evaluate --task arc``: how the trajectories read labelled conversations.

Each conversation of a JSONL file (the batch's input form) with a ``labels.arc`` is read whole, and its
report's arc, recovered, deteriorated or neither, is scored against the label; a ``stable_*`` label
(negative, neutral or positive all along) is "neither". ``data/conversations`` is ours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ressenti.analysis.engine import Engine
from ressenti.analysis.langdata import language_code
from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import BadConversationError, Conversation, conversation_from_dict
from ressenti.corpora import BadRow, OnBad, json_lines, unknown_label
from ressenti.errors import EvaluationError
from ressenti.evaluation.evaluate import Evaluation, data_files
from ressenti.evaluation.metrics import score
from ressenti.evaluation.reading import LimitReachedError, Reading
from ressenti.i18n import message

ARCS: tuple[str, ...] = ("recovered", "deteriorated", "neither")
GOLD_ARCS = {
    "recovered": "recovered",
    "deteriorated": "deteriorated",
    "neither": "neither",
    "stable_negative": "neither",
    "stable_neutral": "neither",
    "stable_positive": "neither",
}
CHUNK = 256  # conversations read together
NO_LABEL = object()  # a conversation whose labels say nothing of its escalation turn


@dataclass(frozen=True, slots=True)
class ArcEvaluation(Evaluation):
    """The arcs' scores, and how often the report's ``escalation_turn`` is the labelled one: over the
    conversations whose labels give it (a turn, or null for none), and over those that name a turn."""

    escalation_same: int = 0
    escalation_labelled: int = 0
    escalation_same_turn: int = 0
    escalation_turns: int = 0

    def escalation_dict(self) -> dict[str, int]:
        return {
            "labelled": self.escalation_labelled,
            "same": self.escalation_same,
            "labelled_with_a_turn": self.escalation_turns,
            "same_turn": self.escalation_same_turn,
        }


def arc_of(trajectory: Mapping[str, Any]) -> str:
    """A report's arc: recovered, deteriorated (never both), or neither."""
    if trajectory["recovered"]:
        return "recovered"
    return "deteriorated" if trajectory["deteriorated"] else "neither"


def evaluate_arcs(
    engine: Engine,
    path: Path,
    *,
    lang: str | None = None,
    limit: int | None = None,
    on_skipped: OnBad | None = None,
) -> ArcEvaluation:
    """Score the arcs of the labelled conversations of ``path`` (a JSONL file or a folder of them), of
    ``lang`` when given, within the first ``limit`` rows when given.

    A conversation without ``labels.arc`` is left out and counted in ``unlabelled``; a bad one (not a
    conversation, an unknown arc) is given to ``on_skipped``, counted in ``skipped`` and left out, or
    without it raises ``BadRowError`` with its file and line. One left out is one of the ``limit``'s
    rows, as in every task; a bad one is none. A file whose first rows are all bad, or that is not
    text, raises ``EvaluationError`` once."""
    analyzer = ConversationAnalyzer(engine)
    gold: list[str] = []
    predicted: list[str] = []
    reading = Reading("arc", limit, on_skipped)
    chunk: list[tuple[Conversation, str, object]] = []
    escalations: list[tuple[object, object]] = []  # (label, found) of the conversations scored

    def run() -> None:
        reports = analyzer.analyze_many([conversation for conversation, _, _ in chunk])
        for (conversation, label, escalation), report in zip(chunk, reports, strict=True):
            if lang is None or (conversation.lang or report["lang"]) == lang:
                gold.append(label)
                predicted.append(arc_of(report["trajectory"]))
                escalations.append((escalation, report["trajectory"]["escalation_turn"]))
        chunk.clear()

    try:
        for file in data_files(path):
            reading.start(file)
            for line, row in json_lines(file, reading.bad):
                try:
                    found = _labelled(row)
                except _RefusedError as refused:
                    reading.bad(BadRow(file.name, line, str(refused)))
                    continue
                if found is None:
                    _unlabelled(row, lang, reading)
                elif lang is None or found[0].lang in (None, lang):
                    chunk.append(found)
                    if len(chunk) >= CHUNK:
                        run()
                    reading.scored()  # one that gives no language counts, its language unknown yet
                else:
                    reading.good()
    except LimitReachedError:
        pass
    reading.finish()
    if chunk:
        run()
    if not gold:
        if lang:
            raise EvaluationError(message("eval_no_rows_lang", name=path.name, task="arc", lang=lang))
        raise EvaluationError(message("eval_no_rows", name=path.name, task="arc"))
    labelled = [(label, found) for label, found in escalations if label is not NO_LABEL]
    turns = [(label, found) for label, found in labelled if label is not None]
    return ArcEvaluation(
        "arc",
        str(path),
        lang,
        score(gold, predicted, ARCS),
        reading.skipped,
        reading.unlabelled,
        escalation_same=sum(label == found for label, found in labelled),
        escalation_labelled=len(labelled),
        escalation_same_turn=sum(label == found for label, found in turns),
        escalation_turns=len(turns),
    )


def _unlabelled(row: object, lang: str | None, reading: Reading) -> None:
    """A conversation without ``labels.arc``: left out when it is of ``lang`` (or says no language)."""
    said = row.get("lang") if isinstance(row, Mapping) else None
    if lang is None or not isinstance(said, str) or not said or language_code(said) == lang:
        reading.left_out()
    else:
        reading.good()


class _RefusedError(ValueError):
    """A labelled conversation that cannot be scored; its message says why."""


def _labelled(row: object) -> tuple[Conversation, str, object] | None:
    """The conversation of a row, its gold arc and its labelled escalation turn (an index, None for
    none, or ``NO_LABEL``); None when it has no arc label. ``_RefusedError`` says why a row cannot be."""
    if not isinstance(row, Mapping):
        raise _RefusedError(message("not_object"))
    labels = row.get("labels")
    if labels is None:
        return None
    if not isinstance(labels, Mapping):
        raise _RefusedError(message("field_not_object", field="labels"))
    arc = labels.get("arc")
    if arc is None:
        return None
    if not isinstance(arc, str):
        raise _RefusedError(message("field_not_string", field="labels.arc"))
    if arc not in GOLD_ARCS:
        raise _RefusedError(unknown_label("labels.arc", arc, GOLD_ARCS))
    escalation = labels.get("escalation_turn", NO_LABEL)
    if not (escalation is NO_LABEL or escalation is None or _a_turn(escalation)):
        raise _RefusedError(message("field_not_turn", field="labels.escalation_turn"))
    try:
        return conversation_from_dict(row), GOLD_ARCS[arc], escalation
    except BadConversationError as error:
        raise _RefusedError(str(error)) from None


def _a_turn(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
