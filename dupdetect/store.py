"""A persistent index: add articles over time, check new ones against everything seen.

SQLite is the system of record: documents (with their text, so they can be verified and
reported), content hashes, MinHash signatures as raw little-endian uint32 bytes, and the
document frequencies rarity weights come from. It is written in WAL mode with one transaction
per batch, so a crash loses at most the batch in flight, two writers wait for each other instead
of failing, and a reader always sees the last committed state. The LSH tables are rebuilt from
the signatures when an index is opened, or kept in Redis through datasketch's own storage (with
byte keys and ``prepickle`` off). Nothing is ever pickled or unpickled: an index file from a
stranger is data, not code.

(This lives apart from `index`, the LSH stage, because it composes the whole pipeline.)
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlparse

import numpy as np
from datasketch import MinHashLSH

from . import features, index, normalize, pipeline, sign, verify
from .errors import IndexCorruptError, IndexMismatchError, InputError
from .records import Document, Match, Profile, Result, SkipLog, Skipped
from .settings import Settings

FORMAT_VERSION = 1
BATCH = 500  # documents per transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, title TEXT, url TEXT, site TEXT,
    date TEXT, source TEXT, text TEXT NOT NULL, n_words INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS documents_by_hash ON documents (content_hash);
CREATE TABLE IF NOT EXISTS signatures (
    doc_id TEXT NOT NULL, view TEXT NOT NULL, size INTEGER NOT NULL, hashvalues BLOB NOT NULL,
    PRIMARY KEY (doc_id, view));
CREATE TABLE IF NOT EXISTS terms (doc_id TEXT PRIMARY KEY, terms TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS df (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""
_TABLES = {"meta", "documents", "signatures", "terms", "df"}


class Index:
    """A dupdetect index in one SQLite file (and optionally Redis for the LSH tables).

    Args:
        path: the index file; created when it does not exist.
        settings: the settings of a new index. An existing index keeps the settings it was
            built with; asking for other signature settings raises `IndexMismatchError`.
        redis: a ``redis://host:port/db`` URL: keep the LSH tables there, shared by every
            process that opens an index with the same file and URL.

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
    ) -> None:
        self.path = Path(path)
        self.redis = redis
        self.db = _connect(self.path)
        self.settings = self._check_meta(settings)
        self._tables: dict[str, MinHashLSH] | None = None
        self._term_stats: features.TermStats | None = None

    # -- context manager ------------------------------------------------------------------------
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
        self.db.close()

    # -- writing --------------------------------------------------------------------------------
    def add(
        self,
        inputs: Iterable[pipeline.Input],
        *,
        on_skip: Callable[[Skipped], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> dict[str, int]:
        """Read, sign and store documents, one transaction per `BATCH` documents.

        A document whose id is already indexed replaces it; identical content under a new id is
        stored too, and queries report it as an exact copy.

        Returns:
            counts: ``added``, ``replaced`` and ``skipped``.
        """
        skip = SkipLog(on_skip)
        counts = {"added": 0, "replaced": 0, "skipped": 0}
        batch: list[tuple[Document, Profile]] = []
        for item in pipeline.profiled(inputs, self.settings, skip):
            batch.append(item)
            if len(batch) >= BATCH:
                self._write(batch, counts)
                batch = []
                if on_progress:
                    on_progress(counts["added"] + counts["replaced"])
        if batch:
            self._write(batch, counts)
        counts["skipped"] = len(skip.items)
        return counts

    def _write(self, batch: list[tuple[Document, Profile]], counts: dict[str, int]) -> None:
        views = self.settings.views
        sets = {v.name: [features.view_sets(p, v.name) for _, p in batch] for v in views}
        signatures = {name: sign.sign(x, self.settings.sign) for name, x in sets.items()}
        sizes = {name: [len(s) for s in x] for name, x in sets.items()}
        with _transaction(self.db) as db:
            for n, (d, p) in enumerate(batch):
                old = db.execute("SELECT terms FROM terms WHERE doc_id = ?", (d.id,)).fetchone()
                if old:
                    _count_terms(db, json.loads(old[0]), -1)
                    counts["replaced"] += 1
                else:
                    counts["added"] += 1
                db.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        d.id,
                        p.content_hash,
                        d.title,
                        d.url,
                        d.site,
                        d.date,
                        d.source,
                        d.text,
                        p.n_words,
                    ),
                )
                for v in views:
                    blob = np.asarray(signatures[v.name][n], "<u4").tobytes()
                    db.execute(
                        "INSERT OR REPLACE INTO signatures VALUES (?, ?, ?, ?)",
                        (d.id, v.name, sizes[v.name][n], blob),
                    )
                terms = sorted(p.terms)
                db.execute("INSERT OR REPLACE INTO terms VALUES (?, ?)", (d.id, json.dumps(terms)))
                _count_terms(db, terms, +1)
        # Keep the LSH tables current: Redis always (others read them), memory once built.
        tables = self._lsh() if self.redis else self._tables
        if tables is not None:
            keys = [d.id.encode("utf-8") for d, _ in batch]
            for v in views:
                for key in keys:
                    if key in tables[v.name]:
                        tables[v.name].remove(key)
                index.insert(tables[v.name], keys, signatures[v.name], self.settings.sign)
        self._term_stats = None

    # -- reading --------------------------------------------------------------------------------
    def query(self, document: Document | str | os.PathLike[str]) -> list[Match]:
        """The indexed documents that `document` copies or is copied by, best first.

        The queried document is not added. Matches carry ``a`` = the queried id and ``b`` = the
        indexed id.
        """
        skip = SkipLog()
        found = list(pipeline.profiled([document], self.settings, skip))
        if len(found) != 1:
            why = "; ".join(str(s) for s in skip.items) or f"it holds {len(found)} documents"
            raise InputError(f"cannot query {document}: {why}")
        return self.query_documents(found)[0][1]

    def query_documents(
        self, items: list[tuple[Document, Profile]]
    ) -> list[tuple[Document, list[Match]]]:
        """Query several profiled documents (see `query`)."""
        tables = self._lsh()
        stats = self._stats()
        verifier = verify.Verifier(stats.idf, self.settings.verify)
        results = []
        for d, p in items:
            sets = {v.name: features.view_sets(p, v.name) for v in self.settings.views}
            signatures = {name: sign.sign([x], self.settings.sign)[0] for name, x in sets.items()}
            keys: set[str] = set()
            for name, signature in signatures.items():
                for key in tables[name].query(index.lean_minhash(signature, self.settings.sign)):
                    keys.add(key.decode("utf-8") if isinstance(key, bytes) else str(key))
            keys.discard(d.id)
            sizes = {name: len(x) for name, x in sets.items()}
            likely = self._likely(sorted(keys), signatures, sizes)
            matches = []
            for other_id, other in self._profiles(likely):
                match = verifier(d.id, other_id, p, other)
                if match is not None:
                    matches.append(match)
            matches.sort(key=lambda m: (-m.score, m.b))
            results.append((d, matches))
        return results

    def documents(self) -> Iterator[Document]:
        """Every indexed document, in id order."""
        rows = self.db.execute(
            "SELECT id, text, title, url, site, date, source FROM documents ORDER BY id"
        )
        for row in rows:
            yield Document(*row)

    def get(self, doc_id: str) -> Document | None:
        """The indexed document with this id, or None."""
        row = self.db.execute(
            "SELECT id, text, title, url, site, date, source FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        return Document(*row) if row else None

    def cluster(self, **options: Any) -> Result:
        """Cluster everything in the index, exactly as `dupdetect.cluster` would."""
        return pipeline.cluster(self.documents(), self.settings, **options)

    def stats(self) -> dict[str, Any]:
        """Documents, views, size on disk, format version and settings."""
        (documents,) = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()
        (unique,) = self.db.execute("SELECT COUNT(DISTINCT content_hash) FROM documents").fetchone()
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "path": str(self.path),
            "documents": documents,
            "unique_texts": unique,
            "views": [v.name for v in self.settings.views],
            "num_perm": self.settings.sign.num_perm,
            "bytes": size,
            "format_version": FORMAT_VERSION,
            "lsh": "redis" if self.redis else "memory",
        }

    def check(self) -> list[str]:
        """Integrity problems found (an empty list means the index is sound)."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        expected = len(self.settings.views)
        bad = self.db.execute(
            "SELECT d.id, COUNT(s.view) FROM documents d LEFT JOIN signatures s ON s.doc_id = d.id "
            "GROUP BY d.id HAVING COUNT(s.view) != ?",
            (expected,),
        ).fetchall()
        problems += [f"document {i!r} has {n} signatures, expected {expected}" for i, n in bad]
        return problems

    # -- internals ------------------------------------------------------------------------------
    def _check_meta(self, settings: Settings | None) -> Settings:
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if not meta:
            chosen = settings or Settings()
            with _transaction(self.db) as db:
                db.executemany(
                    "INSERT OR IGNORE INTO meta VALUES (?, ?)",
                    [
                        ("format", "dupdetect-index"),
                        ("format_version", str(FORMAT_VERSION)),
                        ("settings", json.dumps(chosen.to_dict())),
                        ("signature_key", chosen.signature_key()),
                    ],
                )
            meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != "dupdetect-index":
            raise IndexCorruptError(f"{self.path} is not a dupdetect index")
        version = int(meta.get("format_version", "0"))
        if version > FORMAT_VERSION:
            raise IndexMismatchError(
                f"{self.path} has index format {version}; this dupdetect reads up to "
                f"{FORMAT_VERSION}: upgrade dupdetect"
            )
        stored = Settings.from_dict(json.loads(meta["settings"]))
        # Compared with the key written at build time: an index signed by an older dupdetect
        # (another view definition, say) has settings that now give a different key.
        built, wanted = meta.get("signature_key"), (settings or stored).signature_key()
        if built != wanted:
            raise IndexMismatchError(
                f"{self.path} was built with {built}, these settings ask for {wanted}; "
                "rebuild the index (dupdetect index add) with this version"
            )
        # Thresholds may change between runs; signatures may not.
        return settings or stored

    def _lsh(self) -> dict[str, MinHashLSH]:
        if self._tables is None:
            self._tables = {v.name: self._new_table(v.name) for v in self.settings.views}
            if self.redis is None or all(t.is_empty() for t in self._tables.values()):
                self._load_tables(self._tables)
        return self._tables

    def _new_table(self, view: str) -> MinHashLSH:
        threshold = self.settings.view(view).threshold
        num_perm = self.settings.sign.num_perm
        if self.redis is None:
            return MinHashLSH(threshold=threshold, num_perm=num_perm)
        url = urlparse(self.redis)
        config = {
            "type": "redis",
            "basename": f"dupdetect:{self.path.resolve()}:{view}".encode(),
            "redis": {"host": url.hostname or "127.0.0.1", "port": url.port or 6379,
                      "db": int((url.path or "/0").strip("/") or 0)},
        }  # fmt: skip
        return MinHashLSH(
            threshold=threshold, num_perm=num_perm, storage_config=config, prepickle=False
        )

    def _load_tables(self, tables: dict[str, MinHashLSH]) -> None:
        for name, table in tables.items():
            rows = self.db.execute(
                "SELECT doc_id, hashvalues FROM signatures WHERE view = ?", (name,)
            ).fetchall()
            keys = [doc_id.encode("utf-8") for doc_id, _ in rows]
            matrix = np.frombuffer(b"".join(blob for _, blob in rows), dtype="<u4")
            signatures = matrix.reshape(len(rows), self.settings.sign.num_perm)
            index.insert(table, keys, signatures, self.settings.sign)

    def _likely(
        self, ids: list[str], signatures: dict[str, np.ndarray], sizes: dict[str, int]
    ) -> list[str]:
        """The candidates whose stored signatures estimate a containment above a view's floor.

        The same pruning as a `cluster` run (`index.candidates`), before any text is re-read.
        """
        if not ids:
            return []
        keep = np.zeros(len(ids), dtype=bool)
        position = {doc_id: n for n, doc_id in enumerate(ids)}
        pairs = np.column_stack((np.zeros(len(ids), dtype=np.int64), np.arange(1, len(ids) + 1)))
        for v in self.settings.views:
            matrix = np.tile(signatures[v.name], (len(ids) + 1, 1))
            set_sizes = np.full(len(ids) + 1, sizes[v.name])
            for start in range(0, len(ids), 900):  # SQLite's limit on bound parameters
                chunk = ids[start : start + 900]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    "SELECT doc_id, size, hashvalues FROM signatures "
                    f"WHERE view = ? AND doc_id IN ({marks})",
                    (v.name, *chunk),
                )
                for doc_id, size, blob in rows:
                    matrix[position[doc_id] + 1] = np.frombuffer(blob, dtype="<u4")
                    set_sizes[position[doc_id] + 1] = size
            keep |= index.estimated_containment(pairs, matrix, set_sizes) >= v.floor
        return [doc_id for doc_id, kept in zip(ids, keep, strict=True) if kept]

    def _stats(self) -> features.TermStats:
        if self._term_stats is None:
            stats = features.TermStats()
            stats.df = Counter(dict(self.db.execute("SELECT term, n FROM df").fetchall()))
            (stats.n_docs,) = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()
            self._term_stats = stats
        return self._term_stats

    def _profiles(self, ids: list[str]) -> Iterator[tuple[str, Profile]]:
        shingle_size = self.settings.view("verbatim").shingle_size
        for doc_id in ids:
            row = self.db.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is not None:
                yield doc_id, features.profile(normalize.normalize(row[0]), shingle_size)


def _connect(path: Path) -> sqlite3.Connection:
    if path.exists() and path.stat().st_size:
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise IndexCorruptError(f"{path} is not a dupdetect index (not an SQLite file)")
    try:
        db = sqlite3.connect(path, timeout=60, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and not _TABLES <= tables:
            raise IndexCorruptError(f"{path} is an SQLite file but not a dupdetect index")
        if not tables:
            db.executescript(_SCHEMA)  # idempotent: two processes may race to create it
    except sqlite3.DatabaseError as error:
        raise IndexCorruptError(f"{path} is not a readable dupdetect index ({error})") from None
    return db


class _transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error): one writer at a time."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def _count_terms(db: sqlite3.Connection, terms: list[str], delta: int) -> None:
    db.executemany(
        "INSERT INTO df VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET n = n + excluded.n",
        [(t, delta) for t in terms],
    )
