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

from ressenti.errors import OutputError
from ressenti.i18n import message, output_reason
from ressenti.reporting.aggregate import NO_ID, Aggregates, GroupStats, aggregate
from ressenti.reporting.charts import Chart, build_charts
from ressenti.reporting.folder import AGGREGATES, INDEX, folder_written_whole
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


def write_report(reports: Iterable[Mapping[str, Any]], out_dir: Path, *, lang: str | None = None) -> Path:
    """Write ``index.html``, the PNG charts and ``aggregates.json`` into ``out_dir``; return the page's path.

    ``lang`` (``fr`` or ``en``) defaults to the user's language (``RESSENTI_LANG``, then the locale).
    ``out_dir`` is replaced as a whole once the report is complete (``reporting.folder``); raises
    ``OutputError`` when it cannot be, leaving it as it was.
    """
    return write_aggregates(aggregate(reports), out_dir, lang=lang)


def write_aggregates(aggregates: Aggregates, out_dir: Path, *, lang: str | None = None) -> Path:
    """``write_report`` for reports already summed up: a caller can look at them before writing
    (``ressenti report`` writes nothing when no report could be read)."""
    try:
        with folder_written_whole(out_dir, lang) as folder:
            charts = build_charts(aggregates, lang)
            for chart in charts:
                (folder / chart.filename).write_bytes(chart.png)
            # allow_nan=False: the counters hold no NaN (aggregate reads none), and were one to slip in, an
            # error is better than a file that says it is JSON and is not.
            data = json.dumps(aggregates.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)
            (folder / AGGREGATES).write_text(data + "\n", encoding="utf-8")
            (folder / INDEX).write_text(render_html(aggregates, charts, lang), encoding="utf-8")
    except OSError as error:  # a full disk, a folder that cannot be made or moved
        reason = output_reason(error, lang)
        raise OutputError(message("report_not_written", lang, path=out_dir, error=reason)) from error
    return out_dir / INDEX
