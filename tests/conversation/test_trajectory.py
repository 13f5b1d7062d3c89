"""The trajectory follows the customer's readings: peak, end state, recovery, deterioration, exposure."""

from __future__ import annotations

import pytest

from ressenti.analysis.scale import emoticon_for
from ressenti.analysis.schemas import EMOTION_LABELS, SIGNAL_NAMES, Analysis, Signal
from ressenti.conversation.trajectory import trajectory


def reading(
    valence: float, *, intensity: float = 0.5, signals: tuple[str, ...] = (), text: str = "…"
) -> Analysis:
    """A reading with just what the trajectory looks at."""
    sentiment = "negative" if valence <= -0.2 else "positive" if valence >= 0.2 else "neutral"
    emotion = "anger" if valence <= -0.6 else "frustration" if valence <= -0.2 else "satisfaction"
    if sentiment == "neutral":
        emotion = "neutral"
    return Analysis(
        text=text,
        lang="fr",
        emotion=emotion,
        emotions={label: 1.0 if label == emotion else 0.0 for label in EMOTION_LABELS},
        sentiment=sentiment,  # type: ignore[arg-type]
        sentiment_scores={"negative": 0.0, "neutral": 1.0, "positive": 0.0},
        valence=valence,
        intensity=intensity,
        emoticon=emoticon_for(valence, intensity),
        cues=(),
        signals={name: Signal(name, name in signals) for name in SIGNAL_NAMES},
    )


def path(  # type: ignore[no-untyped-def]
    *valences: float,
    channel: str = "chat",
    signals: dict[int, tuple[str, ...]] | None = None,
    helped: tuple[int, ...] = (1, 3, 5, 7),
):
    """Customer turns at even indexes; by default every agent turn between them helped."""
    signals = signals or {}
    turns = [(2 * i, reading(v, signals=signals.get(i, ()))) for i, v in enumerate(valences)]
    return trajectory(turns, channel, helped)


def test_a_tense_contact_that_ends_satisfied_has_recovered() -> None:
    found = path(-0.8, -0.5, 0.6)
    assert found.recovered
    assert not found.deteriorated
    assert found.peak.turn == 0
    assert found.end.turn == 4
    assert found.start.valence == -0.8


def test_a_contact_that_ends_warm_after_an_agent_who_did_not_help_has_not_recovered() -> None:
    """ "Brilliant. Cheers for nothing." after a defensive agent: warm words, no recovery."""
    assert not path(-0.8, -0.5, 0.6, helped=()).recovered
    assert not path(-0.8, -0.5, 0.6, helped=(5,)).recovered  # helped only after the end


def test_a_bare_sign_off_does_not_hide_how_the_contact_ended() -> None:
    turns = [(0, reading(-0.2)), (2, reading(-0.8)), (4, reading(0.0, text="Au revoir."))]
    found = trajectory(turns, "chat", (1, 3))
    assert found.end.turn == 2
    assert found.deteriorated


def test_a_calm_contact_that_ends_angry_has_deteriorated_and_says_where() -> None:
    found = path(0.0, -0.1, -0.7)
    assert found.deteriorated
    assert not found.recovered
    assert found.escalation_turn == 4
    assert found.peak.turn == 4


def test_a_contact_never_tense_neither_recovers_nor_deteriorates() -> None:
    found = path(0.1, 0.3)
    assert not found.recovered
    assert not found.deteriorated
    assert found.escalation_turn is None
    assert not found.tense


def test_a_churn_threat_after_a_calm_start_is_where_it_escalated() -> None:
    found = path(-0.1, -0.35, signals={1: ("churn_threat",)})
    assert found.escalation_turn == 2


@pytest.mark.parametrize(
    ("channel", "signals", "exposed", "score"),
    [
        ("chat", {}, False, 0.0),
        ("social", {}, True, 0.4),
        ("chat", {1: ("public_exposure",)}, True, 0.6),
        ("social", {1: ("public_exposure",)}, True, 1.0),
    ],
)
def test_public_exposure_weighs_more_on_social_networks(
    channel: str, signals: dict[int, tuple[str, ...]], exposed: bool, score: float
) -> None:
    found = path(-0.5, -0.6, channel=channel, signals=signals).to_dict()["public_exposure"]
    assert found["value"] is exposed
    assert found["score"] == pytest.approx(score)


def test_the_curve_lists_every_customer_turn() -> None:
    data = path(-0.8, -0.5, 0.6).to_dict()
    assert data["turns"] == [0, 2, 4]
    assert data["valence"] == [-0.8, -0.5, 0.6]
    assert data["recovered"] is True


def test_a_turn_without_a_word_is_not_on_the_curve() -> None:
    """A photo sent alone first, then the complaint: the empty turn read neutral and made the contact
    "deteriorated" at the customer's first words, and drew a calm point on the curve."""
    turns = [
        (0, reading(-0.1, text="")),
        (2, reading(-0.8)),
        (4, reading(-0.05, text=" \n")),
        (6, reading(0.6)),
    ]
    found = trajectory(turns, "chat", (3, 5))
    assert found.to_dict()["turns"] == [2, 6]
    assert found.start.turn == 2
    assert not found.deteriorated
    assert found.recovered


def test_a_customer_who_never_says_a_word_still_has_a_curve() -> None:
    found = trajectory([(0, reading(-0.1, text="")), (2, reading(-0.1, text=""))], "chat")
    assert found.to_dict()["turns"] == [0, 2]


def test_the_start_is_how_the_customer_came_to_the_agent() -> None:
    """A chat opened in two messages, "Bonjour" then the complaint, started neutral: the contact read
    "deteriorated" though the agent had not said a word, and its arc started from "neutral"."""
    turns = [(0, reading(0.0)), (1, reading(-0.8, signals=("churn_threat",))), (3, reading(-0.75))]
    found = trajectory(turns, "chat", (), first_answer=2)
    assert found.start.turn == 1
    assert not found.deteriorated
    assert trajectory(turns, "chat", ()).deteriorated  # read from the first turn, as before
    # The agent spoke first (a call): the customer's first turn is the start.
    assert trajectory(turns, "chat", (), first_answer=0).start.turn == 0


def test_no_customer_turn_is_an_error() -> None:
    with pytest.raises(ValueError, match="customer"):
        trajectory([], "chat")


def test_an_e_mail_answered_last_by_the_agent_awaits_the_customers_reply() -> None:
    """A ticket export ends on the agent's answer: how the customer takes it is not known yet."""
    turns = [(0, reading(-0.8))]
    assert trajectory(turns, "email", (1,), 1, 1).awaiting_reply
    assert trajectory(turns, "social", (1,), 1, 1).awaiting_reply
    assert trajectory(turns, "email", (1,), 1, 1).to_dict()["awaiting_reply"] is True


def test_a_reply_awaits_nobody_on_a_chat_or_once_the_customer_wrote_again() -> None:
    """On a chat or a call the customer was there when the agent spoke last; an e-mail the customer
    answered, even with an attachment alone, awaits nothing."""
    assert not trajectory([(0, reading(-0.8))], "chat", (1,), 1, 1).awaiting_reply
    assert not trajectory([(0, reading(-0.8))], "call", (1,), 1, 1).awaiting_reply
    answered = [(0, reading(-0.8)), (2, reading(0.0, text=""))]
    assert not trajectory(answered, "email", (1,), 1, 1).awaiting_reply
    assert not trajectory([(0, reading(-0.8))], "email").awaiting_reply  # nobody answered


def test_a_pleased_customer_answered_last_awaits_nothing() -> None:
    """A thank-you on a social network, answered with thanks and where to write: a calm exchange, not
    one waiting to learn how it ended."""
    assert not trajectory([(0, reading(0.8))], "social", (1,), 1, 1).awaiting_reply
    assert not trajectory([(0, reading(-0.8)), (2, reading(0.5))], "email", (1, 3), 1, 3).awaiting_reply
