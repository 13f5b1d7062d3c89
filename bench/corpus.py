"""A fixed benchmark corpus of customer messages, generated from our own fragments (seeded)."""

from __future__ import annotations

import random

OPENINGS_FR = ["Bonjour,", "Bonsoir", "Salut", "", "Madame, Monsieur,", "Re-bonjour,"]
OPENINGS_EN = ["Hi,", "Hello", "", "Hey", "Dear support,"]
BODIES_FR = [
    "toujours pas reçu ma commande passée il y a deux semaines",
    "je ne comprends pas pourquoi ma facture a doublé ce mois-ci",
    "merci pour votre aide, le problème est réglé",
    "le colis est arrivé abîmé et il manque un article",
    "ça fait trois fois que j'appelle et personne ne répond",
    "je vais résilier mon abonnement si rien ne change",
    "la connexion internet coupe tous les soirs depuis lundi",
    "j'ai été prélevé deux fois pour le même achat",
    "le conseiller a été très aimable et efficace",
    "pouvez-vous me dire quand le technicien passera ?",
    "c'est pas terrible, l'appli plante encore",
    "je suis vraiment inquiet, ma carte est bloquée à l'étranger",
]
BODIES_EN = [
    "still haven't received my order from last week",
    "why was I charged twice for the same purchase",
    "thanks a lot, the issue is fixed now",
    "my flight got cancelled and nobody at the gate can help",
    "the app keeps crashing when I try to log in",
    "I want to speak to a manager about this",
    "great service, the agent was really patient",
    "can you tell me when my refund will arrive?",
    "not bad, but delivery was a bit slow",
    "I'm worried, my account has been locked for days",
]
ENDINGS = ["", "!!!", " 😡", " 🙏", " :(", " ?!", "...", " 👍", " merci", " thx", " 🙄"]


def build(size: int = 10_000, seed: int = 20261124) -> list[str]:
    """``size`` messages, the same every time, French and English mixed like a real inbox (2:1)."""
    rng = random.Random(seed)
    messages: list[str] = []
    for _ in range(size):
        french = rng.random() < 2 / 3
        opening = rng.choice(OPENINGS_FR if french else OPENINGS_EN)
        bodies = BODIES_FR if french else BODIES_EN
        parts = [rng.choice(bodies) for _ in range(rng.choice((1, 1, 2, 3)))]
        body = ". ".join(parts)
        if rng.random() < 0.1:
            body = body.upper()
        messages.append(f"{opening} {body}{rng.choice(ENDINGS)}".strip())
    return messages
