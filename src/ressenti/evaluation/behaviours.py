"""``ressenti evaluate --task behaviour``: precision and recall of each agent-behaviour detector.

The data: JSONL rows ``{"lang", "customer", "agent", "behaviours": [...]}`` (data/agent_behaviours):
the agent's turn, the customer's turn before it (for reformulation and churn response), and every
behaviour the turn shows. Each behaviour is scored as its own yes/no question over all the rows. A
bad row (not JSON, no agent text, a behaviour we do not know, a language the engine does not read)
is reported with its file and line and left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ressenti.analysis.engine import Engine
from ressenti.analysis.langdata import language_code
from ressenti.conversation.behaviours import BEHAVIOUR_NAMES, BEHAVIOURS, BehaviourDetector, CustomerContext
from ressenti.corpora import OnBad, read_agent_turns
from ressenti.errors import EvaluationError
from ressenti.evaluation.evaluate import data_files
from ressenti.evaluation.metrics import ClassScores
from ressenti.evaluation.reading import LimitReachedError, Reading
from ressenti.i18n import message


@dataclass(frozen=True, slots=True)
class BehaviourScores:
    """Per behaviour: precision, recall, F1 and how many turns show it."""

    rows: int
    per_behaviour: tuple[ClassScores, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "per_behaviour": {
                c.label: {
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "support": c.support,
                }
                for c in self.per_behaviour
            },
        }


def _turns(path: Path, on_bad: OnBad | None = None) -> Iterator[dict[str, object]]:
    """The labelled turns of a file or folder; a bad one is given to ``on_bad``, or raises without it."""
    for file in data_files(path):
        for _, row in read_agent_turns(file, BEHAVIOUR_NAMES, on_bad):
            yield row


def _first_turns(path: Path, lang: str | None, reading: Reading) -> list[dict[str, object]]:
    """The turns to score, of ``lang`` when given, within ``reading``'s limit; a file whose first rows
    are no agent turns at all is refused once (``reading``)."""
    rows: list[dict[str, object]] = []
    try:
        for file in data_files(path):
            reading.start(file)
            for _, row in read_agent_turns(file, BEHAVIOUR_NAMES, reading.bad):
                if lang is not None and language_code(str(row.get("lang") or "")) != lang:
                    reading.good()
                    continue
                rows.append(row)
                reading.scored()
    except LimitReachedError:
        pass
    reading.finish()
    return rows


def evaluate_behaviours(
    engine: Engine,
    path: Path,
    *,
    lang: str | None = None,
    limit: int | None = None,
    on_skipped: OnBad | None = None,
) -> BehaviourScores:
    """Score every behaviour detector on a labelled file (or folder) of agent turns (of ``lang``, the
    first ``limit`` of them, when given).

    Each bad row is given to ``on_skipped`` and left out; without it, the first one raises
    ``BadRowError`` (a ``RecordError``) with its file and line. A file that is no file of agent turns
    (its first rows all bad, or Parquet) raises ``EvaluationError`` once."""
    detector = BehaviourDetector(engine.rules)
    rows = _first_turns(path, lang, Reading("behaviour", limit, on_skipped))
    if not rows:
        if lang:
            raise EvaluationError(message("eval_no_turns_lang", name=path.name, lang=lang))
        raise EvaluationError(message("eval_no_turns", name=path.name))
    customers = [str(row.get("customer") or "") for row in rows]
    langs = [str(row["lang"]) if row.get("lang") else None for row in rows]
    readings = engine.analyze_batch(customers, langs)
    found: list[set[str]] = []
    for row, customer, code, reading in zip(rows, customers, langs, readings, strict=True):
        context = CustomerContext(churn_threat=reading.signals["churn_threat"].value, texts=(customer,))
        found.append({b.name for b in detector.detect(str(row["agent"]), code or reading.lang, context)})
    return BehaviourScores(len(rows), score_labels([_labels(row) for row in rows], found))


def agreement(first: Path, second: Path) -> BehaviourScores:
    """How a second annotator's labels of the same turns (matched by ``id``) score against the first's:
    what two people reading the same rules agree on, the ceiling a detector is measured under."""
    reference = {str(row.get("id")): row for row in _turns(first)}
    other = list(_turns(second))
    missing = [str(row.get("id")) for row in other if str(row.get("id")) not in reference]
    if missing:
        raise EvaluationError(f"{second.name}: {len(missing)} turns not in {first.name}, e.g. {missing[0]!r}")
    if not other:
        raise EvaluationError(f"{second.name} has no agent turn")
    gold = [_labels(reference[str(row.get("id"))]) for row in other]
    return BehaviourScores(len(other), score_labels(gold, [_labels(row) for row in other]))


def _labels(row: dict[str, object]) -> set[str]:
    return {str(name) for name in row["behaviours"]}  # type: ignore[attr-defined]


def score_labels(gold: list[set[str]], found: list[set[str]]) -> tuple[ClassScores, ...]:
    """Each behaviour as its own yes/no question over the turns: precision, recall, F1, support."""
    scores = []
    for name in BEHAVIOURS:
        tp = sum(1 for g, f in zip(gold, found, strict=True) if name in g and name in f)
        fp = sum(1 for g, f in zip(gold, found, strict=True) if name not in g and name in f)
        fn = sum(1 for g, f in zip(gold, found, strict=True) if name in g and name not in f)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(ClassScores(name, precision, recall, f1, tp + fn))
    return tuple(scores)
