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


def emoticon_for(valence: float, intensity: float) -> Emoticon:
    """The step of the scale for a reading: the sign and strength of its valence, sharpened by intensity."""
    if valence <= -0.45 and intensity >= 0.6:
        return SCALE[0]
    if valence <= -0.2:
        return SCALE[1]
    if valence >= 0.5 and intensity >= 0.5:
        return SCALE[4]
    if valence >= 0.2:
        return SCALE[3]
    return SCALE[2]
