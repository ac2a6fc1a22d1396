"""The same stages on Apache Spark, for crawls that outgrow one machine (``--engine spark``).

The driver reads the inputs as the local engine does (`ingest.read`: folders walked in order,
each id once) and writes the raw records to a JSON-lines file that executors read. The rest is
Spark work over the engine-neutral core (`run`, `index`, `verify`):

- preparation (extraction, normalization, profiling, batch signing: `run.prepare_batch`) in
  ``mapPartitions``;
- exact copies as a group-by on the content key, rarity as a reduce over each text's terms;
- LSH banding as arrays of bucket keys grouped by the task that owns them (`index.band_keys`,
  `index.sorted_bucket_pairs`), each task pruning its pairs (`index.pruned`) against the
  broadcast signatures;
- verification by groups of likely copies (`run.cache_groups`, as the local engine orders its
  own): each group's texts go to one executor, which profiles each once and verifies the
  group's pairs, a large group's spokes first (`run.roles`, `verify.verify_pairs`); no
  profile travels with a pair.

The verified matches come back to the driver, where `run.assemble` clusters them as the local
engine does, so both engines give the same clusters. Texts come back as a stream into the
driver's spool, in input order, for reports.

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

from . import hashing, index, run, verify
from .errors import DupdetectError, InputError
from .ingest import Input, read
from .rarity import Rarity
from .records import Document, Match, Result, Signed, SkipLog, Skipped
from .settings import Settings

if TYPE_CHECKING:
    from pyspark import RDD, StorageLevel
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
    inputs: Iterable[Input],
    settings: Settings | None = None,
    *,
    spark: SparkSession | None = None,
    master: str = DEFAULT_MASTER,
    work_dir: str | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_progress: run.Progress | None = None,
    with_evidence: bool = False,
) -> Result:
    """`dupdetect.cluster` on Spark: the same arguments and the same `Result`.

    Args:
        inputs: files, folders, ``-`` (JSONL on stdin) or `Document` objects.
        settings: parameters (defaults: `Settings()`).
        spark: a running session (default: one for `master`).
        master: the Spark master URL when no session is given.
        work_dir: where the raw records are written for executors to read: a folder every
            executor can reach (default: a local temporary folder, enough for ``local[N]``).
        on_skip: called with each record that cannot be used.
        on_progress: hears of each stage (`run.Progress`).
        with_evidence: also collect each copy's shared passages (for reports).
    """
    s = settings or Settings()
    progress = on_progress or run.no_progress
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
    inputs: Iterable[Input],
    s: Settings,
    spark: SparkSession,
    work_dir: str | None,
    skip: SkipLog,
    progress: run.Progress,
    with_evidence: bool,
) -> Result:
    context = spark.sparkContext
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="dupdetect-") as folder:
        raw = Path(folder) / "records.jsonl"
        progress("reading", 0, None)
        count = _write_records(read(inputs, s.ingest, skip), raw)
        if not count:
            raise InputError("no document could be read from the inputs")
        partitions = max(context.defaultParallelism, -(-count // DOCS_PER_PARTITION))
        progress("extracting, profiling and signing on Spark", 0, count)
        rows = context.textFile(str(raw), partitions).mapPartitions(lambda x: _prepare(x, s))
        rows = rows.persist(_spilling())
        for item in rows.filter(lambda r: isinstance(r, Skipped)).collect():
            assert isinstance(item, Skipped)
            skip(item.source, item.reason)
        signed = rows.filter(lambda r: isinstance(r, Signed)).map(_as_signed)
        # Numbered by position, read again from `rows`' cache at each use: one cached copy.
        docs = signed.zipWithIndex().map(lambda d: (d[1], d[0]))
        result = _cluster_signed(docs, s, skip, with_evidence, progress)
        rows.unpersist()
    return result


def _cluster_signed(
    docs: RDD[tuple[int, Signed]],
    s: Settings,
    skip: SkipLog,
    with_evidence: bool,
    progress: run.Progress,
) -> Result:
    context = docs.context
    corpus = run.Corpus(s)
    # zipWithIndex numbered the documents in partition order, which toLocalIterator keeps.
    listed = docs.mapValues(lambda d: (d.document, d.n_words))
    for n, (document, n_words) in listed.toLocalIterator(prefetchPartitions=True):
        if n != len(corpus.ids):
            raise DupdetectError(f"Spark returned document {n} out of order")
        corpus.append(document, n_words)
    if not corpus.ids:
        raise InputError("no document could be read from the inputs")

    # Exact copies: the first position of each content key stands for the others.
    by_key = docs.map(lambda p: (p[1].exact_key, p[0])).groupByKey().mapValues(sorted)
    corpus.exact = sorted(
        by_key.flatMap(lambda g: [(g[1][0], copy) for copy in g[1][1:]]).collect(),
        key=operator.itemgetter(1),
    )
    copies = context.broadcast(frozenset(copy for _, copy in corpus.exact))
    unique = docs.filter(lambda p: p[0] not in copies.value)
    corpus.unique.extend(sorted(unique.keys().collect()))
    df = unique.flatMap(lambda p: p[1].terms).map(lambda t: (t, 1)).reduceByKey(operator.add)
    corpus.rarity = Rarity(df.collectAsMap(), len(corpus.unique))
    progress("extracting, profiling and signing on Spark", len(corpus.ids), len(corpus.ids))

    progress("finding candidate pairs on Spark", 0, None)
    views = [(v.name, *index.bands_and_rows(v.threshold, s.sign.num_perm)) for v in s.views]
    n = len(corpus.ids)
    signatures = context.broadcast(_signature_matrices(unique, s, n))
    owners = max(context.defaultParallelism, docs.getNumPartitions())
    found = (
        unique.mapPartitions(lambda p: _bucket_members(p, views, owners))
        .groupByKey(owners)
        .map(lambda task: _candidates(task[1], signatures.value, s, n))
        .collect()
    )
    signatures.destroy()
    candidates, strength = index.merged([c for c, _ in found], [x for _, x in found], n)

    progress("verifying candidate pairs on Spark", 0, len(candidates))
    of_document = run.cache_groups(candidates, strength, n)
    role = run.roles(
        candidates, strength, of_document, lambda r: [corpus.ids[k] for k in r.tolist()]
    )
    group, needed = _verification_groups(candidates, of_document)
    rarity, wanted = context.broadcast(corpus.rarity), context.broadcast(needed)
    texts = unique.flatMap(
        lambda p: [(g, (p[0], p[1].document)) for g in wanted.value.get(p[0], ())]
    )
    rows = zip(group.tolist(), candidates.tolist(), role.tolist(), strict=True)
    work = context.parallelize([(g, (i, j, r)) for g, (i, j), r in rows])
    verified = (
        texts.cogroup(work)
        .mapPartitions(lambda groups: _verify_groups(groups, rarity.value, s))
        .collect()
    )
    position = {corpus.ids[k]: k for i, j, _ in verified for k in (i, j)}
    matches = sorted((m for *_, m in verified), key=lambda m: (m.a, m.b))
    verifier = verify.Verifier.of(corpus.rarity, s)
    return run.assemble(corpus, matches, position, verifier, skip, with_evidence, progress)


def _verification_groups(
    pairs: np.ndarray, of_document: np.ndarray
) -> tuple[np.ndarray, dict[int, tuple[int, ...]]]:
    """Each pair's verification group, and the groups that need each document's text.

    Groups are the likely copies the local engine also verifies together (`run.cache_groups`);
    a pair belongs to the group of its first document, so each group's texts travel once, to
    one executor, and only a pair across two groups brings one text to a second group.
    """
    group = of_document[pairs[:, 0]] if len(pairs) else np.empty(0, np.int64)
    needed: dict[int, set[int]] = {}
    for g, (i, j) in zip(group.tolist(), pairs.tolist(), strict=True):
        needed.setdefault(i, set()).add(g)
        needed.setdefault(j, set()).add(g)
    return group, {k: tuple(v) for k, v in needed.items()}


def _spilling() -> StorageLevel:
    """Cached records go to local disk, not to the JVM's heap.

    In `local` mode the driver's heap holds the executors' cache: memory only, and then memory
    and disk, both filled a 2 GB heap at 1,000,000 documents and the run died of
    OutOfMemoryError.
    """
    from pyspark import StorageLevel

    return StorageLevel.DISK_ONLY


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


def _as_signed(item: Signed | Skipped) -> Signed:
    assert isinstance(item, Signed)
    return item


def _prepare(lines: Iterable[str], s: Settings) -> Iterator[Signed | Skipped]:
    """Executor side: raw records → skips and signed documents (`run.prepare_batch`)."""
    records = [_read_record(line) for line in lines]
    return iter(run.prepare_batch(records, s, keep_profiles=False))


def _bucket_members(
    items: Iterable[tuple[int, Signed]], views: list[tuple[str, int, int]], owners: int
) -> Iterator[tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Executor side: a partition's LSH buckets as arrays, split among the tasks that own them.

    Each document is in one bucket per band of each view (`index.band_keys`; none for an empty
    set): arrays of (table, key, member), where a table is one band of one view, go to the
    task that owns the bucket, a few records per partition instead of one per band and
    document (sixty million records at 1,000,000 documents).
    """
    items = list(items)
    tables, keys, members = [], [], []
    first_table = 0
    for name, bands, rows in views:
        filled = [(p, d.signatures[name]) for p, d in items if d.sizes[name]]
        if filled:
            band_keys = index.band_keys(np.stack([sig for _, sig in filled]), bands, rows)
            keys.append(band_keys.ravel())
            tables.append(np.tile(np.arange(first_table, first_table + bands), len(filled)))
            members.append(np.repeat(np.array([p for p, _ in filled], dtype=np.int64), bands))
        first_table += bands
    if not keys:
        return
    table, key, member = np.concatenate(tables), np.concatenate(keys), np.concatenate(members)
    owner = (key % np.uint64(owners) + table.astype(np.uint64)) % np.uint64(owners)
    for task in np.unique(owner).tolist():
        mine = owner == task
        yield task, (table[mine], key[mine], member[mine])


def _candidates(
    parts: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]],
    signatures: tuple[dict[str, np.ndarray], dict[str, np.ndarray]],
    s: Settings,
    n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Executor side: the pairs of the buckets one task owns that pass `index.prune`.

    The pairs (`index.sorted_bucket_pairs`) are pruned where they are found, against the
    broadcast signatures: random collisions in the low-threshold bands grow with the square of
    the corpus (230,000 pairs among 50,000 random texts), and joining each pair with its two
    signatures shipped a kilobyte per pair.
    """
    tables, keys, members = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.lexsort((members, keys, tables))
    tables, keys, members = tables[order], keys[order], members[order]
    new_bucket = (tables[1:] != tables[:-1]) | (keys[1:] != keys[:-1])
    codes = index.sorted_bucket_pairs(new_bucket, members, n)
    found = hashing.unique(np.concatenate([np.empty(0, np.int64), *codes]))
    return index.pruned(found, n, *signatures, s.views)


def _signature_matrices(
    unique: RDD[tuple[int, Signed]], s: Settings, n: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every unique document's signatures and set sizes by position, to broadcast.

    A kilobyte per document on the driver and on each executor, as the local engine keeps them.
    """
    names = [v.name for v in s.views]
    signatures = {v: np.full((n, s.sign.num_perm), index.EMPTY, dtype=np.uint32) for v in names}
    sizes = {v: np.zeros(n, dtype=np.int64) for v in names}

    def block(items: Iterable[tuple[int, Signed]]) -> Iterator[Any]:
        items = list(items)
        if items:
            positions = np.array([p for p, _ in items], dtype=np.int64)
            matrices = {v: np.stack([d.signatures[v] for _, d in items]) for v in names}
            counts = {v: np.array([d.sizes[v] for _, d in items]) for v in names}
            yield positions, matrices, counts

    for positions, matrices, counts in unique.mapPartitions(block).toLocalIterator(True):
        for v in names:
            signatures[v][positions] = matrices[v]
            sizes[v][positions] = counts[v]
    return signatures, sizes


def _verify_groups(
    groups: Iterable[
        tuple[int, tuple[Iterable[tuple[int, Document]], Iterable[tuple[int, int, int]]]]
    ],
    rarity: Rarity,
    s: Settings,
) -> Iterator[tuple[int, int, Match]]:
    """Executor side: verify each group's pairs, profiling each of its texts once."""
    verifier = verify.Verifier.of(rarity, s)
    for _, (documents, pairs) in groups:
        by_position = dict(documents)
        profiles = {k: run.profile_text(d, s) for k, d in by_position.items()}
        rows = sorted(pairs, key=lambda p: (p[2] != verify.SPOKE, p[0], p[1]))  # `run.roles`
        named = ((by_position[i].id, by_position[j].id, i, j) for i, j, _ in rows)
        roles = (role for *_, role in rows)
        yield from verify.verify_pairs(named, profiles.__getitem__, verifier, roles)
