"""The report as one self-contained HTML page: tables, and the charts inlined as ``data:`` images.

The page fetches nothing: no script, no font, no stylesheet from elsewhere, its CSS is in its
``<style>``, and its Content-Security-Policy forbids the browser any other source, so it opens the
same offline, from a mail attachment or a shared drive. Every name and id is escaped.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from html import escape

from ressenti import i18n
from ressenti.reporting.aggregate import Aggregates, GroupStats
from ressenti.reporting.charts import (
    Chart,
    behaviour_label,
    emotion_label,
    format_number,
    format_percent,
    group_label,
    motive_label,
    overall_and_teams,
    signal_label,
)

# Only this page's own CSS, and images that it carries, may be used.
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
# What tells a page of ours from a user's own index.html (reporting.folder): this line in its head, or,
# in the pages written before it, the Content-Security-Policy line.
GENERATOR = '<meta name="generator" content="Ressenti">'
_POLICY_LINE = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #1c2833; background: #fbfcfc; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d5d8dc; padding-bottom: 0.2rem; }
p.note { color: #566573; font-style: italic; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
caption { text-align: left; color: #566573; font-size: 0.85rem; padding-bottom: 0.3rem; }
th, td { border: 1px solid #d5d8dc; padding: 0.25rem 0.5rem; }
th { background: #eaf2f8; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.overall { font-weight: bold; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #d5d8dc; }
figcaption { color: #566573; font-size: 0.9rem; }
"""


def _cell(text: str, *, number: bool = False) -> str:
    return f'<td class="n">{escape(text)}</td>' if number else f"<td>{escape(text)}</td>"


def _table(
    headers: Sequence[str],
    rows: Iterable[tuple[str, Sequence[str]]],
    *,
    caption: str = "",
    text_columns: int = 1,
) -> str:
    """A table: ``rows`` are (CSS class of the row, cells); the cells after ``text_columns`` are numbers."""
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    body = "".join(
        (f'<tr class="{css}">' if css else "<tr>")
        + "".join(_cell(text, number=index >= text_columns) for index, text in enumerate(cells))
        + "</tr>"
        for css, cells in rows
    )
    captioned = f"<caption>{escape(caption)}</caption>" if caption else ""
    table = f"<table>{captioned}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>'


def _groups(aggregates: Aggregates, lang: str) -> list[tuple[str, str, GroupStats]]:
    """(CSS class, label, counters): everything first, then each team."""
    rows = overall_and_teams(aggregates, lang)
    return [("overall" if index == 0 else "", label, stats) for index, (label, stats) in enumerate(rows)]


def _rates_table(
    rows: Sequence[tuple[str, str, str, GroupStats]], headers: Sequence[str], lang: str, *, text_columns: int
) -> str:
    """Conversations, turns, both levels, tension (and how much of it awaits the customer's reply),
    recovery, deterioration and satisfaction: a row per
    (CSS class, name, who is in it, counters)."""
    return _table(
        [
            *headers,
            i18n.message("report_conversations", lang),
            i18n.message("report_agent_turns", lang),
            i18n.message("report_both_levels", lang),
            i18n.message("report_tense", lang),
            i18n.message("report_awaiting", lang),
            i18n.message("report_recovery_rate", lang),
            i18n.message("report_deterioration_rate", lang),
            i18n.message("report_mean_satisfaction", lang),
        ],
        (
            (
                css,
                [
                    label,
                    members,
                    str(stats.conversations),
                    str(stats.agent_turns),
                    format_percent(stats.both_levels_rate, lang),
                    str(stats.tense),
                    str(stats.awaiting),
                    format_percent(stats.recovery_rate, lang),
                    format_percent(stats.deterioration_rate, lang),
                    format_number(stats.mean_satisfaction, lang, 2),
                ],
            )
            for css, label, members, stats in rows
        ),
        text_columns=text_columns,
    )


def _behaviours_table(columns: Sequence[tuple[str, GroupStats]], names: Sequence[str], lang: str) -> str:
    """A row per behaviour, a column per group: share of conversations / per 100 agent turns."""
    headers = [i18n.message("report_behaviour", lang), *(label for label, _ in columns)]
    rows = [
        (
            "",
            [
                behaviour_label(name, lang),
                *(
                    f"{format_percent(stats.behaviour_share(name), lang)} / "
                    f"{format_number(stats.behaviour_per_100_turns(name), lang)}"
                    for _, stats in columns
                ),
            ],
        )
        for name in names
    ]
    return _table(headers, rows, caption=i18n.message("report_behaviour_cell", lang))


def _counts_table(
    groups: Sequence[tuple[str, str, GroupStats]],
    counts: Callable[[GroupStats], Counter[str]],
    label: Callable[[str, str], str],
    first: str,
    lang: str,
) -> str:
    """A row per key (most frequent overall first), a column per group; "no data" when there is none."""
    overall = counts(groups[0][2])
    if not overall:
        return f"<p>{escape(i18n.message('report_no_data', lang))}</p>"
    keys = sorted(overall, key=lambda key: (-overall[key], key))
    headers = [first, *(name for _, name, _ in groups)]
    rows = [("", [label(key, lang), *(str(counts(stats)[key]) for _, _, stats in groups)]) for key in keys]
    return _table(headers, rows)


# The tables of counts: heading, what is counted, and the name people read for each key.
COUNTED: tuple[tuple[str, Callable[[GroupStats], Counter[str]], Callable[[str, str], str]], ...] = (
    ("report_motives", lambda stats: stats.motives, motive_label),
    ("report_customer_emotions", lambda stats: stats.customer_emotions, emotion_label),
    ("report_improvements", lambda stats: stats.improvements, behaviour_label),
    ("report_signals", lambda stats: stats.signals, signal_label),
)


def _figure(chart: Chart) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    title = escape(chart.title)
    return (
        f'<figure id="{escape(chart.filename)}"><img src="data:image/png;base64,{data}" alt="{title}">'
        f"<figcaption>{title}</figcaption></figure>"
    )


def render_html(aggregates: Aggregates, charts: Sequence[Chart], lang: str | None = None) -> str:
    """The whole page, in ``lang`` (the user's language when None), with ``charts`` embedded."""
    lang = lang or i18n.user_language()
    title = i18n.message("report_title", lang)
    groups = _groups(aggregates, lang)
    overall = aggregates.overall
    agents = [(group_label(agent, lang), aggregates.agents[agent]) for agent in aggregates.agent_ids()]
    names = overall.behaviour_names()
    summary = i18n.message(
        "report_summary",
        lang,
        conversations=overall.conversations,
        agent_turns=overall.agent_turns,
        teams=len(aggregates.teams),
        agents=len(aggregates.agents),
    )
    sections = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">{escape(i18n.message("report_lawful", lang))}</p>',
        f"<p>{escape(summary)}</p>",
        f"<h2>{escape(i18n.message('report_teams', lang))}</h2>",
        _rates_table(
            [
                ("overall", groups[0][1], str(len(aggregates.agents)), overall),
                *((css, label, str(len(stats.members)), stats) for css, label, stats in groups[1:]),
            ],
            [i18n.message("report_team", lang), i18n.message("report_agents", lang)],
            lang,
            text_columns=1,
        ),
        f"<h2>{escape(i18n.message('report_agents', lang))}</h2>",
        _rates_table(
            [
                ("", label, ", ".join(group_label(team, lang) for team in sorted(stats.members)), stats)
                for label, stats in agents
            ],
            [i18n.message("report_agent", lang), i18n.message("report_teams", lang)],
            lang,
            text_columns=2,
        ),
        f"<h2>{escape(i18n.message('report_behaviours_by_team', lang))}</h2>",
        _behaviours_table([(label, stats) for _, label, stats in groups], names, lang),
        f"<h2>{escape(i18n.message('report_behaviours_by_agent', lang))}</h2>",
        _behaviours_table(agents, names, lang),
        *(
            f"<h2>{escape(i18n.message(heading, lang))}</h2>\n"
            + _counts_table(groups, counts, label, i18n.message(heading, lang), lang)
            for heading, counts, label in COUNTED
        ),
        f"<h2>{escape(i18n.message('report_charts', lang))}</h2>",
        *(_figure(chart) for chart in charts),
    ]
    body = "\n".join(sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"{_POLICY_LINE}\n{GENERATOR}\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def written_by_ressenti(head: str) -> bool:
    """Whether a page that starts with ``head`` (its first few kilobytes) is a report page of ours."""
    return head.lstrip().startswith("<!DOCTYPE html>") and (GENERATOR in head or _POLICY_LINE in head)
