"""`make bench`: throughput (batch, one core), latency p50/p99, memory and start-up; VADER alongside.

Run with `taskset -c 0` (the Makefile does) so "one core" is what is measured.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import build

BATCH = 512


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def start_up() -> float:
    """Seconds for a fresh interpreter to import ressenti and read a first message."""
    code = "import ressenti; ressenti.analyze('Toujours pas reçu ma commande !!! 😡')"
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 (our own interpreter)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    corpus = build()
    results: dict[str, object] = {
        "corpus": f"bench/corpus.py, {len(corpus)} messages",
        "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
    }

    cold = start_up()
    import ressenti

    engine = ressenti.default_engine()
    engine.analyze_batch(corpus[:BATCH])  # warm caches
    started = time.perf_counter()
    for index in range(0, len(corpus), BATCH):
        engine.analyze_batch(corpus[index : index + BATCH])
    batch_rate = len(corpus) / (time.perf_counter() - started)

    latencies: list[float] = []
    for text in corpus[:3000]:
        t0 = time.perf_counter()
        engine.analyze(text)
        latencies.append((time.perf_counter() - t0) * 1000)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["ressenti"] = {
        "batch_messages_per_second": round(batch_rate),
        "latency_ms_p50": round(statistics.median(latencies), 3),
        "latency_ms_p99": round(percentile(latencies, 0.99), 3),
        "peak_rss_mb": round(rss_mb, 1),
        "import_and_first_reading_s": round(cold, 3),
    }

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    started = time.perf_counter()
    for text in corpus:
        vader.polarity_scores(text)
    vader_rate = len(corpus) / (time.perf_counter() - started)
    vader_latencies: list[float] = []
    for text in corpus[:3000]:
        t0 = time.perf_counter()
        vader.polarity_scores(text)
        vader_latencies.append((time.perf_counter() - t0) * 1000)
    results["vader"] = {
        "messages_per_second": round(vader_rate),
        "latency_ms_p50": round(statistics.median(vader_latencies), 3),
        "latency_ms_p99": round(percentile(vader_latencies, 0.99), 3),
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
