"""What people read, in French and English: labels and messages, chosen by the user's locale.

``RESSENTI_LANG`` (``fr`` or ``en``) wins; otherwise ``LC_ALL``/``LC_MESSAGES``/``LANG``; French
when nothing says otherwise, since Ressenti speaks to French teams first.
"""

from __future__ import annotations

import os

EMOTION_NAMES = {
    "anger": ("colère", "anger"),
    "frustration": ("agacement", "frustration"),
    "anxiety": ("inquiétude", "anxiety"),
    "confusion": ("incompréhension", "confusion"),
    "sadness": ("déception", "sadness"),
    "satisfaction": ("satisfaction", "satisfaction"),
    "gratitude": ("reconnaissance", "gratitude"),
    "neutral": ("neutre", "neutral"),
}
SENTIMENT_NAMES = {
    "negative": ("négatif", "negative"),
    "neutral": ("neutre", "neutral"),
    "positive": ("positif", "positive"),
}
SIGNAL_NAMES = {
    "complaint": ("réclamation", "complaint"),
    "churn_threat": ("menace de résiliation", "churn threat"),
    "escalation_request": ("demande d'escalade", "escalation request"),
    "legal_threat": ("menace juridique", "legal threat"),
    "public_exposure": ("exposition publique", "public exposure"),
    "urgency": ("urgence", "urgency"),
}
CUE_KINDS = {
    "word": ("mot", "word"),
    "phrase": ("expression", "phrase"),
    "emoji": ("emoji", "emoji"),
    "emoticon": ("émoticône", "emoticon"),
    "punctuation": ("ponctuation", "punctuation"),
    "capitals": ("majuscules", "capitals"),
    "elongation": ("allongement", "elongation"),
    "negation": ("négation", "negation"),
    "intensifier": ("intensif", "intensifier"),
    "attenuator": ("atténuateur", "attenuator"),
    "contrast": ("contraste", "contrast"),
}
MESSAGES = {
    "skipped": ("ligne {line} ignorée : {reason}", "line {line} skipped: {reason}"),
    "summary": (
        "{read} enregistrements lus, {written} écrits, {skipped} ignorés",
        "{read} records read, {written} written, {skipped} skipped",
    ),
    "progress": ("Lecture des messages", "Reading messages"),
    "not_utf8": (
        "texte invalide (UTF-8 attendu) à l'octet {position}",
        "invalid text (UTF-8 expected) at byte {position}",
    ),
    "not_json": ("JSON invalide : {error}", "invalid JSON: {error}"),
    "not_object": ("un objet JSON est attendu", "a JSON object is expected"),
    "no_text": ("champ `text` absent ou vide", "no `text` field, or an empty one"),
    "text_not_string": ("le champ `text` doit être une chaîne", "the `text` field must be a string"),
    "too_long": ("enregistrement de plus de {limit} octets", "record longer than {limit} bytes"),
    "bad_lang": (
        "langue {lang!r} non prise en charge (fr, en)",
        "language {lang!r} is not supported (fr, en)",
    ),
    "csv_no_text": ("le fichier CSV n'a pas de colonne `text`", "the CSV file has no `text` column"),
    "csv_error": ("CSV invalide : {error}", "invalid CSV: {error}"),
    "csv_columns": ("{found} colonnes au lieu de {expected}", "{found} columns instead of {expected}"),
    "unknown_format": (
        "format inconnu pour {path} : utilisez --format jsonl ou csv",
        "unknown format for {path}: use --format jsonl or csv",
    ),
    "why": ("Pourquoi", "Why"),
    "signals": ("Signaux", "Signals"),
    "emotions": ("Émotions", "Emotions"),
    "none": ("aucun", "none"),
    "sentiment": ("sentiment", "sentiment"),
    "valence": ("valence", "valence"),
    "intensity": ("intensité", "intensity"),
    "truncated": (
        "texte tronqué : seuls les {limit} premiers caractères sont lus",
        "text truncated: only the first {limit} characters are read",
    ),
}


def user_language() -> str:
    """``fr`` or ``en``, from the environment."""
    explicit = os.environ.get("RESSENTI_LANG", "").lower()[:2]
    if explicit in ("fr", "en"):
        return explicit
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "fr" if value.lower().startswith("fr") else "en"
    return "fr"


def _pick(pair: tuple[str, str], lang: str | None) -> str:
    return pair[0] if (lang or user_language()) == "fr" else pair[1]


def message(key: str, lang: str | None = None, /, **values: object) -> str:
    """A message for people, in their language (``lang``, positional), with its values filled in.

    ``lang`` is positional-only so that a value named ``lang`` (as in ``bad_lang``) fills the message.
    """
    return _pick(MESSAGES[key], lang).format(**values)


def emotion_name(label: str, lang: str | None = None) -> str:
    return _pick(EMOTION_NAMES[label], lang)


def sentiment_name(label: str, lang: str | None = None) -> str:
    return _pick(SENTIMENT_NAMES[label], lang)


def signal_name(label: str, lang: str | None = None) -> str:
    return _pick(SIGNAL_NAMES[label], lang)


def cue_kind_name(kind: str, lang: str | None = None) -> str:
    return _pick(CUE_KINDS[kind], lang)
