"""Better phrasings load per language, are picked by moment and motive; a seed always picks the same one."""

from __future__ import annotations

import pytest

from ressenti.conversation.suggestions import MOMENTS, Suggestions


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_moment_has_a_phrasing_in_each_language(lang: str) -> None:
    suggestions = Suggestions.load(lang)
    for moment in MOMENTS:
        assert suggestions.pick(moment, None, "seed"), f"{lang}: no phrasing for {moment}"


def test_a_motive_specific_phrasing_wins_and_a_seed_is_stable() -> None:
    table = Suggestions(
        {("no_rational_level", "*"): ["generic"], ("no_rational_level", "delay"): ["a", "b", "c"]}
    )
    assert table.pick("no_rational_level", "delay", "x") in {"a", "b", "c"}
    assert table.pick("no_rational_level", "refund", "x") == "generic"
    assert table.pick("no_rational_level", "delay", "x") == table.pick("no_rational_level", "delay", "x")
    assert table.pick("jargon", None, "x") is None


def test_french_phrasings_speak_french() -> None:
    phrasing = Suggestions.load("fr").pick("defensive", None, "seed") or ""
    assert any(word in phrasing.lower() for word in ("vous", "je", "nous"))
