"""A batch pauses the cyclic garbage collector and leaves it as it found it."""

from __future__ import annotations

import gc

import pytest

from ressenti.analysis.collector import collector_paused


def _paused_then_fail() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still paused, and the outer one restores
            assert not gc.isenabled()
        assert not gc.isenabled()
        raise RuntimeError


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_inside_and_restored_after_even_on_error(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError):
            _paused_then_fail()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
