"""Help in the reader's language: every command's description and every option's line."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from ressenti.cli.click_french import METAVARS
from ressenti.cli.main import cli
from ressenti.cli.options import SaidArgument, SaidCommand, SaidOption, option
from ressenti.cli.options import command as said_command
from tests.cli.test_main import out, run


def commands(group: click.Group = cli) -> list[click.Command]:
    """Every command under ``group``, groups included."""
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found += commands(command)
    return found


def command_paths(group: click.Group = cli, above: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The words that name every command under ``group``, groups included: ``("db", "upgrade")``."""
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        found.append((*above, name))
        if isinstance(command, click.Group):
            found += command_paths(command, (*above, name))
    return found


def said(words: tuple[str, ...]) -> SaidCommand:
    """The command ``ressenti WORDS`` names."""
    found: click.Command = cli
    for word in words:
        assert isinstance(found, click.Group)
        found = found.commands[word]
    assert isinstance(found, SaidCommand)
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


def test_every_command_says_its_help_in_french_and_english() -> None:
    plain = [command.name for command in [cli, *commands()] if not isinstance(command, SaidCommand)]
    assert plain == []  # a command declared with click.command would describe itself in English only
    for command in [cli, *commands()]:
        assert isinstance(command, SaidCommand)
        assert command.help_fr.strip(), command.name
        assert command.help_fr != command.help_en, command.name


@pytest.mark.parametrize(
    ("lang", "shown", "not_shown"),
    [
        (
            "fr",
            ["Lire un message (TEXTE)", "Lire toutes les conversations"],
            ["Read one message", "Read every"],
        ),
        ("en", ["Read one message (TEXT)", "Read every conversation"], ["Lire un message", "Lire toutes"]),
    ],
)
def test_the_list_of_commands_is_in_the_readers_language(
    lang: str, shown: list[str], not_shown: list[str]
) -> None:
    listed = out(run("--help", lang=lang))
    for text in shown:
        assert text in listed
    for text in not_shown:
        assert text not in listed


@pytest.mark.parametrize("words", [(), *command_paths()], ids=lambda words: " ".join(words) or "ressenti")
def test_a_commands_whole_help_is_in_the_readers_language(words: tuple[str, ...]) -> None:
    command = said(words) if words else cli
    assert isinstance(command, SaidCommand)
    french = out(run(*words, "--help", lang="fr"))
    english = out(run(*words, "--help", lang="en"))
    first_fr, first_en = (text.strip().splitlines()[0] for text in (command.help_fr, command.help_en))
    assert first_fr[:40] in french
    assert first_en[:40] not in french
    assert first_en[:40] in english
    assert first_fr[:40] not in english
    for word, french_word in METAVARS.items():  # what a command takes is named in French too
        assert word == french_word or not re.search(rf"\b{word}\b", french), word


def test_the_language_of_a_commands_help_is_read_when_it_is_shown() -> None:
    @click.group()
    def group() -> None:
        """A group."""

    @said_command("level", fr="Le niveau. Et la suite.", en="The level. And what follows.")
    def level() -> None:
        """A command."""

    group.add_command(level)
    runner = CliRunner()
    assert "Le niveau." in runner.invoke(group, ["--help"], env={"RESSENTI_LANG": "fr"}).output
    assert "The level." in runner.invoke(group, ["--help"], env={"RESSENTI_LANG": "en"}).output
    assert (
        "Le niveau. Et la suite."
        in runner.invoke(group, ["level", "--help"], env={"RESSENTI_LANG": "fr"}).output
    )


@pytest.mark.parametrize(
    ("lang", "words", "shown"),
    [
        ("fr", [], ["Utilisation : ressenti [OPTIONS] COMMANDE [ARGS]..."]),
        (
            "fr",
            ["analyze"],
            ["analyze [OPTIONS] [TEXTE]", "--input FICHIER", "--output FICHIER", "Langue de TEXTE"],
        ),
        ("fr", ["conversation"], ["conversation [OPTIONS] FICHIER", "--id TEXTE", "--agent-domain TEXTE"]),
        (
            "fr",
            ["batch"],
            ["--input FICHIER", "--output FICHIER", "Processus de travail du cluster Dask local."],
        ),
        ("fr", ["serve"], ["--port ENTIER"]),
        ("fr", ["org", "create"], ["create [OPTIONS] IDENTIFIANT", "IDENTIFIANT : le nom court"]),
        ("en", [], ["Usage: ressenti [OPTIONS] COMMAND [ARGS]..."]),
        (
            "en",
            ["analyze"],
            ["analyze [OPTIONS] [TEXT]", "--input FILE", "--output FILE", "Language of TEXT"],
        ),
        ("en", ["conversation"], ["conversation [OPTIONS] FILE", "--id TEXT", "--agent-domain TEXT"]),
        ("en", ["serve"], ["--port INTEGER RANGE"]),
        ("en", ["org", "create"], ["create [OPTIONS] SLUG", "SLUG: the organisation's short name"]),
    ],
)
def test_what_a_command_takes_is_named_in_the_readers_language(
    lang: str, words: list[str], shown: list[str]
) -> None:
    helped = out(run(*words, "--help", lang=lang))
    for text in shown:
        assert text in helped


def test_every_argument_is_named_in_the_readers_language() -> None:
    plain = [
        f"{command.name} {param.name}"
        for command in [cli, *commands()]
        for param in command.params
        if isinstance(param, click.Argument) and not isinstance(param, SaidArgument)
    ]
    assert plain == []  # an argument declared with click.argument would keep its English name


def test_french_help_keeps_a_colon_on_the_line_of_the_word_before_it() -> None:
    # at this width the line was cut before the colon of « arc : les trajectoires »
    helped = (
        CliRunner().invoke(cli, ["evaluate", "--help"], terminal_width=78, env={"RESSENTI_LANG": "fr"}).output
    )
    assert not re.search(r"^\s+[:;!?]", helped, re.MULTILINE)  # was « … ; arc\n: les trajectoires »
    assert "\u00a0" not in helped  # the spaces held on their line are written as plain spaces
    assert "arc : les trajectoires" in " ".join(helped.split())


def test_french_help_writes_a_semicolon_between_an_options_extras_with_a_space_before_it() -> None:
    assert "[par défaut : 2 ; 1<=x<=256]" in " ".join(out(run("batch", "--help", lang="fr")).split())
    assert "[default: 2; 1<=x<=256]" in " ".join(out(run("batch", "--help", lang="en")).split())
