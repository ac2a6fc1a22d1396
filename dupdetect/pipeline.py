"""The stages composed: `cluster` groups the copies among inputs, `compare` checks a pair."""

from __future__ import annotations

import multiprocessing
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from functools import lru_cache
from itertools import chain, islice
from typing import Any, TypeVar

import numpy as np

from . import (
    attribute,
    clustering,
    evaluate,
    evidence,
    extract,
    features,
    index,
    ingest,
    normalize,
    sign,
    spool,
    verify,
)
from .errors import InputError, SettingsError
from .records import (
    Cluster,
    Comparison,
    Document,
    Match,
    Member,
    Passage,
    Profile,
    Result,
    SkipLog,
    Skipped,
)
from .report import clustered_documents
from .settings import Settings

Progress = Callable[[str], None]
Input = str | os.PathLike[str] | Document


PARALLEL_AFTER = 1_000  # documents read before worker processes start: small runs stay here
WORKER_BATCH = 100  # documents a worker extracts and profiles at a time


def profiled(
    inputs: Iterable[Input], settings: Settings, skip: SkipLog, workers: int = 1
) -> Iterator[tuple[Document, Profile]]:
    """Read, extract, normalize and profile the input documents, in input order.

    With `workers` > 1, extraction and profiling (the costly part of reading) run in that many
    worker processes once the input proves longer than `PARALLEL_AFTER` documents; reading
    stays here and goes only a few batches ahead of the workers, so memory stays bounded.
    """
    shingle_size = settings.view("verbatim").shingle_size
    documents = ingest.read(inputs, settings.ingest, skip)
    if workers > 1 and _can_fork():
        first = list(islice(documents, PARALLEL_AFTER))
        if len(first) == PARALLEL_AFTER:
            yield from _profiled_in_parallel(chain(first, documents), shingle_size, skip, workers)
            return
        documents = iter(first)
    for document in extract.extract_all(documents, skip):
        prepared = prepare(document, shingle_size, skip)
        if prepared is not None:
            yield prepared


def _profiled_in_parallel(
    documents: Iterator[Document], shingle_size: int, skip: SkipLog, workers: int
) -> Iterator[tuple[Document, Profile]]:
    batches = iter(lambda: list(islice(documents, WORKER_BATCH)), [])
    for prepared in _in_workers(_prepare_batch, ((b, shingle_size) for b in batches), workers):
        yield from _collect(prepared, skip)


_Result = TypeVar("_Result")


def _in_workers(
    function: Callable[..., _Result], tasks: Iterable[tuple[Any, ...]], workers: int
) -> Iterator[_Result]:
    """`function` over `tasks` in forked worker processes; results in task order.

    Tasks are taken from the iterable at most two per worker ahead of the results, so a
    stream of inputs stays a stream. fork: workers inherit the loaded modules (and what the
    caller set up for them), and a caller's script is not re-imported.
    """
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future[_Result]] = deque()
        for task in tasks:
            pending.append(pool.submit(function, *task))
            while len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _prepare_batch(batch: list[Document], shingle_size: int) -> list[tuple[Any, ...]]:
    """Worker side: extract and profile a batch; skips come back in their place."""
    out: list[tuple[Any, ...]] = []

    def skip(source: str, reason: str) -> None:
        out.append(("skip", source, reason))

    for document in extract.extract_all(batch, skip):
        prepared = prepare(document, shingle_size, skip)
        if prepared is not None:
            terms = features.stem_frequencies(prepared[1].terms)
            out.append(("doc", prepared[0], prepared[1], terms))
    return out


def _collect(results: list[tuple[Any, ...]], skip: SkipLog) -> Iterator[tuple[Document, Profile]]:
    for kind, *rest in results:
        if kind == "skip":
            skip(*rest)
        else:
            document, profile, frequencies = rest
            # The rarity background of small corpora reads the stem frequencies this process
            # has seen (`features.stem`): take in what the worker saw.
            features.merge_stem_frequencies(frequencies)
            yield document, profile


def prepare(
    document: Document, shingle_size: int, skip: Callable[[str, str], None]
) -> tuple[Document, Profile] | None:
    """Normalize and profile one extracted document; a text with no words is skipped.

    A document with no title takes its text's first line when that is short (`headline`).
    """
    text = normalize.normalize(document.text)
    profile = features.profile(text, shingle_size)
    if profile.n_words == 0:
        skip(document.source, "no words in the text")
        return None
    if document.title is None:
        document = replace(document, title=features.headline(text))
    return document, profile


def read_documents(
    inputs: Iterable[Input], settings: Settings, skip: SkipLog
) -> tuple[list[Document], list[Profile]]:
    """All of `profiled` at once, as two parallel lists."""
    documents, profiles = [], []
    for document, profile in profiled(inputs, settings, skip):
        documents.append(document)
        profiles.append(profile)
    return documents, profiles


PROFILES_KEPT = 20_000  # profiles held in memory during a run; others are recomputed
SIGN_BATCH = 2_000  # unique texts signed at once


class Corpus:
    """The documents of a run as the clustering stage needs them, whichever engine read them.

    What stays in memory per document is its id and word count; texts are in a `Spool` and
    profiles in a bounded `ProfileCache` that recomputes them from the spooled text.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.documents = spool.Spool()
        self.ids: list[str] = []
        self.n_words = array("l")
        self.exact: list[tuple[int, int]] = []  # exact copies: (first position, copy position)
        self.stats = features.TermStats()
        shingle_size = settings.view("verbatim").shingle_size
        self.profiles = spool.ProfileCache(
            lambda i: features.profile(normalize.normalize(self.documents[i].text), shingle_size),
            PROFILES_KEPT,
        )

    def append(self, document: Document, n_words: int) -> int:
        """Spool one document; return its position."""
        self.ids.append(document.id)
        self.n_words.append(n_words)
        return self.documents.append(document)


class SignedCorpus(Corpus):
    """Pass one of a local `cluster` run: every document spooled, every unique text signed.

    Per unique text, memory holds one signature per view and the size of its sets. Exact copies
    (same content hash) are set aside as they come: a page crawled a thousand times costs one
    signature.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.unique = array("q")  # positions of the first document of each distinct text
        self._first_of_hash: dict[int, int] = {}
        self._unsigned: list[Profile] = []
        self._signed: dict[str, list[np.ndarray]] = {v.name: [] for v in settings.views}
        self._sizes: dict[str, list[np.ndarray]] = {v.name: [] for v in settings.views}

    def add(self, document: Document, profile: Profile) -> None:
        """Spool one profiled document; sign it with the next batch unless it is an exact copy."""
        position = self.append(document, profile.n_words)
        self.profiles.put(position, profile)
        first = self._first_of_hash.setdefault(profile.exact_key, position)
        if first != position:
            self.exact.append((first, position))
            return
        self.unique.append(position)
        self.stats.add(profile)
        self._unsigned.append(profile)
        if len(self._unsigned) >= SIGN_BATCH:
            self._sign_unsigned()

    def _sign_unsigned(self) -> None:
        for v in self.settings.views:
            sets = [features.view_sets(p, v.name) for p in self._unsigned]
            self._signed[v.name].append(sign.sign(sets, self.settings.sign))
            self._sizes[v.name].append(np.array([len(x) for x in sets], dtype=np.int64))
        self._unsigned = []

    def signatures(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Per view, the signature matrix and set sizes of the unique texts (in `unique` order)."""
        self._sign_unsigned()
        signatures, sizes = {}, {}
        for name in self._signed:
            signatures[name] = _concatenate(self._signed[name], self.settings.sign.num_perm)
            sizes[name] = _concatenate(self._sizes[name], None)
            self._signed[name], self._sizes[name] = [signatures[name]], [sizes[name]]
        return signatures, sizes


def _concatenate(chunks: list[np.ndarray], width: int | None) -> np.ndarray:
    if chunks:
        return np.concatenate(chunks)
    return np.empty((0, width) if width else 0, dtype=np.uint32 if width else np.int64)


def cluster(
    inputs: Iterable[Input],
    settings: Settings | None = None,
    *,
    on_skip: Callable[[Skipped], None] | None = None,
    on_progress: Progress | None = None,
    with_evidence: bool = False,
    engine: str = "local",
    spark_master: str = "local[2]",
    workers: int | None = None,
) -> Result:
    """Find and group the copies among `inputs`.

    Inputs are read as a stream (see `SignedCorpus`): memory holds signatures, not texts.
    With ``engine="spark"`` the same stages run on Apache Spark (`dupdetect.spark`) and give
    the same result.

    Args:
        inputs: files, folders, ``-`` (JSONL on stdin) or `Document` objects.
        settings: parameters (defaults: `Settings()`).
        on_skip: called at once with each record that cannot be used.
        on_progress: called with a short message as each stage starts.
        with_evidence: also find, for every copy, the passages it shares with its original
            (`Result.evidence`, for reports).
        engine: ``local`` or ``spark``.
        spark_master: the Spark master URL (Spark engine).
        workers: processes that extract, profile and verify (local engine; default: one per
            core).

    Returns:
        A `Result` with the documents (read back from disk on access), the clusters (largest
        first), the verified matches and the skipped records.

    Raises:
        InputError: an input path does not exist, or nothing could be read.

    Example:
        >>> result = cluster([Document(id="a", text="one two three " * 10),
        ...                   Document(id="b", text="one two three " * 10)])
        >>> [(m.id, m.role, m.kind) for m in result.clusters[0].members]
        [('a', 'original', None), ('b', 'copy', 'exact')]
    """
    if engine == "spark":
        from . import spark

        return spark.cluster(
            inputs,
            settings,
            master=spark_master,
            on_skip=on_skip,
            on_progress=on_progress,
            with_evidence=with_evidence,
        )
    if engine != "local":
        raise SettingsError(f"engine must be 'local' or 'spark', got {engine!r}")
    s = settings or Settings()
    progress = on_progress or (lambda message: None)
    skip = SkipLog(on_skip)
    progress("reading and signing")
    corpus = SignedCorpus(s)
    workers = workers or _cores()
    for document, profile in profiled(inputs, s, skip, workers):
        corpus.add(document, profile)
    if not corpus.ids:
        raise InputError("no document could be read from the inputs")
    signatures, set_sizes = corpus.signatures()
    progress(f"signed {len(corpus.unique)} unique texts of {len(corpus.ids)} documents")

    progress("finding and verifying candidate pairs")
    verifier = verify.Verifier(corpus.stats.idf, s.verify)
    ids, unique = corpus.ids, corpus.unique
    position: dict[str, int] = {}  # of the documents in candidate pairs and their groups
    relate = relate_by_id(verifier, position, corpus.profiles)
    pairs, strength = index.candidates(signatures, set_sizes, s.views, s.sign)
    del signatures, set_sizes
    order = _local_order(pairs, strength, len(unique))
    first, second = np.asarray(unique)[pairs[order, 0]], np.asarray(unique)[pairs[order, 1]]
    work = np.stack([order, first, second], axis=1)  # (pair number, position, position)
    progress(f"verifying {len(work)} candidate pairs")
    if workers > 1 and len(work) > VERIFY_CHUNK and _can_fork():
        found = _verified_in_parallel(corpus, verifier, work, workers)
        for _, i, j, _ in found:
            position[ids[i]], position[ids[j]] = i, j
    else:  # here, through `relate`, whose cache then spares clustering a second look
        found = []
        for n, i, j in work.tolist():
            position[ids[i]], position[ids[j]] = i, j
            if (m := relate(ids[i], ids[j])) is not None:
                found.append((n, i, j, m))
    matches = [m for *_, m in sorted(found, key=lambda x: x[0])]

    return assemble(corpus, matches, position, relate, skip, with_evidence, progress)


VERIFY_CHUNK = 20_000  # candidate pairs a worker verifies at a time
GROUPING = 0.6  # estimated containment of the pairs that group documents for verification


def _local_order(pairs: np.ndarray, strength: np.ndarray, n: int) -> np.ndarray:
    """An order of the candidate pairs in which the profiles they need stay cached.

    Documents are grouped by the connected components of their likely copies (pairs whose
    estimated containment, `strength`, reaches `GROUPING`); all candidates form one giant
    component at crawl scale (13,910 of 30,000 edited articles), these groups stay small
    (181). Pairs come group by group, those across two groups after the first group's own, so
    each group's profiles are computed about once instead of once per pair.
    """
    group = clustering.components(pairs[strength >= GROUPING], n)
    first, second = group[pairs[:, 0]], group[pairs[:, 1]]
    low, high = np.minimum(first, second), np.maximum(first, second)
    return np.lexsort((pairs[:, 1], pairs[:, 0], high, low))


_shared: tuple[Corpus, verify.Verifier] | None = None  # what forked verification workers use


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _verify_chunk(work: np.ndarray) -> list[tuple[int, int, int, Match]]:
    """Worker side: verify ``(pair number, position, position)`` rows; return the matches."""
    assert _shared is not None, "set by _verified_in_parallel before the workers fork"
    corpus, verifier = _shared
    found = []
    for n, i, j in work.tolist():
        m = verifier.in_id_order(
            corpus.ids[i], corpus.profiles[i], corpus.ids[j], corpus.profiles[j]
        )
        if m is not None:
            found.append((n, i, j, m))
    return found


def _verified_in_parallel(
    corpus: Corpus, verifier: verify.Verifier, work: np.ndarray, workers: int
) -> list[tuple[int, int, int, Match]]:
    """`_verify_chunk` over chunks of `work` in forked workers, which inherit the corpus.

    Workers read texts from the spool with ``pread`` and keep their own profile caches;
    chunks follow the component order, so each worker's cache stays warm.
    """
    global _shared
    corpus.documents.flush()
    _shared = (corpus, verifier)
    chunks = ((work[start : start + VERIFY_CHUNK],) for start in range(0, len(work), VERIFY_CHUNK))
    try:
        return [m for found in _in_workers(_verify_chunk, chunks, workers) for m in found]
    finally:
        _shared = None


def assemble(
    corpus: Corpus,
    matches: list[Match],
    position: dict[str, int],
    relate: Callable[[str, str], Match | None],
    skip: SkipLog,
    with_evidence: bool,
    progress: Progress,
) -> Result:
    """The verified matches of a run → its clusters, their originals, and the `Result`.

    Args:
        corpus: the run's documents.
        matches: the verified matches among the unique texts.
        position: the position of every document in `matches` (filled in for exact copies).
        relate: verifies a pair on demand (by ids).
        skip: the run's skipped records.
        with_evidence: also collect each copy's shared passages.
        progress: called as each stage starts.
    """
    progress(f"clustering {len(matches)} verified pairs")
    ids = corpus.ids
    exact = [Match(ids[i], ids[j], "exact", 1.0, {"exact": 1.0}) for i, j in corpus.exact]
    position.update((ids[k], k) for pair in corpus.exact for k in pair)
    matched = sorted({position[x] for m in matches for x in (m.a, m.b)})
    groups = clustering.group([ids[i] for i in matched], matches, corpus.settings.cluster, relate)
    groups = _with_exact_copies(groups, exact)
    grouped = sorted(position[x] for g in groups for x in g)
    by_id = {ids[i]: corpus.documents[i] for i in grouped}
    n_words = {ids[i]: corpus.n_words[i] for i in grouped}
    relate_exact = _exact_aware(relate, exact)
    clusters = attribute.attribute(groups, by_id, matches + exact, n_words, relate_exact)
    result = Result(corpus.documents, clusters, matches + exact, skip.items)
    if with_evidence:
        progress("collecting the shared passages")
        result.evidence = collect_evidence(result, corpus.stats.idf)
    return result


def relate_by_id(
    verifier: verify.Verifier, position: dict[str, int], profiles: spool.ProfileCache
) -> Callable[[str, str], Match | None]:
    """Verify two documents by id, in either order (the result names them in sorted order)."""

    @lru_cache(maxsize=1 << 18)
    def relate_sorted(a: str, b: str) -> Match | None:  # cached on the pair in id order
        return verifier(a, b, profiles[position[a]], profiles[position[b]])

    def relate(a: str, b: str) -> Match | None:
        return relate_sorted(*sorted((a, b)))

    return relate


def collect_evidence(result: Result, idf: Callable[[str], float]) -> dict[str, list[Passage]]:
    """For every copy in `result`, the passages it shares with its cluster's original."""
    by_id = clustered_documents(result)
    found = {}
    for c in result.clusters:
        original = normalize.normalize(by_id[c.original].text)
        for m in c.members:
            if m.role == "copy":
                copy = normalize.normalize(by_id[m.id].text)
                found[m.id] = evidence.evidence(original, copy, m.kind, idf)
    return found


def _with_exact_copies(groups: list[list[str]], exact: list[Match]) -> list[list[str]]:
    """Put each exact copy into its representative's group (a new group if it had none)."""
    copies: dict[str, list[str]] = {}
    for m in exact:
        copies.setdefault(m.a, []).append(m.b)
    grouped = {i for g in groups for i in g}
    out = [g + [c for i in g for c in copies.get(i, [])] for g in groups]
    out += [[rep, *rest] for rep, rest in copies.items() if rep not in grouped]
    return out


def _exact_aware(
    relate: Callable[[str, str], Match | None], exact: list[Match]
) -> Callable[[str, str], Match | None]:
    """Relate two ids, answering through the representative for exact copies."""
    rep = {m.b: m.a for m in exact}

    def related(a: str, b: str) -> Match | None:
        ra, rb = rep.get(a, a), rep.get(b, b)
        if ra == rb:
            return Match(a, b, "exact", 1.0, {"exact": 1.0})
        m = relate(ra, rb)
        return None if m is None else Match(a, b, m.kind, m.score, m.scores, m.weak)

    return related


def find_documents(source: Input, ids: Sequence[str], settings: Settings) -> list[Document]:
    """The documents with these ids in `source` (a JSONL/CSV file or a folder), in that order.

    Raises:
        InputError: an id is not in the source.
    """
    wanted = set(ids)
    found = {
        d.id: d
        for d in extract.extract_all(
            (d for d in ingest.read([source], settings.ingest, SkipLog()) if d.id in wanted),
            SkipLog(),
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise InputError(f"{source}: no document with id {', '.join(map(repr, missing))}")
    return [found[i] for i in ids]


def compare(a: Input, b: Input, settings: Settings | None = None) -> Comparison:
    """Verify whether two documents are copies: the verdict, every score, and the evidence.

    Rarity weights come from the two texts and the English background (see
    `features.TermStats`), so scores differ a little from those of a `cluster` run, where the
    whole corpus sets them.

    Raises:
        InputError: either input does not hold exactly one readable document.
    """
    s = settings or Settings()
    documents, profiles = [], []
    for item in (a, b):
        skip = SkipLog()
        found, found_profiles = read_documents([item], s, skip)
        if len(found) != 1:
            why = "; ".join(str(x) for x in skip.items) or f"it holds {len(found)} documents"
            raise InputError(f"cannot compare {item}: {why}")
        documents += found
        profiles += found_profiles
    stats = features.TermStats(profiles)
    verifier = verify.Verifier(stats.idf, s.verify)
    scores = verifier.scores(profiles[0], profiles[1], complete=True)
    kind, score, weak = verifier.decide(scores, min(p.n_words for p in profiles))
    texts = [normalize.normalize(d.text) for d in documents]
    v = s.verify
    return Comparison(
        a=documents[0].id,
        b=documents[1].id,
        kind=kind,
        score=round(score, 4),
        scores=scores,
        thresholds={
            "jaccard": v.near_verbatim_jaccard,
            "containment": v.partial_containment,
            "rewrite": v.rewrite_threshold,
            "focus": v.focus_threshold,
        },
        passages=evidence.evidence(texts[0], texts[1], kind, stats.idf),
        weak=weak,
    )


def report(
    clusters_path: str | os.PathLike[str],
    inputs: Iterable[Input],
    settings: Settings | None = None,
    *,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Result:
    """Rebuild a `Result` with evidence from a clusters JSONL file and the inputs it came from.

    Rows whose document is not among the inputs are reported to `on_skip` and left out.

    Raises:
        InputError: the clusters file is not valid JSONL, or no input could be read.
    """
    s = settings or Settings()
    skip = SkipLog(on_skip)
    documents, profiles = read_documents(inputs, s, skip)
    if not documents:
        raise InputError("no document could be read from the inputs")
    known = {d.id for d in documents}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for doc_id, row in evaluate.load(os.fspath(clusters_path)).items():
        if row.get("cluster") is None:
            continue
        if doc_id not in known:
            skip(f"{clusters_path}", f"document {doc_id!r} is not among the inputs")
            continue
        grouped.setdefault(str(row["cluster"]), []).append(row)
    clusters = []
    for cluster_id, rows in grouped.items():
        rows.sort(key=lambda r: r.get("role") != "original")
        members = tuple(
            Member(
                str(r["id"]),
                r.get("role") or "copy",
                r.get("kind"),
                r.get("score"),
                r.get("reason"),
            )
            for r in rows
        )
        if len(members) > 1:
            clusters.append(Cluster(cluster_id, members[0].id, members))
    clusters.sort(key=lambda c: (-len(c.members), c.id))
    result = Result(documents, clusters, [], skip.items)
    result.evidence = collect_evidence(result, features.TermStats(profiles).idf)
    return result
