"""The post-interaction report: arc, satisfaction, EI moments, improvements, in the contact's language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import conversation_from_dict
from ressenti.conversation.report import arc_in, satisfaction_in
from ressenti.conversation.suggestions import Suggestions

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
        "fin du contact : reconnaissance (valence +1,00)",
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


def chat(*turns: tuple[str, str]) -> dict[str, Any]:
    return ANALYZER.analyze(
        conversation_from_dict(
            {"id": "chat", "channel": "chat", "turns": [{"speaker": s, "text": t} for s, t in turns]}
        )
    )


def missed_emotions(found: dict[str, Any]) -> list[int]:
    return [m["turn"] for m in found["improvements"] if m["moment"] == "no_emotional_level"]


def valences(found: dict[str, Any]) -> dict[int, float]:
    curve = found["trajectory"]
    return dict(zip(curve["turns"], curve["valence"], strict=True))


LATE = "C'est inadmissible, ma commande n'est toujours pas arrivée !!!"
AND_SO = "Et donc ? Je fais quoi moi d'ici samedi ?"
RESENT = "Je vous la renvoie aujourd'hui en express, vous la recevrez demain avant 13 h."


def test_an_emotion_met_once_need_not_be_met_again_at_a_calmer_turn() -> None:
    """conv-fr-001 was told "customer's emotion not acknowledged" at the very reply it credited with
    calming the customer: the agent had met the anger one turn before, and the customer, less tense,
    asked what to do next."""
    met = chat(
        ("customer", LATE),
        ("agent", "Je comprends votre colère, et je suis sincèrement désolée pour ce retard."),
        ("customer", AND_SO),
        ("agent", RESENT),
    )
    points = valences(met)
    assert -0.3 >= points[2] > points[0]  # still tense, less than when met
    assert missed_emotions(met) == []
    unmet = chat(
        ("customer", LATE),
        ("agent", "Je regarde votre dossier."),
        ("customer", AND_SO),
        ("agent", RESENT),
    )
    assert missed_emotions(unmet) == [1, 3]  # never met: each tense turn asks for it


def test_a_customer_tenser_than_when_their_emotion_was_met_must_be_met_again() -> None:
    found = chat(
        ("customer", AND_SO),
        ("agent", "Je comprends votre inquiétude. Je vérifie tout de suite."),
        ("customer", "Là c'est scandaleux, je suis furieux, ça fait trois semaines !!!"),
        ("agent", RESENT),
    )
    points = valences(found)
    assert points[2] < points[0] <= -0.3
    assert missed_emotions(found) == [3]


def test_a_better_phrasing_answers_the_motive_of_the_turn_it_answers() -> None:
    """The conversation's main motive is the delay (said twice); the last turn answered is about the
    bill, and its better phrasing is written for a billing error."""
    bill = "Et en plus vous m'avez facturé deux fois la livraison, une erreur de facture inadmissible !!!"
    found = chat(
        ("customer", LATE),
        ("agent", "Je regarde votre dossier."),
        ("customer", "Toujours rien reçu, dix jours de retard, c'est scandaleux !!!"),
        ("agent", RESENT),
        ("customer", bill),
        ("agent", "Le remboursement part aujourd'hui."),
    )
    assert found["motive"] == "delay"
    by_turn = {m["turn"]: m for m in found["improvements"] if m["moment"] == "no_emotional_level"}
    assert found["turns"][4]["analysis"]["motive"] == "billing_error"
    suggestions = Suggestions.load("fr").by_key
    assert by_turn[5]["suggestion"] in suggestions[("no_emotional_level", "billing_error")]
    assert by_turn[1]["suggestion"] in suggestions[("no_emotional_level", "delay")]


def test_a_threat_left_without_any_reply_is_quoted_by_its_own_sentence() -> None:
    """The customer's last words, « Vous vous moquez de moi. Je vais résilier. », were quoted by their
    first sentence, which threatens nothing."""
    found = chat(
        ("customer", "Ma commande n'est jamais arrivée, c'est inadmissible !"),
        ("agent", "Ce n'est pas de notre faute, voyez avec le transporteur."),
        ("customer", "Vous vous moquez de moi. Je vais résilier."),
    )
    [moment] = [m for m in found["improvements"] if m["moment"] == "churn_ignored"]
    assert moment["turn"] == 2
    assert moment["quote"] == "Je vais résilier."


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


def defensive_then_thanked() -> dict[str, Any]:
    """A rule quoted at an angry customer on a social network, and thanks that read warm (sarcasm said
    without a marker: the words alone cannot tell)."""
    return ANALYZER.analyze(
        conversation_from_dict(
            {
                "id": "defensive",
                "channel": "social",
                "turns": [
                    {
                        "speaker": "customer",
                        "text": "Franchement @EnergiePlus votre service client est une honte, 45 minutes "
                        "d'attente pour raccrocher au nez. Je vais le dire à tout le monde.",
                    },
                    {
                        "speaker": "agent",
                        "text": "Bonjour, nos conseillers sont joignables du lundi au vendredi de 9 h "
                        "à 18 h, comme indiqué dans nos conditions générales. Vous auriez dû appeler en "
                        "dehors des heures de pointe.",
                    },
                    {"speaker": "customer", "text": "Super, merci pour l'info."},
                ],
            }
        )
    )


def test_warm_words_after_a_defensive_agent_are_neither_a_recovery_nor_a_calming() -> None:
    """A rule quoted at an angry customer is an explanation and defensive; the sarcastic thanks that
    followed read warm, and the report said « Contact rétabli » and credited the very turn it blamed as
    defensive with calming the customer, quoting the same sentence for both."""
    found = defensive_then_thanked()
    assert {"explanation", "defensive"} <= {b["name"] for b in found["turns"][1]["behaviours"]}
    assert found["trajectory"]["end"]["valence"] >= 0  # the thanks read warm
    assert found["trajectory"]["recovered"] is False
    assert [m for m in found["ei_moments"] if m["behaviour"] == "calming"] == []


def test_a_tense_contact_that_ended_calm_without_the_agents_help_is_not_a_calm_exchange() -> None:
    """Once its warm end was no recovery, the contact above read « Échange serein : colère au départ,
    reconnaissance à la fin. », calm and angry in one sentence."""
    found = defensive_then_thanked()
    assert (
        found["arc"]
        == "Tension retombée sans l'aide du conseiller : colère au départ, satisfaction à la fin."
    )
    assert (
        arc_in(found, "en")
        == "Tension eased without the agent's help: anger at the start, satisfaction at the end."
    )


def test_jargon_that_the_customer_did_not_understand_is_not_credited_with_calming() -> None:
    found = chat(
        (
            "customer",
            "Je n'arrive plus à me connecter depuis ce matin, j'ai une démo dans une heure, je panique !",
        ),
        ("agent", "Votre compte est en statut KYC pending et le token SSO a été révoqué par l'IdP."),
        ("customer", "Je n'ai rien compris. Vous pouvez juste régler ça ?"),
    )
    assert "jargon" in {b["name"] for b in found["turns"][1]["behaviours"]}
    assert [m for m in found["ei_moments"] if m["behaviour"] == "calming"] == []


def test_agent_turns_without_a_word_are_never_quoted() -> None:
    """An agent's empty turn (an attachment sent alone) was quoted « » as the reply that missed the
    customer's emotion, and as the turn that closed without a follow-up."""
    before = chat(
        ("customer", "C'est inadmissible, ma facture est fausse pour la troisième fois !!!"),
        ("agent", ""),
        ("agent", "Voici le formulaire de contestation."),
    )
    after = chat(
        ("customer", "Toujours pas reçu mon colis, c'est une honte !"),
        ("agent", "Je suis désolé, je renvoie un colis aujourd'hui."),
        ("agent", "   "),
    )
    assert missed_emotions(before) == [2]
    assert {m["turn"] for m in after["improvements"] if m["moment"] == "no_closing_followup"} == {1}
    for found in (before, after):
        assert found["improvements"]
        assert all(moment["quote"] for moment in found["improvements"] + found["ei_moments"])


def test_a_contact_closed_without_a_follow_up_is_quoted_by_how_it_closed() -> None:
    """The missing follow-up quoted the last turn's first sentence, the very one praised as an
    acknowledgement: « Bonjour, je comprends votre agacement… » was both what went well and what to
    improve."""
    found = chat(
        ("customer", "slt jai tjr pas recu mon rembourssement ça fait 1 mois c abusé !!!"),
        (
            "agent",
            "Bonjour, je comprends votre agacement, un mois c'est trop long. Je vérifie : votre "
            "remboursement de 59 € a été validé hier, vous le recevrez sous 3 jours ouvrés.",
        ),
        ("customer", "ah ok merci 👍"),
    )
    [closing] = [m for m in found["improvements"] if m["moment"] == "no_closing_followup"]
    assert (
        closing["quote"]
        == "Je vérifie : votre remboursement de 59 € a été validé hier, vous le recevrez sous 3 jours ouvrés."
    )
    assert closing["quote"] not in {moment["quote"] for moment in found["ei_moments"]}


def test_a_calming_reply_is_quoted_where_it_met_the_customer() -> None:
    found = chat(
        ("customer", LATE),
        (
            "agent",
            "Je regarde votre dossier. Je comprends votre colère, et je suis sincèrement désolée "
            "pour ce retard.",
        ),
        ("customer", "Merci beaucoup, c'est gentil de votre part."),
    )
    [calming] = [m for m in found["ei_moments"] if m["behaviour"] == "calming"]
    assert calming["quote"] == "Je comprends votre colère, et je suis sincèrement désolée pour ce retard."


def e_mail(channel: str, *turns: tuple[str, str]) -> dict[str, Any]:
    return ANALYZER.analyze(
        conversation_from_dict(
            {"id": "thread", "channel": channel, "turns": [{"speaker": s, "text": t} for s, t in turns]}
        )
    )


ANGRY_THEN_ANSWERED = (
    (
        "customer",
        "Bonjour, cela fait trois semaines que j'attends mon remboursement de 120 €. "
        "C'est inadmissible, je suis furieux !",
    ),
    (
        "agent",
        "Bonjour Monsieur, je comprends votre colère et je vous prie de nous excuser pour ce délai. "
        "J'ai lancé le remboursement de 120 € aujourd'hui : vous le recevrez sous 3 jours ouvrés.",
    ),
)


def test_a_tense_e_mail_answered_last_by_the_agent_awaits_the_customer_rather_than_stays_unresolved() -> None:
    """A ticket closed on the agent's answer read « Tension non résolue : … colère à la fin », as if the
    customer had stayed angry after reading it."""
    found = e_mail("email", *ANGRY_THEN_ANSWERED)
    assert found["trajectory"]["awaiting_reply"] is True
    assert found["arc"] == (
        "Réponse du conseiller en attente du retour du client : colère au départ, "
        "colère au dernier message du client."
    )
    assert arc_in(found, "en") == (
        "Agent's reply awaiting the customer's answer: anger at the start, "
        "anger at the customer's last message."
    )
    reasons = found["satisfaction"]["reasons"]
    assert reasons[0].startswith("dernier message du client : colère")
    assert "la dernière réponse du conseiller attend encore son retour" in reasons
    assert "the agent's last reply still awaits their answer" in satisfaction_in(found, "en")["reasons"]


def test_the_same_answer_on_a_chat_leaves_the_tension_unresolved() -> None:
    found = e_mail("chat", *ANGRY_THEN_ANSWERED)
    assert found["trajectory"]["awaiting_reply"] is False
    assert found["arc"].startswith("Tension non résolue : colère au départ, colère à la fin")


def test_reports_written_before_awaiting_was_reported_are_said_as_before() -> None:
    found = e_mail("email", *ANGRY_THEN_ANSWERED)
    del found["trajectory"]["awaiting_reply"]
    assert arc_in(found, "fr").startswith("Tension non résolue")
    assert satisfaction_in(found, "fr")["reasons"][0].startswith("fin du contact")
