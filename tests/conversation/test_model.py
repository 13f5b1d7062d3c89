"""A conversation record is checked field by field, and a bad one says precisely what is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from ressenti.conversation.model import MAX_TURNS, BadConversationError, conversation_from_dict

GOOD: dict[str, Any] = {
    "id": "c1",
    "channel": "chat",
    "agent_id": "a1",
    "team_id": "t1",
    "metadata": {"industry": "retail", "lang": "fr"},
    "turns": [
        {"speaker": "bot", "text": "Bonjour !"},
        {"speaker": "customer", "text": "Toujours pas reçu ma commande", "ts": "2026-10-01T10:00:00Z"},
        {"speaker": "agent", "text": "Je regarde tout de suite."},
    ],
}


def test_a_good_record_keeps_every_field() -> None:
    conversation = conversation_from_dict(GOOD)
    assert conversation.id == "c1"
    assert conversation.channel == "chat"
    assert [turn.speaker for turn in conversation.turns] == ["bot", "customer", "agent"]
    assert conversation.turns[1].ts == "2026-10-01T10:00:00Z"
    assert conversation.lang == "fr"  # from the metadata when the record does not say it
    assert conversation.customer_turns() == [1]


def test_channel_defaults_to_chat_and_numbers_are_accepted_as_ids() -> None:
    conversation = conversation_from_dict({"id": 42, "turns": [{"speaker": "customer", "text": "x"}]})
    assert conversation.id == "42"
    assert conversation.channel == "chat"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": ""}, "id"),
        ({"channel": "fax"}, "fax"),
        ({"turns": []}, "turns"),
        ({"turns": "hello"}, "doit être une liste de tours"),  # it said "absent or empty"
        ({"turns": [{"speaker": "customer", "text": "a"}, "oops"]}, "2"),
        ({"turns": [{"speaker": "robot", "text": "a"}]}, "robot"),
        ({"turns": [{"speaker": None, "text": "a"}]}, "tour 1 : locuteur absent"),  # it said "None"
        ({"turns": [{"speaker": "customer"}]}, "text"),
        ({"turns": [{"speaker": "agent", "text": "Bonjour"}]}, "client"),
        ({"metadata": ["a"]}, "metadata"),
        ({"lang": "de"}, "de"),
        ({"turns": [{"speaker": "customer", "text": "a"}] * (MAX_TURNS + 1)}, str(MAX_TURNS)),
    ],
    ids=[
        "no-id",
        "unknown-channel",
        "empty-turns",
        "turns-not-a-list",
        "turn-not-an-object",
        "unknown-speaker",
        "no-speaker",
        "turn-without-text",
        "no-customer",
        "metadata-not-an-object",
        "unsupported-language",
        "too-many-turns",
    ],
)
def test_a_bad_record_says_what_is_wrong(
    change: dict[str, Any], reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    with pytest.raises(BadConversationError, match=reason):
        conversation_from_dict({**GOOD, **change})


def test_errors_speak_english_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    with pytest.raises(BadConversationError, match="no customer turn"):
        conversation_from_dict({"id": "x", "turns": [{"speaker": "agent", "text": "Hello"}]})
