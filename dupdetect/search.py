"""The persistent index: add articles over time, check new ones against everything stored.

`Index` is a driver over the same core as a run: documents are prepared and signed by
`run.prepared`, stored by `store.Store` (the SQLite record), found through LSH tables
(`index.BandTables` in memory, or `index.RedisTables` when several processes share the index),
pruned by `index.prune` and judged by `verify.verify_pairs` with the rarity of everything
stored, so a query and a `cluster` run give the same verdict on the same pair.

A long-lived handle sees what other processes add: before each query it reads the signature
rows written since it last looked (and rebuilds its tables when documents were removed).
With Redis, a batch is first committed to SQLite, where its ids wait in an ``unsynced`` table
until they are in Redis too; a handle that opens the index pushes what is waiting, and
`Index.check` reports it, so a Redis failure in the middle of an add is repaired, never silent.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import urlparse

import numpy as np

from . import attribute, clustering, index, pipeline, run, verify
from .errors import DupdetectError, InputError, SettingsError
from .ingest import Input
from .rarity import Rarity
from .records import Document, Match, Profile, Result, Signed, SkipLog, Skipped
from .settings import Settings
from .store import Store

BATCH = 500  # documents per transaction
FAMILY_LIMIT = 200  # indexed documents searched for the family a loose match may join
Tables = dict[str, index.BandTables | index.RedisTables]


class Index:
    """A dupdetect index in one SQLite file (and optionally Redis for the LSH tables).

    Args:
        path: the index file; created when it does not exist.
        settings: the settings of a new index. An existing index keeps the settings it was
            built with; asking for other signature settings raises `IndexMismatchError`.
        redis: a ``redis://host:port/db`` URL: keep the LSH tables there, shared by every
            process that opens an index with the same file and URL.
        create: make a new index when there is no file at `path` (otherwise refused).

    Example:
        >>> with Index("news.ddx") as idx:  # doctest: +SKIP
        ...     idx.add(["samples/"])
        ...     idx.query(Document("new", text))
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        settings: Settings | None = None,
        *,
        redis: str | None = None,
        create: bool = True,
    ) -> None:
        self.redis = redis
        self._redis_config = _redis_config(redis, path) if redis else None
        self.store = Store(path, settings, create=create)
        self.settings = self.store.settings
        self.path = self.store.path
        self._tables: Tables | None = None
        self._seen: dict[str, int] = {}  # per view, the newest signature row in the tables
        self._version: tuple[int, str] | None = None
        if redis:
            self.store.track_unsynced()
            if self.store.meta().get("redis") != redis:
                self.store.set_meta("redis", redis)

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self.store.close()

    # -- writing --------------------------------------------------------------------------------
    def add(
        self,
        inputs: Iterable[Input],
        *,
        on_skip: Callable[[Skipped], None] | None = None,
        on_progress: run.Progress | None = None,
        on_replace: Callable[[str, str, str], None] | None = None,
    ) -> dict[str, int]:
        """Read, sign and store documents, one transaction per `BATCH` documents.

        A document whose id is already indexed replaces it (`on_replace` hears of each, with
        the id and the old and new sources); identical content under a new id is stored too,
        and queries report it as an exact copy.

        Returns:
            counts: ``added``, ``replaced`` and ``skipped``.
        """
        skip = SkipLog(on_skip)
        counts = {"added": 0, "replaced": 0, "skipped": 0}
        batch: list[Signed] = []
        progress = on_progress or run.no_progress
        for signed in run.prepared(inputs, self.settings, skip, run.cores()):
            batch.append(signed)
            if len(batch) >= BATCH:
                self._write(batch, counts, on_replace)
                batch = []
                progress("adding documents", counts["added"] + counts["replaced"], None)
        if batch:
            self._write(batch, counts, on_replace)
        counts["skipped"] = len(skip.items)
        return counts

    def _write(
        self,
        batch: list[Signed],
        counts: dict[str, int],
        on_replace: Callable[[str, str, str], None] | None,
    ) -> None:
        shared = "redis" in self.store.meta()
        sources = {s.document.id: s.document.source for s in batch}
        for doc_id, replaced in self.store.write(batch, track_unsynced=shared):
            counts["added" if replaced is None else "replaced"] += 1
            if replaced is not None and on_replace is not None:
                on_replace(doc_id, replaced, sources[doc_id])
        if self.redis:
            self._push_unsynced()
        elif self._tables is not None:  # our own commits do not change what `_lsh` watches
            self._load_new_rows(self._tables)

    def remove(self, ids: Sequence[str]) -> list[str]:
        """Remove documents by id; return those that were indexed."""
        removed = self.store.remove(ids)
        if removed and self._tables is not None:
            for table in self._tables.values():
                for doc_id in removed:
                    table.remove(doc_id)
        return removed

    # -- reading --------------------------------------------------------------------------------
    def query(self, document: Document | str | os.PathLike[str]) -> list[Match]:
        """The indexed documents that `document` copies or is copied by, best first.

        The queried document is not added. Matches carry ``a`` = the queried id and ``b`` = the
        indexed id.
        """
        skip = SkipLog()
        found = list(run.prepared([document], self.settings, skip))
        if len(found) != 1:
            why = "; ".join(str(s) for s in skip.items) or f"it holds {len(found)} documents"
            raise InputError(f"cannot query {document}: {why}")
        return self.query_signed(found)[0][1]

    def query_signed(self, items: Sequence[Signed]) -> list[tuple[Document, list[Match]]]:
        """Query several prepared documents (see `query`)."""
        tables = self._lsh()
        verifier = verify.Verifier.of(self.store.rarity(), self.settings)
        results = []
        for signed in items:
            d = signed.document
            keys: set[str] = set()
            for name, table in tables.items():
                keys.update(str(k) for k in table.query(signed.signatures[name]))
            if d.id in keys and self._same_document(d.id, signed):
                keys.discard(d.id)  # the query is itself indexed: not a copy of itself
            likely = self._likely(sorted(keys), signed)
            found = self.store.get_many(likely)
            profiles = {i: run.profile_text(doc, self.settings) for i, doc in found.items()}
            assert signed.profile is not None, "prepared in this process"
            query_key = f"{d.id}\x00query"  # the indexed document may carry the same id
            profiles[query_key] = signed.profile
            pairs = ((d.id, other, query_key, other) for other in likely if other in profiles)
            matches = [
                _as_query(m, d.id)
                for *_, m in verify.verify_pairs(pairs, profiles.__getitem__, verifier)
            ]
            matches = self._loose_in_families(d.id, query_key, matches, profiles, verifier)
            matches.sort(key=lambda m: (-m.score, m.b))
            results.append((d, matches))
        return results

    def _same_document(self, doc_id: str, signed: Signed) -> bool:
        """Whether the indexed document with this id has the queried text."""
        row = self.store.db.execute(
            "SELECT content_hash FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        return row is not None and row[0][:16] == f"{signed.exact_key:016x}"

    def _loose_in_families(
        self,
        query: str,
        query_key: str,
        matches: list[Match],
        profiles: dict[str, Profile],
        verifier: verify.Verifier,
    ) -> list[Match]:
        """The matches, with a weak one kept only where `cluster` would keep it.

        A weak match (a loose retelling) counts only when it brings the query into a family of
        rewrites (`clustering.group`), as in a run. The family is the indexed documents the
        loosely matched ones are copies of (searched in the index, `FAMILY_LIMIT` at most);
        the query is verified against each, and the family's members it matches are returned.
        """
        loose = sorted(m.b for m in matches if m.weak)
        if not loose:
            return matches
        family, among = self._family(loose, profiles, verifier)

        def profile(doc_id: str) -> Profile:
            return profiles[query_key if doc_id == query else doc_id]

        @functools.cache  # clustering asks again for pairs verified here
        def relate(a: str, b: str) -> Match | None:
            return verifier.in_id_order(a, profile(a), b, profile(b))

        direct = {m.b for m in matches}
        found = [*matches]
        for member in sorted(family - direct - {query}):
            if (m := relate(query, member)) is not None:
                found.append(_as_query(m, query))
        ids = {query, *family, *(x for m in (*found, *among) for x in (m.a, m.b))}
        groups = clustering.group(
            [query, *sorted(ids - {query})],
            [*found, *among],
            self.settings.cluster,
            relate,
            lambda a, b: verify.shingle_overlap(profile(a), profile(b)),
        )
        joined = next((set(g) for g in groups if query in g), set())
        return [m for m in found if not m.weak or m.b in joined]

    def _family(
        self, seeds: list[str], profiles: dict[str, Profile], verifier: verify.Verifier
    ) -> tuple[set[str], list[Match]]:
        """The indexed documents tied to `seeds` by rewrite matches (weak too), and the matches.

        This is what `clustering.group` needs to tell whether a query joins their family. The
        seeds and the documents their rewrites reach, strong or weak, are searched: a loose
        document's look-alikes decide whether the query is a retelling or a saga's story. A
        near-verbatim or exact copy joins the family without being searched itself: it has its
        member's matches (in a crawl, dozens of near-copies surround each story).
        """
        family, todo, matches = set(seeds), list(seeds), []
        while todo and len(family) < FAMILY_LIMIT:
            doc_id = todo.pop()
            for other, m in self._stored_matches(doc_id, profiles, verifier):
                if m.kind == "partial":
                    continue
                matches.append(m)
                if other not in family:
                    family.add(other)
                    if m.kind == "rewrite":
                        todo.append(other)
        return family, matches

    def _stored_matches(
        self, doc_id: str, profiles: dict[str, Profile], verifier: verify.Verifier
    ) -> list[tuple[str, Match]]:
        """An indexed document's verified matches among the other indexed documents."""
        signatures, sizes = {}, {}
        for v in self.settings.views:
            row, size = self.store.signatures_of([doc_id], v.name)[doc_id]
            signatures[v.name], sizes[v.name] = row, size
        signed = Signed(Document(doc_id, ""), 0, 0, signatures, sizes, ())
        keys: set[str] = set()
        for name, table in self._lsh().items():
            keys.update(str(k) for k in table.query(signatures[name]))
        keys.discard(doc_id)
        likely = self._likely(sorted(keys), signed)
        missing = [i for i in [doc_id, *likely] if i not in profiles]
        for i, document in self.store.get_many(missing).items():
            profiles[i] = run.profile_text(document, self.settings)
        pairs = ((doc_id, other, doc_id, other) for other in likely if other in profiles)
        return [(b, m) for _, b, m in verify.verify_pairs(pairs, profiles.__getitem__, verifier)]

    def _likely(self, ids: list[str], signed: Signed) -> list[str]:
        """The candidates that pass `index.prune` against the query (the rule of a run)."""
        if not ids:
            return []
        estimates = {}
        for v in self.settings.views:
            stored = self.store.signatures_of(ids, v.name)
            known = [i for i in ids if i in stored]
            matrix = np.vstack([signed.signatures[v.name], *(stored[i][0] for i in known)])
            sizes = np.array([signed.sizes[v.name], *(stored[i][1] for i in known)])
            pairs = np.column_stack((np.zeros(len(known), np.int64), np.arange(1, len(known) + 1)))
            by_id = dict(zip(known, index.estimated_containment(pairs, matrix, sizes), strict=True))
            estimates[v.name] = np.array([by_id.get(i, 0.0) for i in ids])
        keep, _ = index.prune(estimates, self.settings.views)
        return [doc_id for doc_id, kept in zip(ids, keep.tolist(), strict=True) if kept]

    def get(self, doc_id: str) -> Document | None:
        """The indexed document with this id, or None."""
        return self.store.get(doc_id)

    def documents(self) -> Iterator[Document]:
        """Every indexed document, in id order."""
        return self.store.documents()

    def listing(self) -> Iterator[dict[str, Any]]:
        """Every indexed document's id and metadata, in id order."""
        return self.store.listing()

    def cluster(self, **options: Any) -> Result:
        """Cluster everything in the index, exactly as `dupdetect.cluster` would."""
        return pipeline.cluster(self.documents(), self.settings, **options)

    def stats(self) -> dict[str, Any]:
        """Documents, views, size on disk, format version, and where the LSH tables are."""
        return {**self.store.stats(), "lsh": "redis" if self.redis else "memory"}

    def check(self) -> list[str]:
        """Integrity problems found (an empty list means the index is sound).

        With Redis, documents that are stored but not (yet) in Redis are problems too.
        """
        return self.store.check()

    # -- LSH tables -----------------------------------------------------------------------------
    def _lsh(self) -> Tables:
        """The LSH tables, brought up to date with what other processes wrote."""
        version = self.store.version()
        if self._tables is None or (self._version and version[1] != self._version[1]):
            self._tables, self._seen = self._new_tables(), {}
            if self.redis:
                tables = self._tables.values()
                if all(isinstance(t, index.RedisTables) and t.is_empty() for t in tables):
                    self._load_new_rows(self._tables)
                self._push_unsynced()
        if not self.redis and version != self._version:
            self._load_new_rows(self._tables)
        self._version = version
        return self._tables

    def _new_tables(self) -> Tables:
        num_perm = self.settings.sign.num_perm
        if self._redis_config is None:
            return {v.name: index.BandTables(v, num_perm) for v in self.settings.views}
        try:
            return {
                v.name: index.RedisTables(v, self.settings.sign, self._redis_config(v.name))
                for v in self.settings.views
            }
        except Exception as error:  # redis-py raises its own kinds for every network failure
            raise DupdetectError(f"cannot reach Redis at {self.redis} ({error})") from None

    def _load_new_rows(self, tables: Tables) -> None:
        for name, table in tables.items():
            ids, matrix, _, newest = self.store.signatures(name, after=self._seen.get(name, 0))
            table.insert(ids, matrix)
            self._seen[name] = newest

    def _push_unsynced(self) -> None:
        """Put the documents that wait in the ``unsynced`` table into Redis."""
        waiting = self.store.unsynced()
        if not waiting:
            return
        tables = self._tables or self._new_tables()
        self._tables = tables
        try:
            for name, table in tables.items():
                found = self.store.signatures_of(waiting, name)
                ids = [i for i in waiting if i in found]
                matrix = np.array([found[i][0] for i in ids]).reshape(len(ids), -1)
                table.insert(ids, matrix)
        except Exception as error:  # redis-py's own kinds; SQLite keeps the record
            raise DupdetectError(
                f"stored {len(waiting)} document(s), but Redis at {self.redis} failed ({error}); "
                "they will be pushed when the index is next opened with --redis"
            ) from None
        self.store.mark_synced(waiting)


def query_result(
    answers: Sequence[tuple[Document, list[Match]]], idx: Index, settings: Settings
) -> Result:
    """The answers of `Index.query_signed` as a `Result`, for the HTML report.

    Each queried document with matches makes one cluster with them; its original is named as
    in a run (earliest date, else the most strongly matched), and the evidence is collected.
    """
    documents: dict[str, Document] = {}
    groups, matches = [], []
    for document, found in answers:
        if not found:
            continue
        documents[document.id] = document
        documents.update(idx.store.get_many([m.b for m in found]))
        groups.append([document.id, *(m.b for m in found)])
        matches += found
    profiles = {i: run.profile_text(d, settings) for i, d in documents.items()}
    n_words = {i: p.n_words for i, p in profiles.items()}  # as a run counts them
    size = settings.view("verbatim").shingle_size
    clusters = attribute.attribute(
        groups, documents, matches, [], n_words, lambda a, b: None,
        lambda i: profiles[i].shingles,
        framing_of=attribute.Framing(profiles.__getitem__, size),
    )  # fmt: skip
    queried = [d for d, found in answers if not found] + list(documents.values())
    result = Result(queried, clusters, matches, [], thresholds=settings.verify.thresholds())
    result.evidence = run.collect_evidence(result, Rarity.of_profiles(list(profiles.values())))
    return result


def _as_query(m: Match, query_id: str) -> Match:
    """A match named with the queried document first (`Match.a`)."""
    if m.a == query_id:
        return m
    return Match(m.b, m.a, m.kind, m.score, m.scores, m.weak)


def _redis_config(url: str, path: str | os.PathLike[str]) -> Callable[[str], dict[str, Any]]:
    """The datasketch Redis ``storage_config`` for each view of the index at `path`."""
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss") or not parsed.hostname:
        raise SettingsError(f"--redis must look like redis://host:port/db, got {url!r}")
    try:
        db = int((parsed.path or "/0").strip("/") or 0)
        port = parsed.port or 6379
    except ValueError:
        raise SettingsError(f"--redis must look like redis://host:port/db, got {url!r}") from None
    folder = os.path.realpath(path)

    def config(view: str) -> dict[str, Any]:
        return {
            "type": "redis",
            "basename": f"dupdetect:{folder}:{view}".encode(),
            "redis": {"host": parsed.hostname, "port": port, "db": db},
        }

    return config
