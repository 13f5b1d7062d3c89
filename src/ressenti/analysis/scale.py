"""The emoticon scale an agent console shows, from furious to delighted (seed 000)."""

from __future__ import annotations

from ressenti.analysis.schemas import Emoticon

SCALE: tuple[Emoticon, ...] = (
    Emoticon("😡", 1, "furieux", "furious"),
    Emoticon("🙁", 2, "mécontent", "unhappy"),
    Emoticon("😐", 3, "neutre", "neutral"),
    Emoticon("🙂", 4, "satisfait", "content"),
    Emoticon("😄", 5, "ravi", "delighted"),
)


ANGRY = ("anger", "frustration")  # the emotions a furious face stands for


def emoticon_for(
    valence: float, intensity: float, sentiment: str | None = None, emotion: str | None = None
) -> Emoticon:
    """The step of the scale for a reading: the sign and strength of its valence, sharpened by intensity.

    ``sentiment``, the reading's label, when given, picks the side of the scale, and the valence and
    intensity how far along it: the face never contradicts the label. A plain question (« Quel est le
    tarif de l'abonnement étudiant ? ») reads neutral at a valence of −0.21; by the valence alone it
    showed 🙁 « mécontent » beside « sentiment neutre », as a quarter of the neutral messages of our
    held-out set did. Likewise ``emotion``, the reading's main emotion, when given: only anger or
    frustration is 😡 « furieux »; a worried or confused customer (« je suis vraiment inquiet », "I'm a
    bit confused") is unhappy, not furious, however negative.
    """
    side = sentiment or ("negative" if valence <= -0.2 else "positive" if valence >= 0.2 else "neutral")
    if side == "negative":
        furious = valence <= -0.45 and intensity >= 0.6 and (emotion is None or emotion in ANGRY)
        return SCALE[0] if furious else SCALE[1]
    if side == "positive":
        return SCALE[4] if valence >= 0.5 and intensity >= 0.5 else SCALE[3]
    return SCALE[2]
