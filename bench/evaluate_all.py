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
# Our own customer-service messages, held out from training: the in-domain test set.
OURS = Path(__file__).resolve().parents[1] / "data" / "customer_service"
OUR_RUNS = [
    ("sentiment", "fr"),
    ("sentiment", "en"),
    ("emotion", None),
    ("complaint", "fr"),
    ("complaint", "en"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    engine = default_engine()
    print("| task | file | lang | rows | macro-F1 | accuracy |")
    print("|---|---|---|---|---|---|")
    runs = [(task, args.data / name, name, lang) for task, name, lang in RUNS]
    runs += [(task, OURS, "data/customer_service (ours, held out)", lang) for task, lang in OUR_RUNS]
    for task, path, name, lang in runs:
        s = evaluate(engine, path, task, lang=lang).scores
        print(
            f"| {task} | {name} | {lang or 'all'} | {s.count:,} | {s.macro_f1:.3f} | {s.accuracy:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
