"""The customer's emotional trajectory across a conversation: curve, peak, end state, recovery.

Computed from the readings of the customer's turns only: agents' emotions are never read.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ressenti.analysis.schemas import Analysis

TENSE_VALENCE = -0.3  # a customer turn at or below this valence is tense …
TENSE_INTENSITY = 0.6  # … as is a negative one at or above this intensity
CALM_VALENCE = -0.05  # an end at or above this valence is calm (or satisfied)
ESCALATION_DROP = 0.25  # a customer turn this much more negative than the one before escalates
WORSE_BY = 0.3  # an end this much more negative than the start has deteriorated
HOT_SIGNALS = ("churn_threat", "escalation_request", "legal_threat", "public_exposure")
SOCIAL_WEIGHT = 0.4  # on a social network every customer turn is public: exposure counts more
SIGNAL_WEIGHT = 0.6
SIGN_OFF_WORDS = 4  # a customer's last turn this short and this flat is a sign-off …
SIGN_OFF_VALENCE = 0.35  # … and the turn before it tells how the contact ended
EXPOSED = 0.4  # a public-exposure signal, or a negative customer on a social network, exposes the contact
# Channels where the customer reads an answer later: an agent's reply there after the customer's last
# turn has not been answered yet, and the contact's end is not known (on a chat or a call the customer
# was there when the agent spoke last).
ASYNCHRONOUS = ("email", "social")


@dataclass(frozen=True, slots=True)
class Point:
    """The customer's state at one of their turns."""

    turn: int
    emotion: str
    sentiment: str
    valence: float
    intensity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "emotion": self.emotion,
            "sentiment": self.sentiment,
            "valence": round(self.valence, 4),
            "intensity": round(self.intensity, 4),
        }


@dataclass(frozen=True, slots=True)
class Trajectory:
    """How the customer's emotion moved through the conversation."""

    points: tuple[Point, ...]
    start: Point
    peak: Point
    end: Point
    recovered: bool
    deteriorated: bool
    escalation_turn: int | None
    exposure_score: float
    exposure_turns: tuple[int, ...]
    awaiting_reply: bool = False

    @property
    def tense(self) -> bool:
        """Whether the customer was tense at some turn."""
        return any(is_tense(point) for point in self.points)

    def to_dict(self) -> dict[str, Any]:
        return {
            "turns": [point.turn for point in self.points],
            "valence": [round(point.valence, 4) for point in self.points],
            "intensity": [round(point.intensity, 4) for point in self.points],
            "emotions": [point.emotion for point in self.points],
            "start": self.start.to_dict(),
            "peak": self.peak.to_dict(),
            "end": self.end.to_dict(),
            "tense": self.tense,
            "recovered": self.recovered,
            "deteriorated": self.deteriorated,
            "escalation_turn": self.escalation_turn,
            "awaiting_reply": self.awaiting_reply,
            "public_exposure": {
                "value": self.exposure_score >= EXPOSED,
                "score": round(self.exposure_score, 4),
                "turns": list(self.exposure_turns),
            },
        }


def is_tense(point: Point) -> bool:
    """A tense customer turn: clearly negative, or negative and heated."""
    return point.valence <= TENSE_VALENCE or (
        point.sentiment == "negative" and point.intensity >= TENSE_INTENSITY
    )


def _raises_hot_signal(reading: Analysis) -> bool:
    return any(reading.signals[name].value for name in HOT_SIGNALS)


def _says_little(reading: Analysis) -> bool:
    """A short sign-off that reads near neutral ("Au revoir.", "Goodbye."): it does not say how it ended."""
    return len(reading.text.split()) <= SIGN_OFF_WORDS and abs(reading.valence) < SIGN_OFF_VALENCE


def trajectory(
    readings: Sequence[tuple[int, Analysis]],
    channel: str,
    helped: Sequence[int] = (),
    first_answer: int | None = None,
    last_answer: int | None = None,
) -> Trajectory:
    """The trajectory of the customer's turns, given as (turn index, reading), in order; never empty.

    ``helped`` are the agent turns that met the customer at the emotional or the rational level
    (``report.met_customer``: never a turn blamed as defensive, minimising, jargon or a script): a
    tense contact has recovered only when the calm end came after such a turn (a customer who
    signs off with "Brilliant. Cheers for nothing." after a defensive agent has not recovered, even
    if the words read warm). The end state is the last customer turn that says something, not a
    bare sign-off. Turns without a word are not on the curve.

    ``first_answer`` is the first agent turn. The start is how the customer came to the agent: the
    most tense of their turns before it (a chat opened with "Bonjour", then "Toujours rien reçu !!!",
    starts angry, and has not deteriorated before the agent said a word); the first turn when the
    agent spoke first or never did.

    ``last_answer`` is the last agent turn that says something. On an e-mail or a social network, one
    after a tense customer's last turn awaits their reply (``awaiting_reply``): the end is the customer's
    state at their last message, not how the contact ended. A calm or pleased customer answered last
    (thanked, and told where to write) awaits nothing to tell how it ended.
    """
    if not readings:
        raise ValueError("a trajectory needs at least one customer turn")
    # Whether the agent answered last is told by every customer turn, worded or not (an attachment sent
    # alone answers the agent too).
    answered_last = channel in ASYNCHRONOUS and last_answer is not None and last_answer > readings[-1][0]
    # A turn without a word (a photo sent alone, an e-mail with only an attachment) has no reading to
    # follow: as a point it read neutral, and a contact opened by one "deteriorated" at the customer's
    # first words. It is left out, unless no turn of the customer says anything.
    readings = [item for item in readings if item[1].text.strip()] or list(readings)
    points = tuple(
        Point(turn, reading.emotion, reading.sentiment, reading.valence, reading.intensity)
        for turn, reading in readings
    )
    opening = [
        i for i, point in enumerate(points) if first_answer is not None and point.turn < first_answer
    ] or [0]
    start = min((points[i] for i in opening), key=lambda point: (point.valence, -point.intensity))
    opened_hot = any(_raises_hot_signal(readings[i][1]) for i in opening)
    last = len(points) - 1
    while last > 0 and _says_little(readings[last][1]):
        last -= 1
    end = points[last]
    # The peak is the most negative turn; between equals, the most heated.
    peak = min(points, key=lambda point: (point.valence, -point.intensity))
    tense_before_end = any(is_tense(point) for point in points[:last])
    helped_after_tension = any(
        turn < end.turn and any(is_tense(p) and p.turn < turn for p in points[:last]) for turn in helped
    )
    recovered = (
        tense_before_end and helped_after_tension and not is_tense(end) and end.valence >= CALM_VALENCE
    )
    last_reading = readings[last][1]
    deteriorated = (end.valence <= start.valence - WORSE_BY and end.sentiment == "negative") or (
        is_tense(end) and not is_tense(start)
    )
    if last > opening[-1] and _raises_hot_signal(last_reading) and not opened_hot:
        deteriorated = deteriorated or is_tense(end)
    escalation_turn: int | None = None
    for (previous, current), (_, reading) in zip(itertools.pairwise(points), readings[1:], strict=True):
        hotter = is_tense(current) and current.valence <= previous.valence - ESCALATION_DROP
        newly_hot = _raises_hot_signal(reading) and not is_tense(previous)
        if hotter or newly_hot:
            escalation_turn = current.turn
            break
    exposure_turns = tuple(turn for turn, reading in readings if reading.signals["public_exposure"].value)
    score = SIGNAL_WEIGHT if exposure_turns else 0.0
    if channel == "social" and any(point.sentiment == "negative" for point in points):
        score += SOCIAL_WEIGHT
    return Trajectory(
        points=points,
        start=start,
        peak=peak,
        end=end,
        recovered=recovered,
        deteriorated=deteriorated and not recovered,
        escalation_turn=escalation_turn,
        exposure_score=min(1.0, score),
        exposure_turns=exposure_turns,
        awaiting_reply=answered_last and is_tense(end),
    )
