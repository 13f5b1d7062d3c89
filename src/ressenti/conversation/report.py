"""The post-interaction report of one conversation: what happened, what went well, what to improve.

Quotes and better phrasings are in the conversation's language (French or English); the sentences written
for the reader (satisfaction, arc) in the reader's language when one is asked for, else the same. Those
sentences are said from the report's own codes (``satisfaction_in``, ``arc_in``): a reader of another
language gets them in theirs from the report as it is.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from ressenti.analysis.schemas import SIGNAL_NAMES, Analysis, Cue
from ressenti.conversation.behaviours import (
    EMOTIONAL_LEVEL,
    RATIONAL_LEVEL,
    TO_IMPROVE,
    Behaviour,
    Evidence,
    sentence_around,
    sentences,
)
from ressenti.conversation.model import Conversation
from ressenti.conversation.suggestions import Suggestions
from ressenti.conversation.trajectory import TENSE_VALENCE, Point, Trajectory, is_tense
from ressenti.i18n import decimal, emotion_name, message

EI_BEHAVIOURS = (
    "acknowledgement",
    "reformulation",
    "empathy",
    "apology",
    "churn_response",
    "closing_followup",
    "nvc_observation",
    "nvc_feeling",
    "nvc_need",
    "nvc_request",
)
CALMED_BY = 0.3  # a tense customer whose next turn is this much less negative was calmed by the agent
SATISFACTION_STEPS = ((0.5, 5), (0.15, 4), (-0.15, 3), (-0.5, 2))  # end valence → score, else 1
SENTIMENT_THRESHOLD = 0.15


@dataclass(frozen=True, slots=True)
class TurnResult:
    """One turn with what was read in it: a reading (customer) or behaviours (agent)."""

    index: int
    speaker: str
    text: str
    ts: str | None
    analysis: Analysis | None = None
    behaviours: tuple[Behaviour, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "speaker": self.speaker, "text": self.text}
        if self.ts is not None:
            out["ts"] = self.ts
        if self.analysis is not None:
            out["analysis"] = self.analysis.to_dict()
        if self.speaker == "agent":
            out["behaviours"] = [behaviour.to_dict() for behaviour in self.behaviours]
        return out


def _names(turn: TurnResult) -> set[str]:
    return {behaviour.name for behaviour in turn.behaviours}


def met_customer(names: Set[str]) -> bool:
    """Whether an agent turn with these behaviours met the customer at the emotional or the rational
    level. A turn the report blames (defensive, minimising, jargon, a script) did not, whatever else it
    holds: a rule quoted at an angry customer is an explanation too, and the sarcastic thanks after it
    are neither a recovery nor a calming (on data/conversations, recovered precision 0.76 → 0.82)."""
    return bool(names & (EMOTIONAL_LEVEL | RATIONAL_LEVEL)) and not names & TO_IMPROVE


QUOTE_WORDS = 4  # a quote without a cue is the turn's first sentence of at least four words
QUOTE_CHARS = 240


def _quote(turn: TurnResult, cues: Sequence[Evidence | Cue] = (), *, last: bool = False) -> str:
    """The sentence of ``turn`` around its first cue (where a behaviour or a threat shows), else its
    first sentence of some words (its ``last``: how a turn closed)."""
    if cues:
        return sentence_around(turn.text, cues[0].start, cues[0].end)[:QUOTE_CHARS]
    said = [s for s in sentences(turn.text) if len(s.split()) >= QUOTE_WORDS]
    quoted = (said[-1] if last else said[0]) if said else turn.text.strip()
    return quoted[:QUOTE_CHARS]


def _help_cues(turn: TurnResult) -> tuple[Evidence, ...]:
    """The cues of where ``turn`` met the customer: its emotional level, else its rational level."""
    for level in (EMOTIONAL_LEVEL, RATIONAL_LEVEL):
        for behaviour in turn.behaviours:
            if behaviour.name in level and behaviour.cues:
                return behaviour.cues
    return ()


def _motives(customer: Sequence[TurnResult]) -> list[dict[str, Any]]:
    """Motives over the customer's turns: a label named at several turns is surer."""
    doubt: dict[str, float] = {}
    turns: dict[str, list[int]] = {}
    for turn in customer:
        assert turn.analysis is not None
        for motive in turn.analysis.motives:
            doubt[motive.label] = doubt.get(motive.label, 1.0) * (1.0 - motive.score)
            turns.setdefault(motive.label, []).append(turn.index)
    if len(doubt) > 1:
        doubt.pop("other", None)  # "other" is what is left when nothing more precise was found
    ranked = sorted(doubt, key=lambda label: (doubt[label], turns[label][0]))
    return [
        {"label": label, "score": round(1.0 - doubt[label], 4), "turns": turns[label]} for label in ranked
    ]


OPEN_THREATS = ("churn_threat", "escalation_request", "legal_threat")  # still open at the last message


def _satisfaction_score(path: Trajectory, customer: Sequence[TurnResult]) -> int:
    score = next((value for threshold, value in SATISFACTION_STEPS if path.end.valence >= threshold), 1)
    if path.deteriorated:
        score = max(1, score - 1)
    last = customer[-1].analysis
    assert last is not None
    if any(last.signals[name].value for name in OPEN_THREATS):
        score = max(1, score - 1)
    return score


def satisfaction_in(report: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The report's estimated satisfaction (its ``score``), named and explained in ``lang`` from the
    report's codes: the end of its trajectory (the customer's last message when the agent's reply awaits
    them), whether it recovered or deteriorated, and the threats of the customer's last turn."""
    score = report["satisfaction"]["score"]
    path = report["trajectory"]
    end = path["end"]
    awaiting = path.get("awaiting_reply") is True  # reports written before it was reported lack it
    reasons = [
        message(
            "sat_so_far" if awaiting else "sat_end",
            lang,
            emotion=emotion_name(end["emotion"], lang),
            valence=decimal(end["valence"], lang, signed=True),
        )
    ]
    if path["recovered"]:
        reasons.append(message("sat_recovered", lang))
    if path["deteriorated"]:
        reasons.append(message("sat_deteriorated", lang))
    read = [turn for turn in report["turns"] if "analysis" in turn]
    worded = [turn for turn in read if turn["text"].strip()]  # a photo sent alone says nothing
    last = (worded or read)[-1]["analysis"]
    if any(last["signals"][name]["value"] for name in OPEN_THREATS):
        reasons.append(message("sat_open_threat", lang))
    if awaiting:
        reasons.append(message("sat_awaiting", lang))
    return {"score": score, "label": message(f"sat_{score}", lang), "reasons": reasons}


def arc_in(report: Mapping[str, Any], lang: str) -> str:
    """The report's arc in one sentence in ``lang``, from its trajectory: recovered, deteriorated,
    unresolved (or awaiting the customer's reply to the agent's), eased without the agent's help or calm;
    the customer's emotion at the start and at the end (at their last message when a reply awaits them);
    a tense peak between."""
    path = report["trajectory"]
    start, peak, end = (Point(**path[name]) for name in ("start", "peak", "end"))
    awaiting = path.get("awaiting_reply") is True  # reports written before it was reported lack it
    if path["recovered"]:
        verdict = "arc_recovered"
    elif path["deteriorated"]:
        verdict = "arc_deteriorated"
    elif is_tense(end):
        # An e-mail answered last by the agent: the tension is not known to be unresolved, the answer
        # has not been read yet.
        verdict = "arc_awaiting" if awaiting else "arc_unresolved"
    elif path["tense"]:  # calm at the end, but no agent turn that met the customer brought it there
        verdict = "arc_eased"
    else:
        verdict = "arc_calm"
    peak_said = ""
    if peak.valence <= TENSE_VALENCE and peak.turn not in (start.turn, end.turn):
        peak_said = message("arc_peak", lang, emotion=emotion_name(peak.emotion, lang), turn=peak.turn + 1)
    return message(
        "arc_so_far" if awaiting else "arc",
        lang,
        verdict=message(verdict, lang),
        start=emotion_name(start.emotion, lang),
        end=emotion_name(end.emotion, lang),
        peak=peak_said,
    )


def build_report(
    conversation: Conversation,
    lang: str,
    turns: Sequence[TurnResult],
    path: Trajectory,
    suggestions: Suggestions,
    engine_version: str,
    reader_lang: str | None = None,
) -> dict[str, Any]:
    """The report of one conversation, as JSON-ready data (docs/conversations.md).

    Quotes and better phrasings stay in the conversation's language (they are what was, or could have
    been, said to the customer); the sentences written for the reader (satisfaction, arc) are in
    ``reader_lang`` when given."""
    reader = reader_lang or lang
    customer = [turn for turn in turns if turn.analysis is not None]
    agent = [turn for turn in turns if turn.speaker == "agent"]
    # What the agent said: a turn without a word (an attachment sent alone) neither answers nor closes.
    spoken = [turn for turn in agent if turn.text.strip()]
    motives = _motives(customer)
    motive = motives[0]["label"] if motives else None

    def suggest(moment: str, turn: int, answering: Analysis | None = None) -> str | None:
        """A better phrasing for the motive of the customer turn answered, when it names a precise one,
        else for the conversation's: the agent meets the complaint in front of them."""
        precise = answering.motive if answering is not None and answering.motive != "other" else None
        return suggestions.pick(moment, precise or motive, f"{conversation.id}:{turn}:{moment}")

    ei_moments: list[dict[str, Any]] = []
    improvements: list[dict[str, Any]] = []
    for turn in agent:
        for behaviour in turn.behaviours:
            if behaviour.name in EI_BEHAVIOURS:
                quote = _quote(turn, behaviour.cues)
                ei_moments.append({"turn": turn.index, "behaviour": behaviour.name, "quote": quote})
            elif behaviour.name in TO_IMPROVE:
                quote = _quote(turn, behaviour.cues)
                improvements.append(
                    {
                        "turn": turn.index,
                        "moment": behaviour.name,
                        "quote": quote,
                        "suggestion": suggest(behaviour.name, turn.index),
                    }
                )
    # What the agent answered to each customer turn: the agent turns before the next customer turn.
    answers: dict[int, list[TurnResult]] = {}
    for position, turn in enumerate(customer):
        following = customer[position + 1].index if position + 1 < len(customer) else len(turns)
        answers[turn.index] = [a for a in spoken if turn.index < a.index < following]
    on_curve = {point.turn: point for point in path.points}  # the turns that say something
    next_on_curve = {point.turn: after for point, after in itertools.pairwise(path.points)}
    # How tense the customer was the most when the agent met their emotion (None: not met yet). An
    # emotion met once need not be met again at every turn: a tense turn answered without the emotional
    # level is a moment to improve only when the customer is tenser than at any turn already met.
    met: float | None = None
    for turn in customer:
        reading = turn.analysis
        assert reading is not None
        replies = answers[turn.index]
        said = set().union(*(_names(reply) for reply in replies)) if replies else set()
        point = on_curve.get(turn.index)
        if point is not None and said & EMOTIONAL_LEVEL:
            met = point.valence if met is None else min(met, point.valence)
        elif replies and point is not None and is_tense(point) and (met is None or point.valence < met):
            improvements.append(
                {
                    "turn": replies[0].index,
                    "moment": "no_emotional_level",
                    "quote": _quote(replies[0]),
                    "suggestion": suggest("no_emotional_level", replies[0].index, reading),
                }
            )
        if reading.signals["churn_threat"].value and "churn_response" not in said:
            # The reply that did not answer the threat; the threat itself when no reply came.
            at = replies[0] if replies else turn
            improvements.append(
                {
                    "turn": at.index,
                    "moment": "churn_ignored",
                    "quote": _quote(at) if replies else _quote(turn, reading.signals["churn_threat"].cues),
                    "suggestion": suggest("churn_ignored", at.index, reading),
                }
            )
        if point is None:  # a turn without a word: no tension to meet, no calm to credit
            continue
        nxt = next_on_curve.get(turn.index)
        helpers = [reply for reply in replies if met_customer(_names(reply))]
        if helpers and nxt is not None and is_tense(point) and nxt.valence >= point.valence + CALMED_BY:
            ei_moments.append(
                {
                    "turn": helpers[-1].index,
                    "behaviour": "calming",
                    "quote": _quote(helpers[-1], _help_cues(helpers[-1])),
                }
            )
    said_overall = set().union(*(_names(turn) for turn in agent)) if agent else set()
    complaint = any(
        turn.analysis is not None and turn.analysis.signals["complaint"].value for turn in customer
    )
    if spoken and complaint and not said_overall & RATIONAL_LEVEL:
        last = spoken[-1]
        improvements.append(
            {
                "turn": last.index,
                "moment": "no_rational_level",
                "quote": _quote(last),
                "suggestion": suggest("no_rational_level", last.index),
            }
        )
    if spoken and not any("closing_followup" in _names(turn) for turn in spoken[-2:]):
        last = spoken[-1]
        improvements.append(
            {
                "turn": last.index,
                "moment": "no_closing_followup",
                "quote": _quote(last, last=True),
                "suggestion": suggest("no_closing_followup", last.index),
            }
        )
    ei_moments.sort(key=lambda moment: moment["turn"])
    improvements.sort(key=lambda moment: moment["turn"])
    weights = range(1, len(path.points) + 1)
    mean = sum(w * p.valence for w, p in zip(weights, path.points, strict=True)) / sum(weights)
    sentiment = (
        "positive"
        if mean >= SENTIMENT_THRESHOLD
        else "negative"
        if mean <= -SENTIMENT_THRESHOLD
        else "neutral"
    )
    signals: dict[str, Any] = {}
    for name in SIGNAL_NAMES:
        raised = [t.index for t in customer if t.analysis is not None and t.analysis.signals[name].value]
        signals[name] = {"value": bool(raised), "turns": raised}
    emotional, rational = bool(said_overall & EMOTIONAL_LEVEL), bool(said_overall & RATIONAL_LEVEL)
    counts = Counter(behaviour.name for turn in agent for behaviour in turn.behaviours)
    report: dict[str, Any] = {
        "id": conversation.id,
        "channel": conversation.channel,
        "lang": lang,
        "agent_id": conversation.agent_id,
        "team_id": conversation.team_id,
        "metadata": dict(conversation.metadata),
        "turns": [turn.to_dict() for turn in turns],
        "trajectory": path.to_dict(),
        "sentiment": sentiment,
        "satisfaction": {"score": _satisfaction_score(path, customer)},  # named and explained below
        "arc": "",  # said below
        "levels": {"emotional": emotional, "rational": rational, "both": emotional and rational},
        "ei_moments": ei_moments,
        "improvements": improvements,
        "motives": motives,
        "motive": motive,
        "signals": signals,
        "behaviour_counts": dict(sorted(counts.items())),
        "agent_turns": len(agent),
        "customer_turns": len(customer),
        "engine_version": engine_version,
    }
    report["satisfaction"] = satisfaction_in(report, reader)
    report["arc"] = arc_in(report, reader)
    return report
