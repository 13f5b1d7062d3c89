"""``ressenti conversation``, ``ressenti batch`` and ``ressenti report``: whole conversations."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ressenti import jsontext
from ressenti.batch.conversation_batch import CHUNK, dask_runner, run_batch, run_local, scheduler_client
from ressenti.batch.conversations import FirstPositions, Noted, conversation_format, read_conversations
from ressenti.batch.records import PARQUET_SUFFIXES, Check, Record, Rejected, read_jsonl
from ressenti.cli.files import refuse_same_file
from ressenti.cli.options import argument, command, option
from ressenti.cli.render_conversation import render_conversation
from ressenti.cli.terminal import error_console
from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import conversation_from_dict
from ressenti.errors import FormatError, RessentiError
from ressenti.i18n import (
    UNREADABLE_ERRORS,
    message,
    os_reason,
    output_reason,
    parquet_reason,
    unreadable_line,
    user_language,
)

_INPUT_FORMATS = click.Choice(["jsonl", "csv", "parquet", "email"])
# The options ``conversation`` and ``batch`` share: how their input is read.
_input_format = option(
    "--format",
    "fmt",
    type=_INPUT_FORMATS,
    fr="Format d'entrée, quand l'extension ne le dit pas.",
    en="Input format, when the suffix does not tell.",
)
_agent_domains = option(
    "--agent-domain",
    "agent_domains",
    multiple=True,
    fr="E-mail : les expéditeurs de ce domaine sont des conseillers (répétable).",
    en="E-mail: senders of this domain are agents (repeatable).",
)
# How a skipped record, or what is left out of one, is named by input format: a line unless said otherwise.
_SKIPPED = {"email": "skipped_message", "parquet": "skipped_row"}
_NOTED = {"email": "noted_message", "parquet": "noted_row"}
_HELD_SKIPPED = 20  # skipped records named when the conversation asked for is not found


def _warn(err: Console, item: Rejected | Noted, path: Path, fmt: str | None) -> None:
    """A skipped record, or what was left out of one read all the same, on stderr: its line, its row in
    a Parquet file, or its message in an e-mail file."""
    names = _NOTED if isinstance(item, Noted) else _SKIPPED
    key = names.get(conversation_format(path, fmt), "noted" if isinstance(item, Noted) else "skipped")
    err.print(message(key, line=item.line, reason=item.reason), style="yellow", markup=False)


@command(
    "conversation",
    fr="""Afficher le rapport post-interaction d'une conversation de FICHIER.

    Sa trajectoire, ses motifs, ses moments d'intelligence émotionnelle, et les points à améliorer avec
    une meilleure formulation.

    \b
    FICHIER : JSONL (une conversation par ligne), CSV de tours de parole, Parquet, .eml ou .mbox.
    Exemple : ressenti conversation examples/conversations.jsonl --id conv-fr-002
    """,
    en="""Print the post-interaction report of one conversation of FILE.

    Its trajectory, motives, moments of emotional intelligence, and the points to improve with a better
    phrasing.

    \b
    FILE: JSONL (one conversation a line), CSV of turns, Parquet, .eml or .mbox.
    Example: ressenti conversation examples/conversations.jsonl --id conv-fr-002
    """,
)
@argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option(
    "--id",
    "conversation_id",
    fr="Quelle conversation du fichier (la première si absente).",
    en="Which conversation of the file (the first when left out).",
)
@_input_format
@_agent_domains
@option("--json", "as_json", is_flag=True, fr="Écrire le rapport en JSON.", en="Print the report as JSON.")
def conversation_command(
    file: Path, conversation_id: str | None, fmt: str | None, agent_domains: tuple[str, ...], as_json: bool
) -> None:
    """``ressenti conversation``: the report of the conversation asked for, or of the file's first."""
    err = error_console()
    skipped = 0  # records that could not be read before the conversation shown
    held: list[Rejected] = []  # with --id, told only if the conversation asked for is not found
    notes: list[Noted] = []  # what was left out of the conversation that comes next
    try:
        fields = None
        for item in read_conversations(file, fmt, agent_domains=agent_domains):
            if isinstance(item, Noted):
                notes.append(item)
                continue
            if isinstance(item, Rejected):
                skipped += 1
                if conversation_id is None:
                    _warn(err, item, file, fmt)
                elif len(held) < _HELD_SKIPPED:
                    held.append(item)
                continue
            if conversation_id is None or str(item[1].get("id")) == conversation_id:
                fields = item[1]
                for note in notes:  # the conversation shown is read without what they name
                    _warn(err, note, file, fmt)
                break
            notes = []
        if fields is None:
            for item in held:  # the conversation asked for may be one of them
                _warn(err, item, file, fmt)
            key = "conv_none"
            if conversation_id:
                key = "conv_not_found_skipped" if skipped else "conv_not_found"
            raise FormatError(message(key, id=conversation_id, path=file, skipped=skipped))
        report = ConversationAnalyzer().analyze(conversation_from_dict(fields))
    except RessentiError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        render_conversation(report, Console(highlight=False), lang=user_language())
    if conversation_id is None and skipped:
        sys.exit(1)  # the first conversation shown is not the file's first record: say so, as batch does


@command(
    "batch",
    fr="""Lire toutes les conversations d'un fichier en rapports (JSONL ou Parquet).

    Les enregistrements invalides sont signalés avec leur position et ignorés (code de sortie 1).

    \b
    Exemples :
      ressenti batch --input conversations.jsonl --output rapports.jsonl
      ressenti batch --input tours.csv --output rapports.parquet --resume
      ressenti batch --input gros.jsonl --output rapports.jsonl --engine dask --workers 2
    """,
    en="""Read every conversation of a file into reports (JSONL or Parquet).

    Bad records are reported with their position and skipped (exit status 1).

    \b
    Examples:
      ressenti batch --input conversations.jsonl --output reports.jsonl
      ressenti batch --input turns.csv --output reports.parquet --resume
      ressenti batch --input big.jsonl --output reports.jsonl --engine dask --workers 2
    """,
)
@option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    fr="Conversations : JSONL, CSV de tours, Parquet, .eml ou .mbox.",
    en="Conversations: JSONL, CSV of turns, Parquet, .eml or .mbox.",
)
@option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    fr="Rapports à écrire (.jsonl ou .parquet).",
    en="Reports to write (.jsonl or .parquet).",
)
@_input_format
@option(
    "--output-format",
    "out_fmt",
    type=click.Choice(["jsonl", "parquet"]),
    fr="Par défaut : d'après l'extension.",
    en="Default: from the suffix.",
)
@option(
    "--resume",
    is_flag=True,
    fr="Reprendre un traitement interrompu : rien de perdu, rien en double.",
    en="Go on with an interrupted run: nothing lost, nothing doubled.",
)
@option(
    "--chunk-size",
    default=CHUNK,
    show_default=True,
    type=click.IntRange(1, 100_000),
    metavar="N",
    fr="Conversations lues ensemble (les résultats n'en dépendent pas).",
    en="Conversations read together (results do not depend on it).",
)
@option(
    "--engine",
    "engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    fr="Sur cette machine, ou sur un cluster Dask.",
    en="On this machine, or on a Dask cluster.",
)
@option(
    "--scheduler",
    metavar="URL",
    fr="Ordonnanceur Dask (un cluster local si absent).",
    en="Dask scheduler (a local cluster when left out).",
)
@option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 256),
    metavar="N",
    fr="Processus de travail du cluster Dask local.",
    en="Local Dask workers.",
)
@_agent_domains
def batch_command(
    input_path: Path,
    output_path: Path,
    fmt: str | None,
    out_fmt: str | None,
    resume: bool,
    chunk_size: int,
    engine: str,
    scheduler: str | None,
    workers: int,
    agent_domains: tuple[str, ...],
) -> None:
    """``ressenti batch``: every conversation of the input, in chunks, here or on Dask."""
    if str(output_path) == "-":  # reports are resumable files: standard output cannot be resumed
        raise click.UsageError(message("batch_output_dash"))
    if scheduler and engine != "dask":
        raise click.UsageError(message("scheduler_needs_dask"))
    refuse_same_file(input_path, output_path)
    if engine == "dask":  # Dask's own warnings (a worker restarted, a task cancelled) are not the user's
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    err = error_console()
    try:
        with ExitStack() as stack:
            if engine == "local":
                runner = run_local
            elif scheduler:  # connected once, before the output is opened
                runner = dask_runner(client=stack.enter_context(scheduler_client(scheduler)))
            else:
                runner = dask_runner(workers)
            progress = stack.enter_context(
                Progress(
                    SpinnerColumn(),
                    TextColumn(message("batch_progress")),
                    TextColumn("{task.completed}"),
                    TimeElapsedColumn(),
                    console=err,
                    disable=not err.is_terminal,
                )
            )
            task = progress.add_task("batch", total=None)
            summary = run_batch(
                input_path,
                output_path,
                input_format=fmt,
                out_format=out_fmt,
                resume=resume,
                chunk=chunk_size,
                runner=runner,
                agent_domains=agent_domains,
                on_rejected=lambda item: _warn(err, item, input_path, fmt),
                on_noted=lambda item: _warn(err, item, input_path, fmt),
                on_progress=lambda count: progress.update(task, completed=count),
            )
    except RessentiError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    except OSError as error:  # a file that cannot be read or written; a full disk names no file
        if error.filename is not None and Path(os.fsdecode(error.filename)) == input_path:
            said = message("os_error_file", path=input_path, error=os_reason(error))
        else:  # the output, named as given rather than by a part of it (reports.parquet.parts)
            said = message("os_error_file", path=output_path, error=output_reason(error))
        click.echo(said, err=True)
        sys.exit(2)
    err.print(
        message("batch_summary", written=summary.written, skipped=summary.skipped, done=summary.already_done),
        markup=False,
    )
    sys.exit(1 if summary.skipped else 0)


def _parquet_path(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


@dataclass(frozen=True, slots=True)
class DuplicateReport(Rejected):
    """A report of a conversation already read: ``first`` is the line (or row) of the one kept."""

    first: int = 0


def read_reports(path: Path) -> Iterator[Record | Rejected]:
    """The conversation reports of ``ressenti batch`` output (JSONL or Parquet), one at a time: a
    ``Record`` (its line, or Parquet row, and the report) or a ``Rejected`` (its line and why it cannot
    be aggregated: not UTF-8, not JSON, too long, not a report, a part of the wrong type, or a
    ``DuplicateReport``). A file that cannot be read at all raises ``FormatError``."""
    from ressenti.reporting.check import report_problem

    if _parquet_path(path):
        yield from _once_each(_parquet_reports(path, report_problem), "report_at_row")
        return
    with path.open("rb") as handle:  # the reader of every JSONL input: byte-order mark, size limit
        yield from _once_each(read_jsonl(handle, report_problem), "report_at_line")


def _once_each(items: Iterable[Record | Rejected], at: str) -> Iterator[Record | Rejected]:
    """Each conversation once, by its ``id``: the first report is kept, a later one is a
    ``DuplicateReport`` naming the first's line and saying whether the two differ. Kept per
    conversation, as ``ressenti batch`` keeps its input's ids: some 24 bytes (digests of its id and of
    the first report, and that report's line), not the report."""
    seen = FirstPositions()
    for item in items:
        if isinstance(item, Record):
            ident = item.fields["id"]  # a text, reporting.check made sure
            digest = _digest(item.fields)
            first, first_digest = seen.setdefault(ident, item.line, digest)
            if first != item.line:
                key = "report_duplicate" if digest == first_digest else "report_conflict"
                reason = message(key, id=ident, first=message(at, line=first))
                item = DuplicateReport(item.line, reason, first=first)
        yield item


def _digest(report: dict[str, Any]) -> int:
    """What tells two reports of one conversation apart: all of it but ``position`` (where the
    conversation was in the input of ``ressenti batch``, not what was found in it), keys in order."""
    kept = {key: value for key, value in report.items() if key != "position"}
    content = json.dumps(kept, sort_keys=True, check_circular=False)  # parsed JSON holds no cycle
    return int.from_bytes(
        hashlib.blake2b(content.encode("ascii"), digest_size=8).digest(), "big", signed=True
    )


def _parquet_reports(path: Path, check: Check) -> Iterator[Record | Rejected]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises its own errors for a file that is not Parquet
        raise FormatError(message("parquet_bad", path=path.name, error=parquet_reason(error))) from None
    if "report" not in source.schema_arrow.names:
        raise FormatError(message("reports_column", path=path.name))
    number = 0
    try:
        for batch in source.iter_batches(batch_size=512, columns=["report"]):
            for value in batch.column("report").to_pylist():
                number += 1
                yield _parquet_report(value, number, check)
    except (OSError, pa.ArrowException) as error:  # a file cut short or damaged after its footer
        raise FormatError(message("parquet_bad", path=path.name, error=parquet_reason(error))) from None


def _parquet_report(value: object, number: int, check: Check) -> Record | Rejected:
    """One value of the ``report`` column (JSON text), judged as ``read_jsonl`` judges a line."""
    try:
        text = value.decode("utf-8") if isinstance(value, bytes) else value
        fields = jsontext.loads(text) if isinstance(text, str) else None
    except UNREADABLE_ERRORS as error:
        return Rejected(number, unreadable_line(error))
    if not isinstance(fields, dict):
        return Rejected(number, message("not_object"))
    problem = check(fields)
    return Rejected(number, problem) if problem else Record(number, fields)


@command(
    "report",
    fr="""Agréger les rapports de conversation par conseiller et par équipe : graphiques (PNG) et une
    page HTML.

    Taux de comportements d'intelligence émotionnelle, taux de rétablissement, motifs, émotions des
    clients.

    Les rapports invalides sont signalés avec leur ligne (ou leur rangée) et ignorés (code de sortie
    1) ; sans aucun rapport à agréger, rien n'est écrit (code de sortie 2).

    Le rapport est préparé dans un dossier à côté de --output, qu'il remplace en entier une fois
    complet ; en cas d'erreur, --output reste tel qu'il était (code de sortie 2). Un dossier --output
    qui contient d'autres fichiers que ceux d'un rapport est refusé.
    """,
    en="""Aggregate conversation reports per agent and per team: charts (PNG) and one HTML page.

    Rates of emotional-intelligence behaviours, recovery rates, motives, customers' emotions.

    Malformed reports are named by their line (or row) and skipped (exit status 1); with no report
    to aggregate, nothing is written (exit status 2).

    The report is prepared in a folder beside OUTPUT that replaces it whole once complete; on an
    error OUTPUT is left as it was (exit status 2). An OUTPUT holding other files than a report's is
    refused.
    """,
)
@option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    fr="Rapports de `ressenti batch` (.jsonl ou .parquet).",
    en="Reports of `ressenti batch` (.jsonl or .parquet).",
)
@option(
    "--output",
    "output_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    fr="Dossier où écrire la page HTML et les graphiques.",
    en="Folder to write the HTML page and the charts into.",
)
def report_command(input_path: Path, output_dir: Path) -> None:
    """``ressenti report``: the aggregates of the readable reports, written whole into their folder."""
    from ressenti.reporting import aggregate, write_aggregates

    # A skipped report is named by its file and its line, or its row in a Parquet file.
    skipped_key = "skipped_row" if _parquet_path(input_path) else "skipped"
    skipped = duplicates = 0

    def reports() -> Iterator[dict[str, Any]]:
        nonlocal skipped, duplicates
        for item in read_reports(input_path):
            if isinstance(item, Record):
                yield item.fields
                continue
            skipped += 1
            duplicates += isinstance(item, DuplicateReport)
            warning = message(skipped_key, line=item.line, reason=item.reason)
            click.echo(f"{input_path.name}: {warning}", err=True)

    try:
        aggregates = aggregate(reports())
        if not aggregates.overall.conversations:  # an empty page would stand in for a previous report
            raise FormatError(message("report_input_none", path=input_path))
        index = write_aggregates(aggregates, output_dir)
    except RessentiError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    except OSError as error:  # the input cannot be read (the output's errors are an OutputError)
        click.echo(
            message("os_error_file", path=error.filename or input_path, error=os_reason(error)), err=True
        )
        sys.exit(2)
    summary = message(
        "report_input_summary",
        aggregated=aggregates.overall.conversations,
        skipped=skipped,
        duplicates=duplicates,
    )
    click.echo(summary, err=True)
    click.echo(str(index))
    sys.exit(1 if skipped else 0)
