"""Aggregates of conversation reports: every count and rate of the hand-made corpus, worked out by hand."""

from __future__ import annotations

import gc
import json
import math
import re
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ressenti.reporting.aggregate import BEHAVIOURS, NO_ID, Aggregates, aggregate
from tests.reporting.builders import corpus, report

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def aggregates() -> Aggregates:
    return aggregate(corpus())


# --- conversations and turns ---------------------------------------------------------------------


def test_conversations_and_agent_turns_are_counted_per_agent_team_and_overall(aggregates: Aggregates) -> None:
    assert (aggregates.overall.conversations, aggregates.overall.agent_turns) == (7, 12)
    assert (aggregates.teams["team-fr"].conversations, aggregates.teams["team-fr"].agent_turns) == (4, 8)
    assert (aggregates.teams["team-en"].conversations, aggregates.teams["team-en"].agent_turns) == (3, 4)
    per_agent = {
        agent: (stats.conversations, stats.agent_turns) for agent, stats in aggregates.agents.items()
    }
    assert per_agent == {
        "fr-1": (2, 5),
        "fr-2": (1, 1),
        "fr-3": (1, 2),
        "en-1": (1, 3),
        "en-2": (1, 1),
        "en-3": (1, 0),
    }


def test_teams_know_their_agents_and_agents_their_team(aggregates: Aggregates) -> None:
    assert aggregates.team_ids() == ["team-en", "team-fr"]
    assert aggregates.teams["team-fr"].members == {"fr-1", "fr-2", "fr-3"}
    assert aggregates.agents["en-2"].members == {"team-en"}
    # Agents sit with their team: team-en's first, then team-fr's.
    assert aggregates.agent_ids() == ["en-1", "en-2", "en-3", "fr-1", "fr-2", "fr-3"]


# --- behaviours ----------------------------------------------------------------------------------


def test_behaviour_rates_of_one_agent(aggregates: Aggregates) -> None:
    agent = aggregates.agents["fr-1"]  # c1 [ack+apology, solution], c2 [apology, –, closing_followup]
    assert agent.behaviour_share("apology") == 1.0
    assert agent.behaviour_per_100_turns("apology") == 40.0  # 2 of 5 turns
    assert agent.behaviour_share("acknowledgement") == 0.5
    assert agent.behaviour_per_100_turns("acknowledgement") == 20.0
    assert agent.behaviour_share("closing_followup") == 0.5
    assert agent.behaviour_share("empathy") == 0.0
    assert agent.behaviour_per_100_turns("empathy") == 0.0


def test_behaviour_rates_of_a_team_and_overall(aggregates: Aggregates) -> None:
    team = aggregates.teams["team-fr"]
    assert team.behaviour_share("apology") == 3 / 4  # c1, c2, c3
    assert team.behaviour_per_100_turns("apology") == 37.5  # 3 of 8 turns
    assert team.behaviour_share("solution") == 2 / 4  # c1, c4
    assert aggregates.teams["team-en"].behaviour_per_100_turns("solution") == 25.0  # 1 of 4 turns
    assert aggregates.overall.behaviour_share("solution") == 3 / 7
    assert aggregates.overall.behaviour_per_100_turns("solution") == 100 * 3 / 12
    assert aggregates.overall.behaviour_share("acknowledgement") == 2 / 7


def test_a_behaviour_detected_twice_in_one_turn_is_one_turn(aggregates: Aggregates) -> None:
    agent = aggregates.agents["fr-2"]  # one turn with two apologies
    assert agent.behaviour_turns["apology"] == 1
    assert agent.behaviour_per_100_turns("apology") == 100.0


def test_an_agent_without_turns_has_no_rate_per_turn_rather_than_zero(aggregates: Aggregates) -> None:
    agent = aggregates.agents["en-3"]
    assert agent.behaviour_per_100_turns("solution") is None
    assert agent.behaviour_share("solution") == 0.0


def test_behaviour_counts_stand_in_when_turns_carry_no_detections() -> None:
    stripped = {"id": "x", "agent_id": "a", "team_id": "t", "behaviour_counts": {"apology": 2, "jargon": 0}}
    stats = aggregate([stripped]).agents["a"]
    assert stats.behaviour_share("apology") == 1.0
    assert stats.behaviour_turns["apology"] == 2
    assert stats.behaviour_share("jargon") == 0.0


def test_behaviours_are_those_of_the_documentation_in_its_order() -> None:
    table = (DOCS / "agent-behaviours.md").read_text(encoding="utf-8").split("Derived, not detected")[0]
    assert tuple(re.findall(r"^\| `(\w+)` \|", table, flags=re.MULTILINE)) == BEHAVIOURS


def test_an_unknown_behaviour_is_kept_after_the_documented_ones() -> None:
    stats = aggregate(
        [report("x", agent="a", team="t", customer=["neutral"], agent_turns=[["humour"]])]
    ).overall
    assert stats.behaviour_names() == [*BEHAVIOURS, "humour"]
    assert stats.behaviour_share("humour") == 1.0


# --- levels, trajectory, satisfaction ------------------------------------------------------------


def test_both_levels_rate(aggregates: Aggregates) -> None:
    assert aggregates.overall.both_levels_rate == 2 / 7  # c1, c5
    assert aggregates.teams["team-fr"].both_levels_rate == 1 / 4
    assert aggregates.agents["en-1"].both_levels_rate == 1.0
    assert aggregates.agents["fr-3"].both_levels_rate == 0.0


def test_recovery_rate_is_recovered_over_tense_conversations(aggregates: Aggregates) -> None:
    team = aggregates.teams["team-fr"]
    # c1 recovered, c2 deteriorated and c4 peaking at exactly −0.3 are tense; c3 is not.
    assert (team.tense, team.recovered) == (3, 1)
    assert team.recovery_rate == 1 / 3
    assert aggregates.teams["team-en"].recovery_rate == 1.0  # c5 only; c6 peaks at −0.2
    assert aggregates.overall.recovery_rate == 2 / 4
    assert aggregates.agents["fr-3"].tense == 1
    assert aggregates.agents["fr-3"].recovery_rate == 0.0


def awaiting(conversation_id: str, *, recovered: bool = False, peak: float = -0.8) -> dict[str, Any]:
    """A tense e-mail whose last turn is the agent's answer, not yet read by the customer."""
    found = report(
        conversation_id, agent="a", team="t", customer=["anger"], agent_turns=[["apology"]], peak=peak
    )
    found["trajectory"].update(recovered=recovered, awaiting_reply=True)
    return found


def test_a_tense_e_mail_awaiting_the_customer_is_left_out_of_the_recovery_rate() -> None:
    """The answer may yet calm the customer: counting it as not recovered would blame the agents who
    answer by e-mail for replies nobody has read yet."""
    settled = report("settled", agent="a", team="t", customer=["anger"], agent_turns=[[]], peak=-0.8)
    recovered = report("ok", agent="a", team="t", customer=["anger"], agent_turns=[[]], peak=-0.8)
    recovered["trajectory"]["recovered"] = True
    stats = aggregate([settled, recovered, awaiting("waits")]).agents["a"]
    assert (stats.tense, stats.awaiting, stats.recovered) == (3, 1, 1)
    assert stats.recovery_rate == 1 / 2
    assert stats.to_dict("teams")["trajectory"]["awaiting"] == 1


def test_only_tense_unrecovered_contacts_count_as_awaiting() -> None:
    stats = aggregate([awaiting("calm", peak=0.2), awaiting("back", recovered=True)]).overall
    assert stats.awaiting == 0
    assert stats.recovery_rate == 1.0


def test_an_agent_without_tense_conversations_has_no_recovery_rate(aggregates: Aggregates) -> None:
    assert aggregates.agents["fr-2"].tense == 0
    assert aggregates.agents["fr-2"].recovery_rate is None


@pytest.mark.parametrize(("peak", "tense"), [(-0.3, True), (-0.29, False), (-0.31, True), (0.5, False)])
def test_a_conversation_is_tense_from_a_valence_of_minus_0_3(peak: float, tense: bool) -> None:
    stats = aggregate(
        [report("x", agent="a", team="t", customer=["anger"], agent_turns=[], peak=peak)]
    ).overall
    assert stats.tense == int(tense)


def test_deterioration_rate(aggregates: Aggregates) -> None:
    assert aggregates.overall.deterioration_rate == 1 / 7  # c2
    assert aggregates.teams["team-fr"].deterioration_rate == 1 / 4
    assert aggregates.teams["team-en"].deterioration_rate == 0.0
    assert aggregates.agents["fr-1"].deterioration_rate == 0.5


def test_mean_estimated_satisfaction(aggregates: Aggregates) -> None:
    assert aggregates.teams["team-fr"].mean_satisfaction == (4 + 2 + 3 + 1) / 4
    assert aggregates.teams["team-en"].mean_satisfaction == (5 + 2 + 5) / 3
    assert aggregates.overall.mean_satisfaction == 22 / 7
    assert aggregates.agents["fr-1"].mean_satisfaction == 3.0


def test_satisfaction_without_a_numeric_score_is_left_out_of_the_mean() -> None:
    scored = report("a", agent="a", team="t", customer=["neutral"], agent_turns=[], score=4)
    unscored = report("b", agent="a", team="t", customer=["neutral"], agent_turns=[], score=None)
    boolean = report("c", agent="a", team="t", customer=["neutral"], agent_turns=[])
    boolean["satisfaction"] = {"score": True}
    stats = aggregate([scored, unscored, boolean]).overall
    assert (stats.satisfaction_count, stats.mean_satisfaction) == (1, 4.0)


@pytest.mark.parametrize(
    "score",
    [math.nan, math.inf, -math.inf, 10**400, 0, 6],
    ids=["NaN", "Infinity", "-Infinity", "1e400", "0", "6"],
)
def test_a_score_that_is_not_finite_or_outside_1_to_5_is_left_out_of_the_mean(score: float) -> None:
    """Python's JSON reader accepts NaN and Infinity: one such score made every mean NaN, which
    aggregates.json then held as ``NaN`` (not JSON)."""
    scored = report("a", agent="a", team="t", customer=["neutral"], agent_turns=[], score=4)
    damaged = report("b", agent="a", team="t", customer=["neutral"], agent_turns=[])
    damaged["satisfaction"] = {"score": score}
    aggregates = aggregate([scored, damaged])
    assert (aggregates.overall.satisfaction_count, aggregates.overall.mean_satisfaction) == (1, 4.0)
    json.dumps(aggregates.to_dict(), allow_nan=False)  # raises on NaN or Infinity


@pytest.mark.parametrize("valence", [math.nan, -math.inf, -1.5])
def test_a_peak_valence_that_is_not_finite_or_outside_minus_1_to_1_makes_no_tense_conversation(
    valence: float,
) -> None:
    damaged = report("x", agent="a", team="t", customer=["anger"], agent_turns=[])
    damaged["trajectory"]["peak"]["valence"] = valence
    assert aggregate([damaged]).overall.tense == 0


def test_a_behaviour_count_no_conversation_can_have_is_ignored_rather_than_overflowing_the_rates() -> None:
    """A count of 10**400 used to be summed, then stopped ``per_100_turns`` with an OverflowError."""
    damaged = report("x", agent="a", team="t", customer=["anger"], agent_turns=[[]])
    del damaged["turns"][1]["behaviours"]  # the counts stand in only when turns carry no detections
    damaged["behaviour_counts"] = {"apology": 10**400, "empathy": 1}
    stats = aggregate([damaged]).overall
    assert stats.behaviour_turns == {"empathy": 1}
    assert stats.behaviour_per_100_turns("empathy") == 100.0
    assert stats.behaviour_per_100_turns("apology") == 0.0


# --- motives, emotions, moments to improve, signals ----------------------------------------------


def test_motives_are_counted_by_main_motive(aggregates: Aggregates) -> None:
    assert aggregates.overall.motives == {"delay": 3, "billing_error": 1, "technical_issue": 1}
    assert aggregates.teams["team-fr"].motives == {"delay": 2, "billing_error": 1}


def test_emotion_mix_counts_customer_turns_only(aggregates: Aggregates) -> None:
    assert aggregates.teams["team-fr"].customer_emotions == {
        "anger": 3,
        "frustration": 1,
        "satisfaction": 1,
        "neutral": 2,
    }
    assert aggregates.overall.customer_emotions.total() == 11  # customer turns; agent turns have no reading


def test_an_emotion_on_an_agent_turn_is_never_counted() -> None:
    one = report("x", agent="a", team="t", customer=["neutral"], agent_turns=[["apology"]])
    one["turns"][1]["analysis"] = {"emotion": "anger"}  # agents' emotions are never read (PRODUCT.md §2)
    assert aggregate([one]).overall.customer_emotions == {"neutral": 1}


def test_improvement_moments_are_counted_by_kind(aggregates: Aggregates) -> None:
    assert aggregates.overall.improvements == {
        "no_emotional_level": 2,
        "no_closing_followup": 2,
        "defensive": 1,
        "jargon": 1,
    }
    assert aggregates.agents["fr-3"].improvements == {"defensive": 1, "no_closing_followup": 1}


def test_signals_raised_are_counted_per_conversation(aggregates: Aggregates) -> None:
    assert aggregates.overall.signals == {"complaint": 4, "churn_threat": 1, "legal_threat": 1}  # c1 c2 c4 c5
    assert aggregates.teams["team-en"].signals == {"complaint": 1}


# --- missing ids and missing parts ---------------------------------------------------------------


@pytest.mark.parametrize(
    "missing", [{}, {"agent_id": None, "team_id": None}, {"agent_id": "", "team_id": "  "}]
)
def test_missing_agent_and_team_go_to_the_dash_bucket(missing: dict[str, Any]) -> None:
    orphan = report("x", agent=None, team=None, customer=["anger"], agent_turns=[["apology"]], peak=-0.8)
    orphan.update(missing)
    aggregates = aggregate([*corpus(), orphan])
    assert NO_ID == "-"
    assert set(aggregates.agents) == {"fr-1", "fr-2", "fr-3", "en-1", "en-2", "en-3", "-"}
    assert set(aggregates.teams) == {"team-fr", "team-en", "-"}
    assert aggregates.agents["-"].conversations == 1
    assert aggregates.teams["-"].members == {"-"}
    assert aggregates.teams["-"].tense == 1
    assert aggregates.overall.conversations == 8


def test_a_report_with_an_agent_but_no_team_keeps_the_agent() -> None:
    aggregates = aggregate(
        [report("x", agent="a", team=None, customer=["neutral"], agent_turns=[["solution"]])]
    )
    assert set(aggregates.agents) == {"a"}
    assert set(aggregates.teams) == {"-"}
    assert aggregates.agents["a"].members == {"-"}


def test_a_report_with_only_an_id_is_one_conversation_with_nothing_known() -> None:
    stats = aggregate([{"id": "bare"}]).overall
    assert (stats.conversations, stats.agent_turns) == (1, 0)
    assert stats.both_levels_rate is None  # no conversation says whether both levels were covered
    assert stats.deterioration_rate is None  # no trajectory
    assert stats.recovery_rate is None
    assert stats.mean_satisfaction is None
    assert stats.behaviour_share("apology") == 0.0
    assert stats.motives == stats.customer_emotions == stats.improvements == stats.signals == {}


def test_parts_of_the_wrong_type_are_ignored_rather_than_crashing() -> None:
    odd = {
        "id": "odd",
        "agent_id": 42,
        "team_id": ["not", "an", "id"],
        "turns": [None, "text", {"speaker": "agent", "behaviours": [None, {"name": 3}, {"name": "apology"}]}],
        "trajectory": {"peak": {"valence": "low"}, "recovered": "yes"},
        "levels": {"both": "true"},
        "satisfaction": "great",
        "improvements": [None, {"moment": None}, {"moment": "jargon"}],
        "signals": {"complaint": True, "urgency": {"value": 1}, "churn_threat": {"value": True}},
        "motive": 7,
    }
    aggregates = aggregate([odd])
    assert set(aggregates.agents) == {"42"}
    assert set(aggregates.teams) == {"-"}
    stats = aggregates.overall
    assert (stats.agent_turns, stats.behaviour_turns["apology"]) == (1, 1)
    assert (stats.trajectories, stats.tense, stats.recovered) == (1, 0, 0)
    assert stats.levels_known == 0
    assert stats.improvements == {"jargon": 1}
    assert stats.signals == {"churn_threat": 1}
    assert not stats.motives


def test_a_report_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(TypeError, match="JSON object"):
        aggregate([["not", "a", "report"]])  # type: ignore[list-item]


# --- streaming and output ------------------------------------------------------------------------


class Report(dict[str, Any]):
    """A report that can be watched (a plain dict cannot be weakly referenced)."""


def test_aggregate_streams_and_keeps_no_report() -> None:
    watched: list[weakref.ref[Report]] = []

    def reports() -> Iterator[Report]:
        for number, one in enumerate(corpus() * 3):
            if number >= 2:
                gc.collect()
                # Two reports back is out of reach: aggregate holds counters, not reports.
                assert watched[number - 2]() is None
            item = Report(one)
            watched.append(weakref.ref(item))
            yield item

    aggregates = aggregate(reports())
    gc.collect()
    assert aggregates.overall.conversations == 21
    assert all(ref() is None for ref in watched)


def test_to_dict_is_json_with_counts_denominators_and_rates(aggregates: Aggregates) -> None:
    data = json.loads(json.dumps(aggregates.to_dict()))
    assert data["no_id"] == "-"
    assert list(data["teams"]) == ["team-en", "team-fr"]
    team = data["teams"]["team-fr"]
    assert team["agents"] == ["fr-1", "fr-2", "fr-3"]
    assert team["behaviours"]["apology"] == {
        "conversations": 3,
        "turns": 3,
        "share": 0.75,
        "per_100_turns": 37.5,
    }
    assert team["trajectory"] == {
        "known": 4,
        "tense": 3,
        "recovered": 1,
        "deteriorated": 1,
        "awaiting": 0,
        "recovery_rate": 1 / 3,
        "deterioration_rate": 0.25,
    }
    assert team["levels"] == {"known": 4, "both": 1, "rate": 0.25}
    assert team["satisfaction"] == {"scored": 4, "mean": 2.5}
    assert team["motives"] == {"delay": 2, "billing_error": 1}
    assert data["agents"]["en-3"]["teams"] == ["team-en"]
    assert data["agents"]["en-3"]["behaviours"]["solution"]["per_100_turns"] is None
    assert data["overall"]["teams"] == ["team-en", "team-fr"]
    assert list(data["overall"]["behaviours"]) == list(BEHAVIOURS)


def test_aggregates_can_be_fed_one_report_at_a_time() -> None:
    fed = Aggregates()
    for one in corpus():
        fed.add(one)
    assert fed.to_dict() == aggregate(corpus()).to_dict()
