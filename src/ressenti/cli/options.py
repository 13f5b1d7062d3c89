"""Options whose help is said in the reader's language.

``option("--resume", fr="…", en="…", is_flag=True)`` is ``click.option`` with its help line in French
for a French reader and in English otherwise. The language is read when the help is shown, not when the
command is declared, so one declaration serves both (and ``docs/cli.md`` is written in English whatever
the language of the process that writes it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from ressenti.i18n import user_language

F = TypeVar("F", bound=Callable[..., Any])


class SaidOption(click.Option):
    """A ``click.Option`` with a help line in French and one in English."""

    def __init__(self, param_decls: Sequence[str], *, help_fr: str, help_en: str, **attrs: Any) -> None:
        super().__init__(param_decls, **{**attrs, "help": help_en})
        self.help_fr = help_fr
        self.help_en = help_en

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = self.help_fr if user_language() == "fr" else self.help_en
        return super().get_help_record(ctx)


def option(*decls: str, fr: str, en: str, **attrs: Any) -> Callable[[F], F]:
    """``click.option(*decls, **attrs)`` whose help is ``fr`` for a French reader, ``en`` otherwise."""
    return click.option(*decls, cls=SaidOption, help_fr=fr, help_en=en, **attrs)
