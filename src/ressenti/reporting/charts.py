"""The report's charts as PNG images, drawn off-screen, labelled in the user's language.

Every chart has a fixed size in pixels (``CHART_SIZE``: the figure's inches times ``DPI``, with fixed
margins, never fitted to its text), so that the same aggregates always give the same image. A chart
with nothing to draw says so on an image of the same size. Names and ids are drawn as plain text:
``$`` in an agent id is not a formula.
"""

from __future__ import annotations

import functools
import io
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import matplotlib

# Never a display. Switching backend under an already imported pyplot would close the host's open
# figures (a notebook's), and nothing here needs pyplot: figures are drawn on Agg canvases directly.
if "matplotlib.pyplot" not in sys.modules:
    matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ressenti import i18n
from ressenti.reporting.aggregate import NO_ID, Aggregates, GroupStats

P = ParamSpec("P")
R = TypeVar("R")

DPI = 100
# Inches; times DPI gives the PNG's width and height in pixels.
CHART_SIZE: dict[str, tuple[float, float]] = {
    "behaviours_teams": (10.0, 8.0),
    "behaviours_agents": (12.0, 8.0),
    "recovery_teams": (10.0, 6.0),
    "motives_teams": (10.0, 7.0),
    "emotions_teams": (10.0, 6.0),
}
# Four agents a page keep sixteen behaviours readable side by side; more agents, more pages.
AGENTS_PER_PAGE = 4
# Longer names are cut: margins are fixed, so a long team name must not push the bars away.
LABEL_LENGTH = 32
EMOTION_COLOURS = {
    "anger": "#c0392b",
    "frustration": "#e67e22",
    "anxiety": "#8e44ad",
    "confusion": "#d4ac0d",
    "sadness": "#2e4053",
    "satisfaction": "#27ae60",
    "gratitude": "#17a589",
    "neutral": "#b3b6b7",
}
RATE_COLOURS = ("#2e86c1", "#c0392b")  # recovery, deterioration


# The charts' file names: one chart by team of each kind, and the agents' behaviours on numbered pages.
# A report folder holding files of other names is not replaced (reporting.folder).
TEAM_CHARTS = frozenset(
    {"behaviours_teams.png", "recovery_teams.png", "motives_teams.png", "emotions_teams.png"}
)
_AGENT_PAGE = re.compile(r"behaviours_agents_[1-9][0-9]*\.png")


def is_chart_name(name: str) -> bool:
    """Whether ``name`` is that of a chart of a report."""
    return name in TEAM_CHARTS or _AGENT_PAGE.fullmatch(name) is not None


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: its file name, its title (in the user's language), the PNG's bytes, and whether it
    shows data (``False``: the image says there is none)."""

    filename: str
    title: str
    png: bytes
    has_data: bool = True


# --- names people read ---------------------------------------------------------------------------


def group_label(key: str, lang: str | None = None) -> str:
    """An agent's or team's id, or "(aucun)"/"(none)" for the conversations that named none."""
    return i18n.message("report_none", lang) if key == NO_ID else key


def behaviour_label(name: str, lang: str | None = None) -> str:
    """A behaviour, or a moment to improve (``no_closing_followup``…); an unknown name as it is."""
    return i18n.behaviour_name(name, lang)


def motive_label(label: str, lang: str | None = None) -> str:
    return i18n.motive_name(label, lang)


def emotion_label(label: str, lang: str | None = None) -> str:
    return i18n.emotion_name(label, lang) if label in i18n.EMOTION_NAMES else label


def signal_label(name: str, lang: str | None = None) -> str:
    return i18n.signal_name(name, lang) if name in i18n.SIGNAL_NAMES else name


def format_number(value: float | None, lang: str | None = None, digits: int = 1) -> str:
    """A number as people of the language write it (``3,5`` in French); "—" when there is none."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if (lang or i18n.user_language()) == "fr" else text


def format_percent(rate: float | None, lang: str | None = None) -> str:
    """A rate (0 to 1) as a percentage: ``42,5 %`` (narrow no-break space) in French, ``42.5%`` in English."""
    if rate is None:
        return "—"
    number = format_number(100 * rate, lang)
    return f"{number}\u202f%" if (lang or i18n.user_language()) == "fr" else f"{number}%"


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


# --- drawing -------------------------------------------------------------------------------------


def _plain_text(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw with the report's settings, whatever the host process set in matplotlib's global settings."""

    @functools.wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        # Plain text (no mathtext), and the font matplotlib ships, so every machine draws the same image.
        with matplotlib.rc_context(
            {"text.parse_math": False, "font.family": "DejaVu Sans", "font.size": 9.0}
        ):
            return draw(*args, **kwargs)

    return drawn


def overall_and_teams(aggregates: Aggregates, lang: str | None = None) -> list[tuple[str, GroupStats]]:
    """(label, counters): everything first, then each team."""
    return [
        (i18n.message("report_overall", lang), aggregates.overall),
        *((group_label(team, lang), aggregates.teams[team]) for team in aggregates.team_ids()),
    ]


def _figure(kind: str) -> Figure:
    figure = Figure(figsize=CHART_SIZE[kind], dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No "Software" entry: it names matplotlib's web site, and the report carries no URL at all.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _no_data(figure: Figure, title: str, lang: str | None) -> None:
    figure.suptitle(title, fontsize=12)
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, i18n.message("report_no_data", lang), ha="center", va="center", fontsize=16)


def _colour(index: int, count: int) -> str:
    palette = matplotlib.colormaps["tab10" if count <= 10 else "tab20"]
    red, green, blue, _ = palette(index % palette.N)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def _percent_axis(axes: Axes, label: str) -> None:
    axes.set_xlim(0, 100)
    axes.set_xlabel(label)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


def _grouped_bars(
    axes: Axes,
    rows: int,
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    annotate: Callable[[float | None], str] | None = None,
) -> None:
    """Horizontal bars: one group per row (top to bottom), one bar per series (label, colour, rates).

    A rate over nothing (None) draws no bar; annotated, it reads "—" rather than passing for 0 %.
    """
    height = 0.8 / len(series)
    for index, (label, colour, rates) in enumerate(series):
        # The first series on top: the y axis runs downwards.
        positions = [row + (index - (len(series) - 1) / 2) * height for row in range(rows)]
        widths = [100.0 * (rate or 0.0) for rate in rates]
        axes.barh(positions, widths, height=height, color=colour, label=_short(label))
        if annotate is not None:
            for position, width, rate in zip(positions, widths, rates, strict=True):
                # Near 100 % the label goes inside its bar, or the fixed right margin would cut it.
                inside = width > 88
                axes.text(
                    width - 1 if inside else width + 1,
                    position,
                    annotate(rate),
                    va="center",
                    ha="right" if inside else "left",
                    color="white" if inside else "black",
                    fontsize=8,
                )
    axes.set_yticks(range(rows))
    axes.set_ylim(rows - 0.5, -0.5)


def _legend(figure: Figure, axes: Axes, count: int) -> None:
    figure.legend(
        *axes.get_legend_handles_labels(),
        loc="lower center",
        ncols=min(count, 5),
        frameon=False,
        fontsize=8,
    )


@_plain_text
def behaviours_by_team(aggregates: Aggregates, lang: str | None = None) -> Chart:
    """Share of each team's conversations where each behaviour appears (grouped horizontal bars)."""
    title = i18n.message("chart_behaviours_teams", lang)
    figure = _figure("behaviours_teams")
    teams = aggregates.team_ids()
    if not teams:
        _no_data(figure, title, lang)
        return Chart("behaviours_teams.png", title, _png(figure), has_data=False)
    figure.suptitle(title, fontsize=12)
    figure.subplots_adjust(left=0.25, right=0.97, top=0.93, bottom=0.16)
    axes = figure.add_subplot()
    names = aggregates.overall.behaviour_names()
    _grouped_bars(
        axes,
        len(names),
        [
            (
                group_label(team, lang),
                _colour(index, len(teams)),
                [aggregates.teams[team].behaviour_share(name) for name in names],
            )
            for index, team in enumerate(teams)
        ],
    )
    axes.set_yticklabels([_short(behaviour_label(name, lang)) for name in names])
    _percent_axis(axes, i18n.message("report_share_axis", lang))
    _legend(figure, axes, len(teams))
    return Chart("behaviours_teams.png", title, _png(figure))


@_plain_text
def behaviours_by_agent(aggregates: Aggregates, lang: str | None = None) -> list[Chart]:
    """One panel per agent (``AGENTS_PER_PAGE`` a page): share of their conversations with each behaviour."""
    agents = aggregates.agent_ids()
    pages = max(1, -(-len(agents) // AGENTS_PER_PAGE))
    names = aggregates.overall.behaviour_names()
    charts = []
    for page in range(1, pages + 1):
        title = i18n.message("chart_behaviours_agents", lang, page=page, pages=pages)
        figure = _figure("behaviours_agents")
        on_page = agents[(page - 1) * AGENTS_PER_PAGE : page * AGENTS_PER_PAGE]
        if not on_page:
            _no_data(figure, title, lang)
        else:
            figure.suptitle(title, fontsize=12)
            figure.subplots_adjust(left=0.2, right=0.98, top=0.9, bottom=0.08, wspace=0.2)
            first: Axes | None = None
            # An agent's bars take the colour of their team, as in the chart by team.
            teams = aggregates.team_ids()
            colours = {team: _colour(index, len(teams)) for index, team in enumerate(teams)}
            for column, agent in enumerate(on_page):
                axes = figure.add_subplot(1, AGENTS_PER_PAGE, column + 1, sharey=first)
                stats = aggregates.agents[agent]
                shares = [stats.behaviour_share(name) for name in names]
                _grouped_bars(axes, len(names), [(agent, colours[min(stats.members)], shares)])
                team = ", ".join(group_label(member, lang) for member in sorted(stats.members))
                axes.set_title(f"{_short(group_label(agent, lang))}\n{_short(team)}", fontsize=9)
                _percent_axis(axes, i18n.message("report_share_axis", lang))
                if first is None:
                    first = axes
                    axes.set_yticklabels([_short(behaviour_label(name, lang)) for name in names])
                else:
                    axes.tick_params(labelleft=False)
        charts.append(Chart(f"behaviours_agents_{page}.png", title, _png(figure), has_data=bool(on_page)))
    return charts


@_plain_text
def recovery_by_team(aggregates: Aggregates, lang: str | None = None) -> Chart:
    """Recovery rate (of tense conversations) and deterioration rate, per team and overall."""
    title = i18n.message("chart_recovery", lang)
    figure = _figure("recovery_teams")
    if not aggregates.overall.trajectories:
        _no_data(figure, title, lang)
        return Chart("recovery_teams.png", title, _png(figure), has_data=False)
    figure.suptitle(title, fontsize=12)
    figure.subplots_adjust(left=0.25, right=0.97, top=0.9, bottom=0.2)
    axes = figure.add_subplot()
    rows = overall_and_teams(aggregates, lang)
    _grouped_bars(
        axes,
        len(rows),
        [
            (
                i18n.message("report_recovery_rate", lang),
                RATE_COLOURS[0],
                [stats.recovery_rate for _, stats in rows],
            ),
            (
                i18n.message("report_deterioration_rate", lang),
                RATE_COLOURS[1],
                [stats.deterioration_rate for _, stats in rows],
            ),
        ],
        annotate=lambda rate: format_percent(rate, lang),
    )
    axes.set_yticklabels([_short(label) for label, _ in rows])
    _percent_axis(axes, i18n.message("report_rate_axis", lang))
    _legend(figure, axes, 2)
    return Chart("recovery_teams.png", title, _png(figure))


@_plain_text
def motives_by_team(aggregates: Aggregates, lang: str | None = None) -> Chart:
    """Conversations by complaint motive, most frequent first, each bar split by team."""
    title = i18n.message("chart_motives", lang)
    figure = _figure("motives_teams")
    motives = [motive for motive, _ in aggregates.overall.motives.most_common()]
    if not motives:
        _no_data(figure, title, lang)
        return Chart("motives_teams.png", title, _png(figure), has_data=False)
    figure.suptitle(title, fontsize=12)
    figure.subplots_adjust(left=0.3, right=0.97, top=0.92, bottom=0.18)
    axes = figure.add_subplot()
    teams = [team for team in aggregates.team_ids() if aggregates.teams[team].motives]
    left = [0.0] * len(motives)
    for index, team in enumerate(teams):
        counts = [float(aggregates.teams[team].motives[motive]) for motive in motives]
        axes.barh(
            range(len(motives)),
            counts,
            left=left,
            color=_colour(index, len(teams)),
            label=_short(group_label(team, lang)),
        )
        left = [start + count for start, count in zip(left, counts, strict=True)]
    axes.set_yticks(range(len(motives)))
    axes.set_yticklabels([_short(motive_label(motive, lang)) for motive in motives])
    axes.set_ylim(len(motives) - 0.5, -0.5)
    axes.set_xlabel(i18n.message("report_count_axis", lang))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    _legend(figure, axes, len(teams))
    return Chart("motives_teams.png", title, _png(figure))


@_plain_text
def emotions_by_team(aggregates: Aggregates, lang: str | None = None) -> Chart:
    """The customers' emotion mix: one stacked bar per team (and overall), as shares of customer turns."""
    title = i18n.message("chart_emotions", lang)
    figure = _figure("emotions_teams")
    mix = aggregates.overall.customer_emotions
    if not mix:
        _no_data(figure, title, lang)
        return Chart("emotions_teams.png", title, _png(figure), has_data=False)
    figure.suptitle(title, fontsize=12)
    figure.subplots_adjust(left=0.25, right=0.97, top=0.9, bottom=0.22)
    axes = figure.add_subplot()
    rows = overall_and_teams(aggregates, lang)
    emotions = [
        *(label for label in EMOTION_COLOURS if label in mix),
        *sorted(set(mix) - set(EMOTION_COLOURS)),
    ]
    left = [0.0] * len(rows)
    for index, emotion in enumerate(emotions):
        shares = [
            100.0 * stats.customer_emotions[emotion] / total
            if (total := stats.customer_emotions.total())
            else 0.0
            for _, stats in rows
        ]
        colour = EMOTION_COLOURS.get(emotion) or _colour(index, len(emotions))
        axes.barh(
            range(len(rows)), shares, left=left, color=colour, label=_short(emotion_label(emotion, lang))
        )
        left = [start + share for start, share in zip(left, shares, strict=True)]
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels([_short(label) for label, _ in rows])
    axes.set_ylim(len(rows) - 0.5, -0.5)
    _percent_axis(axes, i18n.message("report_turn_share_axis", lang))
    _legend(figure, axes, len(emotions))
    return Chart("emotions_teams.png", title, _png(figure))


def build_charts(aggregates: Aggregates, lang: str | None = None) -> list[Chart]:
    """Every chart of the report, in the order the page shows them."""
    return [
        behaviours_by_team(aggregates, lang),
        *behaviours_by_agent(aggregates, lang),
        recovery_by_team(aggregates, lang),
        motives_by_team(aggregates, lang),
        emotions_by_team(aggregates, lang),
    ]
