"""The rules of the analysis core, French and English: what ``Rules.extract`` finds, how the reading moves.

Each rule is checked twice: on the extraction (spans with their kinds, signals, irony, feature amounts
attributed to the span that caused them) and on the full reading (directions of valence, sentiment
and intensity, never exact numbers, so retraining the model does not break the tests).
"""

from __future__ import annotations

import pytest

from ressenti import Analysis, Cue, analyze
from ressenti.analysis.engine import load_rules
from ressenti.analysis.rules import DENSE_FEATURES, Extraction, Rules, Span


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


def spans_of(extraction: Extraction, kind: str, text: str | None = None) -> list[Span]:
    return [s for s in extraction.spans if s.kind == kind and (text is None or s.text == text)]


def attributed(extraction: Extraction, feature: str, kind: str, text: str | None = None) -> float:
    """The amount of a dense feature attributed to the spans of a kind (and text)."""
    column = DENSE_FEATURES.index(feature)
    owners = {
        i for i, s in enumerate(extraction.spans) if s.kind == kind and (text is None or s.text == text)
    }
    return sum(amount for span, row, amount in extraction.dense if span in owners and row == column)


def cues_of(reading: Analysis, kind: str, text: str | None = None) -> list[Cue]:
    return [c for c in reading.cues if c.kind == kind and (text is None or c.text == text)]


def strength(reading: Analysis) -> tuple[float, float]:
    return abs(reading.valence), reading.intensity


# ---- negation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plain", "negated"),
    [("je suis content", "je ne suis pas content"), ("I am happy", "I am not happy")],
    ids=["fr", "en"],
)
def test_negation_flips_the_sign_of_the_valence(plain: str, negated: str) -> None:
    assert analyze(plain).valence > 0 > analyze(negated).valence
    assert analyze(negated).sentiment == "negative"


@pytest.mark.parametrize(
    ("text", "negator"),
    [
        ("je ne suis pas content", "pas"),
        ("I am not glad", "not"),
        ("never happy", "never"),
        ("without help", "without"),
    ],
)
def test_a_negation_cue_pushes_the_valence_down(rules: Rules, text: str, negator: str) -> None:
    assert spans_of(rules.extract(text), "negation", negator)
    negation_cues = cues_of(analyze(text), "negation", negator)
    assert negation_cues, f"no negation cue on {negator!r}"
    assert negation_cues[0].effect.get("valence", 0.0) < 0


@pytest.mark.parametrize(
    ("positive", "negated", "negators"),
    [
        ("content", "je ne suis pas content", ["ne", "pas"]),
        ("content", "pas content", ["pas"]),
        ("confiance", "plus de confiance", ["plus de"]),
        ("content", "jamais content", ["jamais"]),
        ("plaisir", "aucun plaisir", ["aucun"]),
        ("c'est bon", "rien de bon", ["rien"]),
        ("plaisir", "sans plaisir", ["sans"]),
    ],
    ids=["ne-pas", "pas", "plus-de", "jamais", "aucun", "rien", "sans"],
)
def test_french_negators_turn_a_good_word_sour(
    rules: Rules, positive: str, negated: str, negators: list[str]
) -> None:
    extraction = rules.extract(negated, "fr")
    for negator in negators:
        assert spans_of(extraction, "negation", negator), f"{negator!r} is not read as a negation"
    # The flip is owned by the negators: they take away the word's positive amount and add a negative one.
    assert attributed(extraction, "lex_pos", "negation") < 0
    assert attributed(extraction, "lex_neg", "negation") > 0
    assert analyze(negated, "fr").valence < 0 < analyze(positive, "fr").valence


def test_shared_negators_split_the_one_flip_they_make(rules: Rules) -> None:
    extraction = rules.extract("je ne suis pas content", "fr")
    ne = attributed(extraction, "lex_neg", "negation", "ne")
    pas = attributed(extraction, "lex_neg", "negation", "pas")
    assert ne > 0
    assert pas > 0


@pytest.mark.parametrize("text", ["sans problème", "aucun souci", "no problem"])
def test_a_negated_problem_is_not_negative(rules: Rules, text: str) -> None:
    assert not spans_of(rules.extract(text), "negation"), "read as a phrase, not negated again"
    reading = analyze(text)
    assert reading.valence >= 0
    assert reading.sentiment != "negative"
    assert not reading.signal("complaint")


def test_pas_terrible_is_one_phrase_and_reads_negative(rules: Rules) -> None:
    extraction = rules.extract("pas terrible", "fr")
    assert [(s.text, s.kind) for s in extraction.spans] == [("pas terrible", "phrase")]
    reading = analyze("pas terrible")
    assert reading.valence < 0
    assert reading.sentiment == "negative"
    assert [c.kind for c in reading.cues] == ["phrase"]


@pytest.mark.parametrize("text", ["pas mal", "not bad"], ids=["fr", "en"])
def test_faint_praise_by_negation_reads_positive(rules: Rules, text: str) -> None:
    extraction = rules.extract(text)
    assert [(s.text, s.kind) for s in extraction.spans] == [(text, "phrase")]
    assert analyze(text).valence > 0


@pytest.mark.parametrize(
    ("mild", "strong"),
    [("pas satisfait", "pas du tout satisfait"), ("not satisfied", "not at all satisfied")],
    ids=["fr", "en"],
)
def test_not_at_all_is_more_negative_than_not(mild: str, strong: str) -> None:
    assert analyze(strong).valence < analyze(mild).valence < 0


# ---- intensifiers and attenuators -----------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "intensified"),
    [("déçu", "très déçu"), ("disappointed", "very disappointed")],
    ids=["fr", "en"],
)
def test_very_makes_a_feeling_stronger(base: str, intensified: str) -> None:
    before, after = analyze(base), analyze(intensified)
    assert after.valence < before.valence < 0
    assert after.intensity > before.intensity


@pytest.mark.parametrize(
    ("word", "text"),
    [
        ("trop", "trop déçu"),
        ("vraiment", "vraiment triste"),
        ("grave", "grave déçu"),
        ("hyper", "hyper déçu"),
        ("carrément", "carrément déçu"),
        ("hyper", "hyper content"),
        ("very", "very disappointed"),
        ("really", "I am really disappointed"),
    ],
)
def test_intensifiers_are_cues_that_scale_the_next_word(rules: Rules, word: str, text: str) -> None:
    extraction = rules.extract(text)
    assert spans_of(extraction, "intensifier", word)
    # The intensifier owns the extra amount it gives the emotional word.
    extra = attributed(extraction, "lex_neg", "intensifier") + attributed(
        extraction, "lex_pos", "intensifier"
    )
    assert extra > 0
    base = analyze(text.split(word, 1)[1].strip())
    reading = analyze(text)
    assert abs(reading.valence) > abs(base.valence) or reading.intensity > base.intensity
    assert (reading.valence > 0) == (base.valence > 0)


@pytest.mark.parametrize(
    ("base", "attenuated", "attenuator"),
    [("déçu", "un peu déçu", "un peu"), ("disappointed", "a bit disappointed", "a bit")],
    ids=["fr", "en"],
)
def test_attenuators_are_cues_that_weaken_the_next_word(
    rules: Rules, base: str, attenuated: str, attenuator: str
) -> None:
    extraction = rules.extract(attenuated)
    assert spans_of(extraction, "attenuator", attenuator)
    assert attributed(extraction, "lex_neg", "attenuator") < 0
    before, after = analyze(base), analyze(attenuated)
    assert before.valence < after.valence < 0, "the attenuated feeling should be milder"
    assert after.intensity < before.intensity


# ---- contrast -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_part", "text", "word"),
    [
        ("c'est bien", "c'est bien mais trop cher", "mais"),
        ("c'est bien", "c'est bien pourtant trop cher", "pourtant"),
        ("c'est bien", "c'est bien par contre trop cher", "par contre"),
        ("it's nice", "it's nice but too expensive", "but"),
        ("it's nice", "it's nice however too expensive", "however"),
    ],
)
def test_what_follows_a_contrast_dominates(rules: Rules, first_part: str, text: str, word: str) -> None:
    extraction = rules.extract(text)
    assert spans_of(extraction, "contrast", word)
    # The contrast owns the shrinking of what came before and the weight added to what follows.
    assert attributed(extraction, "lex_pos", "contrast") < 0
    assert attributed(extraction, "lex_neg", "contrast") > 0
    reading = analyze(text)
    assert cues_of(reading, "contrast", word)
    assert reading.valence < analyze(first_part).valence
    assert reading.valence < 0, "the complaint after the contrast should win"


# ---- informal French ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("informal", "standard"),
    [
        ("j'suis déçu", "je suis déçu"),
        ("chui déçu", "je suis déçu"),
        ("c pas normal", "c'est pas normal"),
        ("jamais recu", "jamais reçu"),
        ("decu", "déçu"),
        ("DÉÇU", "déçu"),
    ],
)
def test_informal_spellings_read_like_the_standard_ones(informal: str, standard: str) -> None:
    written, expected = analyze(informal), analyze(standard)
    assert written.lang == expected.lang == "fr"
    assert written.sentiment == expected.sentiment == "negative"
    assert written.signal("complaint") == expected.signal("complaint")


@pytest.mark.parametrize(
    ("abbreviation", "standard"),
    [
        ("chui déçu", "je suis déçu"),
        ("jsp", "je sais pas"),
        ("svp", "s'il vous plaît"),
        ("c pas normal", "c'est pas normal"),
    ],
)
def test_abbreviations_are_expanded_for_matching_only(rules: Rules, abbreviation: str, standard: str) -> None:
    assert analyze(abbreviation, "fr").valence == pytest.approx(analyze(standard, "fr").valence, abs=1e-6)
    # The cues show what was written, not the expansion.
    for span in rules.extract(abbreviation, "fr").spans:
        assert abbreviation[span.start : span.end] == span.text
    assert any(abbreviation.split()[0] in c.text for c in analyze(abbreviation, "fr").cues)


@pytest.mark.parametrize("text", ["mdr", "ptdr", "c'était drôle mdr"])
def test_laughing_abbreviations_read_positive(text: str) -> None:
    reading = analyze(text, "fr")
    assert reading.valence > 0
    laugh = [c for c in reading.cues if c.text in ("mdr", "ptdr")]
    assert laugh
    assert laugh[0].effect.get("valence", 0.0) > 0


def test_svp_in_a_polite_request_does_not_make_it_a_complaint() -> None:
    reading = analyze("Merci de me répondre svp")
    assert reading.valence > 0
    assert not reading.signal("complaint")


@pytest.mark.parametrize(
    ("plain", "stretched", "stretched_word"),
    [
        ("trop nul", "trooop nul", "trooop"),
        ("c'est nul", "c'est nuuuul", "nuuuul"),
        ("non", "nooon", "nooon"),
    ],
)
def test_elongation_is_a_cue_and_raises_intensity(
    rules: Rules, plain: str, stretched: str, stretched_word: str
) -> None:
    extraction = rules.extract(stretched, "fr")
    assert spans_of(extraction, "elongation", stretched_word)
    assert attributed(extraction, "elongation", "elongation") > 0
    assert cues_of(analyze(stretched, "fr"), "elongation", stretched_word)
    assert analyze(stretched, "fr").intensity > analyze(plain, "fr").intensity


@pytest.mark.parametrize(
    ("plain", "stretched"),
    [("trop nul", "trooop nul"), ("c'est nul", "c'est nuuuul"), ("non", "nooon")],
)
def test_elongation_makes_a_negative_word_more_negative(plain: str, stretched: str) -> None:
    assert analyze(stretched, "fr").valence < analyze(plain, "fr").valence < 0


@pytest.mark.parametrize(
    ("quiet", "shouted"),
    [
        ("c'est nul", "C'EST NUL"),
        ("c'est vraiment nul", "C'EST VRAIMENT NUL"),
        ("this is terrible", "THIS IS TERRIBLE"),
    ],
)
def test_a_message_in_capitals_is_shouting(rules: Rules, quiet: str, shouted: str) -> None:
    assert analyze(shouted).intensity > analyze(quiet).intensity
    assert analyze(shouted).valence < 0
    assert [s.note for s in spans_of(rules.extract(shouted), "capitals")] == ["shouting"]
    assert attributed(rules.extract(shouted), "shouting", "capitals") > 0


@pytest.mark.parametrize(
    ("text", "word"), [("c'est vraiment NUL", "NUL"), ("this is TERRIBLE", "TERRIBLE")], ids=["fr", "en"]
)
def test_one_word_in_capitals_is_a_capitals_cue(rules: Rules, text: str, word: str) -> None:
    extraction = rules.extract(text)
    capitals = spans_of(extraction, "capitals")
    assert [(s.text, s.note) for s in capitals] == [(word, "")]
    assert attributed(extraction, "capitals", "capitals", word) > 0
    assert cues_of(analyze(text), "capitals", word)
    assert analyze(text).intensity > analyze(text.lower()).intensity


@pytest.mark.parametrize("text", ["c'est nul", "this is terrible"], ids=["fr", "en"])
def test_exclamation_marks_raise_intensity(rules: Rules, text: str) -> None:
    assert analyze(text + " !!!").intensity > analyze(text).intensity
    assert attributed(rules.extract(text + " !!!"), "exclamation", "punctuation", "!!!") > 0


@pytest.mark.parametrize("text", ["c'est nul ?!", "seriously ?!"], ids=["fr", "en"])
def test_interrobang_is_a_punctuation_cue(rules: Rules, text: str) -> None:
    extraction = rules.extract(text)
    assert spans_of(extraction, "punctuation", "?!")
    assert attributed(extraction, "interrobang", "punctuation", "?!") > 0
    assert cues_of(analyze(text), "punctuation", "?!")


# ---- emoticons and emoji --------------------------------------------------------------------


@pytest.mark.parametrize(("emoticon", "sign"), [(":(", -1), (":-)", 1), ("^^", 1), ("xD", 1)])
def test_emoticons_are_cues_with_their_direction(rules: Rules, emoticon: str, sign: int) -> None:
    assert spans_of(rules.extract(f"ok {emoticon}"), "emoticon", emoticon)
    (cue,) = cues_of(analyze(emoticon), "emoticon", emoticon)
    assert cue.effect.get("valence", 0.0) * sign > 0
    assert analyze(emoticon).valence * sign > 0


@pytest.mark.parametrize(
    ("emoji", "sign", "emotions"),
    [
        ("😡", -1, {"anger"}),
        ("🙏", 1, {"gratitude", "satisfaction"}),
        ("👍🏽", 1, {"satisfaction", "gratitude"}),
        ("🤦‍♂️", -1, {"frustration", "sadness", "anger"}),
    ],
    ids=["angry", "folded-hands", "thumbs-up-skin-tone", "facepalm-zwj"],
)
def test_emoji_are_cues_with_their_direction(rules: Rules, emoji: str, sign: int, emotions: set[str]) -> None:
    (span,) = rules.extract(emoji).spans
    assert (span.kind, span.text) == ("emoji", emoji), "the whole sequence is one cue"
    reading = analyze(emoji)
    (cue,) = cues_of(reading, "emoji", emoji)
    assert cue.effect.get("valence", 0.0) * sign > 0
    assert any(cue.effect.get(label, 0.0) > 0 for label in emotions)
    assert reading.valence * sign > 0


@pytest.mark.parametrize("emoji", ["🥲", "🫠"])
def test_recent_emoji_are_read(rules: Rules, emoji: str) -> None:
    assert rules.emoji_entry(emoji) is not None
    (cue,) = cues_of(analyze(f"bon {emoji}"), "emoji", emoji)
    assert cue.effect


def test_folded_hands_does_not_raise_anger() -> None:
    (cue,) = cues_of(analyze("🙏"), "emoji", "🙏")
    assert cue.effect.get("anger", 0.0) <= 0


@pytest.mark.parametrize(("one", "many"), [("😡", "😡😡😡"), ("colis perdu 😡", "colis perdu 😡😡😡😡")])
def test_several_angry_emoji_raise_intensity(rules: Rules, one: str, many: str) -> None:
    assert analyze(many).intensity > analyze(one).intensity
    assert attributed(rules.extract(many), "emoji_charge", "emoji") > attributed(
        rules.extract(one), "emoji_charge", "emoji"
    )


# ---- sarcasm --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Super, encore en retard 🙄", "Great, my flight is delayed again 🙄"], ids=["fr", "en"]
)
def test_sarcasm_turns_a_positive_word_against_itself(rules: Rules, text: str) -> None:
    extraction = rules.extract(text)
    assert extraction.irony
    assert any(s.note == "irony" for s in extraction.spans)
    reading = analyze(text)
    assert reading.sentiment == "negative"
    assert reading.valence < 0
    assert any(c.note == "irony" for c in reading.cues)


@pytest.mark.parametrize(
    "text",
    [
        "Merci du conseil, vraiment. Toujours aussi nuls.",
        "Bravo, vraiment bravo : trois semaines sans réseau.",  # the grievance is a fact that went wrong
        "Vous êtes des génies, merci pour cette facture fausse.",
        "Oh thanks, that's so helpful. Cheers for nothing.",
    ],
    ids=["fr-advice", "fr-bravo", "fr-geniuses", "en-cheers"],
)
def test_irony_said_in_more_words_reads_negative(rules: Rules, text: str) -> None:
    # They read as gratitude or satisfaction (up to +1.00), and the report gave the contact 5/5.
    assert rules.extract(text).irony
    assert analyze(text).valence < -0.3


def test_praise_with_an_irony_marker_but_no_grievance_stays_praise(rules: Rules) -> None:
    text = "Bravo à toute l'équipe, vraiment bravo, merci pour ce beau cadeau !"
    assert not rules.extract(text).irony
    assert analyze(text).valence > 0.5


@pytest.mark.parametrize(
    "text", ["Merci encore, le problème est réglé", "Thanks again, the problem is solved"], ids=["fr", "en"]
)
def test_thanks_again_is_thanks_not_irony(rules: Rules, text: str) -> None:
    assert not rules.extract(text).irony
    assert analyze(text).sentiment == "positive"


@pytest.mark.parametrize("text", ["Super, merci beaucoup 😊", "Great, thanks a lot 😊"], ids=["fr", "en"])
def test_praise_without_irony_marker_stays_praise(rules: Rules, text: str) -> None:
    assert not rules.extract(text).irony
    assert analyze(text).valence > 0


@pytest.mark.parametrize(
    ("question", "statement"),
    [
        ("Le salon est-il agréable ?", "Le salon est agréable."),
        ("Is the lounge nice?", "The lounge is nice."),
    ],
    ids=["fr", "en"],
)
def test_a_positive_word_in_a_question_is_asked_about_not_felt(question: str, statement: str) -> None:
    asked, said = analyze(question), analyze(statement)
    assert said.sentiment == "positive"
    assert asked.sentiment == "neutral"
    assert asked.valence < said.valence
    assert any(c.text == "?" and c.effect.get("valence", 0.0) < 0 for c in asked.cues)


def test_praise_before_a_question_keeps_its_warmth() -> None:
    assert analyze("Great flight, thanks! Can I get the receipt?").sentiment == "positive"


# ---- signals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signal", "text"),
    [
        ("complaint", "Toujours pas reçu ma commande"),
        ("complaint", "My package never arrived"),
        ("churn_threat", "je vais résilier mon abonnement"),
        ("churn_threat", "I'm cancelling my subscription"),
        # Leaving said without "cancel": a clause that ends on the verb (punctuation in the pattern).
        ("churn_threat", "Je pars. Votre service est catastrophique."),
        ("churn_threat", "Look, I'm going to switch. Three wrong bills in a row."),
        ("churn_threat", "Je regarde ailleurs dès ce soir."),
        ("churn_threat", "Had it with you lot. Moving supplier next week."),
        # Leaving said as a rival, a way out or a last word (session 7: what new writers wrote).
        ("churn_threat", "Fares up again. That's it, I'm going back to driving."),
        ("churn_threat", "If this keeps up I'll switch, simple."),
        ("churn_threat", "Honestly, one more outage and I'm gone."),
        ("churn_threat", "2 weeks waiting for an install, might just go to Eir"),
        ("churn_threat", "Servers down three days. Uninstalling."),
        ("churn_threat", "Vous m'avez augmenté de 60 € par an, si c'est comme ça je vais chez la MAAF."),
        ("churn_threat", "Deux valises perdues en un an. J'ai fini avec vous."),
        ("churn_threat", "Encore un train supprimé, je vais finir par reprendre la voiture."),
        ("churn_threat", "Je laisse tomber votre carte et vos magasins."),
        ("churn_threat", "App crashes every time, and I paid for pro!! Fix it or I cancel"),
        ("churn_threat", "@TelCo Dernier mois chez vous, j'ai déjà signé ailleurs."),
        ("churn_threat", "6 semaines pour mes lunettes, je vous quitte."),
        ("churn_threat", "Your support is so slow that we're evaluating competitors for next year."),
        ("churn_threat", "Ok, j'en ai ras-le-bol, passez-moi le service résiliation."),
        ("churn_threat", "Mon assurance a encore augmenté. Je magasine, trois soumissions moins chères."),
        ("churn_threat", "Bon, si vous pouvez pas venir le 30, tant pis, je prends un autre déménageur."),
        ("churn_threat", "ma voisine paie 30 euros moins cher je vais partir"),
        ("churn_threat", "honestly considering breaking the lease, the neighbours are a nightmare"),
        ("churn_threat", "we're leaving tonight unless someone fixes the hot water"),
        ("churn_threat", "11 cancelled flights this quarter. Management asked me to look at other airlines."),
        ("churn_threat", "Prices up 40%. I'll be moving to another system at the end of the month."),
        ("churn_threat", "Je vais arrêter de vendre chez vous, 20 % de frais sur chaque vente."),
        ("churn_threat", "I'm fixing to go over to another carrier, they're giving me a free phone."),
        ("churn_threat", "J'ai 3 lignes chez vous et on me refuse une remise, je pars avec les 3 lignes"),
        ("churn_threat", "Encore des frais ! Ça suffit, je vais au Crédit Agricole."),
        ("churn_threat", "My neighbour says I'd save loads with another company."),
        # Session 10: a syndic put out to tender, a hotel guest checking out to a rival, one reason to stay.
        ("churn_threat", "La mise en concurrence de votre cabinet sera à l'ordre du jour de l'AG."),
        ("churn_threat", "Bonjour, je souhaite changer d'auto-école, merci de me transférer mon dossier."),
        ("churn_threat", "Mould in the shower. I'm checking out and going to the Hilton."),
        ("churn_threat", "My return got rejected again. Give me one reason not to move to Xero."),
        ("churn_threat", "Three emails, no reply. I'm going to withdraw and do the course elsewhere."),
        ("churn_threat", "Sans geste de votre part, je fais racheter mon crédit par un autre organisme."),
        # Session 11: a cheaper trade found, a club or a festival given up, a holiday cut short, a last penny.
        ("churn_threat", "J'ai trouvé un électricien moins cher sur le quartier, je vais annuler."),
        ("churn_threat", "Deux mois sans réponse. Je vais ne plus passer par votre site, tout simplement."),
        ("churn_threat", "Si la piscine reste fermée demain, on rentre, et vous ne nous reverrez plus."),
        ("churn_threat", "Quatre heures de queue à l'entrée. Pour moi c'est fini, ce festival."),
        ("churn_threat", "Encore supprimé ! La prochaine fois je prends le covoiturage."),
        ("churn_threat", "Fees again on my statement. I might have to cancel"),
        ("churn_threat", "That's the third late delivery. I'm not giving you another penny."),
        ("churn_threat", "Season passes up 30%. You've lost a family of four."),
        # Session 12: a rival network or agency, a withdrawal, a contract ended, children taken out.
        ("churn_threat", "Si l'installateur ne vient pas lundi, je passe chez Ionity pour mes recharges."),
        ("churn_threat", "Trois auxiliaires en deux semaines : je vais voir une autre association."),
        ("churn_threat", "Nous allons retirer notre bien de votre agence dès la fin du mandat."),
        ("churn_threat", "Le commercial m'a forcé la main, je veux me rétracter."),
        ("churn_threat", "Rien ne marche depuis un mois. Je vais demander l'annulation de mon contrat."),
        ("churn_threat", "Le stage était décevant, on ne se réinscrira pas en septembre."),
        ("churn_threat", "Bonjour, je vous appelle pour résilier, j'en ai assez des retards."),
        ("churn_threat", "Third no-show this month. I'm deleting it."),
        ("churn_threat", "Fees up again and the tutor never turned up, there's no point us staying."),
        ("churn_threat", "We're taking the house to another agency when the contract ends."),
        ("churn_threat", "Fine, I'll go with Aussie Broadband then, they're $20 cheaper."),
        ("churn_threat", "If you can't move it to the 14th we'll go with another firm."),
        ("churn_threat", "Si la collecte saute encore, je rends mon bac et je vais à la déchetterie."),
        ("churn_threat", "Dernière récolte avec vous : l'an prochain je passe au négoce."),
        ("churn_threat", "Je quitterai la coopérative au 31 décembre si rien ne change."),
        ("churn_threat", "Notre société ne renouvellera pas le contrat de maintenance."),
        ("churn_threat", "Ma prochaine cuisine ne sera pas achetée chez vous."),
        ("churn_threat", "Encore une hausse de prime, je change de caisse au 1er janvier."),
        ("churn_threat", "Premiums up again, I'm switching PBMs at open enrollment."),
        ("churn_threat", "Third payroll error, we're looking at Gusto."),
        ("churn_threat", "If it's not fixed I'm dropping this plan and going on my husband's."),
        ("churn_threat", "Cancel my mail order enrollment, please, I've had enough."),
        ("churn_threat", "Honestly, you give me little reason to keep renewing."),
        # The exceptions for transfers inside the company leave a rival destination a threat.
        ("churn_threat", "I'll take my business to your competitors."),
        ("churn_threat", "I'm moving my savings to Chip, they pay 5%."),
        ("churn_threat", "Moving my ISA to a provider that pays a decent rate."),
        # Session 13: another lab or pharmacy, an insurer's assistance taken elsewhere, a rival app named.
        ("churn_threat", "Troisième ordonnance égarée, je change de pharmacie."),
        ("churn_threat", "Si rien ne bouge d'ici vendredi, je vais résilier chez vous."),
        ("churn_threat", "Franchement je n'ai aucune intention de renouveler mon contrat."),
        ("churn_threat", "L'an prochain je prendrai l'assurance de mon frère, elle coûte moins cher."),
        ("churn_threat", "Carte bloquée encore une fois : je vais clôturer."),
        ("churn_threat", "Des frais partout, je vous lâche."),
        ("churn_threat", "Je vous préviens, à la prochaine erreur je vais partir."),
        ("churn_threat", "Trop de frais, je passe chez Wise."),
        ("churn_threat", "Another week without my statement. Why am I still with you?"),
        ("churn_threat", "Third failed transfer, I'm moving to Remitly."),
        ("churn_threat", "If my prescription is late again I'll switch to an online pharmacy."),
        ("churn_threat", "Give me one reason I should stay."),
        ("churn_threat", "Fees up again, Wise is cheaper anyway."),
        ("churn_threat", "Jamais de vélo à la station le matin, je vais vous laisser tomber."),
        ("churn_threat", "Encore une hausse, je passe au vélo perso."),
        ("churn_threat", "Trois litiges perdus, je vais tout simplement supprimer l'application."),
        ("churn_threat", "Si c'est pas réglé demain je supprime tout."),
        ("churn_threat", "Je vais mettre mes annonces sur une autre plateforme."),
        ("churn_threat", "Je vais prendre une mutuelle privée, au moins ils répondent."),
        ("churn_threat", "Je ne reprendrai plus jamais votre option de garde du courrier."),
        ("churn_threat", "Second time the car wasn't there. Going back to Hertz."),
        ("churn_threat", "After this I doubt we'll ever fly with you again."),
        ("churn_threat", "Will cancel if not fixed by Friday."),
        ("churn_threat", "I'll go to a provider that answers the phone."),
        ("churn_threat", "Please treat this as notice that we're leaving at the end of the term."),
        ("churn_threat", "Le CSE étudie l'offre d'un autre parc pour l'été prochain."),
        ("churn_threat", "Nous envisageons de ne pas reconduire notre convention."),
        ("churn_threat", "Avec ces tarifs, on va tester autre chose l'an prochain."),
        ("churn_threat", "Je crois que c'était notre dernier été chez vous."),
        ("churn_threat", "Si la caution est maintenue, nous changerons de loueur."),
        ("churn_threat", "Franchement j'hésite à rester chez vous."),
        ("churn_threat", "Nous lançons un appel d'offres pour l'an prochain."),
        ("churn_threat", "Nous confierons nos impressions à un autre imprimeur."),
        ("churn_threat", "If the coach shouts again I'll be taking him to another club."),
        ("churn_threat", "Honestly I'm ready to withdraw and go back home."),
        ("churn_threat", "Tell me why I shouldn't leave."),
        ("churn_threat", "Signal drops all day. Leaving at the end of my contract."),
        ("churn_threat", "Troisième coupure, je pense sérieusement à passer chez un autre opérateur."),
        ("churn_threat", "Je me demande si je vais pas arrêter, je jette la moitié des paniers."),
        ("churn_threat", "Deux box reçues sur quatre. Je veux arrêter."),
        ("churn_threat", "Quatre commandes, quatre problèmes : c'est fini entre nous."),
        ("churn_threat", "Nous ne remettrons pas les pieds à votre festival."),
        ("churn_threat", "After this bill I'm moving all my care to Kaiser."),
        ("churn_threat", "If nobody explains the charge I'll switch to the other hospital in town."),
        ("churn_threat", "Third trip since the rewiring, I'm about to call another electrician."),
        ("churn_threat", "Unless you can match the quote, we'll be moving our account."),
        ("escalation_request", "je veux parler à un responsable"),
        ("escalation_request", "I want to speak to a manager"),
        ("escalation_request", "J'écrirai au PDG"),
        ("escalation_request", "I will write to your CEO about this"),
        ("legal_threat", "je vais porter plainte"),
        ("legal_threat", "I'll contact my lawyer"),
        ("public_exposure", "je vais le publier sur Twitter"),
        ("public_exposure", "I'll post this on social media"),
        ("public_exposure", "I'm going to write about this on Facebook"),
        ("urgency", "c'est urgent"),
        ("urgency", "it's urgent"),
        ("urgency", "I need it fixed today"),
        ("complaint", "We sat on the plane for 3 hours"),
        ("complaint", "Vous avez oublié ma commande !"),
        ("complaint", "You forgot my order again!"),
        ("complaint", "2 hours and counting"),
    ],
)
def test_signal_is_raised_with_cues_from_the_message(rules: Rules, signal: str, text: str) -> None:
    assert rules.extract(text).signals.get(signal), f"no {signal} pattern matched"
    reading = analyze(text)
    assert reading.signal(signal)
    assert reading.signals[signal].cues
    for cue in reading.signals[signal].cues:
        assert cue.text in text
        assert text[cue.start : cue.end] == cue.text


@pytest.mark.parametrize(
    ("signal", "text"),
    [
        ("complaint", "Ma commande est bien arrivée, merci"),
        ("complaint", "My package arrived, thanks"),
        ("churn_threat", "je suis content de mon abonnement"),
        ("churn_threat", "I love my subscription"),
        ("churn_threat", "Je pars en vacances demain, pouvez-vous garder mon colis ?"),
        ("churn_threat", "I'm leaving tomorrow for Paris, can you hold my parcel?"),
        ("churn_threat", "We have been sitting on the plane for an hour waiting to leave."),
        ("churn_threat", "On part demain et on n'a toujours pas reçu les billets !"),
        ("churn_threat", "Je dois prendre l'avion dans 4 jours et je n'ai plus de papiers."),
        ("churn_threat", "I'm a single dad with three kids and the heating's broken again."),
        ("churn_threat", "We're off to Lisbon on Friday, is my seat confirmed?"),
        ("churn_threat", "My card was refused, I couldn't withdraw my own money."),
        ("churn_threat", "Sitting on this plane for an hour, I just want to go home."),
        ("churn_threat", "J'ai été prélevé alors que j'avais annulé l'essai."),
        ("churn_threat", "Préavis envoyé le 3 avril : je quitte le logement le 3 mai."),
        ("churn_threat", "Je n'ai jamais reçu la convocation et on a voté des travaux sans moi."),
        ("churn_threat", "Refund the £168 within 14 days or I'll go to the rail ombudsman."),
        ("churn_threat", "J'ai arrêté de travailler il y a quatre mois et je n'ai rien touché."),
        ("churn_threat", "Vol annulé, pis on part avec les enfants la semaine de relâche, je fais quoi?"),
        ("churn_threat", "Je vais à la banque demain pour déposer le chèque, il est crédité quand ?"),
        ("churn_threat", "Je vais à la caisse payer et je reviens."),
        ("churn_threat", "Vous pouvez rendre les clés de la voiture au comptoir à 18 h ?"),
        ("churn_threat", "I'm checking out tomorrow, can I leave my bags at reception?"),
        ("churn_threat", "I'd like to withdraw £200 from my savings today."),
        ("churn_threat", "Je revends mon billet pour samedi, je ne peux plus venir, c'est possible ?"),
        ("churn_threat", "Train demain et pas de réservation, on part en famille, que faire ?"),
        ("churn_threat", "I move house on the 3rd and don't even want to think about leaving my job."),
        ("churn_threat", "Je vous écris pour annuler le projet de pompe à chaleur : nous vendons la maison."),
        ("churn_threat", "Je vais arrêter de vous déranger, merci pour tout."),
        ("churn_threat", "Checked again today and they are €67 cheaper, what a con."),
        ("churn_threat", "Can I speak to another agent please?"),
        ("churn_threat", "OK, we'll go with the refund option then."),
        ("churn_threat", "I'm taking him out for lunch tomorrow, can the carer come at 3?"),
        ("churn_threat", "My house is with another agency, can you still value the flat?"),
        ("churn_threat", "Je vais vous rendre la carte grise demain, c'est bon ?"),
        ("churn_threat", "Vous pouvez rendre la carte à l'accueil de la piscine ?"),
        ("churn_threat", "Le colis ne sera pas livré chez vous mais en point relais ?"),
        ("churn_threat", "I'm dropping off the documents at your office tomorrow."),
        ("churn_threat", "Can I add my wife to my plan?"),
        ("churn_threat", "I'll go by car to the clinic, is there parking?"),
        # A transfer that stays with the company: to its own product, a branch, a pot, "… with you".
        ("churn_threat", "Please transfer my ISA to your fixed rate ISA."),
        ("churn_threat", "Can you move my savings over to the fixed-rate pot?"),
        ("churn_threat", "How do I move my account to a different branch?"),
        ("churn_threat", "Can I transfer my pension to the new scheme with you?"),
        ("churn_threat", "How do I transfer my savings to my joint account?"),
        ("churn_threat", "My father has died; as executor I'd like to close it and transfer the balance."),
        ("churn_threat", "Malgré notre résiliation envoyée en mars, vous avez prélevé avril."),
        ("churn_threat", "Je n'ai pas l'intention de rester sans réponse, merci de me rappeler."),
        ("churn_threat", "Je vais utiliser une autre carte pour payer la commande."),
        ("churn_threat", "How do I move my funds over to the savings pot?"),
        ("churn_threat", "Comment je supprime tout l'historique de mes trajets ?"),
        ("churn_threat", "Will the airline cancel if the storm gets worse?"),
        ("churn_threat", "The council will cancel if nobody books the hall."),
        ("churn_threat", "We're back to square one with the meter reading."),
        ("churn_threat", "Je voudrais l'offre d'un forfait famille, c'est possible ?"),
        ("churn_threat", "I'd like to withdraw £50 at the counter, is that OK?"),
        ("churn_threat", "Can I bring someone else to the induction session?"),
        ("churn_threat", "Je veux arrêter, je déménage à Toulouse le mois prochain."),
        ("churn_threat", "Can I drop you guys a photo of the meter instead?"),
        ("escalation_request", "Le responsable était très aimable"),
        ("escalation_request", "The manager was very kind"),
        ("escalation_request", "Le PDG de la compagnie a présenté ses résultats"),
        ("escalation_request", "The airline's CEO spoke at the conference"),
        ("legal_threat", "Je vais porter mon colis à la poste"),
        ("legal_threat", "I'll contact you tomorrow"),
        ("public_exposure", "Je vais le recommander à mes amis"),
        ("public_exposure", "I'll recommend this to my friends"),
        ("public_exposure", "I saw the news on Twitter"),
        ("urgency", "Merci, rien ne presse"),
        ("urgency", "No rush, take your time"),
        ("urgency", "I flew to Boston today"),
        ("complaint", "Can I park for 2 hours?"),
        ("complaint", "The battery lasts for ten hours"),
    ],
)
def test_signal_is_not_raised_by_a_near_miss(rules: Rules, signal: str, text: str) -> None:
    assert not rules.extract(text).signals.get(signal)
    assert not analyze(text).signal(signal)


@pytest.mark.parametrize(
    "text", ["Pouvez-vous changer mon adresse ?", "Can I change my address?"], ids=["fr", "en"]
)
def test_a_neutral_question_raises_no_complaint_churn_or_legal_signal(text: str) -> None:
    reading = analyze(text)
    for signal in ("complaint", "churn_threat", "legal_threat"):
        assert not reading.signal(signal), signal
    assert reading.sentiment != "negative"


def test_a_signal_span_carries_the_signal_name_as_its_note(rules: Rules) -> None:
    extraction = rules.extract("je vais résilier mon abonnement")
    (index,) = extraction.signals["churn_threat"]
    assert extraction.spans[index].note == "churn_threat"
    assert attributed(extraction, "sig_churn_threat", "phrase") == pytest.approx(1.0)


# ---- language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Je ne suis pas du tout satisfait de votre service", "fr"),
        ("Toujours pas reçu ma commande", "fr"),
        ("I am not satisfied with your service at all", "en"),
        ("My package never arrived", "en"),
    ],
)
def test_the_language_is_detected(rules: Rules, text: str, lang: str) -> None:
    assert rules.extract(text).lang == lang
    assert analyze(text).lang == lang
    assert not analyze(text).lang_mixed


@pytest.mark.parametrize(
    ("text", "lang"), [("hello my friend", "fr"), ("bonjour mon ami", "en"), ("hello", "FR")]
)
def test_a_given_language_wins(text: str, lang: str) -> None:
    assert analyze(text, lang).lang == lang.lower()


def test_a_mixed_message_reads_words_of_both_languages(rules: Rules) -> None:
    text = "Franchement le service est nul, so disappointed, really"
    reading = analyze(text)
    assert reading.lang_mixed
    assert reading.valence <= 0
    assert reading.sentiment != "positive"
    cue_texts = {c.text for c in reading.cues if c.effect.get("valence", 0.0) < 0}
    assert "nul" in cue_texts  # French
    assert "disappointed" in cue_texts  # English, read through the fallback
    assert {s.text for s in rules.extract(text).spans} >= {"nul", "disappointed"}


@pytest.mark.parametrize("word", ["L'", "France"])
def test_no_cross_language_noise_on_elisions_and_names(word: str) -> None:
    reading = analyze("L'agriculture bio décolle en France")
    for cue in reading.cues:
        if cue.text == word:
            assert abs(cue.effect.get("valence", 0.0)) <= 0.1, f"{word!r} moves the valence by {cue.effect}"


def test_a_neutral_news_sentence_is_not_a_complaint() -> None:
    reading = analyze("L'agriculture bio décolle en France")
    assert not reading.signal("complaint")
    assert reading.sentiment != "negative"


def test_short_words_are_not_read_in_the_other_language(rules: Rules) -> None:
    # "France" must not become the English "franc", nor "L'" any English word.
    extraction = rules.extract("L'agriculture bio décolle en France", "fr")
    lexical_rows = {DENSE_FEATURES.index("lex_pos"), DENSE_FEATURES.index("lex_neg")}
    noisy = {extraction.spans[s].text for s, row, _ in extraction.dense if row in lexical_rows}
    assert not noisy & {"L'", "France", "en", "bio"}


@pytest.mark.parametrize(
    ("reproach", "question"),
    [
        ("Pourquoi vous ne répondez jamais à mes mails ?", "Pourquoi le ciel est-il bleu ?"),
        ("Jusqu'à quand je dois attendre mon remboursement ?", "Quand ouvre votre agence ?"),
        ("Why haven't you refunded me yet?", "Why is the sky blue?"),
        ("How much longer will it take?", "How long does delivery take?"),
    ],
)
def test_a_question_that_reproaches_is_a_complaint_and_a_plain_one_is_not(
    reproach: str, question: str
) -> None:
    assert analyze(reproach).signal("complaint")
    assert not analyze(question).signal("complaint")
