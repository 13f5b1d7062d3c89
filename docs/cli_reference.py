"""Write docs/cli.md from the commands' own --help (python docs/cli_reference.py); a test keeps it true."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ressenti.cli.main import cli

COMMANDS = (
    [],
    ["analyze"],
    ["conversation"],
    ["batch"],
    ["report"],
    ["evaluate"],
    ["schema"],
    ["serve"],
    ["demo"],
    ["db"],
    ["db", "upgrade"],
    ["db", "check"],
    ["org", "create"],
)
TARGET = Path(__file__).with_name("cli.md")


def render() -> str:
    """The reference page, from each command's --help, in English (the help follows the reader)."""
    runner = CliRunner()
    parts = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `python docs/cli_reference.py`. The help is in the reader's language",
        "(`RESSENTI_LANG`, else the locale, else French): commands' descriptions, option lines, argument",
        "names and Click's own words. This page gives it in English.",
        "",
    ]
    for words in COMMANDS:
        result = runner.invoke(
            cli, [*words, "--help"], prog_name="ressenti", terminal_width=100, env={"RESSENTI_LANG": "en"}
        )
        parts += [f"## `{' '.join(['ressenti', *words])}`", ""]
        parts += ["```", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
