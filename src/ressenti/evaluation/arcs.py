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
from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import BadConversationError, Conversation, conversation_from_dict
from ressenti.corpora import BadRow, BadRowError, OnBad, json_lines, unknown_label
from ressenti.errors import EvaluationError
from ressenti.evaluation.evaluate import Evaluation, data_files
from ressenti.evaluation.metrics import score
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
    ``lang`` when given, the first ``limit`` of them when given.

    A conversation without ``labels.arc`` is left out and counted in ``skipped``; a bad one (not a
    conversation, an unknown arc) is given to ``on_skipped``, counted and left out, or without it raises
    ``BadRowError`` with its file and line."""
    analyzer = ConversationAnalyzer(engine)
    gold: list[str] = []
    predicted: list[str] = []
    skipped = 0

    def refuse(row: BadRow) -> None:
        nonlocal skipped
        if on_skipped is None:
            raise BadRowError(row)
        skipped += 1
        on_skipped(row)

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

    rows = ((file, line, row) for file in data_files(path) for line, row in json_lines(file, refuse))
    for file, line, row in rows:
        try:
            found = _labelled(row)
        except _RefusedError as refused:
            refuse(BadRow(file.name, line, str(refused)))
            continue
        if found is None:
            skipped += 1
        elif lang is None or found[0].lang in (None, lang):
            chunk.append(found)
            if len(chunk) >= CHUNK or (limit is not None and len(gold) + len(chunk) >= limit):
                run()
        if limit is not None and len(gold) >= limit:
            break
    if chunk:
        run()
    if limit is not None:  # a chunk read together may go past it
        del gold[limit:], predicted[limit:], escalations[limit:]
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
        skipped,
        escalation_same=sum(label == found for label, found in labelled),
        escalation_labelled=len(labelled),
        escalation_same_turn=sum(label == found for label, found in turns),
        escalation_turns=len(turns),
    )


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
