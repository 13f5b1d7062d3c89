"""``ressenti evaluate``: measure the engine on a labelled file, with the mappings of the data README.

Tasks:
- ``sentiment``: our sentiment against ``sentiment`` (or ``sentiment_group`` without ``ambiguous``).
- ``emotion``: our emotion mapped to Ekman/Plutchik (anger, frustration → anger; anxiety → fear;
  sadness → sadness; satisfaction, gratitude → joy; neutral → neutral; confusion has no counterpart).
  Multi-label gold: a prediction is right when it is among the row's labels. Rows with none of
  these labels are left out.
- ``complaint``: our ``complaint`` signal against the row's ``complaint`` label when it has one (our
  corpus), else airline-style gold: a negative message with a complaint reason is a complaint, a
  positive or neutral one is not (negative without reason: left out).
- ``motive``: our main motive (``none`` when we find no complaint motive) against the row's ``motive``
  (our set, data/motives) or the airline ``reason`` mapped (Late Flight → delay, …; Bad Flight,
  Can't Tell and reasons under 0.7 confidence left out). Macro-F1 over the labels the file has.

``data`` may be a JSONL file or a folder of them (read in name order). A bad row (not JSON, no text, a
language the engine does not read, a label of the wrong type or one its corpus does not give) is
reported with its file and line and left out; a file that cannot be opened stops the evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ressenti.analysis.engine import Engine
from ressenti.analysis.schemas import MOTIVE_LABELS, SENTIMENT_LABELS, Analysis
from ressenti.corpora import (
    EKMAN_LABELS,
    NO_MOTIVE,
    OURS_TO_EKMAN,
    BadRow,
    BadRowError,
    LabelledText,
    OnBad,
    gold_complaint,
    gold_ekman,
    gold_motive,
    gold_sentiment,
    jsonl_files,
    read_corpus,
)
from ressenti.errors import EvaluationError
from ressenti.evaluation.metrics import Scores, score
from ressenti.i18n import message

Task = Literal["sentiment", "emotion", "complaint", "motive"]
TASKS: tuple[str, ...] = ("sentiment", "emotion", "complaint", "motive")
BATCH = 1024


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scores of one task on one file (optionally one language of it); ``skipped``: the rows left
    out, those without a label for the task and the bad ones."""

    task: str
    data: str
    lang: str | None
    scores: Scores
    skipped: int


def _predict_emotion(reading: Analysis, gold: set[str]) -> tuple[str, str]:
    predicted = OURS_TO_EKMAN[reading.emotion]
    chosen = predicted if predicted in gold else next(label for label in EKMAN_LABELS if label in gold)
    return chosen, predicted


def evaluate(
    engine: Engine,
    path: Path,
    task: str,
    *,
    lang: str | None = None,
    limit: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_skipped: OnBad | None = None,
) -> Evaluation:
    """Score the engine on a labelled JSONL file (or folder) for one task.

    Each bad row is given to ``on_skipped`` as it is met, counted in ``skipped`` and left out; without
    ``on_skipped``, the first one raises ``BadRowError`` (a ``RecordError``) with its file and line."""
    if task not in TASKS:
        raise EvaluationError(f"unknown task {task!r}; choose among {', '.join(TASKS)}")
    files = data_files(path)
    gold: list[str] = []
    predicted: list[str] = []
    skipped = 0
    batch: list[tuple[LabelledText, object]] = []

    def skip(bad: BadRow) -> None:
        nonlocal skipped
        skipped += 1
        assert on_skipped is not None
        on_skipped(bad)

    on_bad = skip if on_skipped is not None else None

    def run() -> None:
        readings = engine.analyze_batch([item.text for item, _ in batch], [item.lang for item, _ in batch])
        for (_, label), reading in zip(batch, readings, strict=True):
            if task == "sentiment":
                gold.append(str(label))
                predicted.append(reading.sentiment)
            elif task == "emotion":
                chosen, guess = _predict_emotion(reading, label)  # type: ignore[arg-type]
                gold.append(chosen)
                predicted.append(guess)
            elif task == "motive":
                gold.append(str(label))
                predicted.append(reading.motive or NO_MOTIVE)
            else:
                gold.append(str(label))
                predicted.append("complaint" if reading.signal("complaint") else "no_complaint")
        if on_progress is not None:
            on_progress(len(batch))
        batch.clear()

    for item in _rows(files, lang, limit, on_bad):
        label: object
        try:
            if task == "sentiment":
                label = gold_sentiment(item)
            elif task == "emotion":
                label = gold_ekman(item) or None
            elif task == "motive":
                label = gold_motive(item)
            else:
                label = gold_complaint(item)
        except BadRowError as error:
            if on_bad is None:
                raise
            on_bad(error.bad)
            continue
        if label is None:
            skipped += 1
            continue
        batch.append((item, label))
        if len(batch) >= BATCH:
            run()
    if batch:
        run()
    if not gold:
        if lang:
            raise EvaluationError(message("eval_no_rows_lang", name=path.name, task=task, lang=lang))
        raise EvaluationError(message("eval_no_rows", name=path.name, task=task))
    labels: tuple[str, ...] = {
        "sentiment": SENTIMENT_LABELS,
        "emotion": EKMAN_LABELS,
        "complaint": ("complaint", "no_complaint"),
        # Only the motives the file has: the airline file knows six, our set all of them and "none".
        "motive": tuple(m for m in (*MOTIVE_LABELS, NO_MOTIVE) if m in set(gold)),
    }[task]
    return Evaluation(task, str(path), lang, score(gold, predicted, labels), skipped)


def data_files(path: Path) -> list[Path]:
    """The labelled files ``path`` names: itself, or a folder's ``*.jsonl`` in name order.

    ``EvaluationError`` when there is none; ``InputError`` naming a file that cannot be opened."""
    if not path.is_file() and not path.is_dir():
        raise EvaluationError(message("eval_no_file", path=path))
    files = jsonl_files(path)
    if not files:
        raise EvaluationError(message("eval_no_jsonl", path=path))
    return files


def _rows(
    files: list[Path], lang: str | None, limit: int | None, on_bad: OnBad | None
) -> Iterable[LabelledText]:
    """The rows of the files, of ``lang`` when given, the first ``limit`` of them when given (a bad line
    is none of them: it is given to ``on_bad``)."""
    count = 0
    for item in (row for file in files for row in read_corpus(file, on_bad)):
        if lang is not None and item.lang != lang:
            continue
        yield item
        count += 1
        if limit is not None and count >= limit:
            return
