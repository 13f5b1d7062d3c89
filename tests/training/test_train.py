"""The trainer on invented GoEmotions- and XED-shaped rows: it learns, saves, refuses what may not train."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ressenti.analysis.engine import Engine, load_rules
from ressenti.analysis.model import OUTPUTS, LinearModel
from ressenti.analysis.rules import DENSE_FEATURES, Rules
from ressenti.training.train import FIXED_WEIGHTS, load_training_rows, train

pytest.importorskip("sklearn")

# (GoEmotions labels, sentiment group, texts): each of our 8 emotions is present, words repeat so
# that n-grams reach the vocabulary's minimum document count.
GOEMOTIONS: list[tuple[list[str], str, list[str]]] = [
    (
        ["joy"],
        "positive",
        [
            "I love this, wonderful service",
            "wonderful, I love it",
            "great and wonderful day",
            "love the wonderful team",
            "so happy, great work",
        ],
    ),
    (
        ["gratitude"],
        "positive",
        [
            "thank you so much",
            "thanks a lot for the help",
            "thank you, great help",
            "many thanks for your help",
            "thanks, you helped a lot",
        ],
    ),
    (
        ["anger"],
        "negative",
        [
            "I hate this, awful service",
            "awful, I hate it",
            "terrible and awful day",
            "hate the awful team",
            "so angry, terrible work",
        ],
    ),
    (
        ["annoyance"],
        "negative",
        [
            "this is annoying, still waiting",
            "annoying wait again",
            "still waiting, so annoying",
            "annoying delay again",
            "waiting again, annoying",
        ],
    ),
    (
        ["sadness"],
        "negative",
        [
            "I am so sad about this",
            "sad and disappointed",
            "disappointed and sad today",
            "so disappointed, sad",
            "sad news, disappointed",
        ],
    ),
    (
        ["nervousness"],
        "negative",
        [
            "I am worried and scared",
            "worried about my account",
            "scared and worried",
            "so worried, scared",
            "worried sick, scared",
        ],
    ),
    (
        ["confusion"],
        "ambiguous",
        [
            "I don't understand, confused",
            "confused about the bill",
            "confused, what does this mean",
            "so confused by this",
            "I am confused, don't understand",
        ],
    ),
    (
        ["neutral"],
        "neutral",
        [
            "the package is on the table",
            "my address is on the form",
            "the bill is on the table",
            "the form is on my desk",
            "the package and the form",
        ],
    ),
]
# (Plutchik labels, texts), French, as XED writes them.
XED: list[tuple[list[str], list[str]]] = [
    (["joy"], ["merci, super service", "super, merci beaucoup", "génial et super", "super équipe, génial"]),
    (["trust"], ["je vous fais confiance, merci", "confiance et merci", "merci pour la confiance"]),
    (
        ["anger"],
        ["nul, service horrible", "horrible et nul", "service nul, horrible", "vraiment nul et horrible"],
    ),
    (["sadness"], ["triste et déçu", "déçu, tellement triste", "je suis triste et déçu"]),
    (["fear"], ["j'ai peur, inquiet", "inquiet et peur", "très inquiet, peur"]),
    (["neutral"], ["le colis est sur la table", "la facture est sur la table", "le colis et la facture"]),
]


def rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    goemotions = [
        {
            "id": f"goemotions-{i}-{j}",
            "text": text,
            "lang": "en",
            "emotions": labels,
            "sentiment_group": [group],
        }
        for i, (labels, group, texts) in enumerate(GOEMOTIONS)
        for j, text in enumerate(texts)
    ]
    xed = [
        {"id": f"xed-fr-{i}-{j}", "text": text, "lang": "fr", "emotions": labels}
        for i, (labels, texts) in enumerate(XED)
        for j, text in enumerate(texts)
    ]
    return goemotions, xed


def write_jsonl(path: Path, items: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, rules: Rules) -> tuple[LinearModel, LinearModel, int]:
    folder = tmp_path_factory.mktemp("data")
    goemotions, xed = rows()
    write_jsonl(folder / "goemotions_train.jsonl", goemotions)
    write_jsonl(folder / "xed_dev.jsonl", xed)
    training_rows = load_training_rows(folder, ["goemotions_train.jsonl", "xed_dev.jsonl"])
    model = train(training_rows, rules, progress=False)
    model.save(folder / "engine.npz")
    return model, LinearModel.load(folder / "engine.npz"), len(training_rows)


def test_the_training_rows_are_read_from_both_corpora(tmp_path: Path) -> None:
    goemotions, xed = rows()
    write_jsonl(tmp_path / "g.jsonl", goemotions)
    write_jsonl(tmp_path / "x.jsonl", xed)
    loaded = load_training_rows(tmp_path, ["g.jsonl", "x.jsonl"])
    assert 55 <= len(loaded) <= 70
    assert {item.source for item in loaded} == {"goemotions", "xed"}
    assert {item.lang for item in loaded if item.source == "xed"} == {"fr"}


def test_the_trained_model_has_the_engine_shape(trained: tuple[LinearModel, LinearModel, int]) -> None:
    model, _, count = trained
    assert model.weights.shape == (len(DENSE_FEATURES) + len(model.vocabulary), len(OUTPUTS))
    assert model.bias.shape == (len(OUTPUTS),)
    assert model.vocabulary, "repeated words should reach the vocabulary"
    assert model.meta["rows"] == count
    assert model.meta["trained_on"] == ["goemotions", "xed"]
    assert str(model.meta["version"]).startswith("0.1-")


def test_signal_rows_are_set_by_hand_not_learned(trained: tuple[LinearModel, LinearModel, int]) -> None:
    model, _, _ = trained
    for feature, pushes in FIXED_WEIGHTS.items():
        row = model.weights[DENSE_FEATURES.index(feature)]
        for output, push in pushes.items():
            assert row[OUTPUTS.index(output)] == pytest.approx(push)


def test_the_saved_model_loads_back(trained: tuple[LinearModel, LinearModel, int]) -> None:
    model, loaded, _ = trained
    np.testing.assert_allclose(loaded.weights, model.weights, rtol=1e-3, atol=1e-3)
    assert loaded.vocabulary == model.vocabulary
    assert loaded.version == model.version


def test_training_is_deterministic(
    trained: tuple[LinearModel, LinearModel, int], tmp_path: Path, rules: Rules
) -> None:
    goemotions, xed = rows()
    write_jsonl(tmp_path / "g.jsonl", goemotions)
    write_jsonl(tmp_path / "x.jsonl", xed)
    again = train(load_training_rows(tmp_path, ["g.jsonl", "x.jsonl"]), rules, progress=False)
    assert again.version == trained[0].version


@pytest.mark.parametrize(
    ("positive", "negative"),
    [
        ("wonderful service, I love it", "awful service, I hate it"),
        ("thank you so much for the help", "still waiting again, so annoying"),
        ("merci, super service", "service nul et horrible"),
    ],
)
def test_an_engine_with_the_trained_model_tells_good_from_bad(
    trained: tuple[LinearModel, LinearModel, int], rules: Rules, positive: str, negative: str
) -> None:
    engine = Engine(rules=rules, model=trained[1])
    good, bad = engine.analyze(positive), engine.analyze(negative)
    assert good.valence > bad.valence
    assert good.sentiment_scores["positive"] > bad.sentiment_scores["positive"]
    assert engine.version == f"ressenti-engine/{trained[1].version}"


def test_airline_rows_may_not_train(tmp_path: Path) -> None:
    airline = [
        {"id": f"airline-{i}", "text": text, "lang": "en", "sentiment": sentiment}
        for i, (text, sentiment) in enumerate([("great flight", "positive"), ("delayed again", "negative")])
    ]
    goemotions, _ = rows()
    write_jsonl(tmp_path / "goemotions_train.jsonl", goemotions)
    write_jsonl(tmp_path / "airline.jsonl", airline)
    with pytest.raises(SystemExit, match="airline"):
        load_training_rows(tmp_path, ["goemotions_train.jsonl", "airline.jsonl"])


def test_a_mixed_file_with_one_airline_row_may_not_train(tmp_path: Path) -> None:
    goemotions, _ = rows()
    write_jsonl(
        tmp_path / "mixed.jsonl", [*goemotions[:5], {"id": "airline-9", "text": "ok", "sentiment": "neutral"}]
    )
    with pytest.raises(SystemExit, match="may not train"):
        load_training_rows(tmp_path, ["mixed.jsonl"])
