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
reported with its file and line and counted in ``skipped``; a row with no label for the task is counted
in ``unlabelled``; a file that cannot be opened, or is not of the task's kind at all, stops the
evaluation (``reading``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ressenti.analysis.engine import Engine
from ressenti.analysis.schemas import MOTIVE_LABELS, SENTIMENT_LABELS, Analysis
from ressenti.corpora import (
    EKMAN_LABELS,
    NO_MOTIVE,
    OURS_TO_EKMAN,
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
from ressenti.evaluation.reading import LimitReachedError, Reading
from ressenti.i18n import message

Task = Literal["sentiment", "emotion", "complaint", "motive"]
TASKS: tuple[str, ...] = ("sentiment", "emotion", "complaint", "motive")
BATCH = 1024


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scores of one task on one file (optionally one language of it), and the rows not scored,
    each counted once: ``skipped``, the bad ones (each given to ``on_skipped``), and ``unlabelled``,
    those read with no usable label for the task."""

    task: str
    data: str
    lang: str | None
    scores: Scores
    skipped: int
    unlabelled: int

    @property
    def left_out(self) -> int:
        """Every row of the language not scored: skipped or unlabelled."""
        return self.skipped + self.unlabelled


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
    reading = Reading(task, limit, on_skipped)
    batch: list[tuple[LabelledText, object]] = []

    def run() -> None:
        readings = engine.analyze_batch([item.text for item, _ in batch], [item.lang for item, _ in batch])
        for (_, label), found in zip(batch, readings, strict=True):
            if task == "sentiment":
                gold.append(str(label))
                predicted.append(found.sentiment)
            elif task == "emotion":
                chosen, guess = _predict_emotion(found, label)  # type: ignore[arg-type]
                gold.append(chosen)
                predicted.append(guess)
            elif task == "motive":
                gold.append(str(label))
                predicted.append(found.motive or NO_MOTIVE)
            else:
                gold.append(str(label))
                predicted.append("complaint" if found.signal("complaint") else "no_complaint")
        if on_progress is not None:
            on_progress(len(batch))
        batch.clear()

    try:
        for item in _rows(files, lang, reading):
            try:
                label = _gold(task, item)
            except BadRowError as error:
                reading.bad(error.bad)
                continue
            if label is None:
                reading.left_out()
                continue
            batch.append((item, label))
            if len(batch) >= BATCH:
                run()
            reading.scored()
    except LimitReachedError:
        pass
    reading.finish()
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
    scores = score(gold, predicted, labels)
    return Evaluation(task, str(path), lang, scores, reading.skipped, reading.unlabelled)


def _gold(task: str, item: LabelledText) -> object:
    """The row's label for ``task`` (None when it has none); ``BadRowError`` when it is a bad one."""
    if task == "sentiment":
        return gold_sentiment(item)
    if task == "emotion":
        return gold_ekman(item) or None
    if task == "motive":
        return gold_motive(item)
    return gold_complaint(item)


def data_files(path: Path) -> list[Path]:
    """The labelled files ``path`` names: itself, or a folder's ``*.jsonl`` in name order.

    ``EvaluationError`` when there is none; ``InputError`` naming a file that cannot be opened."""
    if not path.is_file() and not path.is_dir():
        raise EvaluationError(message("eval_no_file", path=path))
    files = jsonl_files(path)
    if not files:
        raise EvaluationError(message("eval_no_jsonl", path=path))
    return files


def _rows(files: list[Path], lang: str | None, reading: Reading) -> Iterator[LabelledText]:
    """The readable rows of the files, of ``lang`` when given; a bad line is none of them: it is given to
    ``reading``, as is each file's start, and a row of another language shows the file is of its kind."""
    for file in files:
        reading.start(file)
        for item in read_corpus(file, reading.bad):
            if lang is not None and item.lang != lang:
                reading.good()
                continue
            yield item
