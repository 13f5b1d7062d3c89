"""The agent console's emoticon scale: five steps, their boundaries, and levels that follow the valence."""

from __future__ import annotations

import pytest

from ressenti.analysis.scale import SCALE, emoticon_for


def test_the_scale_has_five_steps_from_furious_to_delighted() -> None:
    assert [step.level for step in SCALE] == [1, 2, 3, 4, 5]
    assert [step.symbol for step in SCALE] == ["😡", "🙁", "😐", "🙂", "😄"]
    assert all(step.label_fr and step.label_en for step in SCALE)
    assert len({step.symbol for step in SCALE}) == 5


@pytest.mark.parametrize(
    ("valence", "intensity", "level"),
    [
        (-1.0, 1.0, 1),
        (-0.45, 0.6, 1),  # both boundaries reached: furious
        (-0.45, 0.59, 2),  # strongly negative but calm: unhappy
        (-0.44, 0.9, 2),  # intense but not negative enough: unhappy
        (-0.2, 0.0, 2),
        (-0.19, 0.9, 3),
        (0.0, 0.0, 3),
        (0.19, 0.9, 3),
        (0.2, 0.0, 4),
        (0.5, 0.49, 4),  # strongly positive but calm: content
        (0.49, 0.9, 4),
        (0.5, 0.5, 5),  # both boundaries reached: delighted
        (1.0, 1.0, 5),
    ],
)
def test_each_step_and_its_boundaries(valence: float, intensity: float, level: int) -> None:
    assert emoticon_for(valence, intensity).level == level


@pytest.mark.parametrize("intensity", [0.0, 0.3, 0.55, 0.65, 1.0])
def test_levels_never_go_down_as_valence_goes_up(intensity: float) -> None:
    levels = [emoticon_for(v / 100, intensity).level for v in range(-100, 101)]
    assert levels == sorted(levels)
    assert levels[0] < levels[-1]


def test_every_step_is_reachable() -> None:
    reached = {emoticon_for(v / 20, i / 10).level for v in range(-20, 21) for i in range(11)}
    assert reached == {1, 2, 3, 4, 5}


def test_the_step_is_one_of_the_scale() -> None:
    assert emoticon_for(-0.9, 0.9) is SCALE[0]
    assert emoticon_for(0.9, 0.9) is SCALE[4]


@pytest.mark.parametrize(
    ("valence", "intensity", "sentiment", "level"),
    [
        (-0.28, 0.4, "neutral", 3),  # a plain question read slightly negative: neutral, as its label
        (-0.9, 0.9, "neutral", 3),
        (0.6, 0.9, "neutral", 3),
        (-0.1, 0.2, "negative", 2),  # a mild complaint: unhappy, never a neutral face beside "negative"
        (-0.45, 0.6, "negative", 1),
        (0.3, 0.9, "negative", 2),
        (0.1, 0.2, "positive", 4),
        (0.5, 0.5, "positive", 5),
        (-0.3, 0.9, "positive", 4),
    ],
)
def test_the_reading_label_picks_the_side_and_the_valence_how_far(
    valence: float, intensity: float, sentiment: str, level: int
) -> None:
    assert emoticon_for(valence, intensity, sentiment).level == level


@pytest.mark.parametrize("sentiment", ["negative", "neutral", "positive"])
def test_with_a_label_the_face_never_contradicts_it(sentiment: str) -> None:
    sides = {"negative": {1, 2}, "neutral": {3}, "positive": {4, 5}}[sentiment]
    for v in range(-20, 21):
        for i in range(11):
            assert emoticon_for(v / 20, i / 10, sentiment).level in sides


@pytest.mark.parametrize(
    ("emotion", "level"),
    [("anger", 1), ("frustration", 1), ("anxiety", 2), ("confusion", 2), ("sadness", 2), (None, 1)],
)
def test_only_anger_or_frustration_is_furious(emotion: str | None, level: int) -> None:
    assert emoticon_for(-0.9, 0.9, "negative", emotion).level == level
