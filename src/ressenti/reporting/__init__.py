"""Reports on many conversations: per agent, per team and overall, as JSON, PNG charts and one HTML page.

``write_report`` is the entry point; ``aggregate`` streams over conversation reports (docs/conversations.md)
and keeps counters only. Agents are described by what they write, never by what they might feel
(PRODUCT.md §2).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ressenti.reporting.aggregate import NO_ID, Aggregates, GroupStats, aggregate
from ressenti.reporting.charts import Chart, build_charts
from ressenti.reporting.html import render_html

__all__ = [
    "NO_ID",
    "Aggregates",
    "Chart",
    "GroupStats",
    "aggregate",
    "build_charts",
    "render_html",
    "write_aggregates",
    "write_report",
]

INDEX = "index.html"
AGGREGATES = "aggregates.json"


def write_report(reports: Iterable[Mapping[str, Any]], out_dir: Path, *, lang: str | None = None) -> Path:
    """Write ``index.html``, the PNG charts and ``aggregates.json`` into ``out_dir``; return the page's path.

    ``lang`` (``fr`` or ``en``) defaults to the user's language (``RESSENTI_LANG``, then the locale).
    """
    return write_aggregates(aggregate(reports), out_dir, lang=lang)


def write_aggregates(aggregates: Aggregates, out_dir: Path, *, lang: str | None = None) -> Path:
    """``write_report`` for reports already summed up: a caller can look at them before writing
    (``ressenti report`` writes nothing when no report could be read)."""
    charts = build_charts(aggregates, lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    for chart in charts:
        (out_dir / chart.filename).write_bytes(chart.png)
    # allow_nan=False: the counters hold no NaN (aggregate reads none), and were one to slip in, an error
    # is better than a file that says it is JSON and is not.
    data = json.dumps(aggregates.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)
    (out_dir / AGGREGATES).write_text(data + "\n", encoding="utf-8")
    index = out_dir / INDEX
    index.write_text(render_html(aggregates, charts, lang), encoding="utf-8")
    return index
