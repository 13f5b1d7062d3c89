"""Option help lines in the reader's language, for every option of every command."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from ressenti.cli.main import cli
from ressenti.cli.options import SaidOption, option
from tests.cli.test_main import run


def commands(group: click.Group = cli) -> list[click.Command]:
    """Every command under ``group``, groups included."""
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found += commands(command)
    return found


def test_every_option_but_help_and_version_says_its_help_in_french_and_english() -> None:
    plain = [
        f"{command.name} {param.opts[0]}"
        for command in [cli, *commands()]
        for param in command.params
        if isinstance(param, click.Option)
        and not isinstance(param, SaidOption)
        and param.name not in ("help", "version")
    ]
    assert plain == []  # an option declared with click.option would show English to French readers


def test_french_and_english_help_differ_for_every_option() -> None:
    for command in commands():
        for param in command.params:
            if isinstance(param, SaidOption):
                assert param.help_fr, param.opts
                assert param.help_fr != param.help_en, param.opts


@pytest.mark.parametrize(
    ("lang", "shown", "not_shown"),
    [
        ("fr", "Reprendre un traitement interrompu", "Go on with an interrupted run"),
        ("en", "Go on with an interrupted run", "Reprendre un traitement interrompu"),
    ],
)
def test_batch_help_is_in_the_readers_language(lang: str, shown: str, not_shown: str) -> None:
    done = run("batch", "--help", lang=lang)
    assert done.returncode == 0
    assert shown in done.stdout.decode("utf-8")
    assert not_shown not in done.stdout.decode("utf-8")


def test_the_language_is_read_when_help_is_shown_not_when_the_option_is_declared() -> None:
    @click.command()
    @option("--level", fr="Le niveau.", en="The level.")
    def command(level: str | None) -> None:
        """A command."""

    runner = CliRunner()
    assert "Le niveau." in runner.invoke(command, ["--help"], env={"RESSENTI_LANG": "fr"}).output
    assert "The level." in runner.invoke(command, ["--help"], env={"RESSENTI_LANG": "en"}).output
