"""The same stages on Apache Spark, for crawls that outgrow one machine (``--engine spark``).

The driver reads the inputs as the local engine does (`ingest.read`: folders walked in order,
each id once) and writes the raw records to a JSON-lines file that executors read. The rest is
Spark work over the same stage functions:

- extraction, normalization, profiling and batch signing in ``mapPartitions``;
- exact copies as a group-by on the content hash;
- LSH banding as a group-by on ``(view, band, band key)``, with the bands and rows the local
  engine uses (`index.bands_and_rows`);
- pruning by estimated containment and verification, on the candidate pairs joined with their
  signatures and profiles (rarity weights broadcast from the corpus's document frequencies).

The verified matches are few; they come back to the driver, where the average-linkage
clustering of the local engine runs on them (its on-demand checks verify pairs there), so both
engines give the same clusters. Texts come back as a stream into the driver's `Spool`, in input
order, for reports.

`pyspark` is the optional extra ``dupdetect[spark]``; Spark needs Java 17 or later.
"""

from __future__ import annotations

import base64
import json
import operator
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import extract, features, index, ingest, pipeline, sign, spool, verify
from .errors import DupdetectError, InputError
from .records import Document, Match, Profile, Result, SkipLog, Skipped
from .settings import Settings

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"
DOCS_PER_PARTITION = 2_000


def session(master: str = DEFAULT_MASTER) -> SparkSession:
    """A Spark session for `master` (reused if one is running), quiet and without its web UI."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise DupdetectError(
            "the Spark engine needs pyspark: pip install 'dupdetect[spark]'"
        ) from None
    # Executors run this Python (with dupdetect and its dependencies) unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName("dupdetect")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def cluster(
    inputs: Iterable[pipeline.Input],
    settings: Settings | None = None,
    *,
    spark: SparkSession | None = None,
    master: str = DEFAULT_MASTER,
    work_dir: str | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_progress: pipeline.Progress | None = None,
    with_evidence: bool = False,
) -> Result:
    """`pipeline.cluster` on Spark: the same arguments and the same `Result`.

    Args:
        inputs: files, folders, ``-`` (JSONL on stdin) or `Document` objects.
        settings: parameters (defaults: `Settings()`).
        spark: a running session (default: one for `master`).
        master: the Spark master URL when no session is given.
        work_dir: where the raw records are written for executors to read: a folder every
            executor can reach (default: a local temporary folder, enough for ``local[N]``).
        on_skip: called with each record that cannot be used.
        on_progress: called with a short message as each stage starts.
        with_evidence: also collect each copy's shared passages (for reports).
    """
    s = settings or Settings()
    progress = on_progress or (lambda message: None)
    skip = SkipLog(on_skip)
    spark = spark or session(master)
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        return _run(inputs, s, spark, work_dir, skip, progress, with_evidence)
    except (Py4JError, PySparkException) as error:  # one line, not a JVM stack trace
        first = next((line for line in str(error).splitlines() if line.strip()), "")
        raise DupdetectError(f"the Spark run failed: {type(error).__name__}: {first}") from error


def _run(
    inputs: Iterable[pipeline.Input],
    s: Settings,
    spark: SparkSession,
    work_dir: str | None,
    skip: SkipLog,
    progress: pipeline.Progress,
    with_evidence: bool,
) -> Result:
    context = spark.sparkContext
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="dupdetect-") as folder:
        raw = Path(folder) / "records.jsonl"
        progress("reading")
        count = _write_records(ingest.read(inputs, s.ingest, skip), raw)
        if not count:
            raise InputError("no document could be read from the inputs")
        partitions = max(context.defaultParallelism, -(-count // DOCS_PER_PARTITION))
        progress(f"extracting, profiling and signing {count} records on Spark")
        rows = (
            context.textFile(str(raw), partitions)
            .mapPartitions(lambda lines: _prepare(lines, s))
            .persist()
        )
        for source, reason in rows.filter(lambda r: r[0] == "skip").map(lambda r: r[1:]).collect():
            skip(source, reason)
        prepared: RDD[dict[str, Any]] = rows.filter(lambda r: r[0] == "doc").map(lambda r: r[1])
        docs = prepared.zipWithIndex().map(lambda d: (d[1], d[0])).persist()  # by position
        result = _cluster_prepared(docs, s, skip, with_evidence, progress)
        docs.unpersist()
        rows.unpersist()
    return result


def _cluster_prepared(
    docs: RDD[tuple[int, dict[str, Any]]],
    s: Settings,
    skip: SkipLog,
    with_evidence: bool,
    progress: pipeline.Progress,
) -> Result:
    context = docs.context
    corpus = pipeline.Corpus(s)
    # zipWithIndex numbered the documents in partition order, which toLocalIterator keeps.
    for n, (fields, n_words) in docs.map(
        lambda p: (p[0], (p[1]["document"], p[1]["n_words"]))
    ).toLocalIterator():
        if n != len(corpus.ids):
            raise DupdetectError(f"Spark returned document {n} out of order")
        corpus.append(Document(*fields), n_words)
    if not corpus.ids:
        raise InputError("no document could be read from the inputs")

    # Exact copies: the first position of each content hash stands for the others.
    by_hash = docs.map(lambda p: (p[1]["hash"], p[0])).groupByKey().mapValues(sorted)
    corpus.exact = sorted(
        by_hash.flatMap(lambda g: [(g[1][0], copy) for copy in g[1][1:]]).collect(),
        key=operator.itemgetter(1),
    )
    copies = context.broadcast(frozenset(copy for _, copy in corpus.exact))
    unique = docs.filter(lambda p: p[0] not in copies.value).persist()

    # Rarity weights from the unique texts, with the background frequencies the executors saw.
    corpus.stats.df.update(
        unique.flatMap(lambda p: p[1]["terms"]).map(lambda t: (t, 1)).reduceByKey(operator.add)
        .collectAsMap()
    )  # fmt: skip
    corpus.stats.n_docs = unique.count()
    if corpus.stats.n_docs < corpus.stats.min_corpus:
        seen = unique.flatMap(lambda p: p[1]["frequencies"].items()).reduceByKey(max)
        features.merge_stem_frequencies(seen.collectAsMap())
        corpus.stats.background = features.stem_frequencies(corpus.stats.df)
    stats = context.broadcast(corpus.stats)
    progress(f"signed {corpus.stats.n_docs} unique texts of {len(corpus.ids)} documents")

    progress("finding and verifying candidate pairs on Spark")
    views = [(v.name, *index.bands_and_rows(v.threshold, s.sign.num_perm)) for v in s.views]
    pairs = unique.flatMap(lambda p: _band_keys(p, views)).groupByKey().flatMap(_bucket_pairs)
    pairs = pairs.distinct()
    signed = unique.map(lambda p: (p[0], (p[1]["signatures"], p[1]["sizes"])))
    joined = pairs.join(signed).map(lambda x: (x[1][0], (x[0], x[1][1]))).join(signed)
    candidates = joined.mapPartitions(lambda rows: _kept(rows, s))
    profiles = unique.map(lambda p: (p[0], (p[1]["document"][0], p[1]["profile"])))
    verified = (
        candidates.join(profiles)
        .map(lambda x: (x[1][0], (x[0], x[1][1])))
        .join(profiles)
        .mapPartitions(lambda rows: _verify(rows, stats.value, s))
    )
    found = sorted(verified.collect(), key=lambda x: (x[0], x[1]))
    unique.unpersist()
    matches = [m for _, _, m in found]
    position = {corpus.ids[k]: k for i, j, _ in found for k in (i, j)}
    verifier = verify.Verifier(corpus.stats.idf, s.verify)
    relate = pipeline.relate_by_id(verifier, position, corpus.profiles)
    return pipeline.assemble(corpus, matches, position, relate, skip, with_evidence, progress)


def _write_records(documents: Iterable[Document], path: Path) -> int:
    """Write documents as JSON lines (a raw page's bytes in base64); return how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for d in documents:
            record = asdict(d)
            if isinstance(d.html, bytes):
                record["html"] = None
                record["html_base64"] = base64.b64encode(d.html).decode("ascii")
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def _read_record(line: str) -> Document:
    record = json.loads(line)
    encoded = record.pop("html_base64", None)
    if encoded is not None:
        record["html"] = base64.b64decode(encoded)
    return Document(**record)


def _prepare(lines: Iterable[str], s: Settings) -> Iterator[tuple[Any, ...]]:
    """Executor side: raw records → skips and prepared documents, signed as one batch."""
    skipped: list[tuple[str, str]] = []
    kept: list[tuple[Document, Profile]] = []

    def skip(source: str, reason: str) -> None:
        skipped.append((source, reason))

    shingle_size = s.view("verbatim").shingle_size
    for document in extract.extract_all((_read_record(line) for line in lines), skip):
        prepared = pipeline.prepare(document, shingle_size, skip)
        if prepared is not None:
            kept.append(prepared)
    for source, reason in skipped:
        yield ("skip", source, reason)
    sets = {v.name: [features.view_sets(p, v.name) for _, p in kept] for v in s.views}
    signed = {name: sign.sign(sets[name], s.sign) for name in sets}
    for n, (document, profile) in enumerate(kept):
        yield (
            "doc",
            {
                "document": [getattr(document, f) for f in spool.FIELDS],
                "n_words": profile.n_words,
                "hash": profile.exact_key,
                "profile": profile,
                "terms": list(profile.terms),
                "frequencies": features.stem_frequencies(profile.terms),
                "signatures": {name: signed[name][n] for name in signed},
                "sizes": {name: len(sets[name][n]) for name in sets},
            },
        )


def _band_keys(
    item: tuple[int, dict[str, Any]], views: list[tuple[str, int, int]]
) -> Iterator[tuple[tuple[str, int, bytes], int]]:
    """The LSH bucket of each band of each view for one document (none for an empty set)."""
    position, d = item
    for name, bands, rows in views:
        signature = d["signatures"][name]
        if d["sizes"][name] == 0:
            continue
        for band in range(bands):
            yield (name, band, signature[band * rows : (band + 1) * rows].tobytes()), position


def _bucket_pairs(bucket: tuple[Any, Iterable[int]]) -> Iterator[tuple[int, int]]:
    members = sorted(bucket[1])
    for n, i in enumerate(members):
        for j in members[n + 1 :]:
            yield i, j


def _kept(rows: Iterable[Any], s: Settings) -> Iterator[tuple[int, int]]:
    """Candidate pairs whose estimated containment reaches a view's floor (`index.candidates`)."""
    rows = list(rows)  # (j, ((i, (signatures_i, sizes_i)), (signatures_j, sizes_j)))
    if not rows:
        return
    pairs = np.array([[2 * n, 2 * n + 1] for n in range(len(rows))], dtype=np.int64)
    keep = np.zeros(len(rows), dtype=bool)
    for v in s.views:
        matrix = np.stack([side[0][v.name] for r in rows for side in (r[1][0][1], r[1][1])])
        sizes = np.array([side[1][v.name] for r in rows for side in (r[1][0][1], r[1][1])])
        keep |= index.estimated_containment(pairs, matrix, sizes) >= v.floor
    for r, kept in zip(rows, keep.tolist(), strict=True):
        if kept:
            yield r[1][0][0], r[0]


def _verify(
    rows: Iterable[Any], stats: features.TermStats, s: Settings
) -> Iterator[tuple[int, int, Match]]:
    """Verify candidate pairs: (j, ((i, (id_i, profile_i)), (id_j, profile_j))) → matches."""
    verifier = verify.Verifier(stats.idf, s.verify)
    for j, ((i, (id_i, profile_i)), (id_j, profile_j)) in rows:
        match = verifier.in_id_order(id_i, profile_i, id_j, profile_j)
        if match is not None:
            yield min(i, j), max(i, j), match
