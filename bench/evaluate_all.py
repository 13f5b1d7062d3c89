"""`make evaluate`: every accuracy figure of docs/accuracy.md, as a markdown table."""

from __future__ import annotations

import argparse
from pathlib import Path

from ressenti import default_engine
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
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    engine = default_engine()
    print("| task | file | lang | rows | macro-F1 | accuracy |")
    print("|---|---|---|---|---|---|")
    for task, name, lang in RUNS:
        result = evaluate(engine, args.data / name, task, lang=lang)
        s = result.scores
        print(
            f"| {task} | {name} | {lang or 'all'} | {s.count:,} | {s.macro_f1:.3f} | {s.accuracy:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
