"""The post-interaction report: arc, satisfaction, EI moments, improvements, in the contact's language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import conversation_from_dict
from ressenti.conversation.report import arc_in, satisfaction_in

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    record["id"]: record
    for record in map(json.loads, (ROOT / "examples" / "conversations.jsonl").read_text("utf-8").splitlines())
}
ANALYZER = ConversationAnalyzer()


def report(conversation_id: str) -> dict[str, Any]:
    return ANALYZER.analyze(conversation_from_dict(EXAMPLES[conversation_id]))


def test_a_tense_contact_calmed_by_a_good_agent_reads_as_recovered_in_french() -> None:
    found = report("conv-fr-001")
    assert found["lang"] == "fr"
    assert found["trajectory"]["recovered"] is True
    assert found["arc"].startswith("Contact rétabli")
    assert found["satisfaction"]["score"] >= 4
    behaviours = {moment["behaviour"] for moment in found["ei_moments"]}
    assert {"acknowledgement", "apology"} <= behaviours
    assert all(moment["quote"] for moment in found["ei_moments"])


def test_a_defensive_agent_gets_moments_to_improve_with_better_french_phrasings() -> None:
    found = report("conv-fr-002")
    assert found["trajectory"]["deteriorated"] is True
    assert found["satisfaction"]["score"] <= 2
    moments = {moment["moment"]: moment for moment in found["improvements"]}
    assert "minimising" in moments or "defensive" in moments
    for moment in found["improvements"]:
        assert moment["quote"]
        assert moment["quote"] in " ".join(t["text"] for t in found["turns"])
        assert moment["suggestion"]
        assert any(w in moment["suggestion"].lower() for w in ("vous", "je", "nous"))


def test_an_english_conversation_is_reported_in_english() -> None:
    found = report("conv-en-047")
    assert found["lang"] == "en"
    assert found["arc"].startswith("Recovered")
    assert found["levels"] == {"emotional": True, "rational": True, "both": True}
    for moment in found["improvements"]:
        assert moment["suggestion"]
        assert not any(w in moment["suggestion"] for w in (" vous ", " je "))


@pytest.mark.parametrize("conversation_id", sorted(EXAMPLES))
@pytest.mark.parametrize("reader", ["fr", "en"])
def test_the_sentences_for_a_reader_are_said_again_from_the_reports_codes(
    conversation_id: str, reader: str
) -> None:
    """A report in the conversation's language gives, from its codes alone, the arc and the satisfaction
    a report made for the reader holds: a French reader of an English conversation reads them in French."""
    conversation = conversation_from_dict(EXAMPLES[conversation_id])
    own, for_reader = ANALYZER.analyze(conversation), ANALYZER.analyze(conversation, reader)
    assert satisfaction_in(own, reader) == for_reader["satisfaction"]
    assert arc_in(own, reader) == for_reader["arc"]
    assert satisfaction_in(own, own["lang"]) == own["satisfaction"]
    assert arc_in(own, own["lang"]) == own["arc"]


def test_an_english_conversation_is_explained_in_french_to_a_french_reader() -> None:
    found = report("conv-en-047")
    assert arc_in(found, "fr").startswith("Contact rétabli : agacement au départ, reconnaissance à la fin")
    satisfaction = satisfaction_in(found, "fr")
    assert satisfaction["label"] == "très satisfait"
    assert satisfaction["reasons"] == [
        "fin du contact : reconnaissance (valence +1.00)",
        "la tension est retombée",
    ]


def test_only_customer_turns_are_read_for_emotion_and_only_agent_turns_for_behaviours() -> None:
    found = report("conv-fr-001")
    for turn in found["turns"]:
        assert ("analysis" in turn) == (turn["speaker"] == "customer")
        assert ("behaviours" in turn) == (turn["speaker"] == "agent")
    assert found["trajectory"]["turns"] == [t["index"] for t in found["turns"] if t["speaker"] == "customer"]


def test_a_churn_threat_left_unanswered_is_a_moment_to_improve() -> None:
    conversation = conversation_from_dict(
        {
            "id": "churn",
            "channel": "chat",
            "turns": [
                {
                    "speaker": "customer",
                    "text": "Troisième coupure cette semaine, je vais résilier mon abonnement.",
                },
                {"speaker": "agent", "text": "Un technicien passera jeudi entre 8 h et 12 h."},
            ],
        }
    )
    found = ANALYZER.analyze(conversation)
    assert found["signals"]["churn_threat"]["value"] is True
    assert "churn_ignored" in {moment["moment"] for moment in found["improvements"]}


def test_customer_turns_without_a_word_are_reported_but_read_nothing_into_the_contact() -> None:
    """A photo sent alone, first and last: the report crashed once such turns were left off the curve,
    and before that the contact "deteriorated" at the customer's first words, and the open threat of the
    last words was missed behind the empty turn."""
    angry = "C'est inadmissible, ma commande n'est toujours pas arrivée, je vais résilier !"
    found = ANALYZER.analyze(
        conversation_from_dict(
            {
                "id": "photos",
                "channel": "chat",
                "turns": [
                    {"speaker": "customer", "text": ""},
                    {"speaker": "customer", "text": angry},
                    {
                        "speaker": "agent",
                        "text": "Je comprends votre colère. Je vous renvoie le colis aujourd'hui.",
                    },
                    {"speaker": "customer", "text": "  "},
                ],
            }
        )
    )
    assert [turn["index"] for turn in found["turns"]] == [0, 1, 2, 3]  # every turn is in the report
    assert found["trajectory"]["turns"] == [1]
    assert found["trajectory"]["start"]["turn"] == 1
    assert found["trajectory"]["deteriorated"] is False
    assert (
        "une menace (résiliation, escalade ou juridique) reste ouverte au dernier message"
        in (found["satisfaction"]["reasons"])
    )


def test_a_chat_opened_in_two_messages_starts_from_the_complaint() -> None:
    found = ANALYZER.analyze(
        conversation_from_dict(
            {
                "id": "opening",
                "channel": "chat",
                "turns": [
                    {"speaker": "customer", "text": "Bonjour"},
                    {"speaker": "customer", "text": "Toujours pas reçu ma commande, c'est inadmissible !!!"},
                    {"speaker": "agent", "text": "Ce n'est pas de notre faute, voyez avec le transporteur."},
                    {"speaker": "customer", "text": "C'est honteux, je suis furieux !!!"},
                ],
            }
        )
    )
    assert found["trajectory"]["start"]["turn"] == 1
    assert found["trajectory"]["start"]["sentiment"] == "negative"


def test_the_same_conversations_give_the_same_reports_alone_or_together() -> None:
    conversations = [conversation_from_dict(record) for record in EXAMPLES.values()]
    together = ANALYZER.analyze_many(conversations)
    alone = [ANALYZER.analyze(conversation) for conversation in conversations]
    assert together == alone


@pytest.mark.parametrize("conversation_id", sorted(EXAMPLES))
def test_every_report_is_json_and_names_its_motive_among_its_motives(conversation_id: str) -> None:
    found = report(conversation_id)
    assert json.loads(json.dumps(found)) == found
    assert found["motive"] == (found["motives"][0]["label"] if found["motives"] else None)
    assert 1 <= found["satisfaction"]["score"] <= 5
