"""Conversation reports made by hand, in the shape of docs/conversations.md, and a small corpus of them.

The corpus: two teams of three agents, seven conversations, with every number the tests expect
worked out below by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

SIGNALS = ("complaint", "churn_threat", "escalation_request", "legal_threat", "public_exposure", "urgency")


def report(
    conversation_id: str,
    *,
    agent: str | None,
    team: str | None,
    customer: Sequence[str],
    agent_turns: Sequence[Sequence[str]],
    both: bool = False,
    peak: float = 0.0,
    recovered: bool = False,
    deteriorated: bool = False,
    score: int | None = 3,
    motive: str | None = None,
    moments: Sequence[str] = (),
    signals: Sequence[str] = (),
) -> dict[str, Any]:
    """One report: customer turns with their emotion, then agent turns with their behaviours (interleaved)."""
    turns: list[dict[str, Any]] = []
    for position in range(max(len(customer), len(agent_turns))):
        if position < len(customer):
            turns.append(
                {
                    "index": len(turns),
                    "speaker": "customer",
                    "text": "…",
                    "analysis": {"emotion": customer[position], "sentiment": "neutral"},
                }
            )
        if position < len(agent_turns):
            turns.append(
                {
                    "index": len(turns),
                    "speaker": "agent",
                    "text": "…",
                    "behaviours": [
                        {"name": name, "cues": [{"start": 0, "end": 1, "text": "…"}]}
                        for name in agent_turns[position]
                    ],
                }
            )
    counts = Counter(name for names in agent_turns for name in set(names))
    out: dict[str, Any] = {
        "id": conversation_id,
        "channel": "chat",
        "lang": "fr",
        "metadata": {},
        "turns": turns,
        "trajectory": {
            "turns": [0],
            "valence": [peak],
            "intensity": [0.5],
            "peak": {
                "turn": 0,
                "emotion": customer[0] if customer else "neutral",
                "valence": peak,
                "intensity": 0.5,
            },
            "recovered": recovered,
            "deteriorated": deteriorated,
            "escalation_turn": None,
            "public_exposure": {"value": False, "score": 0.0, "turns": []},
        },
        "sentiment": "neutral",
        "levels": {"emotional": both, "rational": both, "both": both},
        "ei_moments": [],
        "improvements": [
            {"turn": 1, "moment": moment, "quote": "…", "suggestion": "…"} for moment in moments
        ],
        "motives": [{"label": motive, "score": 0.8, "turns": [0]}] if motive else [],
        "motive": motive,
        "signals": {
            name: {"value": name in signals, "turns": [0] if name in signals else []} for name in SIGNALS
        },
        "behaviour_counts": dict(counts),
        "engine_version": "test",
    }
    if score is not None:
        out["satisfaction"] = {"score": score, "label": "…", "reasons": []}
    if agent is not None:
        out["agent_id"] = agent
    if team is not None:
        out["team_id"] = team
    return out


def corpus() -> list[dict[str, Any]]:
    """Two teams × three agents.

    team-fr (4 conversations, 8 agent turns):
      c1 fr-1: turns [ack+apology, solution]; both; tense (recovered, peak −0.7); score 4; delay; complaint
      c2 fr-1: turns [apology, –, closing_followup]; tense (deteriorated, peak −0.5); score 2; delay;
               no_emotional_level; complaint + churn_threat
      c3 fr-2: turns [apology twice in one turn]; not tense (peak 0.2); score 3; no motive;
               no_closing_followup
      c4 fr-3: turns [defensive, explanation+solution]; tense only by its peak of exactly −0.3; score 1;
               billing_error; defensive + no_closing_followup; complaint + legal_threat
    team-en (3 conversations, 4 agent turns):
      c5 en-1: turns [ack+empathy, solution, closing_followup]; both; tense (recovered, peak −0.6); score 5;
               delay; complaint
      c6 en-2: turns [jargon]; not tense (peak −0.2); score 2; technical_issue; jargon + no_emotional_level
      c7 en-3: no agent turn at all (a bot answered); score 5
    """
    return [
        report(
            "c1",
            agent="fr-1",
            team="team-fr",
            customer=["anger", "satisfaction"],
            agent_turns=[["acknowledgement", "apology"], ["solution"]],
            both=True,
            peak=-0.7,
            recovered=True,
            score=4,
            motive="delay",
            signals=["complaint"],
        ),
        report(
            "c2",
            agent="fr-1",
            team="team-fr",
            customer=["frustration", "neutral"],
            agent_turns=[["apology"], [], ["closing_followup"]],
            peak=-0.5,
            deteriorated=True,
            score=2,
            motive="delay",
            moments=["no_emotional_level"],
            signals=["complaint", "churn_threat"],
        ),
        report(
            "c3",
            agent="fr-2",
            team="team-fr",
            customer=["neutral"],
            agent_turns=[["apology", "apology"]],
            peak=0.2,
            score=3,
            moments=["no_closing_followup"],
        ),
        report(
            "c4",
            agent="fr-3",
            team="team-fr",
            customer=["anger", "anger"],
            agent_turns=[["defensive"], ["explanation", "solution"]],
            peak=-0.3,
            score=1,
            motive="billing_error",
            moments=["defensive", "no_closing_followup"],
            signals=["complaint", "legal_threat"],
        ),
        report(
            "c5",
            agent="en-1",
            team="team-en",
            customer=["anxiety", "gratitude"],
            agent_turns=[["acknowledgement", "empathy"], ["solution"], ["closing_followup"]],
            both=True,
            peak=-0.6,
            recovered=True,
            score=5,
            motive="delay",
            signals=["complaint"],
        ),
        report(
            "c6",
            agent="en-2",
            team="team-en",
            customer=["confusion"],
            agent_turns=[["jargon"]],
            peak=-0.2,
            score=2,
            motive="technical_issue",
            moments=["jargon", "no_emotional_level"],
        ),
        report("c7", agent="en-3", team="team-en", customer=["neutral"], agent_turns=[], peak=0.1, score=5),
    ]
