"""The engine-neutral core of a run: prepare documents, keep the corpus, verify, assemble.

Every engine drives the same functions: `prepare_batch` turns raw documents into `Signed`
records (extract, normalize, profile, sign) in this process, a forked worker or a Spark task;
`Corpus` keeps a run's documents on disk and its signatures and `Rarity` in memory;
`verify.verify_pairs` judges candidate pairs; `assemble` turns the verified matches into
clusters and originals. `pipeline.cluster`, the Spark engine and the persistent `Index` are
drivers over these.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from itertools import chain, islice, pairwise
from typing import Any, TypeVar

import numpy as np

from . import (
    attribute,
    clustering,
    dates,
    evidence,
    extract,
    features,
    normalize,
    sign,
    spool,
    verify,
)
from .ingest import Input, read
from .rarity import Rarity
from .records import (
    Document,
    Match,
    Packed,
    Passage,
    Profile,
    Result,
    Signed,
    SkipLog,
    Skipped,
)
from .report import clustered_documents
from .settings import Settings

# Progress: (stage, done, total or None); called at each stage's start and as work goes on.
Progress = Callable[[str, int, "int | None"], None]


def no_progress(stage: str, done: int, total: int | None) -> None:
    """A `Progress` that says nothing."""


PARALLEL_AFTER = 1_000  # documents read before worker processes start: small runs stay here
WORKER_BATCH = 100  # documents a worker prepares at a time
PROFILES_KEPT = 20_000  # profiles held in memory during a run; others are read back again
SIGN_BATCH = 2_000  # documents signed at once in this process


def profile_document(
    document: Document, settings: Settings, skip: Callable[[str, str], None]
) -> tuple[Document, Profile] | None:
    """Extract, normalize and profile one document; a text too short for an article is skipped.

    A document with no title takes its text's first line when that is short (`headline`).
    """
    extracted = extract.extract(document)
    if extracted is None:
        skip(document.source, "no main text extracted from the page")
        return None
    profile = profile_text(extracted, settings, for_signing=True)
    minimum = settings.ingest.min_words
    if profile.n_words < minimum:
        why = f"too short for an article ({profile.n_words} words; --min-words {minimum})"
        skip(document.source, "no words in the text" if not profile.n_words else why)
        return None
    if document.html is not None and extract.is_link_list(document.html, minimum):
        skip(document.source, "a page of links, not an article")
        return None
    if extracted.title is None:
        extracted = replace(extracted, title=features.headline(profile.text))
    return extracted, profile


def profile_text(document: Document, settings: Settings, for_signing: bool = False) -> Profile:
    """The profile of an extracted document, as verification needs it (normalized first).

    `for_signing` also makes the rewrite view's set from the same words (`Profile.rare`).
    """
    text = normalize.normalize(document.text)
    shingle_size = settings.view("verbatim").shingle_size
    # Verification weighs the time between two publications (`verify`): only a date stated as
    # one counts, not a crawler's fetch date nor one found in a page's text (`attribute.TRUST`).
    stated = attribute.TRUST.get(document.date_source, 1) == 0
    published = dates.timestamp(document.date) if stated else None
    return features.profile(text, shingle_size, published, for_signing=for_signing)


def sign_profiles(
    profiles: Sequence[Profile], settings: Settings
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per view, the signature matrix and set sizes of `profiles` (the one view→signature path)."""
    signatures, sizes = {}, {}
    for view in settings.views:
        sets = [features.view_sets(p, view.name) for p in profiles]
        signatures[view.name] = sign.sign(sets, settings.sign)
        sizes[view.name] = np.fromiter((len(x) for x in sets), dtype=np.int64, count=len(sets))
    return signatures, sizes


def prepare_batch(
    documents: Sequence[Document], settings: Settings, keep_profiles: bool = True
) -> list[Signed | Skipped]:
    """Prepare and sign a batch of raw documents; each skip comes back in its document's place.

    Args:
        documents: raw documents (pages not yet extracted).
        settings: the run's settings.
        keep_profiles: put each profile in its `Signed` record, for the run to spool (a Spark
            executor leaves them out: the executor that verifies a group profiles its texts).
    """
    out: list[Signed | Skipped] = []
    prepared: list[tuple[int, Document, Profile]] = []
    for document in documents:
        done = profile_document(document, settings, lambda s, r: out.append(Skipped(s, r)))
        if done is not None:
            prepared.append((len(out), *done))
            out.append(Skipped("", ""))  # its place, filled below
    signatures, sizes = sign_profiles([p for _, _, p in prepared], settings)
    for row, (place, document, profile) in enumerate(prepared):
        out[place] = Signed(
            document=document,
            n_words=profile.n_words,
            exact_key=profile.exact_key,
            signatures={name: m[row] for name, m in signatures.items()},
            sizes={name: int(s[row]) for name, s in sizes.items()},
            terms=tuple(profile.terms),
            profile=replace(profile, rare=None) if keep_profiles else None,  # signed already
        )
    return out


def prepared(
    inputs: Iterable[Input], settings: Settings, skip: SkipLog, workers: int = 1
) -> Iterator[Signed]:
    """Read and prepare the inputs, in input order; skips go to `skip` as they come.

    With `workers` > 1, preparation (the costly part of reading) runs in that many worker
    processes once the input proves longer than `PARALLEL_AFTER` documents; reading stays here
    and goes only a few batches ahead of the workers, so memory stays bounded.
    """
    documents = read(inputs, settings.ingest, skip)
    first = list(islice(documents, PARALLEL_AFTER))
    parallel = workers > 1 and can_fork() and len(first) == PARALLEL_AFTER
    batches = _batches(chain(first, documents), WORKER_BATCH if parallel else SIGN_BATCH)
    if parallel:
        tasks = ((batch, settings) for batch in batches)
        results: Iterable[list[Signed | Skipped]] = in_workers(prepare_batch, tasks, workers)
    else:
        results = (prepare_batch(batch, settings) for batch in batches)
    for batch in results:
        for item in batch:
            if isinstance(item, Skipped):
                skip(item.source, item.reason)
            else:
                yield item


def _batches(items: Iterator[Document], size: int) -> Iterator[list[Document]]:
    return iter(lambda: list(islice(items, size)), [])


class Corpus:
    """The documents of one run as the later stages need them, whichever engine read them.

    Memory holds, per document, its id and word count and, per distinct text, one signature per
    view; texts wait in a `spool.Spool`, the first pass's profiles in a `spool.ProfileSpool`,
    and the profiles verification uses in a bounded cache over them (a profile the first pass
    did not send is recomputed from its text). Exact copies (same content hash) are set aside as
    they come: a page crawled a thousand times costs one signature.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.documents = spool.Spool()
        self.ids: list[str] = []
        self.n_words = array("l")
        self.exact: list[tuple[int, int]] = []  # (first position, copy position)
        self.unique = array("q")  # the position of the first document of each distinct text
        self.rarity = Rarity()
        self.profiles = spool.ProfileCache(self._profile, PROFILES_KEPT)
        self.profile_spool = spool.ProfileSpool()  # the first pass's profiles of distinct texts
        self._first_of_key: dict[int, int] = {}
        self._signatures: dict[str, list[np.ndarray]] = {v.name: [] for v in settings.views}
        self._sizes: dict[str, array[int]] = {v.name: array("q") for v in settings.views}

    def append(self, document: Document, n_words: int) -> int:
        """Spool one document; return its position."""
        self.ids.append(document.id)
        self.n_words.append(n_words)
        return self.documents.append(document)

    def add(self, signed: Signed) -> None:
        """Spool a prepared document; keep its signatures and terms unless it is an exact copy."""
        position = self.append(signed.document, signed.n_words)
        first = self._first_of_key.setdefault(signed.exact_key, position)
        if first != position:
            self.exact.append((first, position))
            return
        self.unique.append(position)
        if signed.profile is not None:
            self.profile_spool.put(position, signed.profile)
        self.rarity.add(signed.terms)
        for name, row in signed.signatures.items():
            self._signatures[name].append(row)
            self._sizes[name].append(signed.sizes[name])

    def signatures(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Per view, the signature matrix and set sizes of the unique texts (in `unique` order)."""
        num_perm = self.settings.sign.num_perm
        signatures, sizes = {}, {}
        for name, rows in self._signatures.items():
            matrix = np.vstack(rows) if rows else np.empty((0, num_perm), np.uint32)
            self._signatures[name] = [matrix]  # one block from now on
            signatures[name] = matrix
            sizes[name] = np.frombuffer(self._sizes[name], dtype=np.int64)
        return signatures, sizes

    def _profile(self, position: int) -> Profile:
        spooled = self.profile_spool.get(position)
        return spooled or profile_text(self.documents[position], self.settings)

    def flush(self) -> None:
        """Write out the spools (before worker processes read them)."""
        self.documents.flush()
        self.profile_spool.flush()


def verify_candidates(
    corpus: Corpus,
    verifier: verify.Verifier,
    pairs: np.ndarray,
    strength: np.ndarray,
    workers: int,
    progress: Progress = no_progress,
) -> tuple[list[Match], dict[str, int]]:
    """Verify the candidate pairs of unique texts (`unique` rows).

    Returns:
        The matches, named in id order and sorted, and the position of every matched document.

    Pairs are verified in an order that keeps the profiles they need cached (`_cache_order`);
    with `workers` > 1 and more than `VERIFY_CHUNK` pairs, chunks of that order go to forked
    workers that inherit the corpus and read its spool.
    """
    unique = np.frombuffer(corpus.unique, dtype=np.int64)
    ids = corpus.ids
    group = cache_groups(pairs, strength, len(unique))
    role = roles(pairs, strength, group, lambda rows: [ids[k] for k in unique[rows].tolist()])
    first, second = group[pairs[:, 0]], group[pairs[:, 1]]
    low, high = np.minimum(first, second), np.maximum(first, second)
    order = _cache_order(pairs, low, high, role)
    work = np.stack([unique[pairs[order, 0]], unique[pairs[order, 1]], role[order]], axis=1)
    low = low[order]
    found: list[Match] = []
    position: dict[str, int] = {}

    def keep(rows: Iterable[tuple[int, int, Match]]) -> None:
        for i, j, match in rows:
            found.append(match)
            position[ids[i]], position[ids[j]] = i, j

    progress("verifying candidate pairs", 0, len(work))
    if workers > 1 and len(work) > VERIFY_CHUNK and can_fork():
        corpus.flush()
        starts = _chunk_starts(low, VERIFY_CHUNK)
        # Largest first, all handed out at once: a chunk holds whole groups, and one group can
        # hold a third of a crawl's pairs (100k crawl: 231,514 of 705,000, 29 s). Taken in
        # order, two per worker ahead of the results, the other worker soon sat idle beside it.
        bounds = sorted(pairwise([*starts, len(work)]), key=lambda se: se[0] - se[1])
        chunks = ((work[start:end],) for start, end in bounds)
        parts = in_workers(
            _verify_chunk, chunks, workers, shared=(corpus, verifier), ahead=len(bounds)
        )
        done = 0
        for (start, end), part in zip(bounds, parts, strict=True):
            keep((i, j, Match.unpacked(ids[i], ids[j], packed)) for i, j, packed in part)
            done += end - start
            progress("verifying candidate pairs", done, len(work))
    else:
        starts = _chunk_starts(low, PROGRESS_EVERY)
        for start, end in pairwise([*starts, len(work)]):
            keep(_verify_rows(work[start:end], corpus, verifier))
            progress("verifying candidate pairs", end, len(work))
    return _in_id_order(found, position), position


def _chunk_starts(low: np.ndarray, size: int) -> list[int]:
    """Where chunks of about `size` rows start: only where a group's block starts (`roles`)."""
    boundaries = np.flatnonzero(low[1:] != low[:-1]) + 1
    starts = [0] if len(low) else []
    while starts:
        k = int(np.searchsorted(boundaries, starts[-1] + size))
        if k == len(boundaries):
            break
        starts.append(int(boundaries[k]))
    return starts


# A verification group larger than this has its near-copies verified against one member.
FAMILY = 16


def roles(
    pairs: np.ndarray,
    strength: np.ndarray,
    group: np.ndarray,
    names: Callable[[np.ndarray], list[str]],
) -> np.ndarray:
    """Each candidate pair's role in its verification group (`verify.verify_pairs`).

    In a group (`cache_groups`) of more than `FAMILY` documents, the pairs of its representative
    (`representatives`) are ``SPOKE`` pairs and those of two other members ``REDUNDANT``: once
    both are found close copies of one member (`verify.verify_pairs` says how close) they are
    not verified against each other, so 2,000 copies of one story cost 2,000 verifications, not
    two million. In a smaller group every pair is verified: all cost little and give each member
    all its ties for naming the original (`attribute`). Roles depend only on the pairs, and a
    group's pairs are verified together, spokes first (`_cache_order`), so every engine and any
    number of workers pass over the same pairs.
    """
    role = np.full(len(pairs), verify.OTHER, dtype=np.int64)
    a, b = pairs[:, 0], pairs[:, 1]
    large = np.bincount(group, minlength=len(group))[group] > FAMILY
    if not large[a].any():
        return role
    representative = representatives(pairs, strength, group, names)
    inside = large[a] & (group[a] == group[b])
    spoke = (representative[a] == a) | (representative[b] == b)
    role[inside & spoke] = verify.SPOKE
    role[inside & ~spoke] = verify.REDUNDANT
    return role


def representatives(
    pairs: np.ndarray,
    strength: np.ndarray,
    group: np.ndarray,
    names: Callable[[np.ndarray], list[str]],
) -> np.ndarray:
    """The representative of each row's verification group (`cache_groups`).

    It is the member most strongly tied to the others (summed `strength`), then the one with
    the smallest id, so that it does not depend on the input's order.

    Example:
        >>> pairs = np.array([[0, 1], [0, 2], [1, 2], [3, 4]])
        >>> strength = np.array([0.9, 0.9, 0.7, 0.8])
        >>> group = cache_groups(pairs, strength, 5)
        >>> representatives(pairs, strength, group, lambda rows: [f"d{r}" for r in rows]).tolist()
        [0, 0, 0, 3, 3]
    """
    n = len(group)
    total = np.zeros(n)
    np.add.at(total, pairs[:, 0], strength)
    np.add.at(total, pairs[:, 1], strength)
    rows = np.unique(pairs)
    by_name = np.argsort(np.array(names(rows), dtype=object), kind="stable")
    rank = np.empty(len(rows), dtype=np.int64)
    rank[by_name] = np.arange(len(rows))
    order = rows[np.lexsort((rank, -total[rows], group[rows]))]
    first = np.ones(len(order), dtype=bool)
    first[1:] = group[order][1:] != group[order][:-1]
    of_group = np.arange(n)
    of_group[group[order[first]]] = order[first]
    representative: np.ndarray = of_group[group]
    return representative


def _in_id_order(matches: list[Match], position: dict[str, int]) -> list[Match]:
    """`matches` sorted by their ids: by the ids' ranks, not by millions of tuples of strings."""
    rank = {x: r for r, x in enumerate(sorted(position))}
    keys = (rank[m.a] * len(rank) + rank[m.b] for m in matches)
    order = np.argsort(np.fromiter(keys, dtype=np.int64, count=len(matches)), kind="stable")
    return [matches[k] for k in order.tolist()]


VERIFY_CHUNK = 10_000  # candidate pairs a worker verifies at a time
PROGRESS_EVERY = 2_000  # pairs verified here between two progress reports
GROUPING = 0.6  # estimated containment of the pairs that group documents for verification


def cache_groups(pairs: np.ndarray, strength: np.ndarray, n: int) -> np.ndarray:
    """The verification group of each of `n` documents: the likely copies it is verified with.

    Groups are the connected components of the pairs whose estimated containment, `strength`,
    reaches `GROUPING`: all candidates form one giant component at crawl scale (13,910 of
    30,000 edited articles), these groups stay small (181).
    """
    return clustering.components(pairs[strength >= GROUPING], n)


def _cache_order(
    pairs: np.ndarray, low: np.ndarray, high: np.ndarray, role: np.ndarray
) -> np.ndarray:
    """An order of the candidate pairs in which the profiles they need stay cached.

    Pairs come group by group (`cache_groups`: `low` and `high` are the lower and higher group
    of each pair's two documents), those across two groups after the first group's own, so
    each group's profiles are computed about once instead of once per pair; a group's spokes
    come first (`roles`).
    """
    return np.lexsort((pairs[:, 1], pairs[:, 0], role != verify.SPOKE, high, low))


def _verify_rows(
    work: np.ndarray, corpus: Corpus, verifier: verify.Verifier
) -> Iterator[tuple[int, int, Match]]:
    """Verify ``(position, position, role)`` rows (`roles`)."""
    ids, profiles = corpus.ids, corpus.profiles
    rows = work.tolist()
    pairs = ((ids[i], ids[j], i, j) for i, j, _ in rows)
    return verify.verify_pairs(pairs, profiles.__getitem__, verifier, (r for *_, r in rows))


def _verify_chunk(work: np.ndarray) -> list[tuple[int, int, Packed]]:
    """Worker side: the matches among ``(position, position, role)`` rows of the shared corpus.

    Each as the positions of its ids and `Match.packed`, for the parent to unpack.
    """
    corpus, verifier = worker_shared()
    ids = corpus.ids
    return [
        (i, j, m.packed()) if m.a == ids[i] else (j, i, m.packed())
        for i, j, m in _verify_rows(work, corpus, verifier)
    ]


def assemble(
    corpus: Corpus,
    matches: list[Match],
    position: dict[str, int],
    verifier: verify.Verifier,
    skip: SkipLog,
    with_evidence: bool,
    progress: Progress,
) -> Result:
    """The verified matches of a run → its clusters, their originals, and the `Result`.

    Args:
        corpus: the run's documents.
        matches: the verified matches among the unique texts.
        position: the position of every document in `matches`.
        verifier: verifies pairs the clustering asks about.
        skip: the run's skipped records.
        with_evidence: also collect each copy's shared passages.
        progress: hears of each stage (`Progress`).
    """
    progress("clustering verified pairs", len(matches), len(matches))
    ids = corpus.ids
    relate = relate_by_id(verifier, position, corpus.profiles)
    exact = [Match(ids[i], ids[j], "exact", 1.0, {"exact": 1.0}) for i, j in corpus.exact]
    matched = sorted({position[x] for m in matches for x in (m.a, m.b)})

    def overlap(a: str, b: str) -> float:
        pa, pb = corpus.profiles[position[a]], corpus.profiles[position[b]]
        return verify.shingle_overlap(pa, pb)

    matched_ids = [ids[i] for i in matched]
    groups = clustering.group(matched_ids, matches, corpus.settings.cluster, relate, overlap)
    groups = _with_exact_copies(groups, exact)
    position.update((ids[k], k) for pair in corpus.exact for k in pair)
    grouped = sorted(position[x] for g in groups for x in g)
    by_id = {ids[i]: corpus.documents[i] for i in grouped}
    n_words = {ids[i]: corpus.n_words[i] for i in grouped}
    relate_exact = _exact_aware(relate, exact)
    size = corpus.settings.view("verbatim").shingle_size

    def profile_of(i: str) -> Profile:
        return corpus.profiles[position[i]]

    clusters = attribute.attribute(
        groups, by_id, matches, exact, n_words, relate_exact,
        lambda i: profile_of(i).shingles, relate_up_to=FAMILY,
        framing_of=attribute.Framing(profile_of, size),
    )  # fmt: skip
    result = Result(
        corpus.documents, clusters, matches + exact, skip.items,
        thresholds=corpus.settings.verify.thresholds(),
    )  # fmt: skip
    if with_evidence:
        progress("collecting the shared passages", 0, None)
        result.evidence = collect_evidence(result, corpus.rarity)
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


def collect_evidence(result: Result, rarity: Rarity) -> dict[str, list[Passage]]:
    """For every copy in `result`, the passages it shares with its cluster's original.

    With the member named in `via` instead when there is one: the kind is relative to it.
    """
    by_id = clustered_documents(result)
    text = lru_cache(maxsize=1024)(lambda i: normalize.normalize(by_id[i].text))
    found = {}
    for c in result.clusters:
        for m in c.members:
            if m.role == "copy":
                source = text(m.via or c.original)  # normalized once for all its copies
                found[m.id] = evidence.evidence(source, text(m.id), m.kind, rarity)
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


# -- worker processes ------------------------------------------------------------------------------

_Result = TypeVar("_Result")
_worker_shared: Any = None  # set in each worker by its initializer; never in the parent


def _set_worker_shared(shared: Any) -> None:
    global _worker_shared
    _worker_shared = shared
    gc.enable()  # the parent may have paused it (`many_objects`); a worker's objects come and go
    # Ctrl-C reaches the whole process group: the parent ends the run, workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent is gone (killed with -9, it cannot tell us)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def worker_shared() -> Any:
    """In a worker: the data its pool was started with (see `in_workers`)."""
    return _worker_shared


def in_workers(
    function: Callable[..., _Result],
    tasks: Iterable[tuple[Any, ...]],
    workers: int,
    shared: Any = None,
    ahead: int | None = None,
) -> Iterator[_Result]:
    """`function` over `tasks` in forked worker processes; results in task order.

    `shared` reaches each worker through the pool's initializer (`worker_shared`); with fork
    it is inherited, not pickled. Tasks are taken at most `ahead` (default: two per worker)
    ahead of the results, so a stream of inputs stays a stream; workers inherit the loaded
    modules and their caches.
    """
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_set_worker_shared, initargs=(shared,)
    )
    try:
        pending: deque[Future[_Result]] = deque()
        for task in tasks:
            pending.append(pool.submit(function, *task))
            while len(pending) > (2 * workers if ahead is None else ahead):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:  # interrupted or failed: do not wait for work nobody will read
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def many_objects() -> Iterator[None]:
    """Pause Python's cycle collector while a run makes millions of matches and their groups.

    They hold no reference cycles, and every full collection walks all of them: at 2.4 million
    matches (edited BBC at 100k) 30 full collections took 12 s of the parent's time, during
    verification, where the parent shares the cores with the workers, and clustering.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked here (they inherit the corpus instead of a copy)."""
    return "fork" in multiprocessing.get_all_start_methods()
