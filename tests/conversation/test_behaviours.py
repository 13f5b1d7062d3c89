"""Agents' turns: each behaviour is found with its cues, in French and in English, and two need context."""

from __future__ import annotations

import pytest

from ressenti.analysis.api import default_engine
from ressenti.conversation.behaviours import (
    BEHAVIOURS,
    BehaviourDetector,
    BehaviourModel,
    CustomerContext,
    acronym_grams,
    is_acronym,
    length_features,
    placed_grams,
    sentence_around,
    sentences,
    turn_ngrams,
)

DETECTOR = BehaviourDetector(default_engine().rules)

CASES = [
    ("fr", "Je suis vraiment désolé pour ce retard.", "apology"),
    ("en", "I'm really sorry about the delay.", "apology"),
    ("fr", "Je comprends tout à fait votre frustration.", "acknowledgement"),
    ("en", "I can hear how frustrating this has been for you.", "acknowledgement"),
    ("fr", "À votre place, je serais moi aussi agacé.", "empathy"),
    ("en", "That's completely understandable.", "empathy"),
    ("fr", "Ce retard est dû à une grève chez notre transporteur.", "explanation"),
    ("en", "This happened because of a system outage on our side.", "explanation"),
    ("fr", "Je vous renvoie un colis dès aujourd'hui.", "solution"),
    ("en", "I've issued a full refund to your card.", "solution"),
    ("fr", "Ce n'est pas de notre faute, vous auriez dû vérifier.", "defensive"),
    ("en", "That's not our fault, you should have checked.", "defensive"),
    ("fr", "Ce n'est pas grave, ce n'est qu'un petit retard.", "minimising"),
    ("en", "It's no big deal, it's just a small delay.", "minimising"),
    ("fr", "Votre ticket est escaladé en N2 côté back-office.", "jargon"),
    ("en", "Your ticket has been escalated to tier 2 per the SLA.", "jargon"),
    ("fr", "Votre demande est importante pour nous.", "scripted"),
    ("en", "Your call is important to us.", "scripted"),
    ("fr", "Puis-je vous aider pour autre chose ?", "closing_followup"),
    ("en", "Is there anything else I can help you with?", "closing_followup"),
    ("fr", "Je constate que votre commande n'a pas été livrée.", "nvc_observation"),
    ("en", "I can see that the payment was taken twice.", "nvc_observation"),
    ("fr", "Pourriez-vous m'envoyer une photo du colis ?", "nvc_request"),
    ("en", "Could you send me a photo of the parcel?", "nvc_request"),
]


PHRASES = BehaviourDetector(default_engine().rules, use_model=False)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "I've restored the points, they'll show after your next match. Anything else?"),
        ("en", "Your premium goes up by $38 a month. Any questions, just reply."),
        ("en", "Lights go green in about 5 min. Shout if it's not working!"),
        ("en", "If it gets worse, ring us straight back on this number."),
        ("en", "I'll review your file this afternoon and call you before 5pm with where things stand."),
        ("fr", "J'appelle le relais maintenant, je vous redis dans 15 min."),
        ("fr", "On vous prévient ici dès que l'appli est rétablie."),
        ("fr", "Et si jamais il y a un souci à l'hôtel, vous me rappelez directement à ce numéro."),
        ("fr", "Si c'est pas le cas tu me redis !"),
    ],
)
def test_a_follow_up_said_in_passing_is_a_closing_phrase(lang: str, text: str) -> None:
    assert "closing_followup" in {b.name for b in PHRASES.detect(text, lang)}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Could you DM us your order number?"),
        ("en", "I called you twice yesterday about the meter."),
        ("fr", "Quel est votre numéro de client ?"),
    ],
)
def test_a_request_for_information_or_a_past_call_is_no_follow_up(lang: str, text: str) -> None:
    assert "closing_followup" not in {b.name for b in PHRASES.detect(text, lang)}


@pytest.mark.parametrize(("lang", "text", "behaviour"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_each_behaviour_is_found_with_the_words_that_show_it(lang: str, text: str, behaviour: str) -> None:
    found = {b.name: b for b in DETECTOR.detect(text, lang)}
    assert behaviour in found
    cue = found[behaviour].cues[0]
    assert text[cue.start : cue.end] == cue.text
    assert cue.text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Désolé, je n'ai pas compris votre numéro de commande."),
        ("en", "Sorry, could you repeat your order number?"),
    ],
)
def test_a_sorry_that_asks_to_repeat_is_not_an_apology(lang: str, text: str) -> None:
    assert "apology" not in {b.name for b in DETECTOR.detect(text, lang)}


@pytest.mark.parametrize(
    ("lang", "customer", "agent"),
    [
        (
            "fr",
            "On m'a prélevé deux fois la facture de mars, c'est inadmissible.",
            "Si je comprends bien, vous avez été prélevé deux fois pour la facture de mars ?",
        ),
        (
            "en",
            "You charged me twice for the March invoice, this is unacceptable.",
            "So if I understand correctly, you were charged twice for the March invoice?",
        ),
    ],
)
def test_a_reformulation_counts_only_when_it_restates_what_the_customer_said(
    lang: str, customer: str, agent: str
) -> None:
    said = CustomerContext(DETECTOR.content_words(customer, lang))
    other = CustomerContext(DETECTOR.content_words("Ma box internet ne marche plus depuis lundi.", lang))
    assert "reformulation" in {b.name for b in DETECTOR.detect(agent, lang, said)}
    assert "reformulation" not in {b.name for b in DETECTOR.detect(agent, lang, other)}
    assert "reformulation" not in {b.name for b in DETECTOR.detect(agent, lang)}


@pytest.mark.parametrize(
    ("lang", "agent"),
    [
        ("fr", "Avant de résilier, laissez-moi vous proposer un geste commercial."),
        ("en", "Before you cancel, let me see what I can offer you."),
    ],
)
def test_a_churn_response_counts_only_after_a_threat_to_leave(lang: str, agent: str) -> None:
    assert "churn_response" in {
        b.name for b in DETECTOR.detect(agent, lang, CustomerContext(churn_threat=True))
    }
    assert "churn_response" not in {b.name for b in DETECTOR.detect(agent, lang, CustomerContext())}


def test_behaviours_come_in_a_fixed_order_and_only_known_names() -> None:
    found = DETECTOR.detect("Je suis désolé pour ce retard. Je vous renvoie un colis aujourd'hui.", "fr")
    names = [b.name for b in found]
    assert names == sorted(names, key=BEHAVIOURS.index)
    assert set(names) <= set(BEHAVIOURS)


def test_a_quote_is_the_sentence_around_a_cue() -> None:
    text = "Bonjour. Je suis désolé pour ce retard ! Bonne journée."
    start = text.index("désolé")
    assert sentence_around(text, start, start + 6) == "Je suis désolé pour ce retard !"


def test_turn_ngrams_stop_at_clause_boundaries_and_keep_punctuation_alone() -> None:
    grams = [gram for gram, _, _ in turn_ngrams(["je", "suis", "desole", ".", "merci"])]
    assert "je suis desole" in grams
    assert "." in grams
    assert not any("desole ." in gram or ". merci" in gram for gram in grams)


def test_placed_grams_say_what_opens_asks_and_ends_a_turn() -> None:
    keys = ["je", "comprends", "bien", ".", "vous", "voulez", "un", "avoir", "?", "bonne", "journee"]
    placed = placed_grams(keys, turn_ngrams(keys))
    assert {"first:je", "first:je comprends", "first:."} <= placed
    assert "first:je comprends bien" not in placed  # words and word pairs only
    assert not any(name.startswith("first:") and "voulez" in name for name in placed)
    assert {"asks:voulez", "asks:avoir", "asks:?"} <= placed
    assert "asks:je" not in placed
    assert "asks:bonne" not in placed
    assert {"last:bonne", "last:journee"} == {n for n in placed if n.startswith("last:")}


def test_length_features_count_words_not_punctuation() -> None:
    # Nine words and a number ("<num>"), two punctuation keys: ten words, under 15 and above, not under 8.
    keys = ["je", "vous", "rembourse", "<num>", "euros", ",", "vous", "les", "aurez", "demain", "."]
    assert length_features(keys) == {"words:<15", "words:<25", "words:<40", "words:<70"}
    assert length_features([]) == {"words:<8", "words:<15", "words:<25", "words:<40", "words:<70"}
    assert length_features(["mot"] * 70) == set()


def test_an_acronym_is_a_word_with_two_capitals_or_more() -> None:
    assert all(is_acronym(word) for word in ("SLA", "KYC", "FTTN", "RGE", "PDFs", "LTE"))
    assert not any(is_acronym(word) for word in ("Bonjour", "N2", "Paris", "a", "e-mail", "S.A."))


def test_acronym_features_count_a_turn_acronyms_and_stand_at_their_words() -> None:
    text = "Votre ticket est en N2 côté BO, le SLA est de 72 h et le RMA suit."
    _, tokens, keys, owner = DETECTOR.rules.keys(text, "fr")
    grams = acronym_grams(tokens, keys, owner)
    at = {tokens[owner[first]].text for _, first, _ in grams}
    assert at == {"BO", "SLA", "RMA"}
    assert {gram for gram, _, _ in grams} == {"acronyms>=1", "acronyms>=2", "acronyms>=3"}
    turn = DETECTOR.features(text, "fr")
    assert {"acronyms>=1", "acronyms>=2", "acronyms>=3"} <= turn.names
    assert set(grams) <= set(turn.grams)  # an acronym can be the model's cue
    one = DETECTOR.features("Je vous envoie le PDF ce soir.", "fr").names
    assert "acronyms>=1" in one
    assert "acronyms>=2" not in one


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Votre dossier est bloqué en QXV côté PLM, statut ZRT."),
        ("en", "Your case is stuck in QXV on the PLM side, status ZRT."),
    ],
)
def test_acronyms_the_model_never_read_are_jargon_and_its_cues(lang: str, text: str) -> None:
    # None of these acronyms is in the development sets: the turn's shape decides, the cues point at them.
    jargon = next(b for b in DETECTOR.detect(text, lang) if b.name == "jargon")
    assert {cue.text for cue in jargon.cues} <= {"QXV", "PLM", "ZRT"}


def test_a_turn_in_capitals_shouts_and_holds_no_acronym() -> None:
    _, tokens, keys, owner = DETECTOR.rules.keys("JE VOUS RAPPELLE DEMAIN SANS FAUTE", "fr")
    assert acronym_grams(tokens, keys, owner) == []


def test_a_turn_of_one_sentence_has_no_last_sentence_apart_from_its_first() -> None:
    keys = ["je", "regarde", "ca", "."]
    placed = placed_grams(keys, turn_ngrams(keys))
    assert "first:regarde" in placed
    assert not any(name.startswith(("last:", "asks:")) for name in placed)


def test_the_shipped_behaviour_model_was_trained_on_development_files_only() -> None:
    model = BehaviourModel.load()
    assert model is not None
    trained_on = model.meta["trained_on"]
    assert isinstance(trained_on, list)
    assert trained_on
    assert all("_dev" in name and "_test" not in name for name in trained_on)
    assert model.weights.shape == (len(model.vocabulary), len(BEHAVIOURS))


def test_a_behaviour_the_model_finds_without_a_phrase_still_points_at_words() -> None:
    model = BehaviourModel.load()
    assert model is not None
    forced = BehaviourModel(model.vocabulary, model.weights, model.bias, model.thresholds * 0, model.meta)
    detector = BehaviourDetector(default_engine().rules, forced)
    for behaviour in detector.detect("Votre colis partira demain matin.", "fr"):
        for cue in behaviour.cues:
            assert cue.text
            assert "Votre colis partira demain matin."[cue.start : cue.end] == cue.text


@pytest.mark.parametrize(
    ("lang", "text", "behaviour"),
    [
        # An exception pattern keeps condolences from counting as an apology.
        ("en", "I'm so sorry for your loss.", "apology"),
        ("fr", "Je suis sincèrement désolée pour votre perte.", "apology"),
        # Everyday acronyms keep their own weights: a turn's acronyms are not jargon by themselves.
        ("fr", "Je vous envoie le PDF et le RIB par SMS ce soir.", "jargon"),
        ("en", "I'll text you the PIN by SMS.", "jargon"),
    ],
)
def test_a_look_alike_is_not_that_behaviour(lang: str, text: str, behaviour: str) -> None:
    assert behaviour not in {b.name for b in DETECTOR.detect(text, lang)}


def test_sentences_cut_a_text_where_sentence_around_does() -> None:
    text = "Bonjour,\nJe suis désolé pour ce retard ! Bonne journée"
    assert list(sentences(text)) == ["Bonjour,", "Je suis désolé pour ce retard !", "Bonne journée"]
    start = text.index("retard")
    assert sentence_around(text, start, start + 6) in sentences(text)


def test_the_features_say_what_an_agent_sentence_shares_with_the_customer_last_words() -> None:
    customer = "J'ai reçu trois factures fausses d'affilée pour mon compteur."
    agent = "Trois factures fausses de suite pour le même compteur ? Je corrige tout aujourd'hui."
    turn = DETECTOR.features(agent, "fr", CustomerContext(texts=("Bonjour.", customer)))
    assert {"shares:2", "shares:first", "shares:question"} <= turn.names
    assert turn.restating is not None
    first, last = turn.restating
    cue = agent[turn.tokens[turn.owner[first]].start : turn.tokens[turn.owner[last]].end]
    assert cue == "Trois factures fausses de suite pour le même compteur ?"
    # Only the customer's last turn is compared; an agent who restates nothing shares nothing.
    unrelated = DETECTOR.features(agent, "fr", CustomerContext(texts=(customer, "Ma box ne marche plus.")))
    assert not any(name.startswith("shares:") for name in unrelated.names)
    assert unrelated.restating is None
    churn = DETECTOR.features(agent, "fr", CustomerContext(churn_threat=True))
    assert "context:churn_threat" in churn.names


def test_a_reformulation_the_model_reads_without_a_marker_needs_a_sentence_that_restates() -> None:
    model = BehaviourModel.load()
    assert model is not None
    forced = BehaviourModel(model.vocabulary, model.weights, model.bias, model.thresholds * 0, model.meta)
    detector = BehaviourDetector(default_engine().rules, forced)
    agent = "You were charged twice for the March invoice. I've refunded the second payment."
    restated = CustomerContext(texts=("You charged me twice for my March invoice!",))
    found = {b.name: b for b in detector.detect(agent, "en", restated)}
    cues = [cue.text for cue in found["reformulation"].cues]
    assert cues == ["You were charged twice for the March invoice."]
    elsewhere = CustomerContext(texts=("My broadband has been down since Monday.",))
    assert "reformulation" not in {b.name for b in detector.detect(agent, "en", elsewhere)}


@pytest.mark.parametrize(
    ("lang", "customer", "agent"),
    [
        (
            "fr",
            "Madame, Monsieur,\n\nToujours pas de remboursement pour le vol annulé.\n\n"
            "Cordialement,\nClaire Martin",
            "Bonjour Madame Martin,\n\nJe regarde votre dossier.",
        ),
        (
            "en",
            "Dear Sir or Madam,\n\nStill no refund for the cancelled flight.\n\nRegards,\nClaire Martin",
            "Dear Mrs Martin,\n\nI'm looking at your file.",
        ),
    ],
    ids=["fr", "en"],
)
def test_greeting_the_customer_by_name_restates_nothing(lang: str, customer: str, agent: str) -> None:
    # « Bonjour Madame Martin, » shared « madame » and « martin » with the customer's « Madame,
    # Monsieur » and signature: the report credited the agent with a reformulation.
    turn = DETECTOR.features(agent, lang, CustomerContext(texts=(customer,)))
    assert turn.restating is None
    assert not {name for name in turn.names if name.startswith("shares:")}


def test_a_behaviour_the_model_decides_alone_needs_the_model_even_when_its_phrases_match() -> None:
    model = BehaviourModel.load()
    assert model is not None
    never_sure = model.thresholds * 0 + 2.0
    text = "Je suis désolé pour ce retard."
    phrases_count = BehaviourModel(model.vocabulary, model.weights, model.bias, never_sure, model.meta)
    alone = BehaviourModel(
        model.vocabulary, model.weights, model.bias, never_sure, model.meta, frozenset({"apology"})
    )
    rules = default_engine().rules
    assert "apology" in {b.name for b in BehaviourDetector(rules, phrases_count).detect(text, "fr")}
    assert "apology" not in {b.name for b in BehaviourDetector(rules, alone).detect(text, "fr")}
    sure = BehaviourModel(
        model.vocabulary, model.weights, model.bias, model.thresholds * 0, model.meta, frozenset({"apology"})
    )
    found = {b.name: b for b in BehaviourDetector(rules, sure).detect(text, "fr")}
    assert [cue.text for cue in found["apology"].cues] == ["Je suis désolé pour"]  # the phrase, not n-grams


def test_the_model_finds_no_churn_response_without_threat_nor_reformulation_without_restatement() -> None:
    turn = DETECTOR.features("Je comprends, je vous propose un geste commercial.", "fr")
    assert not BehaviourDetector.model_may_find("churn_response", turn, CustomerContext())
    assert BehaviourDetector.model_may_find("churn_response", turn, CustomerContext(churn_threat=True))
    assert not BehaviourDetector.model_may_find("reformulation", turn, CustomerContext())
    assert BehaviourDetector.model_may_find("solution", turn, CustomerContext())


@pytest.mark.parametrize(
    ("customer", "agent"),
    [
        (
            "I called you on the 12th and was promised a callback within 48 hours. Nobody called.",
            "So if I understand correctly, you called on the 10th and were promised a callback in 48 hours?",
        ),
        (
            "J'ai été prélevé deux fois de 45 € pour la commande 7781.",
            "Si je comprends bien, vous avez été prélevé deux fois de 54 € pour la commande 7781 ?",
        ),
    ],
)
def test_a_restatement_that_gives_other_figures_than_the_customer_is_no_reformulation(
    customer: str, agent: str
) -> None:
    lang = "fr" if "J'ai" in customer else "en"
    context = CustomerContext(texts=(customer,))
    assert "reformulation" not in {b.name for b in DETECTOR.detect(agent, lang, context)}
    assert "shares:conflict" in DETECTOR.features(agent, lang, context).names
    right = agent.replace("10th", "12th").replace("54", "45")
    assert "reformulation" in {b.name for b in DETECTOR.detect(right, lang, context)}
