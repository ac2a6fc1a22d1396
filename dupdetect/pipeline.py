"""The stages composed: `cluster` groups the copies among inputs, `compare` checks a pair."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

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
    verify,
)
from .errors import InputError
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
from .settings import Settings

Progress = Callable[[str], None]
Input = str | os.PathLike[str] | Document


def profiled(
    inputs: Iterable[Input], settings: Settings, skip: SkipLog
) -> Iterator[tuple[Document, Profile]]:
    """Read, extract, normalize and profile the input documents one at a time.

    Texts with no words are skipped; a text file's first line becomes its title when short.
    """
    shingle_size = settings.view("verbatim").shingle_size
    for document in extract.extract_all(ingest.read(inputs, settings.ingest, skip), skip):
        text = normalize.normalize(document.text)
        profile = features.profile(text, shingle_size)
        if profile.n_words == 0:
            skip(document.source, "no words in the text")
            continue
        if document.title is None:
            document = replace(document, title=features.headline(text))
        yield document, profile


def read_documents(
    inputs: Iterable[Input], settings: Settings, skip: SkipLog
) -> tuple[list[Document], list[Profile]]:
    """All of `profiled` at once, as two parallel lists."""
    documents, profiles = [], []
    for document, profile in profiled(inputs, settings, skip):
        documents.append(document)
        profiles.append(profile)
    return documents, profiles


def cluster(
    inputs: Iterable[Input],
    settings: Settings | None = None,
    *,
    on_skip: Callable[[Skipped], None] | None = None,
    on_progress: Progress | None = None,
    with_evidence: bool = False,
) -> Result:
    """Find and group the copies among `inputs`.

    Args:
        inputs: files, folders, ``-`` (JSONL on stdin) or `Document` objects.
        settings: parameters (defaults: `Settings()`).
        on_skip: called at once with each record that cannot be used.
        on_progress: called with a short message as each stage starts.
        with_evidence: also find, for every copy, the passages it shares with its original
            (`Result.evidence`, for reports).

    Returns:
        A `Result` with the documents, the clusters (largest first), the verified matches and the
        skipped records.

    Raises:
        InputError: an input path does not exist, or nothing could be read.

    Example:
        >>> result = cluster([Document(id="a", text="one two three " * 10),
        ...                   Document(id="b", text="one two three " * 10)])
        >>> [(m.id, m.role, m.kind) for m in result.clusters[0].members]
        [('a', 'original', None), ('b', 'copy', 'exact')]
    """
    s = settings or Settings()
    progress = on_progress or (lambda message: None)
    skip = SkipLog(on_skip)
    progress("reading")
    documents, profiles = read_documents(inputs, s, skip)
    if not documents:
        raise InputError("no document could be read from the inputs")

    # Exact copies are grouped by content hash up front, so a page crawled a thousand times
    # costs one LSH entry and one set of candidate pairs, not half a million.
    first_of_hash: dict[str, int] = {}
    exact: list[Match] = []
    unique: list[int] = []
    for i, p in enumerate(profiles):
        j = first_of_hash.setdefault(p.content_hash, i)
        if j == i:
            unique.append(i)
        else:
            exact.append(Match(documents[j].id, documents[i].id, "exact", 1.0, {"exact": 1.0}))

    progress(f"signing {len(unique)} unique texts of {len(documents)} documents")
    keys = [documents[i].id for i in unique]
    signatures, set_sizes = {}, {}
    for v in s.views:
        sets = [features.view_sets(profiles[i], v.name) for i in unique]
        signatures[v.name] = sign.sign(sets, s.sign)
        set_sizes[v.name] = np.array([len(x) for x in sets])
    stats = features.TermStats(profiles[i] for i in unique)
    verifier = verify.Verifier(stats.idf, s.verify)
    profile_of = {documents[i].id: profiles[i] for i in unique}

    @cache
    def relate(a: str, b: str) -> Match | None:
        return verifier(a, b, profile_of[a], profile_of[b])

    def relate_any_order(a: str, b: str) -> Match | None:
        return relate(*sorted((a, b)))

    progress("finding and verifying candidate pairs")
    matches = [
        m
        for i, j in index.candidates(keys, signatures, set_sizes, s.views, s.sign)
        if (m := relate_any_order(keys[i], keys[j])) is not None
    ]

    progress(f"clustering {len(matches)} verified pairs")
    groups = clustering.group(keys, matches, s.cluster, relate_any_order)
    groups = _with_exact_copies(groups, exact)
    by_id = {d.id: d for d in documents}
    n_words = {d.id: p.n_words for d, p in zip(documents, profiles, strict=True)}
    relate_exact = _exact_aware(relate_any_order, exact)
    clusters = attribute.attribute(groups, by_id, matches + exact, n_words, relate_exact)
    result = Result(documents, clusters, matches + exact, skip.items)
    if with_evidence:
        progress("collecting the shared passages")
        result.evidence = collect_evidence(result, stats.idf)
    return result


def collect_evidence(result: Result, idf: Callable[[str], float]) -> dict[str, list[Passage]]:
    """For every copy in `result`, the passages it shares with its cluster's original."""
    by_id = {d.id: d for d in result.documents}
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
