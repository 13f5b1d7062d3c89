"""The engine's reading: its shape and invariants, its JSON contract, batches, errors, and clear examples."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from ressenti import EMOTION_LABELS, SIGNAL_NAMES, Analysis, analyze, analyze_batch
from ressenti.analysis.schemas import NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS, SENTIMENT_LABELS
from ressenti.errors import InputError

LONG_TEXT = ("Je suis très déçu par votre service, toujours pas reçu ma commande. " * 3000)[:200_000]

MESSAGES: list[str] = [
    "ok",
    "😡😡😡",
    "Merci beaucoup, parfait !",
    "C'est inadmissible, je suis furieux !!!",
    "Je suis très inquiet pour mon compte",
    "Je ne comprends pas ma facture",
    "Toujours pas reçu ma commande !!! 😡 Je vais résilier.",
    "j'suis trooop déçu, c pas normal :(",
    "Super, encore en retard 🙄",
    "Pouvez-vous changer mon adresse ?",
    "Thank you so much, perfect!",
    "This is unacceptable, I am furious!!!",
    "I'm very worried about my account",
    "I don't understand my bill",
    "My package never arrived, I want to speak to a manager",
    "Great, my flight is delayed again 🙄",
    "Franchement le service est nul, so disappointed, really",
    "@sav voir https://exemple.fr/commande/123 #fail 👍🏽 🤦‍♂️",
    "   ",
    LONG_TEXT,
]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    text = (resources.files("ressenti") / "analysis" / "analysis.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


@pytest.fixture(scope="module")
def readings() -> list[Analysis]:
    return [analyze(text) for text in MESSAGES]


def ids(texts: list[str]) -> list[str]:
    return [text[:30] if len(text) < 1000 else f"long-{len(text)}" for text in texts]


@pytest.mark.parametrize("index", range(len(MESSAGES)), ids=ids(MESSAGES))
def test_scores_are_probabilities_and_valence_follows_them(readings: list[Analysis], index: int) -> None:
    reading = readings[index]
    assert set(reading.emotions) == set(EMOTION_LABELS)
    assert all(0.0 <= score <= 1.0 for score in reading.emotions.values())
    assert sum(reading.emotions.values()) == pytest.approx(1.0, abs=1e-6)
    assert set(reading.sentiment_scores) == set(SENTIMENT_LABELS)
    assert all(0.0 <= score <= 1.0 for score in reading.sentiment_scores.values())
    assert sum(reading.sentiment_scores.values()) == pytest.approx(1.0, abs=1e-6)
    assert -1.0 <= reading.valence <= 1.0
    expected = reading.sentiment_scores["positive"] - reading.sentiment_scores["negative"]
    assert reading.valence == pytest.approx(expected, abs=1e-9)
    assert 0.0 <= reading.intensity <= 1.0
    assert reading.sentiment == max(reading.sentiment_scores, key=reading.sentiment_scores.__getitem__)
    assert set(reading.signals) == set(SIGNAL_NAMES)


@pytest.mark.parametrize("index", range(len(MESSAGES)), ids=ids(MESSAGES))
def test_json_form_validates_against_the_schema(
    readings: list[Analysis], schema: dict[str, Any], index: int
) -> None:
    data = readings[index].to_dict()
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_the_schema_rejects_a_broken_reading(readings: list[Analysis], schema: dict[str, Any]) -> None:
    data = readings[2].to_dict()
    data["emotion"] = "joy"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("index", range(len(MESSAGES)), ids=ids(MESSAGES))
def test_cues_point_at_the_text(readings: list[Analysis], index: int) -> None:
    reading = readings[index]
    for cue in reading.cues:
        assert reading.text[cue.start : cue.end] == cue.text
        assert cue.effect or cue.note
    assert [(c.start, c.end) for c in reading.cues] == sorted((c.start, c.end) for c in reading.cues)
    for signal in reading.signals.values():
        for cue in signal.cues:
            assert reading.text[cue.start : cue.end] == cue.text


def test_a_very_long_message_is_truncated_and_read(readings: list[Analysis]) -> None:
    reading = readings[MESSAGES.index(LONG_TEXT)]
    assert len(LONG_TEXT) == 200_000
    assert reading.truncated
    assert reading.to_dict()["truncated"] is True
    assert len(reading.text) < len(LONG_TEXT)
    assert reading.sentiment == "negative"


def test_a_short_message_is_not_truncated(readings: list[Analysis]) -> None:
    assert not readings[0].truncated


def test_a_batch_reads_like_one_by_one(readings: list[Analysis]) -> None:
    batch = analyze_batch(MESSAGES)
    assert [r.to_dict() for r in batch] == [r.to_dict() for r in readings]


def test_a_batch_takes_a_language_per_message() -> None:
    texts = ["hello my friend", "bonjour mon ami", "merci"]
    batch = analyze_batch(texts, ["fr", "en", None])
    assert [r.lang for r in batch] == ["fr", "en", "fr"]
    assert [r.to_dict() for r in batch] == [
        analyze(t, lang).to_dict() for t, lang in zip(texts, ["fr", "en", None], strict=True)
    ]


def test_an_empty_batch_is_empty() -> None:
    assert analyze_batch([]) == []


def test_a_batch_with_languages_of_another_length_is_refused() -> None:
    with pytest.raises(InputError):
        analyze_batch(["un", "deux"], ["fr"])


@pytest.mark.parametrize("lang", ["de", "xx", "deutsch", "es-ES"])
def test_an_unsupported_language_is_refused(lang: str) -> None:
    with pytest.raises(InputError, match="not supported"):
        analyze("Guten Tag", lang)


@pytest.mark.parametrize(
    ("tag", "lang"), [("FR", "fr"), ("fr-FR", "fr"), ("en_GB", "en"), (" en ", "en"), ("", "fr")]
)
def test_a_language_tag_is_read_by_its_code(tag: str, lang: str) -> None:
    assert analyze("merci", tag).lang == lang


@pytest.mark.parametrize("text", [None, 42, b"bytes", ["a list"]], ids=["none", "int", "bytes", "list"])
def test_a_message_that_is_not_text_is_refused(text: object) -> None:
    with pytest.raises(InputError, match="str"):
        analyze(text)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        analyze_batch(["ok", text])  # type: ignore[list-item]


def test_the_error_carries_its_stable_code() -> None:
    with pytest.raises(InputError) as caught:
        analyze("hallo", "de")
    assert str(caught.value).startswith("[E010]")


@pytest.mark.parametrize("index", range(len(MESSAGES)), ids=ids(MESSAGES))
def test_the_dominant_emotion_agrees_with_the_sentiment(readings: list[Analysis], index: int) -> None:
    reading = readings[index]
    if reading.sentiment == "negative":
        assert reading.emotion in NEGATIVE_EMOTIONS | {"neutral"}
    elif reading.sentiment == "positive":
        assert reading.emotion in POSITIVE_EMOTIONS | {"neutral"}
    assert reading.emotion in EMOTION_LABELS


def test_a_reading_is_immutable(readings: list[Analysis]) -> None:
    reading = readings[2]
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.valence = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        reading.emotions["anger"] = 1.0  # type: ignore[index]
    with pytest.raises(TypeError):
        reading.sentiment_scores["positive"] = 0.0  # type: ignore[index]
    with pytest.raises(TypeError):
        reading.signals["complaint"] = reading.signals["urgency"]  # type: ignore[index]
    assert reading.cues
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.cues[0].text = "x"  # type: ignore[misc]


def test_the_effects_of_a_cue_cannot_be_changed(readings: list[Analysis]) -> None:
    cue = readings[2].cues[0]
    with pytest.raises(TypeError):
        cue.effect["valence"] = 9.0  # type: ignore[index]


def test_the_emotions_of_a_reading_are_a_copy() -> None:
    source = {label: 1 / len(EMOTION_LABELS) for label in EMOTION_LABELS}
    reading = dataclasses.replace(analyze("merci"), emotions=source)
    source["anger"] = 1.0
    assert reading.emotions["anger"] == pytest.approx(1 / len(EMOTION_LABELS))


def test_a_customer_who_insists_they_did_it_right_and_their_machine_leaks_is_not_delighted() -> None:
    """The README's example e-mail (conv-fr-002) read « ravi », +0.58: « parfaitement » counted as
    praise when it says "fully", « je ne suis pas idiote » as a negated insult, and « la machine fuit »
    as nothing at all."""
    reading = analyze(
        "Bonjour, Le réservoir est parfaitement enclenché, je ne suis pas idiote. La machine fuit, il y a "
        "une flaque sur mon plan de travail à chaque utilisation. Je demande un échange."
    )
    assert reading.sentiment == "negative"
    assert reading.motive == "defective_product"
    assert reading.signal("complaint")


@pytest.mark.parametrize("text", ["Je ne suis pas idiote.", "I'm not stupid."], ids=["fr", "en"])
def test_protesting_one_is_not_stupid_is_indignation_not_a_compliment(text: str) -> None:
    assert analyze(text).sentiment == "negative"


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("Tout fonctionne parfaitement, merci beaucoup !", "positive"),
        ("C'est parfaitement inadmissible.", "negative"),
    ],
)
def test_parfaitement_strengthens_what_it_qualifies(text: str, sentiment: str) -> None:
    assert analyze(text).sentiment == sentiment


@pytest.mark.parametrize(
    "text",
    [
        "Quel est le tarif de l'abonnement étudiant ?",
        "How do I change my address?",
        "Bonjour, comment faire ?",
    ],
)
def test_a_plain_question_shows_the_neutral_face_of_its_neutral_reading(text: str) -> None:
    """Read a little below zero (−0.21 to −0.28), such questions showed 🙁 « mécontent » beside
    « sentiment neutre » on the agent console."""
    reading = analyze(text)
    assert reading.sentiment == "neutral"
    assert reading.valence < -0.15  # the border the valence alone used to cross
    assert reading.emoticon.symbol == "😐"


@pytest.mark.parametrize(
    "text",
    [
        "J'ai été prélevé deux fois ce mois-ci, je suis vraiment inquiet pour mon compte.",
        "I'm a bit confused, why was I charged twice this month?",
    ],
)
def test_a_worried_or_confused_customer_is_unhappy_not_furious(text: str) -> None:
    """Both showed 😡 « furieux » beside « inquiétude » and « incompréhension »."""
    reading = analyze(text)
    assert reading.emotion in ("anxiety", "confusion")
    assert reading.emoticon.symbol == "🙁"


def test_the_emoticon_follows_the_valence() -> None:
    happy, angry = analyze("Merci beaucoup, parfait !"), analyze("C'est inadmissible, je suis furieux !!!")
    assert happy.emoticon.level > angry.emoticon.level
    assert happy.to_dict()["emoticon"] == happy.emoticon.symbol


def test_the_reading_names_its_engine_version() -> None:
    version = analyze("ok").engine_version
    assert version.startswith("ressenti-engine/")
    assert version != "ressenti-engine/untrained"


# ---- clear examples -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Merci beaucoup, parfait !", "Thank you so much, perfect!"], ids=["fr", "en"]
)
def test_thanks_read_positive_with_gratitude_or_satisfaction(text: str) -> None:
    reading = analyze(text)
    assert reading.sentiment == "positive"
    assert reading.valence > 0.3
    assert reading.emotion in {"gratitude", "satisfaction"}
    assert not reading.signal("complaint")


@pytest.mark.parametrize(
    "text",
    ["C'est inadmissible, je suis furieux !!!", "This is unacceptable, I am furious!!!"],
    ids=["fr", "en"],
)
def test_fury_reads_negative_with_anger_or_frustration(text: str) -> None:
    reading = analyze(text)
    assert reading.sentiment == "negative"
    assert reading.valence < -0.3
    assert reading.emotion in {"anger", "frustration"}
    assert reading.intensity > analyze(text.rstrip("!")).intensity
    assert reading.signal("complaint")


@pytest.mark.parametrize(
    "text", ["Je suis très inquiet pour mon compte", "I'm very worried about my account"], ids=["fr", "en"]
)
def test_worry_reads_as_anxiety(text: str) -> None:
    reading = analyze(text)
    assert reading.emotion == "anxiety"
    assert reading.valence < 0


@pytest.mark.parametrize(
    "text", ["Je ne comprends pas ma facture", "I don't understand my bill"], ids=["fr", "en"]
)
def test_not_understanding_reads_as_confusion(text: str) -> None:
    reading = analyze(text)
    assert reading.emotion == "confusion"
    assert reading.valence <= 0


@pytest.mark.parametrize(
    "text",
    [
        "commande pas reçue",
        "Colis pas encore livré depuis 10 jours",
        "order not received",
        "parcels not here yet",
    ],
)
def test_an_order_not_received_said_noun_first_is_a_delay(text: str) -> None:
    """The demo's first customer words, « commande pas reçue », were filed under "other": the phrase
    banks knew « pas reçu ma commande » but not the order named first, as chats and subjects say it."""
    reading = analyze(text)
    assert reading.motive == "delay"
    assert reading.motives[0].cues


@pytest.mark.parametrize("text", ["@Lumen colis cassé, nul 👎", "@QuickShop parcel smashed, useless 👎"])
def test_a_parcel_said_broken_noun_first_is_lost_or_damaged(text: str) -> None:
    """« colis cassé » was filed under "other" while "parcel smashed" was read: the French banks knew a
    parcel « arrivé cassé » or « abîmé », not one broken in two words, as a social post says it."""
    reading = analyze(text)
    assert reading.motive == "lost_or_damaged"
    assert reading.motives[0].cues


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, j'ai oublié mon mot de passe, comment faire ?",
        "Bonjour, mot de passe oublié, comment faire ?",
        "Comment réinitialiser mon mot de passe ?",
        "I forgot my password, how do I reset it?",
        "I've forgotten my password, can you help?",
        "How do I reset my password?",
    ],
)
def test_ones_own_forgotten_password_is_a_request_not_a_complaint(text: str) -> None:
    """A QA pass found « j'ai oublié mon mot de passe, comment faire ? » read as a complaint cued by
    « oublié » (-0.34), and "I forgot my password" as an account-access complaint (-0.65): the customer's
    own forgetting, or a reset asked for, names nothing that went wrong."""
    reading = analyze(text)
    assert not reading.signal("complaint")
    assert reading.motives == ()
    assert reading.sentiment == "neutral"
    assert reading.valence > -0.3


@pytest.mark.parametrize(
    "text",
    [
        "J'ai oublié mon mot de passe et le lien de réinitialisation n'arrive jamais, bloquée depuis 3 jours",
        "I forgot my password and the reset link never arrived, I've been locked out for 3 days!",
    ],
    ids=["fr", "en"],
)
def test_a_forgotten_password_that_went_wrong_is_an_account_access_complaint(text: str) -> None:
    """What went wrong after it still names the motive: "the reset link never arrived" alone was left
    when the forgetting stopped counting, and tied with the delay of "3 days"."""
    reading = analyze(text)
    assert reading.signal("complaint")
    assert reading.motive == "account_access"


@pytest.mark.parametrize(
    "text", ["Vous avez oublié ma commande !", "You forgot my order again!"], ids=["fr", "en"]
)
def test_an_order_the_company_forgot_stays_a_complaint(text: str) -> None:
    """What the company forgot is a grievance, unlike one's own forgotten password ("You forgot my order
    again!" was read neutral, with no complaint, when « Vous avez oublié ma commande ! » was one)."""
    reading = analyze(text)
    assert reading.signal("complaint")
    assert reading.sentiment == "negative"


@pytest.mark.parametrize(
    "text", ["Donc je vous dois de l'argent ? Combien ?", "So I owe you money? How much?"], ids=["fr", "en"]
)
def test_asking_whether_one_owes_money_is_a_question_not_a_refund_claim(text: str) -> None:
    """ "So I owe you money?" was read as a refund claim (-0.51): "owe … money" was taken for "you owe
    me money", and "I owe you" for thanks. Owing the company is a confused question, not a grievance."""
    reading = analyze(text)
    assert not reading.signal("complaint")
    assert reading.motives == ()
    assert reading.sentiment != "negative"
    assert reading.valence > -0.45


@pytest.mark.parametrize("text", ["Vous me devez de l'argent", "You owe me money"], ids=["fr", "en"])
def test_money_the_company_owes_stays_a_refund_claim(text: str) -> None:
    assert analyze(text).motive == "refund"


@pytest.mark.parametrize(
    "text",
    [
        "Il y a un paiement frauduleux de 300 € sur ma carte, je n'ai jamais fait cet achat",
        "Mon argent a été pris par un paiement frauduleux sur ma carte",
        "On m'a volé 300 € sur ma carte",
        "There's a fraudulent charge on my card I never made",
        "My money was stolen from my card, there's a charge I never made",
        "The money was taken from my card for a purchase I never made",
        "There is a charge on my card I never made",
    ],
)
def test_a_fraudulent_charge_is_a_billing_error_not_a_refund(text: str) -> None:
    """A charge the customer never made is a wrong debit on their account (billing_error); "my money was
    taken", « mon argent a été pris » were read as a refund not received."""
    reading = analyze(text)
    assert reading.motive == "billing_error"
    assert "refund" not in {motive.label for motive in reading.motives}


@pytest.mark.parametrize(
    "text",
    [
        "J'ai signalé le paiement frauduleux il y a un mois et toujours pas remboursé",
        "I reported the fraudulent charge a month ago and still no refund",
    ],
    ids=["fr", "en"],
)
def test_a_fraudulent_charge_not_refunded_still_names_the_refund(text: str) -> None:
    labels = {motive.label for motive in analyze(text).motives}
    assert {"billing_error", "refund"} <= labels


@pytest.mark.parametrize(
    "text",
    [
        "Le distributeur a avalé ma carte",
        "carte avalée par le distributeur",
        "the ATM swallowed my card",
        "my card was swallowed by the cash machine",
    ],
)
def test_a_card_swallowed_by_a_cash_machine_is_a_technical_issue(text: str) -> None:
    """A cash machine that keeps the card is a machine fault, not a blocked account (read account_access)."""
    reading = analyze(text)
    assert reading.signal("complaint")
    assert reading.motive == "technical_issue"
    assert "account_access" not in {motive.label for motive in reading.motives}


@pytest.mark.parametrize("text", ["Ma carte est bloquée", "My card is blocked"], ids=["fr", "en"])
def test_a_blocked_card_stays_account_access(text: str) -> None:
    assert analyze(text).motive == "account_access"


@pytest.mark.parametrize("text", ["ok", "   ", ""], ids=["ok", "blank", "empty"])
def test_an_almost_empty_message_reads_neutral_without_signal(text: str) -> None:
    reading = analyze(text)
    assert reading.sentiment == "neutral"
    assert reading.emotion == "neutral"
    assert not any(signal.value for signal in reading.signals.values())


def test_each_language_is_read_from_its_own_priors() -> None:
    """The English prior shift of the model card moves English readings only; a cue is still
    compared to no evidence in its message's language, so a message without cues has none."""
    from ressenti.analysis.engine import Engine, load_rules
    from ressenti.analysis.model import LinearModel

    shipped = LinearModel.load()
    flat = dataclasses.replace(shipped, meta={**shipped.meta, "prior_shift": {}})
    pushed = dataclasses.replace(
        shipped, meta={**shipped.meta, "prior_shift": {"en": {"sentiment:neutral": 3.0}}}
    )
    rules = load_rules()
    texts, langs = ["ok", "ok", "Merci beaucoup !"], ["en", "fr", "fr"]
    before = Engine(rules=rules, model=flat).analyze_batch(texts, langs)
    after = Engine(rules=rules, model=pushed).analyze_batch(texts, langs)
    assert after[0].sentiment_scores["neutral"] > before[0].sentiment_scores["neutral"]
    assert after[1].sentiment_scores == before[1].sentiment_scores
    assert after[2].to_dict() == before[2].to_dict()
