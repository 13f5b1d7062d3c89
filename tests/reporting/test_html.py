"""The HTML page: self-contained (no URL of any kind), every chart embedded, escaped, French or English."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from ressenti.reporting.aggregate import Aggregates, aggregate
from ressenti.reporting.charts import Chart, build_charts
from ressenti.reporting.html import GENERATOR, render_html, written_by_ressenti
from tests.reporting.builders import corpus, report


class Page(HTMLParser):
    """What a browser would see of the page: tags, their attributes, and the text of the cells."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def row_after(self, first_cell: str, count: int) -> list[str]:
        """The ``count`` cells that follow the first cell with this text."""
        index = self.cells.index(first_cell)
        return self.cells[index + 1 : index + 1 + count]


# Drawing takes a while: the tests share one drawing of the corpus, and none of them changes it.
@pytest.fixture(scope="module")
def aggregates() -> Aggregates:
    return aggregate(corpus())


@pytest.fixture(scope="module")
def charts(aggregates: Aggregates) -> list[Chart]:
    return build_charts(aggregates, "fr")


@pytest.fixture
def page(aggregates: Aggregates, charts: list[Chart]) -> str:
    return render_html(aggregates, charts, "fr")


def test_the_page_names_no_external_url_of_any_kind(page: str) -> None:
    lowered = page.lower()
    for forbidden in ("http://", "https://", "//cdn", "<script", "<link", "@import", "url(", 'src="//'):
        assert forbidden not in lowered, forbidden


def test_every_source_the_page_loads_is_embedded_data(page: str) -> None:
    sources = [attrs.get("src") for _, attrs in Page(page).tags if "src" in attrs or "href" in attrs]
    assert sources
    assert all(source is not None and source.startswith("data:image/png;base64,") for source in sources)


def test_the_browser_is_told_to_fetch_nothing_else(page: str) -> None:
    metas = [attrs for tag, attrs in Page(page).tags if tag == "meta"]
    policy = next(attrs["content"] for attrs in metas if attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy is not None
    assert "default-src 'none'" in policy
    assert "img-src data:" in policy


def test_the_page_says_ressenti_wrote_it_so_that_a_users_own_page_is_told_apart(page: str) -> None:
    head = page[:4096]
    assert GENERATOR in head
    assert written_by_ressenti(head)
    assert not written_by_ressenti("<!DOCTYPE html><html><head><title>Our team</title></head></html>")
    assert not written_by_ressenti(f"A note that quotes {GENERATOR}")


def test_every_chart_is_embedded_with_its_title(page: str, charts: list[Chart]) -> None:
    images = [attrs for tag, attrs in Page(page).tags if tag == "img"]
    assert len(images) == len(charts) == 6
    for chart, image in zip(charts, images, strict=True):
        assert image["src"] == "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")
        assert image["alt"] == chart.title


def test_the_page_is_in_french_when_the_user_speaks_french(
    aggregates: Aggregates, charts: list[Chart], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    page = render_html(aggregates, charts)
    assert '<html lang="fr">' in page
    assert "Taux de rétablissement" in page
    assert "Comportements par équipe" in page
    assert "reconnaissance de l&#x27;émotion" in page
    assert "Recovery rate" not in page


def test_the_page_is_in_english_when_the_user_speaks_english(
    aggregates: Aggregates, charts: list[Chart], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")
    page = render_html(aggregates, charts)
    assert '<html lang="en">' in page
    assert "Recovery rate" in page
    assert "Behaviours by team" in page
    assert "Taux de rétablissement" not in page


def test_the_page_says_agents_emotions_are_never_inferred(page: str) -> None:
    assert "Les émotions des conseillers ne sont jamais déduites." in page


def test_team_rates_are_shown_as_computed(aggregates: Aggregates, charts: list[Chart]) -> None:
    french = Page(render_html(aggregates, charts, "fr"))
    # agents, conversations, agent turns, both levels, tense, of them awaiting the customer, recovery,
    # deterioration, satisfaction
    assert french.row_after("team-fr", 9) == [
        "3",
        "4",
        "8",
        "25,0\u202f%",
        "3",
        "0",
        "33,3\u202f%",
        "25,0\u202f%",
        "2,50",
    ]
    english = Page(render_html(aggregates, charts, "en"))
    assert english.row_after("team-en", 9) == ["3", "3", "4", "33.3%", "1", "0", "100.0%", "0.0%", "4.00"]
    # An agent without tense conversations has no recovery rate, rather than 0 %.
    assert english.row_after("fr-2", 9)[6] == "—"


def test_the_conversations_without_agent_or_team_are_shown_as_none(charts: list[Chart]) -> None:
    orphan = report("x", agent=None, team=None, customer=["anger"], agent_turns=[["apology"]])
    aggregates = aggregate([*corpus(), orphan])
    assert "(aucun)" in Page(render_html(aggregates, charts, "fr")).cells
    assert "(none)" in Page(render_html(aggregates, charts, "en")).cells


def test_names_and_ids_are_escaped(charts: list[Chart]) -> None:
    hostile = report(
        "x",
        agent="<img src=x onerror=alert(1)>",
        team="<script>alert('team')</script>",
        customer=["anger"],
        agent_turns=[["apology"]],
        motive="<b>bold</b>",
    )
    page = render_html(aggregate([hostile]), charts, "en")
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#x27;team&#x27;)&lt;/script&gt;" in page
    assert "<script>alert('team')</script>" in Page(page).cells


def test_tables_of_counts_list_motives_emotions_moments_and_signals(page: str) -> None:
    cells = Page(page).cells
    # motive, overall, team-en, team-fr
    assert cells[cells.index("retard") : cells.index("retard") + 4] == ["retard", "3", "1", "2"]
    assert "colère" in cells  # customers' anger, in French
    assert "pas de suivi en clôture" in cells
    assert "réclamation" in cells


def test_a_table_with_nothing_to_count_says_so(charts: list[Chart]) -> None:
    quiet = [{**one, "motive": None, "signals": {}} for one in corpus()]
    page = render_html(aggregate(quiet), charts, "en")
    assert len(re.findall(r"<p>No data</p>", page)) == 2  # motives and signals
