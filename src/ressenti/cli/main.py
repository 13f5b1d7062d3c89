"""The ``ressenti`` command line: read messages, measure the engine."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Protocol, TextIO, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from ressenti.analysis.api import default_engine
from ressenti.analysis.rules import MAX_CHARS
from ressenti.analysis.schemas import Analysis
from ressenti.batch.analyze_file import analyze_stream
from ressenti.batch.records import Record, Rejected, guess_format, names_jsonl, open_input
from ressenti.cli.conversation_commands import batch_command, conversation_command, report_command
from ressenti.cli.files import refuse_same_file, written_whole
from ressenti.cli.options import SaidGroup, argument, command, group, option
from ressenti.cli.render import render
from ressenti.cli.render_evaluation import behaviour_lines, escalation_line, scores_lines
from ressenti.cli.service_commands import db_group, demo_command, org_group, serve_command
from ressenti.cli.terminal import error_console
from ressenti.corpora import BadRow
from ressenti.errors import FormatError, InputError, RessentiError
from ressenti.evaluation.arcs import ArcEvaluation, evaluate_arcs
from ressenti.evaluation.behaviours import evaluate_behaviours
from ressenti.evaluation.evaluate import TASKS, evaluate
from ressenti.i18n import message, os_reason, output_reason, user_language

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Commands(SaidGroup):
    """The commands; one stopped by Ctrl-C says so and exits 130, as a shell expects, rather than 1,
    which here means "records were skipped"."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(message("interrupted"), err=True)
            sys.exit(130)


@group(
    None,
    cls=_Commands,
    context_settings=CONTEXT,
    fr="""Ressenti : lire l'émotion des messages clients (le français d'abord, et l'anglais).

    Messages dans la langue de RESSENTI_LANG (fr ou en), sinon dans celle de la locale, sinon en
    français ; une autre valeur de RESSENTI_LANG est signalée sur la sortie d'erreur et ignorée.
    """,
    en="""Ressenti: read the emotion in customer messages (French first, and English).

    Messages in RESSENTI_LANG (fr or en), else the locale's language, else French; another value of
    RESSENTI_LANG is said on stderr and passed over.
    """,
)
@click.version_option(package_name="ressenti")
def cli() -> None:
    """The ``ressenti`` command: its help is said in the reader's language (``group``)."""


@command(
    "analyze",
    fr="""Lire un message (TEXTE) ou un fichier (--input/--output).

    \b
    Exemples :
      ressenti analyze "Toujours pas reçu ma commande !!! 😡"
      ressenti analyze --input messages.csv --output lectures.jsonl

    Un enregistrement invalide (UTF-8 ou JSON invalide, sans `text`) est signalé sur la sortie d'erreur
    avec son numéro de ligne et ignoré ; le traitement continue et se termine avec le code de sortie 1.
    """,
    en="""Read one message (TEXT) or a whole file (--input/--output).

    \b
    Examples:
      ressenti analyze "Toujours pas reçu ma commande !!! 😡"
      ressenti analyze --input messages.csv --output readings.jsonl

    A bad record (invalid UTF-8 or JSON, no `text`) is reported on stderr with its line number and
    skipped; the run goes on and exits with status 1.
    """,
)
@argument("text", required=False)
@option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    fr="Langue de TEXTE, ou des enregistrements de --input qui n'en donnent pas (détectée si absente).",
    en="Language of TEXT, or of the records of --input that give none (detected when left out).",
)
@option(
    "--input",
    "input_path",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True),
    fr="Fichier JSONL ou CSV de messages (`text`, `id` et `lang` facultatifs) ; - pour l'entrée standard, "
    "lue en JSONL sauf --format csv.",
    en="JSONL or CSV file of messages (`text`, optional `id`, `lang`); - for stdin, read as JSONL unless "
    "--format csv.",
)
@option(
    "--output",
    "output_path",
    metavar="FILE",
    fr="Fichier JSONL à écrire, chaque enregistrement avec son `analysis` ; - pour la sortie standard.",
    en="JSONL file to write, each record with its `analysis`; - for stdout.",
)
@option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    fr="Format d'entrée, quand l'extension du fichier ne le dit pas.",
    en="Input format, when the file's suffix does not tell.",
)
@option(
    "--json",
    "as_json",
    is_flag=True,
    fr="Écrire la lecture de TEXTE en JSON plutôt que pour une personne.",
    en="Print the reading of TEXT as JSON instead of for a person.",
)
def analyze_command(
    text: str | None,
    lang: str | None,
    input_path: str | None,
    output_path: str | None,
    fmt: str | None,
    as_json: bool,
) -> None:
    """``ressenti analyze``: one message, or a file of them in chunks."""
    if input_path is None and text is None:
        raise click.UsageError(message("usage_text_or_input"))
    if input_path is not None and text is not None:
        raise click.UsageError(message("usage_not_both"))
    if text is not None and output_path is not None:
        raise click.UsageError(message("output_needs_input"))
    if input_path is not None and output_path is not None:
        refuse_same_file(input_path, output_path)
    try:
        if output_path not in (None, "-") and not names_jsonl(output_path):
            raise FormatError(message("analyze_output_format", path=output_path))
        if input_path is not None:
            skipped = _analyze_file(input_path, output_path or "-", fmt, lang)
            sys.exit(1 if skipped else 0)
        assert text is not None
        if not text.strip():  # as a record of a file without text is refused, not read as nothing
            raise InputError(message("analyze_empty_text"))
        reading = default_engine().analyze(text, lang)
        _show(reading, as_json=as_json)
    except RessentiError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


def _show(reading: Analysis, *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(reading.to_dict(), ensure_ascii=False, indent=2))
        return
    render(reading, Console(highlight=False), lang=user_language())


class _FileError(click.FileError):
    """A file that cannot be opened is an error of the run (status 2), not a skipped record (status 1)."""

    exit_code = 2


class _Closable(Protocol):
    def close(self) -> None: ...


_Handle = TypeVar("_Handle", bound=_Closable)


def _open(
    stack: ExitStack,
    path: str,
    opener: Callable[[], _Handle],
    keep: object = None,
    reason: Callable[[OSError], str] = os_reason,
) -> _Handle:
    """Open a file for the run, closed with it; a file that cannot be opened is a run error (status 2),
    with its ``reason`` (an output's is ``output_reason``)."""
    try:
        handle = opener()
    except OSError as error:
        raise _FileError(path, hint=reason(error)) from None
    if handle is not keep:
        stack.callback(handle.close)
    return handle


def _whole(stack: ExitStack, output_path: str) -> Path:
    """The file the readings are written to, put in place of ``output_path`` when the run ends well."""
    return stack.enter_context(written_whole(Path(output_path)))


def _analyze_file(input_path: str, output_path: str, fmt: str | None, lang: str | None) -> int:
    """Read ``input_path`` into ``output_path``; the number of records skipped. The input is opened
    first: a file that is missing is said so, before its name is asked for a format."""
    engine = default_engine()
    err = error_console()

    def rejected(item: Rejected) -> None:
        err.print(message("skipped", line=item.line, reason=item.reason), style="yellow", markup=False)

    def duplicate(item: Record, first: int) -> None:
        warning = message("duplicate_id", line=item.line, id=str(item.fields["id"]), first=first)
        err.print(warning, style="yellow", markup=False)

    total = Path(input_path).stat().st_size if input_path != "-" and Path(input_path).is_file() else None
    show_progress = err.is_terminal and total is not None
    with ExitStack() as stack:
        source = _open(stack, input_path, lambda: open_input(input_path), keep=sys.stdin.buffer)
        file_format = guess_format(input_path, fmt)
        sink: TextIO = (
            sys.stdout
            if output_path == "-"
            else _open(
                stack,
                output_path,
                lambda: _whole(stack, output_path).open("w", encoding="utf-8"),
                reason=output_reason,
            )
        )
        progress = stack.enter_context(
            Progress(
                TextColumn(message("progress")),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=err,
                disable=not show_progress,
            )
        )
        task = progress.add_task("read", total=total)
        report = analyze_stream(
            engine,
            source,
            file_format,
            sink,
            on_rejected=rejected,
            on_progress=lambda done: progress.update(task, completed=done),
            lang=lang,
            on_duplicate=duplicate,
        )
        if not report.read:  # raised inside the run: a previous output is left as it was
            raise InputError(message("input_no_record", path=_input_name(input_path)))
    err.print(
        message("summary", read=report.read, written=report.written, skipped=report.skipped), markup=False
    )
    if report.duplicates:
        err.print(message("summary_duplicates", count=report.duplicates), style="yellow", markup=False)
    if report.truncated:
        err.print(message("summary_truncated", count=report.truncated, limit=MAX_CHARS), style="yellow")
    return report.skipped


def _input_name(input_path: str) -> str:
    """The input as a person names it: its path, or standard input for ``-``."""
    return message("stdin_name") if input_path == "-" else input_path


class _AtLeastOne(click.IntRange):
    """A count of 1 or more (``--limit``): 0 or a negative one means nothing to score (they used to score
    one row); refused in the user's language."""

    def __init__(self) -> None:
        super().__init__(min=1)

    def convert(self, value: int, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(message("not_a_count", value=value), param, ctx)


@command(
    "evaluate",
    fr="""Mesurer le moteur sur un fichier annoté : F1 macro, précision et rappel par classe, matrice
    de confusion.

    Une ligne invalide (UTF-8 ou JSON invalide, sans `text`, d'une autre langue que fr ou en, une
    étiquette du mauvais type ou que la tâche ne connaît pas) est signalée sur la sortie d'erreur avec
    son fichier et sa ligne, et laissée de côté ; les scores portent sur les autres lignes et le code
    de sortie est 1. Un fichier illisible : code 2.

    Le tableau est dans la langue de l'utilisateur (RESSENTI_LANG), les classes nommées par les
    étiquettes des données ; --json garde ses clés en anglais.
    """,
    en="""Measure the engine on a labelled file: macro-F1, per-class precision/recall, confusion matrix.

    A bad row (invalid UTF-8 or JSON, no `text`, a language other than fr or en, a label of the wrong
    type or one the task does not know) is reported on stderr with its file and line and left out; the
    scores are over the other rows and the exit status is 1. A file that cannot be read: status 2.

    The table is in the user's language (RESSENTI_LANG), the classes named by the data's labels;
    --json keeps its English keys.
    """,
)
@option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, dir_okay=True, path_type=Path),
    fr="Fichier JSONL annoté, ou un dossier de tels fichiers (voir ../shared/data/README.md, "
    "data/customer_service).",
    en="Labelled JSONL file, or a folder of them (see ../shared/data/README.md, data/customer_service).",
)
@option(
    "--task",
    type=click.Choice([*TASKS, "behaviour", "arc"]),
    required=True,
    fr="Ce qu'il faut mesurer (behaviour : les détecteurs du langage des conseillers, sur les fichiers "
    "de data/agent_behaviours ; arc : les trajectoires des conversations de data/conversations).",
    en="What to measure (behaviour: agents' behaviour detectors, on data/agent_behaviours files; arc: "
    "the trajectories of the conversations of data/conversations).",
)
@option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    fr="Seulement les lignes de cette langue.",
    en="Only the rows of this language.",
)
@option(
    "--limit",
    type=_AtLeastOne(),
    metavar="N",
    fr="Seulement les N premières lignes (de la langue) ; une ligne sans étiquette pour la tâche en est une.",
    en="Only the first N rows (of the language); a row without a label for the task is one of them.",
)
@option("--json", "as_json", is_flag=True, fr="Écrire les scores en JSON.", en="Print the scores as JSON.")
def evaluate_command(data: Path, task: str, lang: str | None, limit: int | None, as_json: bool) -> None:
    """``ressenti evaluate``: the scores of one task on labelled rows; a bad row is said and left out."""
    skipped = _Skipped()
    if task == "behaviour":
        _evaluate_behaviours(data, lang, limit, skipped, as_json=as_json)
        sys.exit(skipped.status())
    score = evaluate_arcs if task == "arc" else partial(evaluate, task=task)
    try:
        result = score(default_engine(), data, lang=lang, limit=limit, on_skipped=skipped)
    except RessentiError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    scores = result.scores
    if as_json:
        click.echo(
            json.dumps(
                {
                    "task": task,
                    "data": str(data),
                    "lang": lang,
                    "left_out": result.left_out,
                    "unlabelled": result.unlabelled,
                    "skipped_rows": skipped.to_list(),
                    **scores.to_dict(),
                    **(
                        {"escalation_turn": result.escalation_dict()}
                        if isinstance(result, ArcEvaluation)
                        else {}
                    ),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        sys.exit(skipped.status())
    left_out = (result.skipped, result.unlabelled)
    for line in scores_lines(task, data.name, lang, scores, left_out, user_language()):
        click.echo(line)
    if isinstance(result, ArcEvaluation) and result.escalation_labelled:
        click.echo(escalation_line(result, user_language()))
    sys.exit(skipped.status())


class _Skipped:
    """The bad rows of an evaluation: each said on stderr as it is met (file, line, why), kept for --json,
    and counted once the scores are out."""

    def __init__(self) -> None:
        self.rows: list[BadRow] = []

    def __call__(self, bad: BadRow) -> None:
        self.rows.append(bad)
        click.secho(
            message("eval_skipped", file=bad.file, line=bad.line, reason=bad.reason), fg="yellow", err=True
        )

    def to_list(self) -> list[dict[str, object]]:
        return [{"file": bad.file, "line": bad.line, "reason": bad.reason} for bad in self.rows]

    def status(self) -> int:
        """1 when rows were skipped (said with their count), else 0."""
        if not self.rows:
            return 0
        click.echo(message("eval_skipped_summary", count=len(self.rows)), err=True)
        return 1


def _evaluate_behaviours(
    data: Path, lang: str | None, limit: int | None, skipped: _Skipped, *, as_json: bool
) -> None:
    try:
        result = evaluate_behaviours(default_engine(), data, lang=lang, limit=limit, on_skipped=skipped)
    except RessentiError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    if as_json:
        document = {
            "task": "behaviour",
            "data": str(data),
            "lang": lang,
            "left_out": len(skipped.rows),
            "skipped_rows": skipped.to_list(),
            **result.to_dict(),
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    for line in behaviour_lines(data.name, lang, result, len(skipped.rows), user_language()):
        click.echo(line)


@command(
    "schema",
    fr="Afficher le schéma JSON d'une lecture (l'objet `analysis`).",
    en="Print the JSON schema of a reading (the `analysis` object).",
)
def schema_command() -> None:
    """``ressenti schema``: the schema shipped with the package, as it is."""
    from importlib import resources

    click.echo(
        (resources.files("ressenti") / "analysis" / "analysis.schema.json").read_text(encoding="utf-8")
    )


cli.add_command(analyze_command)
cli.add_command(evaluate_command)
cli.add_command(schema_command)
cli.add_command(conversation_command)
cli.add_command(batch_command)
cli.add_command(report_command)
cli.add_command(serve_command)
cli.add_command(demo_command)
cli.add_command(db_group)
cli.add_command(org_group)


def main() -> None:
    """Entry point of the ``ressenti`` command."""
    try:
        cli(prog_name="ressenti")
    except OSError as error:  # what the commands could not write: standard output on a full disk…
        _quiet_stdout()  # what is still buffered for it must not fail again, as a traceback, at exit
        reason = os_reason(error)
        if error.filename:
            click.echo(message("os_error_file", path=error.filename, error=reason), err=True)
        else:
            click.echo(message("os_error_output", error=reason), err=True)
        sys.exit(2)


def _quiet_stdout() -> None:
    """Standard output sent to the null device from here on."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # no descriptor to replace (a captured stream): nothing is buffered
        pass
