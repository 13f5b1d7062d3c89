"""Many conversation reports (docs/conversations.md) summed up per agent, per team and overall.

``aggregate`` reads the reports one at a time and keeps counters only, so a million reports cost
the memory of their counters, not of the reports. Every rate is a count over a denominator that is
kept beside it (``to_dict`` gives both), and a rate over nothing is ``None``, never 0.

What agents are measured on is what they write (their behaviours, PRODUCT.md §2): the emotions
counted here are the customers', read on customer turns only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ressenti.conversation.behaviours import BEHAVIOURS  # in the order of docs/agent-behaviours.md
from ressenti.conversation.model import MAX_TURNS
from ressenti.conversation.trajectory import TENSE_VALENCE

# The key of the conversations whose report names no agent, or no team.
NO_ID = "-"


def _ratio(count: int, total: int, scale: float = 1.0) -> float | None:
    return scale * count / total if total else None


def _number(value: object, low: float, high: float) -> float | None:
    """A number of the report within its documented range, or None: bool is an int to Python but a
    report's ``true`` is no score, and neither are NaN and the infinities that Python's JSON reader
    accepts (one would make every mean it enters NaN, and aggregates.json invalid JSON)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high:
        return float(value)  # NaN is within no range
    return None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _key(value: object) -> str:
    """The bucket of an agent or team id: the id as text, or ``NO_ID`` when there is none."""
    if value is None or isinstance(value, bool | Mapping | list):
        return NO_ID
    text = str(value).strip()
    return text or NO_ID


@dataclass(frozen=True, slots=True)
class ConversationFacts:
    """What one report adds to the counters, read once and defensively: missing parts are empty, and so
    are parts of the wrong type and numbers outside their range (``reporting.check`` says what such a
    report lacks, so that ``ressenti report`` can refuse it rather than count it)."""

    agent: str
    team: str
    agent_turns: int
    behaviour_turns: Counter[str]
    has_levels: bool
    both_levels: bool
    has_trajectory: bool
    tense: bool
    recovered: bool
    deteriorated: bool
    awaiting: bool  # tense, not recovered, and the agent's last reply (an e-mail) awaits the customer
    satisfaction: float | None
    motive: str | None
    customer_emotions: Counter[str]
    improvements: Counter[str]
    signals: frozenset[str]

    @classmethod
    def read(cls, report: Mapping[str, Any]) -> ConversationFacts:
        if not isinstance(report, Mapping):
            raise TypeError(f"a conversation report is a JSON object, not {type(report).__name__}")
        turns = [turn for turn in _sequence(report.get("turns")) if isinstance(turn, Mapping)]
        agent_turns = [turn for turn in turns if turn.get("speaker") == "agent"]
        behaviour_turns: Counter[str] = Counter()
        if any(isinstance(turn.get("behaviours"), list) for turn in agent_turns):
            for turn in agent_turns:
                # A turn shows a behaviour or not: two cues of one apology are one apologising turn.
                behaviour_turns.update(
                    {
                        detection["name"]
                        for detection in _sequence(turn.get("behaviours"))
                        if isinstance(detection, Mapping) and isinstance(detection.get("name"), str)
                    }
                )
        else:
            # A report without per-turn detections may still carry the conversation's counts.
            for name, count in _mapping(report.get("behaviour_counts")).items():
                # No conversation has more turns than MAX_TURNS: a larger count is damage, and one
                # beyond what a float holds would stop the rates with an OverflowError.
                if isinstance(count, int) and not isinstance(count, bool) and 0 < count <= MAX_TURNS:
                    behaviour_turns[name] = count
        customer_emotions = Counter(
            emotion
            for turn in turns
            if turn.get("speaker") == "customer"
            and isinstance(emotion := _mapping(turn.get("analysis")).get("emotion"), str)
        )
        improvements = Counter(
            moment
            for improvement in _sequence(report.get("improvements"))
            if isinstance(moment := _mapping(improvement).get("moment"), str)
        )
        signals = frozenset(
            name
            for name, signal in _mapping(report.get("signals")).items()
            if _mapping(signal).get("value") is True
        )
        levels = report.get("levels")
        trajectory = report.get("trajectory")
        recovered = _mapping(trajectory).get("recovered") is True
        deteriorated = _mapping(trajectory).get("deteriorated") is True
        peak = _number(_mapping(_mapping(trajectory).get("peak")).get("valence"), -1.0, 1.0)
        tense = recovered or deteriorated or (peak is not None and peak <= TENSE_VALENCE)
        motive = report.get("motive")
        return cls(
            agent=_key(report.get("agent_id")),
            team=_key(report.get("team_id")),
            agent_turns=len(agent_turns),
            behaviour_turns=behaviour_turns,
            has_levels=isinstance(levels, Mapping) and isinstance(levels.get("both"), bool),
            both_levels=_mapping(levels).get("both") is True,
            has_trajectory=isinstance(trajectory, Mapping),
            tense=tense,
            recovered=recovered,
            deteriorated=deteriorated,
            awaiting=tense and not recovered and _mapping(trajectory).get("awaiting_reply") is True,
            satisfaction=_number(_mapping(report.get("satisfaction")).get("score"), 1.0, 5.0),
            motive=motive if isinstance(motive, str) and motive else None,
            customer_emotions=customer_emotions,
            improvements=improvements,
            signals=signals,
        )


@dataclass(slots=True)
class GroupStats:
    """The counters of one agent, one team or of everything, and the rates drawn from them."""

    conversations: int = 0
    agent_turns: int = 0
    # conversations where a behaviour appears, and agent turns that show it
    behaviour_conversations: Counter[str] = field(default_factory=Counter)
    behaviour_turns: Counter[str] = field(default_factory=Counter)
    # conversations whose report says whether both levels were covered, and those that covered both
    levels_known: int = 0
    both_levels: int = 0
    trajectories: int = 0
    tense: int = 0
    recovered: int = 0
    deteriorated: int = 0
    awaiting: int = 0
    satisfaction_sum: float = 0.0
    satisfaction_count: int = 0
    motives: Counter[str] = field(default_factory=Counter)
    customer_emotions: Counter[str] = field(default_factory=Counter)
    improvements: Counter[str] = field(default_factory=Counter)
    signals: Counter[str] = field(default_factory=Counter)
    # the other side's ids: an agent's teams, a team's agents (a handful each, not the reports)
    members: set[str] = field(default_factory=set)

    def add(self, facts: ConversationFacts, member: str) -> None:
        self.conversations += 1
        self.agent_turns += facts.agent_turns
        self.behaviour_conversations.update(facts.behaviour_turns.keys())
        self.behaviour_turns.update(facts.behaviour_turns)
        self.levels_known += facts.has_levels
        self.both_levels += facts.both_levels
        self.trajectories += facts.has_trajectory
        self.tense += facts.tense
        self.recovered += facts.recovered
        self.deteriorated += facts.deteriorated
        self.awaiting += facts.awaiting
        if facts.satisfaction is not None:
            self.satisfaction_sum += facts.satisfaction
            self.satisfaction_count += 1
        if facts.motive is not None:
            self.motives[facts.motive] += 1
        self.customer_emotions.update(facts.customer_emotions)
        self.improvements.update(facts.improvements)
        self.signals.update(facts.signals)
        self.members.add(member)

    def behaviour_share(self, name: str) -> float | None:
        """Share of the conversations where the behaviour appears (0 to 1)."""
        return _ratio(self.behaviour_conversations[name], self.conversations)

    def behaviour_per_100_turns(self, name: str) -> float | None:
        """Agent turns that show the behaviour, per 100 agent turns."""
        return _ratio(self.behaviour_turns[name], self.agent_turns, 100.0)

    @property
    def both_levels_rate(self) -> float | None:
        """Share of the conversations (whose report has ``levels``) that covered both levels."""
        return _ratio(self.both_levels, self.levels_known)

    @property
    def recovery_rate(self) -> float | None:
        """Recovered conversations over the tense ones whose end is known: one whose agent's last
        e-mail still awaits the customer's reply may yet recover, and is left out."""
        return _ratio(self.recovered, self.tense - self.awaiting)

    @property
    def deterioration_rate(self) -> float | None:
        """Deteriorated conversations over those whose report has a trajectory."""
        return _ratio(self.deteriorated, self.trajectories)

    @property
    def mean_satisfaction(self) -> float | None:
        """Mean estimated satisfaction (1 to 5) over the conversations that have a score."""
        return self.satisfaction_sum / self.satisfaction_count if self.satisfaction_count else None

    def behaviour_names(self) -> list[str]:
        """The documented behaviours, then any other name met in the reports (sorted)."""
        return [*BEHAVIOURS, *sorted(set(self.behaviour_turns) - set(BEHAVIOURS))]

    def to_dict(self, members: str) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "agent_turns": self.agent_turns,
            members: sorted(self.members),
            "behaviours": {
                name: {
                    "conversations": self.behaviour_conversations[name],
                    "turns": self.behaviour_turns[name],
                    "share": self.behaviour_share(name),
                    "per_100_turns": self.behaviour_per_100_turns(name),
                }
                for name in self.behaviour_names()
            },
            "levels": {"known": self.levels_known, "both": self.both_levels, "rate": self.both_levels_rate},
            "trajectory": {
                "known": self.trajectories,
                "tense": self.tense,
                "recovered": self.recovered,
                "deteriorated": self.deteriorated,
                "awaiting": self.awaiting,
                "recovery_rate": self.recovery_rate,
                "deterioration_rate": self.deterioration_rate,
            },
            "satisfaction": {"scored": self.satisfaction_count, "mean": self.mean_satisfaction},
            "motives": dict(self.motives.most_common()),
            "customer_emotions": dict(self.customer_emotions.most_common()),
            "improvements": dict(self.improvements.most_common()),
            "signals": dict(self.signals.most_common()),
        }


@dataclass(slots=True)
class Aggregates:
    """Counters overall, per team and per agent (keyed by id; ``NO_ID`` when a report names none)."""

    overall: GroupStats = field(default_factory=GroupStats)
    teams: dict[str, GroupStats] = field(default_factory=dict)
    agents: dict[str, GroupStats] = field(default_factory=dict)

    def add(self, report: Mapping[str, Any]) -> None:
        """Count one more conversation report."""
        facts = ConversationFacts.read(report)
        self.overall.add(facts, facts.team)
        self.teams.setdefault(facts.team, GroupStats()).add(facts, facts.agent)
        self.agents.setdefault(facts.agent, GroupStats()).add(facts, facts.team)

    def team_ids(self) -> list[str]:
        return sorted(self.teams)

    def agent_ids(self) -> list[str]:
        """Agents by their first team, then by id, so that a team's agents sit together."""
        return sorted(self.agents, key=lambda agent: (min(self.agents[agent].members), agent))

    def to_dict(self) -> dict[str, Any]:
        """The aggregates as JSON-ready data: counts, their denominators and the rates (None over nothing)."""
        return {
            "no_id": NO_ID,
            "overall": self.overall.to_dict("teams"),
            "teams": {team: self.teams[team].to_dict("agents") for team in self.team_ids()},
            "agents": {agent: self.agents[agent].to_dict("teams") for agent in self.agent_ids()},
        }


def aggregate(reports: Iterable[Mapping[str, Any]]) -> Aggregates:
    """Sum up conversation reports, reading each once and keeping none of them."""
    aggregates = Aggregates()
    for report in reports:
        aggregates.add(report)
    return aggregates
