"""``ressenti evaluate --task arc``: how the trajectories read labelled conversations.

Each conversation of a JSONL file (the batch's input form) with a ``labels.arc`` is read whole, and its
report's arc, recovered, deteriorated or neither, is scored against the label; a ``stable_*`` label
(negative, neutral or positive all along) is "neither". ``data/conversations`` is ours.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ressenti.analysis.engine import Engine
from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import BadConversationError, Conversation, conversation_from_dict
from ressenti.corpora import BadRow, BadRowError, OnBad, json_lines
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
) -> Evaluation:
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

    chunk: list[tuple[Conversation, str]] = []

    def run() -> None:
        reports = analyzer.analyze_many([conversation for conversation, _ in chunk])
        for (conversation, label), report in zip(chunk, reports, strict=True):
            if lang is None or (conversation.lang or report["lang"]) == lang:
                gold.append(label)
                predicted.append(arc_of(report["trajectory"]))
        chunk.clear()

    rows = ((file, line, row) for file in data_files(path) for line, row in json_lines(file, refuse))
    for file, line, row in rows:
        found = _labelled(row, file, line, refuse)
        if found == UNLABELLED:
            skipped += 1
        elif isinstance(found, tuple) and (lang is None or found[0].lang in (None, lang)):
            chunk.append(found)
            if len(chunk) >= CHUNK or (limit is not None and len(gold) + len(chunk) >= limit):
                run()
        if limit is not None and len(gold) >= limit:
            break
    if chunk:
        run()
    if limit is not None:  # a chunk read together may go past it
        del gold[limit:], predicted[limit:]
    if not gold:
        if lang:
            raise EvaluationError(message("eval_no_rows_lang", name=path.name, task="arc", lang=lang))
        raise EvaluationError(message("eval_no_rows", name=path.name, task="arc"))
    return Evaluation("arc", str(path), lang, score(gold, predicted, ARCS), skipped)


UNLABELLED = "unlabelled"
REFUSED = "refused"


def _labelled(row: object, file: Path, line: int, refuse: OnBad) -> tuple[Conversation, str] | str:
    """The conversation of a row and its gold arc; ``UNLABELLED`` when it has no arc label, ``REFUSED``
    when it is bad (given to ``refuse``)."""
    if not isinstance(row, Mapping):
        reason = message("not_object")
    else:
        labels = row.get("labels")
        if labels is None or (isinstance(labels, Mapping) and labels.get("arc") is None):
            return UNLABELLED
        arc = labels.get("arc") if isinstance(labels, Mapping) else labels
        if not isinstance(arc, str) or arc not in GOLD_ARCS:
            shown = repr(arc) if len(repr(arc)) <= 40 else repr(arc)[:40] + "…"
            reason = message("unknown_label", field="labels.arc", value=shown, allowed=", ".join(GOLD_ARCS))
        else:
            try:
                return conversation_from_dict(row), GOLD_ARCS[arc]
            except BadConversationError as error:
                reason = str(error)
    refuse(BadRow(file.name, line, reason))
    return REFUSED
