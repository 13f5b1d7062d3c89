"""Better phrasings for the moments to improve, per language (``lang/<code>/suggestions.tsv``)."""

from __future__ import annotations

import zlib
from importlib import resources

from ressenti.analysis.schemas import MOTIVE_LABELS
from ressenti.errors import LanguageDataError

MOMENTS: tuple[str, ...] = (
    "defensive",
    "minimising",
    "jargon",
    "scripted",
    "churn_ignored",
    "no_emotional_level",
    "no_rational_level",
    "no_closing_followup",
)


class Suggestions:
    """Phrasings by (moment, motive); ``*`` stands for any motive."""

    def __init__(self, by_key: dict[tuple[str, str], list[str]]) -> None:
        self.by_key = by_key

    @classmethod
    def load(cls, lang: str) -> Suggestions:
        """A language's suggestions; an empty set when the language has none."""
        file = resources.files("ressenti") / "lang" / lang / "suggestions.tsv"
        by_key: dict[tuple[str, str], list[str]] = {}
        if not file.is_file():
            return cls(by_key)
        with file.open("r", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [cell.strip() for cell in line.split("\t")]
            if len(cells) != 3 or not cells[2]:
                raise LanguageDataError(f"suggestions.tsv:{number}: expected 3 tab-separated columns")
            moment, motive, phrasing = cells
            if moment not in MOMENTS:
                raise LanguageDataError(f"suggestions.tsv:{number}: unknown moment {moment!r}")
            if motive != "*" and motive not in MOTIVE_LABELS:
                raise LanguageDataError(f"suggestions.tsv:{number}: unknown motive {motive!r}")
            by_key.setdefault((moment, motive), []).append(phrasing)
        return cls(by_key)

    def pick(self, moment: str, motive: str | None, seed: str) -> str | None:
        """A phrasing for a moment (for this motive when one is written for it); a seed picks the same one."""
        options = self.by_key.get((moment, motive or "*")) or self.by_key.get((moment, "*"))
        if not options:
            return None
        return options[zlib.crc32(seed.encode("utf-8")) % len(options)]
