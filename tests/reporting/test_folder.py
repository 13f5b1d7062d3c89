"""``folder_written_whole``: a report's folder prepared beside its place and put there whole, or not at
all; a folder that holds anything but a report of ours is never replaced."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ressenti.errors import OutputError
from ressenti.reporting.aggregate import aggregate
from ressenti.reporting.folder import folder_written_whole, not_ours
from ressenti.reporting.html import GENERATOR, render_html

OUR_PAGE = f'<!DOCTYPE html>\n<html lang="fr">\n<head>\n{GENERATOR}\n</head></html>\n'
# The head of the pages written before the generator line.
EARLIER_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
    "style-src 'unsafe-inline'\">\n<title>Ressenti: conversation report</title>\n"
)


def previous_report(folder: Path, *, agent_pages: int = 2) -> dict[str, bytes]:
    """A report as an earlier run left it; its files and their bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"index.html": OUR_PAGE.encode(), "aggregates.json": b"{}\n", "behaviours_teams.png": b"png"}
    files.update({f"behaviours_agents_{page}.png": b"png" for page in range(1, agent_pages + 1)})
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def write_new(folder: Path) -> None:
    (folder / "index.html").write_text(OUR_PAGE + "new", encoding="utf-8")
    (folder / "behaviours_agents_1.png").write_bytes(b"new png")


def write_then(site: Path, failure: BaseException | None = None, lang: str | None = None) -> None:
    """A new report written into ``site``; ``failure`` raised once its files are written."""
    with folder_written_whole(site, lang) as folder:
        write_new(folder)
        if failure is not None:
            raise failure


def test_a_new_folder_appears_only_once_the_block_ends(tmp_path: Path) -> None:
    site = tmp_path / "deep" / "site"
    with folder_written_whole(site) as folder:
        write_new(folder)
        assert not site.exists()
        assert folder.parent == site.parent
    assert sorted(contents(site)) == ["behaviours_agents_1.png", "index.html"]
    assert os.listdir(tmp_path / "deep") == ["site"]


def test_a_previous_report_is_replaced_whole_and_its_extra_charts_go(tmp_path: Path) -> None:
    """Charts of an earlier, larger run (behaviours_agents_2.png) used to stay beside the new page."""
    site = tmp_path / "site"
    previous_report(site, agent_pages=3)
    with folder_written_whole(site) as folder:
        write_new(folder)
    assert sorted(contents(site)) == ["behaviours_agents_1.png", "index.html"]
    assert os.listdir(tmp_path) == ["site"]  # neither the new folder's first name nor the old one is left


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_an_error_while_writing_leaves_the_previous_report_as_it_was(
    tmp_path: Path, failure: BaseException
) -> None:
    site = tmp_path / "site"
    before = previous_report(site)
    with pytest.raises(type(failure)):
        write_then(site, failure)
    assert contents(site) == before
    assert os.listdir(tmp_path) == ["site"]


def test_an_error_while_writing_a_new_folder_leaves_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with pytest.raises(OSError, match="No space left"):
        write_then(site, OSError(errno.ENOSPC, "No space left on device"))
    assert os.listdir(tmp_path) == []


def test_the_previous_report_is_put_back_when_the_new_one_cannot_take_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    before = previous_report(site)
    rename = Path.rename

    def refuse_the_new_one(self: Path, target: Path) -> Path:
        if ".partial-" in self.name:
            raise OSError(errno.EIO, "Input/output error")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_the_new_one)
    with pytest.raises(OSError, match="Input/output error"):
        write_then(site)
    assert contents(site) == before
    assert os.listdir(tmp_path) == ["site"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "{site} holds more than a Ressenti report (notes.txt, photos/): nothing written"),
        (
            "fr",
            "{site} contient autre chose qu'un rapport de Ressenti (notes.txt, photos/) : rien n'est écrit",
        ),
    ],
)
def test_a_folder_with_files_of_the_users_is_refused_and_nothing_in_it_is_touched(
    tmp_path: Path, lang: str, said: str
) -> None:
    site = tmp_path / "site"
    before = previous_report(site)
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    (site / "photos").mkdir()
    with pytest.raises(OutputError) as caught:
        write_then(site, lang=lang)
    assert said.format(site=site) in str(caught.value)
    assert str(caught.value).startswith("[E040] ")
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert {name: data for name, data in contents(site).items() if name in before} == before
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_an_index_html_that_ressenti_did_not_write_is_the_users(tmp_path: Path) -> None:
    site = tmp_path / "www"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>My home page</title>", encoding="utf-8")
    assert not_ours(site) == ["index.html"]
    with pytest.raises(OutputError, match=r"\(index\.html\)"):
        write_then(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "<!DOCTYPE html><title>My home page</title>"


@pytest.mark.parametrize("head", [OUR_PAGE, EARLIER_PAGE], ids=["this-version", "earlier-version"])
def test_a_page_of_ours_is_recognised_from_this_version_and_the_earlier_one(
    tmp_path: Path, head: str
) -> None:
    (tmp_path / "index.html").write_text(head + "<body>…</body>", encoding="utf-8")
    (tmp_path / "behaviours_agents_12.png").write_bytes(b"png")
    (tmp_path / "aggregates.json").write_bytes(b"{}")
    assert not_ours(tmp_path) == []


def test_the_page_render_html_writes_is_recognised_as_ours(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(render_html(aggregate([]), [], "en"), encoding="utf-8")
    assert not_ours(tmp_path) == []


def test_names_that_only_look_like_ours_are_not(tmp_path: Path) -> None:
    for name in (
        "behaviours_agents_0.png",
        "behaviours_agents_x.png",
        "recovery_teams.png.bak",
        "INDEX.HTML",
    ):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "aggregates.json").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "emotions_teams.png")
    assert not_ours(tmp_path) == [
        "INDEX.HTML",
        "aggregates.json/",
        "behaviours_agents_0.png",
        "behaviours_agents_x.png",
        "emotions_teams.png",
        "recovery_teams.png.bak",
    ]


def test_an_empty_folder_is_replaced(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with folder_written_whole(site) as folder:
        write_new(folder)
    assert sorted(contents(site)) == ["behaviours_agents_1.png", "index.html"]


def test_a_link_to_a_report_stays_a_link_to_the_new_report(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "2024-06"
    previous_report(real)
    link = tmp_path / "latest"
    link.symlink_to(real)
    with folder_written_whole(link) as folder:
        write_new(folder)
    assert link.is_symlink()
    assert sorted(contents(real)) == ["behaviours_agents_1.png", "index.html"]


def test_the_new_folder_keeps_the_permissions_of_the_previous_one(tmp_path: Path) -> None:
    site = tmp_path / "site"
    previous_report(site)
    site.chmod(0o750)
    with folder_written_whole(site) as folder:
        write_new(folder)
    assert stat.S_IMODE(site.stat().st_mode) == 0o750


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "report not written: no temporary folder can be made in {parent} (permission denied)"),
        ("fr", "rapport non écrit : pas de dossier provisoire possible dans {parent} (permission refusée)"),
    ],
)
def test_a_parent_that_takes_no_new_folder_is_said_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    site = tmp_path / "site"
    before = previous_report(site)
    mkdir = Path.mkdir

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        if ".partial-" in self.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(OutputError) as caught:
        write_then(site, AssertionError("the block must not run"), lang)
    assert said.format(parent=tmp_path) in str(caught.value)
    assert contents(site) == before


def test_folders_left_by_a_run_killed_outright_go_with_the_next_run(tmp_path: Path) -> None:
    """A run killed by SIGKILL cannot remove its folder: each left a hidden ``.site.partial-…`` that
    nothing ever removed. The next run removes those of a process that is gone, not a running one's."""
    site = tmp_path / "site"
    said = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    finished = int(said.stdout)  # a process id that is no one's now
    killed = [tmp_path / f".site.{what}-{finished}-0a1b2c3d" for what in ("partial", "previous")]
    running = tmp_path / f".site.partial-{os.getpid()}-0a1b2c3d"
    for folder in [*killed, running]:
        previous_report(folder)
    write_then(site)
    assert sorted(os.listdir(tmp_path)) == [running.name, "site"]
