"""``write_report``: the page, its charts and the aggregates' JSON, written where asked."""

from __future__ import annotations

import base64
import errno
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ressenti.errors import OutputError
from ressenti.reporting import aggregate, write_aggregates, write_report
from tests.reporting.builders import corpus

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CHARTS = [
    "behaviours_agents_1.png",
    "behaviours_agents_2.png",
    "behaviours_teams.png",
    "emotions_teams.png",
    "motives_teams.png",
    "recovery_teams.png",
]


def one_by_one() -> Iterator[dict[str, Any]]:
    yield from corpus()


def test_write_report_creates_the_folder_and_writes_the_page_charts_and_json(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "report"
    index = write_report(one_by_one(), out, lang="en")
    assert index == out / "index.html"
    assert sorted(path.name for path in out.iterdir()) == sorted([*CHARTS, "aggregates.json", "index.html"])
    page = index.read_text(encoding="utf-8")
    for name in CHARTS:
        png = (out / name).read_bytes()
        assert png.startswith(PNG_MAGIC), name
        # The page carries the very image written beside it.
        assert base64.b64encode(png).decode("ascii") in page, name


def test_the_json_holds_the_aggregates(tmp_path: Path) -> None:
    write_report(corpus(), tmp_path, lang="fr")
    data = json.loads((tmp_path / "aggregates.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(aggregate(corpus()).to_dict()))
    assert data["teams"]["team-fr"]["trajectory"]["recovery_rate"] == 1 / 3


@pytest.mark.parametrize(
    ("lang", "title"),
    [("fr", "Ressenti : rapport des conversations"), ("en", "Ressenti: conversation report")],
)
def test_the_page_follows_the_user_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, title: str
) -> None:
    monkeypatch.setenv("RESSENTI_LANG", lang)
    page = write_report(corpus(), tmp_path).read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert f"<title>{title}</title>" in page.replace("&#x27;", "'")


def test_no_report_still_writes_a_page_that_says_there_is_no_data(tmp_path: Path) -> None:
    page = write_report([], tmp_path, lang="en").read_text(encoding="utf-8")
    assert "0 conversations, 0 agent turns, 0 teams, 0 agents" in page
    assert "No data" in page
    assert (tmp_path / "behaviours_agents_1.png").read_bytes().startswith(PNG_MAGIC)


def test_aggregates_json_stays_json_when_a_report_holds_nan_or_infinity(tmp_path: Path) -> None:
    """A NaN score used to be written as ``"mean": NaN``, which no JSON reader but Python's accepts."""
    reports = corpus()
    reports[0]["satisfaction"] = {"score": float("nan")}
    reports[1]["satisfaction"] = {"score": float("inf")}
    write_report(reports, tmp_path, lang="en")

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in aggregates.json")

    data = json.loads((tmp_path / "aggregates.json").read_text(encoding="utf-8"), parse_constant=refuse)
    assert data["overall"]["satisfaction"]["scored"] == len(reports) - 2


def test_write_aggregates_writes_what_write_report_writes_from_reports_summed_up_beforehand(
    tmp_path: Path,
) -> None:
    write_report(corpus(), tmp_path / "from-reports", lang="en")
    index = write_aggregates(aggregate(corpus()), tmp_path / "from-aggregates", lang="en")
    assert index == tmp_path / "from-aggregates" / "index.html"
    for name in ("aggregates.json", "index.html", *CHARTS):
        assert (tmp_path / "from-aggregates" / name).read_bytes() == (
            tmp_path / "from-reports" / name
        ).read_bytes()


def test_a_report_with_fewer_agents_replaces_the_previous_one_whole(tmp_path: Path) -> None:
    """The second page of agents' charts of an earlier, larger run used to stay beside the new page."""
    write_report(corpus(), tmp_path / "site", lang="en")
    assert (tmp_path / "site" / "behaviours_agents_2.png").exists()
    write_report(corpus()[:1], tmp_path / "site", lang="en")
    assert sorted(path.name for path in (tmp_path / "site").iterdir()) == sorted(
        [*CHARTS[:1], *CHARTS[2:], "aggregates.json", "index.html"]
    )
    assert os.listdir(tmp_path) == ["site"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "[E040] report not written to {site}: no space left on device; nothing there is changed"),
        ("fr", "[E040] rapport non écrit dans {site} : plus de place sur le disque ; rien n'y est changé"),
    ],
)
def test_a_full_disk_leaves_the_previous_report_whole_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    """The page used to be cut short over the previous one, beside the new charts."""
    site = tmp_path / "site"
    write_report(corpus()[:1], site, lang="en")
    before = {path.name: path.read_bytes() for path in site.iterdir()}
    write_text = Path.write_text

    def full_disk(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        if self.name == "index.html":  # after the charts and the JSON
            write_text(self, data[: len(data) // 2], *args, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return write_text(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(OutputError) as caught:
        write_report(corpus(), site, lang=lang)
    assert str(caught.value) == said.format(site=site)
    assert {path.name: path.read_bytes() for path in site.iterdir()} == before
    assert os.listdir(tmp_path) == ["site"]
