"""The stages composed: `cluster` groups the copies among inputs, `compare` checks a pair.

`cluster` reads as the data flow: prepare and sign every document (`run.prepared`), find the
candidate pairs (`index.candidates`), verify them (`run.verify_candidates`), then group, name
the originals and collect the evidence (`run.assemble`). The same core functions drive the
Spark engine (`dupdetect.spark`) and the persistent index (`dupdetect.Index`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import evaluate, evidence, extract, features, index, ingest, normalize, run, verify
from .agreement import fact_checks, lead_news, new_figure_lists
from .errors import InputError, SettingsError
from .ingest import Input
from .rarity import Rarity
from .records import (
    Cluster,
    Comparison,
    Document,
    FactPair,
    Member,
    Profile,
    Result,
    SkipLog,
    Skipped,
)
from .settings import Settings

Progress = run.Progress


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

    Inputs are read as a stream (see `run.Corpus`): memory holds signatures, not texts. With
    ``engine="spark"`` the same core runs on Apache Spark (`dupdetect.spark`) and gives the
    same result.

    Args:
        inputs: files, folders, ``-`` (JSONL on stdin) or `Document` objects.
        settings: parameters (defaults: `Settings()`).
        on_skip: called at once with each record that cannot be used.
        on_progress: hears of each stage and how far it got (`run.Progress`).
        with_evidence: also find, for every copy, the passages it shares with its original
            (`Result.evidence`, for reports).
        engine: ``local`` or ``spark``.
        spark_master: the Spark master URL (Spark engine).
        workers: processes that prepare and verify (local engine; default: one per core).

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
            inputs, settings, master=spark_master, on_skip=on_skip, on_progress=on_progress,
            with_evidence=with_evidence,
        )  # fmt: skip
    if engine != "local":
        raise SettingsError(f"engine must be 'local' or 'spark', got {engine!r}")
    s = settings or Settings()
    progress = on_progress or run.no_progress
    skip = SkipLog(on_skip)
    workers = workers or run.cores()

    corpus = run.Corpus(s)
    for signed in run.prepared(inputs, s, skip, workers):
        corpus.add(signed)
        if len(corpus.ids) % 100 == 1:
            progress("reading and signing documents", len(corpus.ids), None)
    if not corpus.ids:
        raise InputError("no document could be read from the inputs")
    progress("reading and signing documents", len(corpus.ids), len(corpus.ids))
    signatures, sizes = corpus.signatures()

    progress("finding candidate pairs", 0, None)
    pairs, strength = index.candidates(signatures, sizes, s.views, s.sign)
    del signatures, sizes
    verifier = verify.Verifier.of(corpus.rarity, s)
    with run.many_objects():
        matches, position = run.verify_candidates(
            corpus, verifier, pairs, strength, workers, progress
        )
        return run.assemble(corpus, matches, position, verifier, skip, with_evidence, progress)


def read_documents(
    inputs: Iterable[Input], settings: Settings, skip: SkipLog
) -> tuple[list[Document], list[Profile]]:
    """Read and profile every document of `inputs` at once, as two parallel lists."""
    documents, profiles = [], []
    for signed in run.prepared(inputs, settings, skip):
        assert signed.profile is not None, "prepared in this process"
        documents.append(signed.document)
        profiles.append(signed.profile)
    return documents, profiles


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
    `rarity.Rarity`), so scores differ a little from those of a `cluster` run, where the
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
    rarity = Rarity.of_profiles(profiles)
    verifier = verify.Verifier.of(rarity, s)
    scores = verifier.scores(profiles[0], profiles[1], complete=True)
    kind, score, weak, reason = verifier.verdict(scores, min(p.n_words for p in profiles))
    judged = list(verifier.bodies(*profiles)[:2]) if scores.get("furniture_lines") else profiles
    texts = [normalize.normalize(d.text) for d in documents]
    sentences = [verifier.sentence_profile(p) for p in judged]
    v = s.verify
    return Comparison(
        a=documents[0].id,
        b=documents[1].id,
        kind=kind,
        score=round(score, 4),
        scores=scores,
        thresholds=v.thresholds(),
        passages=evidence.evidence(texts[0], texts[1], kind, rarity),
        weak=weak,
        reason=reason,
        facts=fact_pairs(verifier, judged, [p.text for p in judged]),
        new_figures=new_figure_lists(*sentences),
        lead_news=lead_news(*sentences),
    )


def fact_pairs(
    verifier: verify.Verifier, profiles: list[Profile], texts: list[str]
) -> list[FactPair]:
    """The facts of every pair of corresponding sentences of two texts, contradictions first."""
    short, long_, pairs, flipped = verifier.alignment(profiles[0], profiles[1])
    sentences = [features.aligned_sentences(t) for t in texts]
    found = []
    for check in fact_checks(short, long_, pairs):
        a, b = (check.long, check.short) if flipped else (check.short, check.long)
        only_a, only_b = (
            (check.long_only, check.short_only) if flipped else (check.short_only, check.long_only)
        )
        found.append(FactPair(sentences[0][a], sentences[1][b], check.shared, only_a, only_b))
    return sorted(found, key=lambda f: not f.contradicts)


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
    result.evidence = run.collect_evidence(result, Rarity.of_profiles(profiles))
    return result
