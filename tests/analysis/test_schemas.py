"""The public types are immutable whether the core runs compiled (mypyc) or interpreted."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import ressenti.analysis.schemas as installed

SOURCE = Path(__file__).resolve().parents[2] / "src" / "ressenti" / "analysis" / "schemas.py"


def interpreted() -> ModuleType:
    """schemas.py run by the interpreter, as with RESSENTI_PURE=1 (the installed one may be compiled)."""
    spec = importlib.util.spec_from_file_location("schemas_interpreted", SOURCE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses looks the module up while building the class
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("module", [installed, interpreted()], ids=["installed", "interpreted"])
def test_cues_signals_and_motives_build_and_refuse_changes(module: ModuleType) -> None:
    cue = module.Cue(0, 4, "nul", "word", {"valence": -0.4})
    signal = module.Signal("complaint", True, (cue,))
    motive = module.Motive("delay", 0.6, (cue,))
    assert cue.effect["valence"] == -0.4
    assert signal.to_dict()["cues"][0]["text"] == "nul"
    assert motive.to_dict() == {"label": "delay", "score": 0.6, "cues": [cue.to_dict()]}
    with pytest.raises(dataclasses.FrozenInstanceError):
        cue.text = "bien"
    with pytest.raises(TypeError):
        cue.effect["valence"] = 1.0  # type: ignore[index]
