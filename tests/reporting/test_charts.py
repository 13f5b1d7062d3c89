"""The report's charts: valid PNG images of a fixed size, drawn off-screen, in the user's language."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from matplotlib.image import imread

from ressenti.reporting.aggregate import Aggregates, aggregate
from ressenti.reporting.charts import (
    AGENTS_PER_PAGE,
    CHART_SIZE,
    DPI,
    Chart,
    behaviours_by_agent,
    build_charts,
    format_percent,
    group_label,
    is_chart_name,
    motives_by_team,
)
from tests.reporting.builders import corpus, report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NAMES = [
    "behaviours_teams.png",
    "behaviours_agents_1.png",
    "behaviours_agents_2.png",
    "recovery_teams.png",
    "motives_teams.png",
    "emotions_teams.png",
]


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a PNG starts with."""
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    chunks, position = [], len(PNG_MAGIC)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        assert struct.unpack(">I", png[position + 8 + length : position + 12 + length])[0] == zlib.crc32(
            kind + data
        )
        chunks.append((kind, data))
        position += 12 + length
    return chunks


def expected_size(filename: str) -> tuple[int, int]:
    kind = filename.removesuffix(".png").rstrip("_0123456789")
    width, height = CHART_SIZE[kind]
    return round(width * DPI), round(height * DPI)


# Drawing takes a while: the tests share one drawing of the corpus, and none of them changes it.
@pytest.fixture(scope="module")
def aggregates() -> Aggregates:
    return aggregate(corpus())


@pytest.fixture(scope="module")
def charts(aggregates: Aggregates) -> list[Chart]:
    return build_charts(aggregates, "fr")


def test_two_teams_of_three_agents_give_these_charts(charts: list[Chart]) -> None:
    assert [chart.filename for chart in charts] == NAMES
    assert all(chart.has_data for chart in charts)


def test_every_chart_is_known_by_its_name_as_a_report_file() -> None:
    """A report folder is replaced only when it holds files of these names (reporting.folder): a chart
    whose name were not known would make its own previous report refused."""
    many = [report(f"c{n}", agent=f"a{n}", team="t", customer=["anger"], agent_turns=[]) for n in range(9)]
    names = [chart.filename for chart in build_charts(aggregate(many), "en")]
    assert "behaviours_agents_3.png" in names
    assert all(is_chart_name(name) for name in names)
    assert not any(is_chart_name(name) for name in ("behaviours_agents_0.png", "chart.png", "index.html"))


def test_every_chart_is_a_whole_valid_png_of_its_fixed_size(charts: list[Chart]) -> None:
    for chart in charts:
        assert chart.png.startswith(PNG_MAGIC), chart.filename
        chunks = png_chunks(chart.png)  # every chunk's checksum holds
        assert chunks[-1][0] == b"IEND", chart.filename
        assert png_size(chart.png) == expected_size(chart.filename), chart.filename


def test_every_chart_draws_something(charts: list[Chart]) -> None:
    for chart in charts:
        pixels = imread(io.BytesIO(chart.png))
        assert len(chart.png) > 10_000, chart.filename
        red, green, blue = (np.round(pixels[..., channel] * 255).astype(np.uint32) for channel in range(3))
        colours = np.unique((red << 16) | (green << 8) | blue)
        assert len(colours) > 20, chart.filename  # text, bars and axes, not a blank page
        inked = (pixels[..., :3] < 0.9).any(axis=-1).mean()
        assert inked > 0.01, chart.filename


def test_the_pngs_carry_no_text_chunk_naming_a_web_site(charts: list[Chart]) -> None:
    for chart in charts:
        for kind, data in png_chunks(chart.png):
            if kind in (b"tEXt", b"iTXt", b"zTXt"):
                assert b"http" not in data, chart.filename


def test_the_same_aggregates_draw_the_same_bytes(aggregates: Aggregates, charts: list[Chart]) -> None:
    assert build_charts(aggregates, "fr") == charts


def test_more_agents_more_pages_of_the_same_size() -> None:
    many = [
        report(f"c{number}", agent=f"a{number}", team="t", customer=["neutral"], agent_turns=[["solution"]])
        for number in range(2 * AGENTS_PER_PAGE + 1)
    ]
    pages = behaviours_by_agent(aggregate(many), "en")
    assert [page.filename for page in pages] == [f"behaviours_agents_{page}.png" for page in (1, 2, 3)]
    assert pages[2].title.endswith("page 3/3")
    assert {png_size(page.png) for page in pages} == {expected_size("behaviours_agents_1.png")}


def test_no_report_at_all_gives_charts_that_say_there_is_no_data() -> None:
    charts = build_charts(aggregate([]), "en")
    assert [chart.filename for chart in charts] == [
        name for name in NAMES if name != "behaviours_agents_2.png"
    ]
    for chart in charts:
        assert not chart.has_data, chart.filename
        assert chart.png.startswith(PNG_MAGIC)
        assert png_size(chart.png) == expected_size(chart.filename)


def test_a_chart_without_its_data_says_so_while_the_others_draw(aggregates: Aggregates) -> None:
    no_motive = [{**one, "motive": None} for one in corpus()]
    empty = motives_by_team(aggregate(no_motive), "fr")
    full = motives_by_team(aggregates, "fr")
    assert (empty.has_data, full.has_data) == (False, True)
    assert png_size(empty.png) == png_size(full.png)
    assert empty.png != full.png


def test_titles_follow_the_user_language(aggregates: Aggregates, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    french = build_charts(aggregates)
    monkeypatch.setenv("RESSENTI_LANG", "en")
    english = build_charts(aggregates)
    assert french[0].title == "Comportements des conseillers par équipe (part des conversations)"
    assert english[0].title == "Agents' behaviours by team (share of conversations)"
    assert french[-1].title == "Émotions des clients par équipe"
    assert english[-1].title == "Customers' emotions by team"
    # The labels inside the images change with the language too.
    assert all(fr.png != en.png for fr, en in zip(french, english, strict=True))


def test_ids_that_look_like_formulas_are_drawn_as_plain_text() -> None:
    # Read as mathtext, "$\\frac{$" would raise a parse error when the chart is drawn.
    odd = report(
        "x", agent="$\\frac{$", team="$\\sqrt{$", customer=["anger"], agent_turns=[["apology"]], peak=-0.5
    )
    odd["motive"] = "$\\frac{$"
    charts = build_charts(aggregate([odd]), "en")
    assert all(chart.png.startswith(PNG_MAGIC) for chart in charts)


def test_the_module_draws_with_agg_and_never_opens_pyplot() -> None:
    code = (
        "import sys, matplotlib, ressenti.reporting.charts;"
        "print(matplotlib.get_backend().lower(), 'matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["agg", "False"]


def test_conversations_without_agent_or_team_are_labelled_none_in_each_language() -> None:
    assert group_label("-", "fr") == "(aucun)"
    assert group_label("-", "en") == "(none)"
    assert group_label("team-fr", "en") == "team-fr"


@pytest.mark.parametrize(
    ("rate", "lang", "text"),
    [(1 / 3, "fr", "33,3\u202f%"), (1 / 3, "en", "33.3%"), (1.0, "fr", "100,0\u202f%"), (None, "en", "—")],
)
def test_percentages_are_written_as_in_each_language(rate: float | None, lang: str, text: str) -> None:
    assert format_percent(rate, lang) == text
