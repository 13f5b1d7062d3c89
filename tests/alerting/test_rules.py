"""Alert rules: each fires on what it names, says why in both languages, and is not raised twice."""

from __future__ import annotations

from ressenti.alerting import RecentReading, evaluate
from ressenti.analysis.api import analyze


def kinds(text: str, earlier: list[float] | None = None, already_open: tuple[str, ...] = ()) -> set[str]:
    found = evaluate(analyze(text), [RecentReading(v) for v in earlier or []], already_open)
    return {f.kind for f in found}


def test_calm_message_raises_nothing() -> None:
    assert kinds("Bonjour, pouvez-vous me confirmer l'adresse de livraison ? Merci") == set()


def test_anger_is_raised_with_the_words_that_caused_it() -> None:
    found = evaluate(analyze("C'est INADMISSIBLE !!! Vous êtes des voleurs 😡"))
    anger = next(f for f in found if f.kind == "anger")
    assert anger.severity == "high"
    assert "« " in anger.reason_fr
    assert "“" in anger.reason_en
    assert anger.cues
    assert all(cue in "C'est INADMISSIBLE !!! Vous êtes des voleurs 😡" for cue in anger.cues)


def test_each_threat_signal_has_its_alert() -> None:
    assert "churn_threat" in kinds("Je vais résilier mon abonnement.")
    assert "escalation_request" in kinds("I want to speak to a manager now.")
    assert "legal_threat" in kinds("Je vais porter plainte et saisir le médiateur.")
    assert "public_exposure" in kinds("I'll post this on Twitter so everyone knows.")


def test_deterioration_needs_a_falling_curve_that_ends_negative() -> None:
    text = "Bon, ça commence à m'agacer, toujours rien."
    reading = analyze(text)
    assert reading.valence < -0.2
    assert "deterioration" in kinds(text, [reading.valence + 0.6, reading.valence + 0.3])
    # not falling all the way: one rise in between
    assert "deterioration" not in kinds(text, [reading.valence + 0.6, reading.valence - 0.1])
    # too few turns
    assert "deterioration" not in kinds(text, [reading.valence + 0.6])


def test_an_alert_already_open_is_not_raised_again() -> None:
    assert "churn_threat" not in kinds("Je vais résilier.", already_open=("churn_threat",))


def test_reasons_carry_both_languages_and_the_cues() -> None:
    finding = evaluate(analyze("Je vais résilier mon contrat"))[0]
    reasons = finding.reasons()
    assert set(reasons) == {"fr", "en", "cues"}
    assert reasons["fr"] != reasons["en"]
