"""``ressenti evaluate`` for a person: what was scored, the scores, and the confusion matrix, in the
user's language (``--json`` keeps its English keys for machines).

The classes keep the data's codes (``negative``, ``no_complaint``): they are the labels of the file
measured, and what ``--json`` and docs/accuracy.md name them. Each column is as wide as its widest
cell, so no label is cut.
"""

from __future__ import annotations

from collections.abc import Sequence

from ressenti.evaluation.arcs import ArcEvaluation
from ressenti.evaluation.behaviours import BehaviourScores
from ressenti.evaluation.metrics import ClassScores, Scores
from ressenti.i18n import decimal, message


def scores_lines(
    task: str,
    data: str,
    lang_filter: str | None,
    scores: Scores,
    left_out: tuple[int, int],
    lang: str,
) -> list[str]:
    """What ``ressenti evaluate --task TASK`` prints: a heading (the rows scored, and those skipped as
    bad, which stderr names), the rows left out for want of a label (``rows``: skipped, unlabelled),
    macro-F1 and accuracy, the scores of each class, and the confusion matrix (a gold class whose row
    is all zeros is left out)."""
    skipped, unlabelled = left_out
    lines = [
        _heading(task, data, lang_filter, _count("eval_rows", scores.count, skipped, lang)),
        *_unlabelled(task, unlabelled, lang),
        message(
            "eval_overall",
            lang,
            macro_f1=_number(scores.macro_f1, lang),
            accuracy=_number(scores.accuracy, lang),
        ),
        *_per_class(message("eval_class", lang), scores.per_class, lang),
        message("eval_confusion", lang),
    ]
    labels = [*scores.labels, message("eval_other", lang)]  # a prediction outside the task's labels
    rows = [[label, *map(str, row)] for label, row in zip(labels, scores.confusion, strict=True) if any(row)]
    lines.extend(table(["", *labels], rows))
    return lines


def behaviour_lines(
    data: str, lang_filter: str | None, result: BehaviourScores, skipped: int, lang: str
) -> list[str]:
    """What ``ressenti evaluate --task behaviour`` prints: a heading and the scores of each behaviour
    (a turn has no label to lack: a turn without its behaviours is a bad row, skipped)."""
    counted = _count("eval_turns", result.rows, skipped, lang)
    return [
        _heading("behaviour", data, lang_filter, counted),
        *_per_class(message("eval_behaviour", lang), result.per_behaviour, lang),
    ]


def escalation_line(result: ArcEvaluation, lang: str) -> str:
    """How often the report's escalation turn is the labelled one (``--task arc``)."""
    return message(
        "eval_escalation",
        lang,
        same=result.escalation_same,
        labelled=result.escalation_labelled,
        same_turn=result.escalation_same_turn,
        turns=result.escalation_turns,
    )


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A text table: the first column to the left, the others to the right, each as wide as its widest
    cell (header included), two spaces apart; no trailing spaces."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = []
    for cells in (header, *rows):
        first, *others = cells
        line = first.ljust(widths[0]) + "".join(
            "  " + cell.rjust(width) for cell, width in zip(others, widths[1:], strict=True)
        )
        lines.append(line.rstrip())
    return lines


def _heading(task: str, data: str, lang_filter: str | None, counted: str) -> str:
    return " · ".join([task, data, *([lang_filter] if lang_filter else []), counted])


def _count(key: str, count: int, skipped: int, lang: str) -> str:
    """``N rows``, or ``N rows (M skipped)`` (agent turns for the behaviour task): the same count as the
    footer of the skipped rows on stderr."""
    if skipped:
        return message(f"{key}_skipped", lang, count=count, skipped=skipped)
    return message(key, lang, count=count)


def _unlabelled(task: str, count: int, lang: str) -> list[str]:
    """The rows read with no usable label for the task, counted once with why; none when there are none."""
    if not count:
        return []
    return [message("eval_left_out", lang, count=count, what=message(f"eval_no_label_{task}", lang))]


def _per_class(first: str, per_class: Sequence[ClassScores], lang: str) -> list[str]:
    header = [
        first,
        *(message(key, lang) for key in ("eval_precision", "eval_recall", "eval_f1", "eval_support")),
    ]
    rows = [
        [c.label, _number(c.precision, lang), _number(c.recall, lang), _number(c.f1, lang), str(c.support)]
        for c in per_class
    ]
    return table(header, rows)


def _number(value: float, lang: str) -> str:
    """A score to three decimals, with a decimal comma in French."""
    return decimal(value, lang, places=3)
