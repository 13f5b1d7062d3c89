"""How far two annotators agree on the behaviour labels of the same agent turns (matched by ``id``).

    python bench/annotator_agreement.py data/agent_behaviours/fr_test.jsonl \\
        data/agent_behaviours/fr_test_second.jsonl

Prints, per behaviour, the second annotator's precision and recall against the first's labels: the
ceiling under which a detector's figures on the same file are read (docs/accuracy.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ressenti.errors import RessentiError
from ressenti.evaluation.behaviours import agreement


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("first", type=Path, help="the reference labels (JSONL)")
    parser.add_argument("second", type=Path, help="the same turns labelled by someone else (JSONL)")
    args = parser.parse_args()
    try:
        scores = agreement(args.first, args.second)
    except RessentiError as error:
        sys.exit(f"annotator_agreement: {error}")
    print(f"{args.second.name} against {args.first.name} · {scores.rows} agent turns")
    print("| behaviour | precision | recall | F1 | turns (first) |")
    print("|---|---|---|---|---|")
    for c in scores.per_behaviour:
        print(f"| {c.label} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.support} |")
    macro = sum(c.f1 for c in scores.per_behaviour) / len(scores.per_behaviour)
    both = sum(1 for c in scores.per_behaviour if c.precision >= 0.85 and c.recall >= 0.85)
    print(f"macro-F1 {macro:.3f}; {both} of {len(scores.per_behaviour)} at ≥ 0.85 precision and recall")


if __name__ == "__main__":
    main()
