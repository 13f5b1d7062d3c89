"""`make bench-conversations`: conversations per second (10 turns, one core), Dask 2 workers vs 1,
and peak memory as the input grows.

The corpus is fixed: 10-turn conversations (5 customer, 5 agent turns) assembled with a seeded
random generator from the turns of data/conversations/conversations.jsonl (conversations we wrote).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "conversations" / "conversations.jsonl"


def corpus(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` conversations of 10 turns, customer and agent alternating, in one language each."""
    turns: dict[tuple[str, str], list[str]] = {}
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        lang = record["metadata"]["lang"]
        for turn in record["turns"]:
            if turn["speaker"] in ("customer", "agent"):
                turns.setdefault((lang, turn["speaker"]), []).append(turn["text"])
    rng = random.Random(seed)
    out = []
    for number in range(count):
        lang = "fr" if number % 2 == 0 else "en"
        out.append(
            {
                "id": f"bench-{number:07d}",
                "channel": rng.choice(["chat", "email", "call", "social"]),
                "agent_id": f"agent-{rng.randrange(40)}",
                "team_id": f"team-{rng.randrange(6)}",
                "turns": [
                    {"speaker": speaker, "text": rng.choice(turns[(lang, speaker)])}
                    for _ in range(5)
                    for speaker in ("customer", "agent")
                ],
            }
        )
    return out


def write_jsonl(records: list[dict[str, Any]], path: Path, repeat: int = 1) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(repeat):
            for record in records:
                handle.write(
                    json.dumps({**record, "id": f"{record['id']}-{copy}"}, ensure_ascii=False) + "\n"
                )


def one_core(count: int) -> float:
    """Conversations per second through process_chunk in this process (pinned to one core)."""
    from ressenti.batch.conversation_batch import CHUNK, process_chunk

    items = list(enumerate(corpus(count), start=1))
    process_chunk(items[:CHUNK])  # load the engine, warm the caches
    started = time.perf_counter()
    for index in range(0, len(items), CHUNK):
        process_chunk(items[index : index + CHUNK])
    return count / (time.perf_counter() - started)


def dask_rate(path: Path, workers: int, count: int) -> tuple[float, float]:
    """(sustained, overall) conversations per second of a Dask run: sustained is timed from the first
    chunk written to the last (the cluster and the workers' engines are up), overall from the start."""
    from ressenti.batch.conversation_batch import dask_runner, run_batch

    marks: list[tuple[float, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        summary = run_batch(
            path,
            Path(folder) / "out.jsonl",
            runner=dask_runner(workers),
            on_progress=lambda done: marks.append((time.perf_counter(), done)),
        )
        elapsed = time.perf_counter() - started
    assert summary.written == count, summary
    (first_time, first_done), (last_time, last_done) = marks[0], marks[-1]
    return (last_done - first_done) / (last_time - first_time), count / elapsed


def peak_memory(path: Path) -> float:
    """Peak resident MB of a whole `ressenti batch` run on a file (a fresh process)."""
    code = (
        "import resource, sys; from pathlib import Path; "
        "from ressenti.batch.conversation_batch import run_batch; "
        "run_batch(Path(sys.argv[1]), Path(sys.argv[2])); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(  # noqa: S603 (our own interpreter)
            [sys.executable, "-c", code, str(path), str(Path(folder) / "out.jsonl")],
            check=True,
            capture_output=True,
            text=True,
        )
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=3000, help="conversations for the one-core rate")
    parser.add_argument("--dask-count", type=int, default=6000, help="conversations for the Dask runs")
    args = parser.parse_args()
    results: dict[str, Any] = {"corpus": "bench/bench_conversations.py, 10 turns (5 customer, 5 agent)"}
    with tempfile.TemporaryDirectory() as folder:
        base = corpus(1000)
        small, large = Path(folder) / "small.jsonl", Path(folder) / "large.jsonl"
        write_jsonl(base, small, repeat=2)
        write_jsonl(base, large, repeat=10)
        results["peak_rss_mb"] = {
            f"{small.stat().st_size / 1e6:.1f} MB input": round(peak_memory(small), 1),
            f"{large.stat().st_size / 1e6:.1f} MB input": round(peak_memory(large), 1),
        }
        dask_input = Path(folder) / "dask.jsonl"
        write_jsonl(corpus(args.dask_count), dask_input)
        one, one_overall = dask_rate(dask_input, 1, args.dask_count)
        two, two_overall = dask_rate(dask_input, 2, args.dask_count)
        results["dask"] = {
            "conversations": args.dask_count,
            "one_worker_per_second": round(one),
            "two_workers_per_second": round(two),
            "speed_up": round(two / one, 2),
            "with_cluster_start_one_worker_per_second": round(one_overall),
            "with_cluster_start_two_workers_per_second": round(two_overall),
        }
    # One core, in a fresh process pinned to it: the Dask runs above leave threads in this one.
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, __file__, "--one-core", str(args.count)], check=True, capture_output=True, text=True
    )
    results.update(json.loads(done.stdout))
    print(json.dumps(results, indent=2))


def one_core_only(count: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rate = one_core(count)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps({"one_core_conversations_per_second": round(rate), "one_core_peak_rss_mb": round(rss, 1)})
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one-core"]:
        one_core_only(int(sys.argv[2]))
    else:
        main()
