"""The `dupdetect` command line: a thin click layer over the public API."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import IO, Any, TypeVar

import click

from . import __version__, evaluate, report
from .errors import DupdetectError, SettingsError
from .pipeline import cluster as run_cluster
from .pipeline import compare as run_compare
from .pipeline import find_documents
from .pipeline import report as run_report
from .records import Document, SkipLog, Skipped
from .run import prepared
from .search import Index
from .settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def input_options(f: F) -> F:
    """Options that say which JSONL/CSV fields hold what."""
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
    return f


def settings_options(f: F) -> F:
    """The knobs users really turn."""
    f = click.option(
        "--num-perm",
        type=click.IntRange(16, 1024),
        default=128,
        show_default=True,
        help="MinHash permutations per view.",
    )(f)
    f = click.option(
        "--rewrite-threshold",
        type=click.FloatRange(0, 1, min_open=True),
        default=Settings().verify.rewrite_threshold,
        show_default=True,
        help="Rewrite score at which a pair counts as a rewrite (lower finds looser rewrites).",
    )(f)
    return f


def settings_from_options(**options: Any) -> Settings:
    """Build `Settings` from the CLI options named after their fields."""
    fields = ("id", "text", "html", "url", "title", "date")
    try:
        return Settings().with_changes(
            ingest={f"{k}_field": options[f"{k}_field"] for k in fields},
            sign={"num_perm": options["num_perm"]},
            verify={"rewrite_threshold": options["rewrite_threshold"]},
        )
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


@contextmanager
def output_stream(path: str | None) -> Iterator[IO[str]]:
    """Yield stdout, or a temporary file that replaces `path` only when writing succeeded."""
    if path is None or path == "-":
        yield sys.stdout
        return
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".dupdetect-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _warn_skip(skipped: Skipped) -> None:
    click.echo(str(skipped), err=True)


def _progress(quiet: bool) -> Callable[[str], None] | None:
    if quiet:
        return None
    return lambda message: click.echo(f"dupdetect: {message}…", err=True)


def _fail_on_errors(f: F) -> F:
    """Turn dupdetect's run errors into one-line click errors (exit 1), never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except SettingsError as error:
            raise click.UsageError(str(error)) from None
        except DupdetectError as error:
            raise click.ClickException(str(error)) from None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dupdetect")
def cli() -> None:
    """Find copies of news articles: verbatim, partial and rewritten, and group them."""


def output_options(f: F) -> F:
    """``--format`` and ``--output`` for the commands that write clusters."""
    f = click.option(
        "--format",
        "fmt",
        type=click.Choice(["jsonl", "csv", "table"]),
        default="jsonl",
        show_default=True,
        help="One JSON object or CSV row per document, or a readable summary.",
    )(f)
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        help="Write here (atomically), not to stdout.",
    )(f)


WRITERS = {"jsonl": report.write_jsonl, "csv": report.write_csv, "table": report.write_table}


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@output_options
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write a self-contained HTML report with the shared passages side by side.",
)
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
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
@input_options
@settings_options
@_fail_on_errors
def cluster(
    inputs: tuple[str, ...],
    output: str | None,
    fmt: str,
    html_path: str | None,
    engine: str,
    spark_master: str,
    workers: int | None,
    quiet: bool,
    **options: Any,
) -> None:
    """Cluster the copies among INPUTS (files, folders, or - for JSONL on stdin).

    \b
    Example:
        dupdetect cluster samples/ --format table --html report.html
        dupdetect cluster crawl.jsonl --text-field body -o clusters.jsonl
        dupdetect cluster crawl/ --engine spark --spark-master local[8]
    """
    result = run_cluster(
        inputs,
        settings_from_options(**options),
        on_skip=_warn_skip,
        on_progress=_progress(quiet),
        with_evidence=html_path is not None,
        engine=engine,
        spark_master=spark_master,
        workers=workers,
    )
    with output_stream(output) as out:
        WRITERS[fmt](result, out)
    if html_path:
        with output_stream(html_path) as out:
            report.write_html(result, out)
    click.echo(f"dupdetect: {report.summary(result)}", err=True)


@cli.command("report")
@click.argument("clusters", type=click.Path(exists=True, dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--html",
    "html_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
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
    result = run_report(clusters, inputs, settings_from_options(**options), on_skip=_warn_skip)
    with output_stream(html_path) as out:
        report.write_html(result, out)
    click.echo(f"dupdetect: {report.summary(result)}", err=True)


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
@_fail_on_errors
def compare(
    a: str, b: str, source: str | None, index_path: str | None, fmt: str, **options: Any
) -> None:
    """Say whether two articles are copies, why, and show the passages that correspond.

    A and B are article files (a page, a text file, or a JSONL/CSV file holding one record),
    or ids with --in or --index.

    \b
    Example:
        dupdetect compare samples/seeds/000_21f4553dbd84879f.txt \\
                          samples/seeds/001_782aac65340ab6e4.txt
        dupdetect compare bbc-business-007 bbc-business-253 --in samples/bbc.jsonl
    """
    settings = settings_from_options(**options)
    if source and index_path:
        raise click.UsageError("--in and --index cannot be used together")
    pair: list[str | Document] = [a, b]
    if source:
        pair = list(find_documents(source, [a, b], settings))
    elif index_path:
        with Index(index_path) as idx:
            found = [idx.get(a), idx.get(b)]
        missing = [i for i, d in zip((a, b), found, strict=True) if d is None]
        if missing:
            raise click.ClickException(f"{index_path}: no document with id {missing[0]!r}")
        pair = [d for d in found if d is not None]
    else:
        for path in (a, b):
            if not os.path.isfile(path):
                raise click.BadParameter(f"{path}: no such file (use --in or --index for ids)")
    result = run_compare(pair[0], pair[1], settings)
    if fmt == "json":
        click.echo(json.dumps(asdict(result), default=sorted, ensure_ascii=False))
        return
    click.echo(report.comparison_text(result, shutil.get_terminal_size().columns, click.style))


@cli.group("index")
@click.option(
    "--index",
    "path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The index file (created by `index add` when missing).",
)
@click.option("--redis", help="Keep the LSH tables in Redis (redis://host:port/db), shared.")
@click.pass_context
def index_group(ctx: click.Context, path: str, redis: str | None) -> None:
    """Keep a persistent index: add articles over time, query new ones against it.

    \b
    Example:
        dupdetect index --index news.ddx add samples/
        dupdetect index --index news.ddx query new-article.html
    """
    ctx.obj = (path, redis)


def _open_index(ctx: click.Context, must_exist: bool = True) -> Index:
    path, redis = ctx.obj
    if must_exist and not os.path.exists(path):
        raise click.ClickException(f"{path}: no such index (create it with `index add`)")
    return ctx.with_resource(Index(path, redis=redis))  # errors: see _fail_on_errors


@index_group.command("add")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
@input_options
@click.pass_context
@_fail_on_errors
def index_add(ctx: click.Context, /, inputs: tuple[str, ...], quiet: bool, **fields: Any) -> None:
    """Read INPUTS as `cluster` does, sign them and store them in the index."""
    idx = _open_index(ctx, must_exist=False)
    idx.settings = idx.settings.with_changes(ingest=fields)
    progress = None if quiet else (lambda n: click.echo(f"dupdetect: {n} stored…", err=True))
    counts = idx.add(inputs, on_skip=_warn_skip, on_progress=progress)
    click.echo(
        f"dupdetect: {counts['added']} added, {counts['replaced']} replaced, "
        f"{counts['skipped']} skipped; {idx.stats()['documents']} documents in the index",
        err=True,
    )


@index_group.command("query")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True
)
@input_options
@click.pass_context
@_fail_on_errors
def index_query(ctx: click.Context, /, inputs: tuple[str, ...], fmt: str, **fields: Any) -> None:
    """For each document in INPUTS, the indexed documents it copies or is copied by."""
    idx = _open_index(ctx)
    settings = idx.settings.with_changes(ingest=fields)
    items = list(prepared(inputs, settings, SkipLog(_warn_skip)))
    for document, matches in idx.query_signed(items):
        rows = [
            {
                "id": m.b,
                "kind": m.kind,
                "score": m.score,
                "loose": m.weak,
                "title": (found := idx.get(m.b)) and found.title,
                "url": found and found.url,
            }
            for m in matches
        ]
        if fmt == "jsonl":
            click.echo(json.dumps({"id": document.id, "matches": rows}, ensure_ascii=False))
        else:
            click.echo(f"{document.id}: {len(rows)} match(es)")
            for r in rows:
                click.echo(f"  {r['kind']:<14} {r['score']:.2f}  {r['id']}  {r['title'] or ''}")


@index_group.command("cluster")
@output_options
@click.pass_context
@_fail_on_errors
def index_cluster(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Cluster everything in the index; the same output as `dupdetect cluster`."""
    result = _open_index(ctx).cluster()
    with output_stream(output) as out:
        WRITERS[fmt](result, out)
    click.echo(f"dupdetect: {report.summary(result)}", err=True)


@index_group.command("stats")
@click.pass_context
@_fail_on_errors
def index_stats(ctx: click.Context) -> None:
    """Documents, views, size on disk; then an integrity check."""
    idx = _open_index(ctx)
    stats = idx.stats()
    stats["problems"] = idx.check()
    click.echo(json.dumps(stats, indent=2))


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
    cli(prog_name="dupdetect")
