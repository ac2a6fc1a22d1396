"""The `dupdetect` command line: a thin click layer over the public API.

Exit status (ripgrep's and cmp's conventions): 0 the run completed; 1 nothing could be read, an
input does not exist, or an index has problems; 2 a usage error; ``compare`` 0 copies, 1 not
copies, 2 trouble; 130 interrupted (Ctrl-C). A pipe closed early (``| head``) ends the run
quietly.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import asdict
from typing import IO, Any, TypeVar

import click

from . import __version__, evaluate, html_report, report
from .errors import DupdetectError, SettingsError
from .output import Output, OutputError
from .pipeline import cluster as run_cluster
from .pipeline import compare as run_compare
from .pipeline import find_documents
from .pipeline import report as run_report
from .records import Document, Result, SkipLog, Skipped
from .run import prepared
from .search import Index, query_result
from .settings import Settings
from .store import LISTING_COLUMNS

F = TypeVar("F", bound=Callable[..., Any])


def main() -> None:
    """The console entry point: click's own, with the exit statuses above."""
    try:
        code = cli.main(prog_name="dupdetect", standalone_mode=False)
    except (click.Abort, KeyboardInterrupt):
        click.echo("\ndupdetect: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, and keep Python from complaining while it
        # flushes stdout on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)


# -- shared options ----------------------------------------------------------------------------


def input_options(f: F) -> F:
    """Options that say which JSONL/CSV fields hold what, and which files to pass over."""
    for name, default in reversed(
        [("id", "id"), ("text", "text"), ("html", "html"), ("url", "url"),
         ("title", "title"), ("date", "date")]
    ):  # fmt: skip
        f = click.option(
            f"--{name}-field",
            default=default,
            show_default=True,
            help=f"JSONL/CSV field holding the document's {name}.",
        )(f)
    f = click.option(
        "--exclude",
        multiple=True,
        metavar="GLOB",
        help="Pass over files matching GLOB when walking a folder (repeatable; a GLOB with no / "
        "matches names at any depth).",
    )(f)
    f = click.option(
        "--min-words",
        type=click.IntRange(min=1),
        default=Settings().ingest.min_words,
        show_default=True,
        help="Skip extracted texts shorter than this (pages of links, teasers).",
    )(f)
    return click.option(
        "--id-prefix",
        default="",
        help="Put this before the id of every document read from a file.",
    )(f)


def settings_options(f: F) -> F:
    """The knobs users really turn."""
    f = click.option(
        "--num-perm",
        type=click.IntRange(16, 1024),
        default=128,
        show_default=True,
        help="MinHash permutations per view.",
    )(f)
    return click.option(
        "--rewrite-threshold",
        type=click.FloatRange(0, 1, min_open=True),
        default=Settings().verify.rewrite_threshold,
        show_default=True,
        help="Rewrite score at which a pair counts as a rewrite (lower finds looser rewrites).",
    )(f)


def settings_from_options(**options: Any) -> Settings:
    """Build `Settings` from the CLI options named after their fields."""
    fields = ("id", "text", "html", "url", "title", "date")
    ingest = {f"{k}_field": options[f"{k}_field"] for k in fields}
    ingest.update(
        exclude=tuple(options.get("exclude", ())),
        min_words=options.get("min_words", Settings().ingest.min_words),
        id_prefix=options.get("id_prefix", ""),
    )
    changes: dict[str, dict[str, Any]] = {"ingest": ingest}
    if "num_perm" in options:
        changes["sign"] = {"num_perm": options["num_perm"]}
        changes["verify"] = {"rewrite_threshold": options["rewrite_threshold"]}
    try:
        return Settings().with_changes(**changes)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


FORMATS = ("jsonl", "csv", "table")


def output_options() -> Callable[[F], F]:
    """``--format``, ``--output``, ``--html`` and ``--only-clustered``."""

    def decorate(f: F) -> F:
        f = click.option(
            "--only-clustered",
            is_flag=True,
            help="Write only the documents that are in a cluster.",
        )(f)
        f = click.option(
            "--html",
            "html_path",
            type=click.Path(dir_okay=False),
            help="Also write a self-contained HTML report with the shared passages side by side.",
        )(f)
        f = click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default=FORMATS[0],
            show_default=True,
            help="One JSON object or CSV row per document, or a readable summary.",
        )(f)
        return click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, allow_dash=True),
            help="Write here, not to stdout (a file is replaced only when writing succeeded; a "
            "pipe or a device is written through).",
        )(f)

    return decorate


def progress_options(f: F) -> F:
    """``-q`` and ``--progress``."""
    f = click.option(
        "--progress",
        "force_progress",
        is_flag=True,
        help="Show progress even when stderr is not a terminal.",
    )(f)
    return click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")(f)


def _prepared_outputs(stack: ExitStack, *paths: str | None) -> list[IO[str]]:
    """Open every output before any input is read: a bad path is a usage error at once."""
    streams = []
    for path in paths:
        try:
            streams.append(stack.enter_context(Output(path)) if path else None)
        except OutputError as error:
            raise click.BadParameter(str(error)) from None
    return streams  # type: ignore[return-value]


def _warn_skip(skipped: Skipped) -> None:
    click.echo(report.for_terminal(str(skipped)), err=True)


class ProgressLine:
    """Progress on stderr: one updating line with counts, rate and time left, on a terminal.

    Off with ``-q``; when stderr is not a terminal, silent unless asked (``--progress``), and
    then one line per stage.
    """

    def __init__(self, quiet: bool, forced: bool) -> None:
        self.live = not quiet and sys.stderr.isatty()
        self.plain = not quiet and forced and not self.live
        self.stage = ""
        self.started = self.shown = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        """Show how far `stage` got (a `run.Progress`)."""
        now = time.monotonic()
        if stage != self.stage:
            self.close()
            self.stage, self.started, self.shown = stage, now, 0.0
            if self.plain:
                click.echo(f"dupdetect: {stage}…", err=True)
        if not self.live or (now - self.shown < 0.2 and done != total):
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-6)
        line = f"dupdetect: {stage}: {done:,}" + (f"/{total:,}" if total else "")
        if done and elapsed > 1:
            line += f" · {done / elapsed:,.0f}/s"
            if total and total > done:
                line += f" · {(total - done) * elapsed / done:,.0f} s left"
        click.echo("\r" + line.ljust(self.width), err=True, nl=False)
        self.width = len(line)

    def close(self) -> None:
        """End the current line."""
        if self.live and self.width:
            click.echo("", err=True)
        self.width = 0


def _fail_on_errors(f: F) -> F:
    """Turn dupdetect's run errors into one-line click errors, never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except SettingsError as error:
            raise click.UsageError(str(error)) from None
        except DupdetectError as error:
            raise click.ClickException(report.for_terminal(str(error))) from None

    return wrapper  # type: ignore[return-value]


def _with_input_options(settings: Settings, options: dict[str, Any]) -> Settings:
    """An index's settings with the reading options of this command (fields, prefix, ...)."""
    return settings.with_changes(ingest=asdict(settings_from_options(**options).ingest))


def _write_result(
    result: Result, fmt: str, out: IO[str], html: IO[str] | None, only_clustered: bool
) -> None:
    WRITERS[fmt](result, out, only_clustered=only_clustered)
    if html is not None:
        html_report.write_html(result, html)
    click.echo(f"dupdetect: {report.summary(result)}", err=True)


Writer = Callable[..., None]
WRITERS: dict[str, Writer] = {
    "jsonl": report.write_jsonl,
    "csv": report.write_csv,
    "table": report.write_table,
}


# -- commands ----------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dupdetect")
def cli() -> None:
    """Find copies of news articles: verbatim, partial and rewritten, and group them."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@output_options()
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="Run here, streaming, or on Apache Spark (needs the [spark] extra).",
)
@click.option(
    "--spark-master",
    default="local[2]",
    show_default=True,
    help="Spark master URL for --engine spark.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes that extract, profile and verify (local engine)  [default: one per core]",
)
@progress_options
@input_options
@settings_options
@_fail_on_errors
def cluster(
    inputs: tuple[str, ...],
    output: str | None,
    fmt: str,
    html_path: str | None,
    only_clustered: bool,
    engine: str,
    spark_master: str,
    workers: int | None,
    quiet: bool,
    force_progress: bool,
    **options: Any,
) -> None:
    """Cluster the copies among INPUTS (files, folders, or - for JSONL on stdin).

    \b
    Example:
        dupdetect cluster samples/ --format table --html report.html
        dupdetect cluster crawl.jsonl --text-field body -o clusters.jsonl
        dupdetect cluster crawl/ --engine spark --spark-master local[8]
    """
    settings = settings_from_options(**options)
    with ExitStack() as stack:
        out, html = _prepared_outputs(stack, output or "-", html_path)
        progress = ProgressLine(quiet, force_progress)
        result = run_cluster(
            inputs,
            settings,
            on_skip=_warn_skip,
            on_progress=progress,
            with_evidence=html is not None,
            engine=engine,
            spark_master=spark_master,
            workers=workers,
        )
        progress.close()
        _write_result(result, fmt, out, html, only_clustered)


@cli.command("report")
@click.argument("clusters", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--html",
    "html_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the HTML report.",
)
@input_options
@settings_options
@_fail_on_errors
def report_command(clusters: str, inputs: tuple[str, ...], html_path: str, **options: Any) -> None:
    """Write the HTML report of CLUSTERS (JSONL from `cluster`), re-reading its INPUTS.

    \b
    Example:
        dupdetect cluster samples/ -o clusters.jsonl
        dupdetect report clusters.jsonl samples/ --html report.html
    """
    settings = settings_from_options(**options)
    with ExitStack() as stack:
        (html,) = _prepared_outputs(stack, html_path)
        result = run_report(clusters, inputs, settings, on_skip=_warn_skip)
        html_report.write_html(result, html)
    click.echo(f"dupdetect: {report.summary(result)}", err=True)


class CompareTrouble(click.ClickException):
    """``compare`` could not compare: exit 2, as cmp's trouble."""

    exit_code = 2


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--in",
    "source",
    type=click.Path(exists=True),
    help="A and B are ids of documents in this JSONL/CSV file or folder.",
)
@click.option(
    "--index",
    "index_path",
    type=click.Path(exists=True, dir_okay=False),
    help="A and B are ids of documents in this index.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@input_options
@settings_options
@click.pass_context
def compare(
    ctx: click.Context,
    /,
    a: str,
    b: str,
    source: str | None,
    index_path: str | None,
    fmt: str,
    **options: Any,
) -> None:
    """Say whether two articles are copies, why, and show the passages that correspond.

    A and B are article files (a page, a text file, or a JSONL/CSV file holding one record),
    or ids with --in or --index. Exit status: 0 copies, 1 not copies, 2 trouble.

    \b
    Example:
        dupdetect compare samples/seeds/000_21f4553dbd84879f.txt \\
                          samples/seeds/001_782aac65340ab6e4.txt
        dupdetect compare bbc-business-007 bbc-business-253 --in samples/bbc.jsonl
    """
    settings = settings_from_options(**options)
    if source and index_path:
        raise click.UsageError("--in and --index cannot be used together")
    try:
        first, second = _compared(a, b, source, index_path, settings)
        result = run_compare(first, second, settings)
    except DupdetectError as error:
        raise CompareTrouble(report.for_terminal(str(error))) from None
    if fmt == "json":
        click.echo(json.dumps(asdict(result), default=sorted, ensure_ascii=False))
    else:
        width = shutil.get_terminal_size().columns
        click.echo(report.comparison_text(result, width, click.style))
    ctx.exit(0 if result.kind is not None else 1)


def _compared(
    a: str, b: str, source: str | None, index_path: str | None, settings: Settings
) -> list[str | Document]:
    if source:
        return list(find_documents(source, [a, b], settings))
    if index_path:
        with Index(index_path, create=False) as idx:
            found = [idx.get(a), idx.get(b)]
        missing = [i for i, d in zip((a, b), found, strict=True) if d is None]
        if missing:
            raise DupdetectError(f"{index_path}: no document with id {missing[0]!r}")
        return [d for d in found if d is not None]
    for path in (a, b):
        if not os.path.isfile(path):
            raise click.BadParameter(f"{path}: no such file (use --in or --index for ids)")
    return [a, b]


# -- the persistent index ----------------------------------------------------------------------


def index_options(f: F) -> F:
    """``--index`` and ``--redis``, accepted before the subcommand and after it."""
    f = click.option(
        "--redis",
        "redis_url",
        help="Keep the LSH tables in Redis (redis://host:port/db), shared by processes.",
    )(f)
    return click.option(
        "--index",
        "index_path",
        type=click.Path(dir_okay=False),
        help="The index file (created by `index add` when missing).",
    )(f)


@cli.group("index")
@index_options
@click.pass_context
def index_group(ctx: click.Context, index_path: str | None, redis_url: str | None) -> None:
    """Keep a persistent index: add articles over time, query new ones against it.

    \b
    Example:
        dupdetect index --index news.ddx add samples/
        dupdetect index query new-article.html --index news.ddx
    """
    ctx.obj = {"index_path": index_path, "redis_url": redis_url}


def _open_index(ctx: click.Context, create: bool = False, **given: Any) -> Index:
    """The index named after the subcommand or before it; a missing one is a usage error."""
    group = ctx.obj or {}
    path = given.get("index_path") or group.get("index_path")
    redis = given.get("redis_url") or group.get("redis_url")
    if not path:
        raise click.UsageError("Missing option '--index'.")
    if not create and not os.path.exists(path):
        raise click.ClickException(f"{path}: no such index (create it with `index add`)")
    return ctx.with_resource(Index(path, redis=redis, create=create))


@index_group.command("add")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@index_options
@progress_options
@input_options
@click.pass_context
@_fail_on_errors
def index_add(
    ctx: click.Context,
    /,
    inputs: tuple[str, ...],
    index_path: str | None,
    redis_url: str | None,
    quiet: bool,
    force_progress: bool,
    **options: Any,
) -> None:
    """Read INPUTS as `cluster` does, sign them and store them in the index.

    A document whose id is indexed already replaces it; each replacement is reported.
    """
    idx = _open_index(ctx, create=True, index_path=index_path, redis_url=redis_url)
    idx.settings = _with_input_options(idx.settings, options)
    progress = ProgressLine(quiet, force_progress)

    def replaced(doc_id: str, old: str, new: str) -> None:
        shown = [report.for_terminal(x) for x in (doc_id, old, new)]
        click.echo(f"replaced {shown[0]} (was {shown[1]}, now {shown[2]})", err=True)

    counts = idx.add(inputs, on_skip=_warn_skip, on_progress=progress, on_replace=replaced)
    progress.close()
    click.echo(
        f"dupdetect: {counts['added']} added, {counts['replaced']} replaced, "
        f"{counts['skipped']} skipped; {idx.stats()['documents']} documents in the index",
        err=True,
    )


@index_group.command("query")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@index_options
@output_options()
@progress_options
@input_options
@click.pass_context
@_fail_on_errors
def index_query(
    ctx: click.Context,
    /,
    inputs: tuple[str, ...],
    index_path: str | None,
    redis_url: str | None,
    output: str | None,
    fmt: str,
    html_path: str | None,
    only_clustered: bool,
    quiet: bool,
    force_progress: bool,
    **options: Any,
) -> None:
    """For each document in INPUTS, the indexed documents it copies or is copied by.

    \b
    Example:
        dupdetect index query new/ --index news.ddx --format table
    """
    with ExitStack() as stack:
        out, html = _prepared_outputs(stack, output or "-", html_path)
        idx = _open_index(ctx, index_path=index_path, redis_url=redis_url)
        settings = _with_input_options(idx.settings, options)
        items = list(prepared(inputs, settings, SkipLog(_warn_skip)))
        answers = idx.query_signed(items)
        if only_clustered:
            answers = [(d, matches) for d, matches in answers if matches]
        QUERY_WRITERS[fmt](answers, idx, out)
        if html is not None:
            html_report.write_html(query_result(answers, idx, settings), html)


def _query_rows(answers: list[Any], idx: Index) -> Iterator[tuple[str, dict[str, Any]]]:
    for document, matches in answers:
        for m in matches:
            found = idx.get(m.b)
            yield (
                document.id,
                {
                    "id": m.b,
                    "kind": m.kind,
                    "score": m.score,
                    "loose": m.weak,
                    "title": found.title if found else None,
                    "url": found.url if found else None,
                },
            )


def _write_query_jsonl(answers: list[Any], idx: Index, out: IO[str]) -> None:
    rows: dict[str, list[dict[str, Any]]] = {d.id: [] for d, _ in answers}
    for query, row in _query_rows(answers, idx):
        rows[query].append(row)
    for query, matches in rows.items():
        out.write(json.dumps({"id": query, "matches": matches}, ensure_ascii=False) + "\n")


def _write_query_csv(answers: list[Any], idx: Index, out: IO[str]) -> None:
    columns = ("query", "id", "kind", "score", "loose", "title", "url")
    rows = ({"query": query, **row} for query, row in _query_rows(answers, idx))
    report.write_csv_rows(out, columns, rows)


def _write_query_table(answers: list[Any], idx: Index, out: IO[str]) -> None:
    for document, matches in answers:
        out.write(f"{report.for_terminal(document.id)}: {len(matches)} match(es)\n")
        for _, r in _query_rows([(document, matches)], idx):
            kind = r["kind"] + (" (loose)" if r["loose"] else "")
            shown = report.for_terminal(f"{r['id']}  {r['title'] or ''}")
            out.write(f"  {kind:<18} {r['score']:.2f}  {shown}\n")


QUERY_WRITERS = {
    "jsonl": _write_query_jsonl,
    "csv": _write_query_csv,
    "table": _write_query_table,
}


@index_group.command("cluster")
@index_options
@output_options()
@progress_options
@click.pass_context
@_fail_on_errors
def index_cluster(
    ctx: click.Context,
    /,
    index_path: str | None,
    redis_url: str | None,
    output: str | None,
    fmt: str,
    html_path: str | None,
    only_clustered: bool,
    quiet: bool,
    force_progress: bool,
) -> None:
    """Cluster everything in the index; the same output as `dupdetect cluster`."""
    with ExitStack() as stack:
        out, html = _prepared_outputs(stack, output or "-", html_path)
        progress = ProgressLine(quiet, force_progress)
        idx = _open_index(ctx, index_path=index_path, redis_url=redis_url)
        result = idx.cluster(on_progress=progress, with_evidence=html is not None)
        progress.close()
        _write_result(result, fmt, out, html, only_clustered)


@index_group.command("list")
@index_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=FORMATS[0])
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True))
@click.pass_context
@_fail_on_errors
def index_list(
    ctx: click.Context,
    /,
    index_path: str | None,
    redis_url: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Every indexed document: id, title, URL, site, date, source and words."""
    with ExitStack() as stack:
        (out,) = _prepared_outputs(stack, output or "-")
        idx = _open_index(ctx, index_path=index_path, redis_url=redis_url)
        rows = idx.listing()
        if fmt == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            report.write_csv_rows(out, LISTING_COLUMNS, rows)
        else:
            for row in rows:
                title = report.for_terminal(row["title"] or "")
                out.write(f"{report.for_terminal(row['id'])}  {title}\n")


@index_group.command("remove")
@click.argument("ids", nargs=-1, required=True)
@index_options
@click.pass_context
@_fail_on_errors
def index_remove(
    ctx: click.Context, /, ids: tuple[str, ...], index_path: str | None, redis_url: str | None
) -> None:
    """Remove the documents with these IDS from the index."""
    idx = _open_index(ctx, index_path=index_path, redis_url=redis_url)
    removed = idx.remove(ids)
    for doc_id in sorted(set(ids) - set(removed)):
        click.echo(f"not in the index: {report.for_terminal(doc_id)}", err=True)
    click.echo(f"dupdetect: {len(removed)} removed", err=True)
    if not removed:
        ctx.exit(1)


@index_group.command("stats")
@index_options
@click.pass_context
@_fail_on_errors
def index_stats(ctx: click.Context, /, index_path: str | None, redis_url: str | None) -> None:
    """Documents, views, size on disk; then an integrity check (exit 1 on a problem)."""
    idx = _open_index(ctx, index_path=index_path, redis_url=redis_url)
    try:
        stats = idx.stats()
    except DupdetectError as error:
        stats = {"path": str(idx.path), "error": str(error)}
    stats["problems"] = idx.check()
    click.echo(json.dumps(stats, indent=2))
    if stats["problems"] or "error" in stats:
        ctx.exit(1)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("predicted", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@_fail_on_errors
def eval_command(gold: str, predicted: str, as_json: bool) -> None:
    """Score PREDICTED clusters against GOLD labels (pairwise P/R/F1, B-cubed, ARI).

    \b
    Example:
        dupdetect cluster docs.jsonl -o predicted.jsonl
        dupdetect eval gold.jsonl predicted.jsonl
    """
    figures = evaluate.score(evaluate.load(gold), evaluate.load(predicted))
    if as_json:
        click.echo(json.dumps(figures))
        return
    for key, value in figures.items():
        click.echo(f"{key:>24}: {value}")


if __name__ == "__main__":  # pragma: no cover
    main()
