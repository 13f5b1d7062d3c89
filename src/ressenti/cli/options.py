"""Commands and options whose help is said in the reader's language.

``option("--resume", fr="…", en="…", is_flag=True)`` is ``click.option`` with its help line in French
for a French reader and in English otherwise; ``command("batch", fr="…", en="…")`` and ``group(…)`` do
the same for a command's help, its first sentence being its line in the list of commands. The language
is read when the help is shown, not when the command is declared, so one declaration serves both (and
``docs/cli.md`` is written in English whatever the language of the process that writes it). What a
command takes is named in the reader's language too ("--input FICHIER"; ``argument`` for arguments).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from ressenti.cli.click_french import PATH_NAMES, french_metavar
from ressenti.i18n import user_language

F = TypeVar("F", bound=Callable[..., Any])


def _said(fr: str, en: str) -> str:
    """The text for this reader, read now: help is shown long after its command was declared."""
    return fr if user_language() == "fr" else en


def _metavar(text: str) -> str:
    """What a command takes, named in the reader's language: "FICHIER" for a French reader, "FILE"
    otherwise. Click names it in English whatever the language (the name of a type or an argument)."""
    return french_metavar(text) if user_language() == "fr" else text


class _PathName(str):
    """The name of a ``click.Path``'s kind ("file"), which Click writes in two places: in upper case as
    the metavar (FILE, then said by ``_metavar``), and in title case to begin its errors, « {name}
    {filename!r} n'existe pas. ». There French wants the noun with its article (« Le fichier 'x'
    n'existe pas. »), so ``title`` says it in the reader's language, when the error is said."""

    def title(self) -> str:
        return PATH_NAMES[str(self)] if user_language() == "fr" else super().title()


def _named(kind: click.ParamType[Any]) -> None:
    """A path type given its English name, said in the reader's language when it is shown."""
    if isinstance(kind, click.Path):
        both = kind.file_okay and kind.dir_okay
        kind.name = _PathName("path" if both else "file" if kind.file_okay else "directory")


class SaidOption(click.Option):
    """A ``click.Option`` with a help line in French and one in English."""

    def __init__(self, param_decls: Sequence[str], *, help_fr: str, help_en: str, **attrs: Any) -> None:
        super().__init__(param_decls, **{**attrs, "help": help_en})
        self.help_fr = help_fr
        self.help_en = help_en
        _named(self.type)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = _said(self.help_fr, self.help_en)
        record = super().get_help_record(ctx)
        if record is None or user_language() != "fr":
            return record
        return record[0], _french_extra(record[1])

    def make_metavar(self, ctx: click.Context) -> str:
        return _metavar(super().make_metavar(ctx))


def option(*decls: str, fr: str, en: str, **attrs: Any) -> Callable[[F], F]:
    """``click.option(*decls, **attrs)`` whose help is ``fr`` for a French reader, ``en`` otherwise."""
    return click.option(*decls, cls=SaidOption, help_fr=fr, help_en=en, **attrs)


def _french_extra(help_line: str) -> str:
    """An option's help line whose bracket of extras Click joined with "; " (« [par défaut : 2;
    1<=x<=256] »), joined as French writes a semicolon, with a space before it."""
    line, bracket, extra = help_line.rpartition("  [")
    if not bracket or not extra.endswith("]"):
        return help_line
    return f"{line}{bracket}{extra.replace('; ', ' ; ')}"


class SaidArgument(click.Argument):
    """A ``click.Argument`` named in the reader's language, in the usage line and in the errors that
    name it ("Argument manquant 'FICHIER'")."""

    def __init__(self, param_decls: Sequence[str], **attrs: Any) -> None:
        super().__init__(param_decls, **attrs)
        _named(self.type)

    def make_metavar(self, ctx: click.Context) -> str:
        return _metavar(super().make_metavar(ctx))


def argument(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """``click.argument(*decls, **attrs)``, named in the reader's language."""
    return click.argument(*decls, cls=SaidArgument, **attrs)


class _SaidFormatter(click.HelpFormatter):
    """Click's help, its headings written as a French reader writes them, « Options : », with the space
    French puts before a colon (Click writes "Options:" in every language)."""

    def write_heading(self, heading: str) -> None:
        if user_language() != "fr":
            super().write_heading(heading)
            return
        self.write(f"{'':>{self.current_indent}}{heading} :\n")

    def write_text(self, text: str) -> None:
        super().write_text(_held(text))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _held(text)) for term, text in rows], col_max, col_spacing)

    def getvalue(self) -> str:
        return super().getvalue().replace(_HELD, " ")


# A space Click's wrapping does not break at (it breaks at ASCII spaces only), given back as a plain
# space once the help is written.
_HELD = "\u00a0"
_BEFORE_PUNCTUATION = re.compile(r" (?=[:;!?»])|(?<=«) ")


def _held(text: str) -> str:
    """French ``text`` whose spaces before « : ; ! ? » and inside the quotation marks do not end a line:
    a line of help that begins with a colon, « arc\n: les trajectoires », reads as broken."""
    if user_language() != "fr":
        return text
    return _BEFORE_PUNCTUATION.sub(_HELD, text)


class _SaidContext(click.Context):
    formatter_class = _SaidFormatter


class SaidCommand(click.Command):
    """A ``click.Command`` with its help in French and in English: the whole text under ``CMD --help``,
    and its first sentence in the list of its group's commands."""

    context_class = _SaidContext

    def __init__(self, name: str | None, *, help_fr: str, help_en: str, **attrs: Any) -> None:
        super().__init__(name, **{**attrs, "help": help_en})
        self.help_fr = help_fr
        self.help_en = help_en

    def get_short_help_str(self, limit: int = 45) -> str:
        self.help = _said(self.help_fr, self.help_en)
        return super().get_short_help_str(limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.help = _said(self.help_fr, self.help_en)
        super().format_help_text(ctx, formatter)


class SaidGroup(SaidCommand, click.Group):
    """A ``click.Group`` whose help, like its commands', is said in the reader's language, and the
    command it takes named in it ("COMMANDE [ARGS]...")."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [_metavar(piece) for piece in super().collect_usage_pieces(ctx)]


def command(
    name: str | None, *, fr: str, en: str, **attrs: Any
) -> Callable[[Callable[..., Any]], SaidCommand]:
    """``click.command(name, **attrs)`` whose help is ``fr`` for a French reader, ``en`` otherwise."""
    return click.command(name, cls=SaidCommand, help_fr=fr, help_en=en, **attrs)


def group(name: str | None, *, fr: str, en: str, **attrs: Any) -> Callable[[Callable[..., Any]], SaidGroup]:
    """``click.group(name, **attrs)`` whose help is ``fr`` for a French reader, ``en`` otherwise; ``cls``
    may name a ``SaidGroup`` of the caller's."""
    return click.group(name, **{"cls": SaidGroup, **attrs}, help_fr=fr, help_en=en)
