"""`make evaluate`: every accuracy figure of docs/accuracy.md, as a markdown table."""

from __future__ import annotations

import argparse
from pathlib import Path

from ressenti import default_engine
from ressenti.evaluation.arcs import evaluate_arcs
from ressenti.evaluation.behaviours import evaluate_behaviours
from ressenti.evaluation.evaluate import evaluate

RUNS = [
    ("sentiment", "umsab_dev.jsonl", "fr"),
    ("sentiment", "umsab_dev.jsonl", "en"),
    ("sentiment", "airline_dev.jsonl", None),
    ("sentiment", "goemotions_train.jsonl", None),
    ("sentiment", "xed_dev.jsonl", "fr"),
    ("emotion", "xed_dev.jsonl", "fr"),
    ("emotion", "xed_dev.jsonl", "en"),
    ("emotion", "goemotions_train.jsonl", None),
    ("complaint", "airline_dev.jsonl", None),
    ("motive", "airline_dev.jsonl", None),
]
# Our own customer-service messages, held out from training: the in-domain test set.
OURS = Path(__file__).resolve().parents[1] / "data" / "customer_service"
OUR_RUNS = [
    ("sentiment", "fr"),
    ("sentiment", "en"),
    ("emotion", None),
    ("complaint", "fr"),
    ("complaint", "en"),
]
# Motive-labelled messages we wrote (held out): motives across industries, FR and EN.
MOTIVES = Path(__file__).resolve().parents[1] / "data" / "motives"
# Agent turns we wrote, labelled with behaviours; the *_test files are held out from the phrase banks
# and from the behaviour model.
BEHAVIOURS = Path(__file__).resolve().parents[1] / "data" / "agent_behaviours"
# Conversations we wrote, labelled with their arc (recovered, deteriorated, stable).
CONVERSATIONS = Path(__file__).resolve().parents[1] / "data" / "conversations" / "conversations.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    engine = default_engine()
    print("| task | file | lang | rows | macro-F1 | accuracy |")
    print("|---|---|---|---|---|---|")
    runs = [(task, args.data / name, name, lang) for task, name, lang in RUNS]
    runs += [(task, OURS, "data/customer_service (ours, held out)", lang) for task, lang in OUR_RUNS]
    runs += [
        ("motive", MOTIVES / f"{lang}.jsonl", f"data/motives/{lang}.jsonl (ours, held out)", lang)
        for lang in ("fr", "en")
    ]
    for task, path, name, lang in runs:
        s = evaluate(engine, path, task, lang=lang).scores
        print(
            f"| {task} | {name} | {lang or 'all'} | {s.count:,} | {s.macro_f1:.3f} | {s.accuracy:.3f} |",
            flush=True,
        )
    s = evaluate_arcs(engine, CONVERSATIONS).scores
    name = "data/conversations (ours)"
    print(f"| arc | {name} | all | {s.count:,} | {s.macro_f1:.3f} | {s.accuracy:.3f} |", flush=True)
    print()
    print("| agent behaviour | file | precision | recall | F1 | turns showing it |")
    print("|---|---|---|---|---|---|")
    for lang in ("fr", "en"):
        result = evaluate_behaviours(engine, BEHAVIOURS / f"{lang}_test.jsonl")
        for c in result.per_behaviour:
            name = f"{lang}_test.jsonl"
            print(
                f"| {c.label} | {name} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.support} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
