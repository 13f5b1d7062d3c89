"""The linear model file: saved and loaded faithfully, refused with a clear error when it does not fit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ressenti.analysis.model import FORMAT_VERSION, OUTPUTS, LinearModel
from ressenti.analysis.rules import DENSE_FEATURES
from ressenti.errors import ModelError

VOCABULARY = {"merci": 0, "NOT_content": 1, "pas terrible": 2, "😡": 3}


def small_model() -> LinearModel:
    generator = np.random.default_rng(7)
    rows = len(DENSE_FEATURES) + len(VOCABULARY)
    return LinearModel(
        weights=generator.normal(0.0, 2.0, size=(rows, len(OUTPUTS))).astype(np.float32),
        bias=generator.normal(0.0, 1.0, size=len(OUTPUTS)).astype(np.float32),
        vocabulary=dict(VOCABULARY),
        meta={"version": "0.1-test", "rows": 60, "trained_on": ["goemotions", "xed"]},
    )


def write_archive(path: Path, model: LinearModel, **overrides: object) -> None:
    arrays: dict[str, object] = {
        "weights": model.weights.astype(np.float16),
        "bias": model.bias,
        "vocabulary": np.array("\n".join(sorted(model.vocabulary, key=model.vocabulary.__getitem__))),
        "dense": np.array("\n".join(DENSE_FEATURES)),
        "meta": np.array(json.dumps({**model.meta, "format": FORMAT_VERSION})),
    }
    arrays.update(overrides)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def test_a_saved_model_loads_back(tmp_path: Path) -> None:
    model = small_model()
    path = tmp_path / "engine.npz"
    model.save(path)
    loaded = LinearModel.load(path)
    assert loaded.weights.shape == model.weights.shape
    assert loaded.weights.dtype == np.float32
    # Weights are stored as float16: equal within its precision (about 3 significant digits).
    np.testing.assert_allclose(loaded.weights, model.weights, rtol=1e-3, atol=1e-3)
    assert not np.array_equal(loaded.weights, np.zeros_like(loaded.weights))
    np.testing.assert_allclose(loaded.bias, model.bias, rtol=1e-6)
    assert loaded.vocabulary == model.vocabulary
    assert {k: v for k, v in loaded.meta.items() if k != "format"} == model.meta
    assert loaded.meta["format"] == FORMAT_VERSION
    assert loaded.version == "0.1-test"


def test_a_model_without_n_grams_round_trips(tmp_path: Path) -> None:
    model = LinearModel(
        weights=np.ones((len(DENSE_FEATURES), len(OUTPUTS)), dtype=np.float32),
        bias=np.zeros(len(OUTPUTS), dtype=np.float32),
        vocabulary={},
        meta={},
    )
    model.save(tmp_path / "empty.npz")
    loaded = LinearModel.load(tmp_path / "empty.npz")
    assert loaded.vocabulary == {}
    assert loaded.version == "untrained"


def test_rows_of_n_grams_come_after_the_dense_features() -> None:
    model = small_model()
    assert model.row("merci") == len(DENSE_FEATURES)
    assert model.row("😡") == len(DENSE_FEATURES) + 3
    assert model.row("pas terrible") == len(DENSE_FEATURES) + 2


@pytest.mark.parametrize("ngram", ["jamais vu", "", "MERCI", "merci "])
def test_an_unknown_n_gram_has_row_minus_one(ngram: str) -> None:
    assert small_model().row(ngram) == -1


def test_the_shipped_model_loads_and_fits_the_rules() -> None:
    model = LinearModel.load()
    assert model.weights.shape == (len(DENSE_FEATURES) + len(model.vocabulary), len(OUTPUTS))
    assert model.bias.shape == (len(OUTPUTS),)
    assert model.meta["format"] == FORMAT_VERSION
    assert model.version != "untrained"


def test_a_missing_model_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make model") as caught:
        LinearModel.load(tmp_path / "nowhere.npz")
    assert str(caught.value).startswith("[E002]")


def test_a_model_of_another_format_version_is_refused(tmp_path: Path) -> None:
    model = small_model()
    path = tmp_path / "old.npz"
    write_archive(path, model, meta=np.array(json.dumps({"version": "0.0", "format": FORMAT_VERSION + 1})))
    with pytest.raises(ModelError, match="format"):
        LinearModel.load(path)


def test_a_model_without_a_format_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "unversioned.npz"
    write_archive(path, small_model(), meta=np.array(json.dumps({"version": "0.0"})))
    with pytest.raises(ModelError, match="format"):
        LinearModel.load(path)


@pytest.mark.parametrize(
    "dense",
    [
        DENSE_FEATURES[:-1],
        (*DENSE_FEATURES, "sig_new_signal"),
        tuple(reversed(DENSE_FEATURES)),
        ("lex_positive", *DENSE_FEATURES[1:]),
    ],
    ids=["one-missing", "one-more", "reordered", "renamed"],
)
def test_a_model_trained_on_other_rule_features_is_refused(tmp_path: Path, dense: tuple[str, ...]) -> None:
    path = tmp_path / "stale.npz"
    write_archive(path, small_model(), dense=np.array("\n".join(dense)))
    with pytest.raises(ModelError, match="make model"):
        LinearModel.load(path)


def test_weights_that_do_not_fit_the_vocabulary_are_refused(tmp_path: Path) -> None:
    model = small_model()
    path = tmp_path / "misfit.npz"
    write_archive(path, model, weights=model.weights[:-1].astype(np.float16))
    with pytest.raises(ModelError, match="shape"):
        LinearModel.load(path)


def test_an_archive_without_weights_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "partial.npz"
    np.savez_compressed(path, bias=np.zeros(3))
    with pytest.raises(ModelError, match="cannot be read"):
        LinearModel.load(path)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "engine.npz"
    path.write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelError):
        LinearModel.load(path)


def test_a_language_starts_from_the_shared_priors_moved_by_its_prior_shift() -> None:
    model = small_model()
    shifted = LinearModel(
        weights=model.weights,
        bias=model.bias,
        vocabulary=model.vocabulary,
        meta={**model.meta, "prior_shift": {"en": {"sentiment:neutral": 0.5, "emotion:anger": -0.25}}},
    )
    english, french = shifted.prior("en"), shifted.prior("fr")
    np.testing.assert_allclose(french, model.bias, rtol=1e-6)
    moved = english - model.bias.astype(np.float64)
    np.testing.assert_allclose(moved[OUTPUTS.index("sentiment:neutral")], 0.5, rtol=1e-6)
    np.testing.assert_allclose(moved[OUTPUTS.index("emotion:anger")], -0.25, rtol=1e-6)
    assert np.count_nonzero(np.abs(moved) > 1e-9) == 2
    np.testing.assert_allclose(model.prior("en"), model.bias, rtol=1e-6)  # no shift in the card: none
