"""``report_problem``: what a conversation report must hold to be aggregated, and why one is refused."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import conversation_from_dict
from ressenti.reporting.check import report_problem
from tests.reporting.builders import corpus, report

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")


def good() -> dict[str, Any]:
    return report(
        "c1",
        agent="a",
        team="t",
        customer=["anger", "satisfaction"],
        agent_turns=[["apology"], ["solution"]],
        motive="delay",
        moments=["jargon"],
        signals=["complaint"],
    )


def test_every_report_that_ressenti_batch_writes_passes() -> None:
    """The check must not drift from what ``build_report`` writes: the example conversations, analysed."""
    analyzer = ConversationAnalyzer()
    lines = (ROOT / "examples" / "conversations.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        written = json.loads(json.dumps(analyzer.analyze(conversation_from_dict(json.loads(line)))))
        assert report_problem(written) is None, written["id"]


def test_the_hand_made_corpus_passes() -> None:
    assert [report_problem(one) for one in corpus()] == [None] * len(corpus())


@pytest.mark.parametrize(
    ("optional", "value"),
    [
        ("agent_id", None),
        ("team_id", None),
        ("motive", None),
        ("levels", None),
        ("satisfaction", None),
        ("turns", None),
        ("signals", None),
        ("improvements", None),
        ("behaviour_counts", None),
        ("turns", []),
    ],
)
def test_a_part_that_is_missing_or_null_is_no_problem(optional: str, value: object) -> None:
    """aggregate leaves such a report out of the rates it cannot feed (their denominators say so)."""
    missing = good()
    missing.pop(optional, None)
    assert report_problem(missing) is None
    missing[optional] = value
    assert report_problem(missing) is None


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """A change to a good report: set the value at a dotted path (``turns.1.behaviours``)."""

    def change(fields: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = fields
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(fields: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = fields
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return change


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_drop("trajectory"), "not a conversation report (no `trajectory` field)"),
        (_drop("id"), "no `id` field, or an empty one"),
        (_set("id", ""), "no `id` field, or an empty one"),
        (_set("id", 42), "the `id` field must be a non-empty string"),
        (_set("id", "   "), "the `id` field must be a non-empty string"),
        (_set("agent_id", 5), "the `agent_id` field must be a string or null"),
        (_set("team_id", ["t"]), "the `team_id` field must be a string or null"),
        (_set("motive", {"label": "delay"}), "the `motive` field must be a string or null"),
        (_set("trajectory", 1), "the `trajectory` field must be a JSON object"),
        (_drop("trajectory.recovered"), "no `trajectory.recovered` field"),
        (_set("trajectory.deteriorated", "no"), "the `trajectory.deteriorated` field must be true or false"),
        (
            _set("trajectory.awaiting_reply", "yes"),
            "the `trajectory.awaiting_reply` field must be true or false",
        ),
        (_drop("trajectory.peak"), "no `trajectory.peak` field"),
        (_drop("trajectory.peak.valence"), "no `trajectory.peak.valence` field"),
        (
            _set("trajectory.peak.valence", math.nan),
            "the `trajectory.peak.valence` field must be a number from -1 to 1 (read: NaN)",
        ),
        (
            _set("trajectory.peak.valence", -math.inf),
            "the `trajectory.peak.valence` field must be a number from -1 to 1 (read: -Infinity)",
        ),
        (_set("trajectory.peak.valence", True), "must be a number from -1 to 1 (read: true)"),
        (_set("levels", []), "the `levels` field must be a JSON object"),
        (_drop("levels.both"), "no `levels.both` field"),
        (_set("levels.both", 1), "the `levels.both` field must be true or false"),
        (_set("satisfaction", "great"), "the `satisfaction` field must be a JSON object"),
        (_drop("satisfaction.score"), "no `satisfaction.score` field"),
        (
            _set("satisfaction.score", "4"),
            'the `satisfaction.score` field must be a number from 1 to 5 (read: "4")',
        ),
        (_set("satisfaction.score", math.inf), "must be a number from 1 to 5 (read: Infinity)"),
        (_set("satisfaction.score", 6), "must be a number from 1 to 5 (read: 6)"),
        (_set("satisfaction.score", "x" * 100), 'must be a number from 1 to 5 (read: "' + "x" * 38 + "…)"),
        (_set("behaviour_counts", [1]), "the `behaviour_counts` field must be a JSON object"),
        (
            _set("behaviour_counts.apology", -1),
            "the `behaviour_counts.apology` field must be an integer from 0 to 10000 (read: -1)",
        ),
        (_set("behaviour_counts.apology", 10**400), "must be an integer from 0 to 10000 (read: 1000000"),
        (_set("behaviour_counts.apology", 1.5), "must be an integer from 0 to 10000 (read: 1.5)"),
        (_set("signals.complaint", True), "the `signals.complaint` field must be a JSON object"),
        (_drop("signals.complaint.value"), "no `signals.complaint.value` field"),
        (
            _set("signals.complaint.value", "true"),
            "the `signals.complaint.value` field must be true or false",
        ),
        (_set("improvements", {}), "the `improvements` field must be a list"),
        (_set("improvements.0", "jargon"), "the `improvements[0]` field must be a JSON object"),
        (
            _set("improvements.0.moment", None),
            "the `improvements[0].moment` field must be a non-empty string",
        ),
        (_set("turns", "…"), "the `turns` field must be a list"),
        (_set("turns.0", None), "the `turns[0]` field must be a JSON object"),
        (_drop("turns.1.speaker"), "no `turns[1].speaker` field"),
        (
            _set("turns.1.speaker", "Agent"),
            "the `turns[1].speaker` field must be one of: customer, agent, bot",
        ),
        (_set("turns.1.behaviours", "apology"), "the `turns[1].behaviours` field must be a list"),
        (_set("turns.1.behaviours.0", "apology"), "the `turns[1].behaviours[0]` field must be a JSON object"),
        (_drop("turns.1.behaviours.0.name"), "no `turns[1].behaviours[0].name` field"),
        (_set("turns.1.behaviours.0.name", 3), "the `turns[1].behaviours[0].name` field must be a non-empty"),
        (_set("turns.2.analysis", "anger"), "the `turns[2].analysis` field must be a JSON object"),
        (_drop("turns.2.analysis.emotion"), "no `turns[2].analysis.emotion` field"),
        (_set("turns.2.analysis.emotion", ["anger"]), "the `turns[2].analysis.emotion` field must be a non"),
        (_set("agent_id", "\ud800"), "the `agent_id` field holds half of a UTF-16 pair"),
        (_set("turns.2.analysis.emotion", "\udfff"), "the `turns[2].analysis.emotion` field holds half of"),
        (_set("behaviour_counts", {"\ud83d": 1}), "the `behaviour_counts` field holds half of a UTF-16 pair"),
        (_set("signals", {"\ud83d": {"value": True}}), "the `signals` field holds half of a UTF-16 pair"),
    ],
)
def test_a_part_that_aggregate_reads_with_the_wrong_type_is_named_by_its_path(
    change: Callable[[dict[str, Any]], None], reason: str
) -> None:
    bad = copy.deepcopy(good())
    assert report_problem(bad) is None
    change(bad)
    problem = report_problem(bad)
    assert problem is not None
    assert reason in problem, problem


def test_parts_that_aggregate_does_not_read_are_not_checked() -> None:
    """Only what reaches the aggregates is checked: a later report format may add parts."""
    extra = good()
    extra["trajectory"]["valence"] = [math.nan]
    extra["arc"] = 7
    extra["turns"][0]["behaviours"] = "on a customer turn, never read"
    extra["turns"][1]["analysis"] = "on an agent turn, never read"
    extra["new_part"] = {"anything": None}
    assert report_problem(extra) is None


def test_the_reason_is_in_french_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESSENTI_LANG")
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    bad = good()
    bad["satisfaction"]["score"] = math.nan
    assert report_problem(bad) == "le champ `satisfaction.score` doit être un nombre de 1 à 5 (lu : NaN)"
    del bad["trajectory"]
    assert report_problem(bad) == "ce n'est pas un rapport de conversation (pas de champ `trajectory`)"
