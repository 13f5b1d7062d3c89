"""The learned part of the engine: one linear layer over the rules' features, two softmax heads.

Columns 0-2 score the sentiment (negative, neutral, positive), columns 3-10 the emotions
(``EMOTION_LABELS``). Rows are the dense rule features (``rules.DENSE_FEATURES``) followed by the
n-gram vocabulary. Being linear, every score splits exactly into what each cue contributed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ressenti.analysis.rules import DENSE_FEATURES
from ressenti.analysis.schemas import EMOTION_LABELS, SENTIMENT_LABELS
from ressenti.errors import ModelError

FORMAT_VERSION = 1
OUTPUTS: tuple[str, ...] = (
    *(f"sentiment:{s}" for s in SENTIMENT_LABELS),
    *(f"emotion:{e}" for e in EMOTION_LABELS),
)
SENTIMENT_COLUMNS = slice(0, len(SENTIMENT_LABELS))
EMOTION_COLUMNS = slice(len(SENTIMENT_LABELS), len(OUTPUTS))
DEFAULT_MODEL = "engine.npz"


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Weights (features × outputs), biases, and the n-gram vocabulary that names the rows."""

    weights: NDArray[np.float32]
    bias: NDArray[np.float32]
    vocabulary: dict[str, int]
    meta: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "untrained"))

    def ngram_trust(self, lang: str) -> float:
        """How far the n-grams are trusted in a language (the rule features are always trusted fully)."""
        trust = self.meta.get("ngram_trust", {})
        return float(trust.get(lang, 1.0)) if isinstance(trust, dict) else 1.0

    def prior(self, lang: str) -> NDArray[np.float64]:
        """The biases a message in ``lang`` starts from: the shared priors, moved by the language's
        ``prior_shift`` in the model card (log-odds per output, e.g. ``{"sentiment:neutral": 0.05}``)."""
        bias = self.bias.astype(np.float64)
        shifts = self.meta.get("prior_shift", {})
        moves = shifts.get(lang, {}) if isinstance(shifts, dict) else {}
        for output, move in moves.items() if isinstance(moves, dict) else ():
            if output in OUTPUTS:
                bias[OUTPUTS.index(output)] += float(move)
        return bias

    def row(self, ngram: str) -> int:
        """The row of an n-gram, or -1 when the model never saw it."""
        index = self.vocabulary.get(ngram)
        return -1 if index is None else len(DENSE_FEATURES) + index

    def save(self, path: Path) -> None:
        """Write the model as one compressed ``.npz`` file."""
        ordered = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            vocabulary=np.array("\n".join(ordered)),
            dense=np.array("\n".join(DENSE_FEATURES)),
            meta=np.array(json.dumps({**self.meta, "format": FORMAT_VERSION}, sort_keys=True)),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> LinearModel:
        """Load a model file; without a path, the one shipped in the package."""
        source = path if path is not None else resources.files("ressenti") / "models" / DEFAULT_MODEL
        try:
            with source.open("rb") as handle, np.load(handle, allow_pickle=False) as archive:
                weights = archive["weights"].astype(np.float32)
                bias = archive["bias"].astype(np.float32)
                vocabulary_text = str(archive["vocabulary"])
                dense = str(archive["dense"]).split("\n")
                meta = json.loads(str(archive["meta"]))
        except FileNotFoundError:
            raise ModelError(f"no model at {source}: build it with `make model`") from None
        except (OSError, KeyError, ValueError) as error:
            raise ModelError(f"the model at {source} cannot be read: {error}") from None
        if meta.get("format") != FORMAT_VERSION:
            raise ModelError(
                f"the model at {source} has format {meta.get('format')}, expected {FORMAT_VERSION}"
            )
        if tuple(dense) != DENSE_FEATURES:
            raise ModelError(
                f"the model at {source} was trained on other rule features: rebuild it with `make model`"
            )
        vocabulary = (
            {gram: index for index, gram in enumerate(vocabulary_text.split("\n"))} if vocabulary_text else {}
        )
        if weights.shape != (len(DENSE_FEATURES) + len(vocabulary), len(OUTPUTS)):
            raise ModelError(
                f"the model at {source} has weights of shape {weights.shape}, which do not fit its rows"
            )
        return cls(weights=weights, bias=bias, vocabulary=vocabulary, meta=meta)
