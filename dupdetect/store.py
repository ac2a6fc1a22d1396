"""The persistent index's record: one SQLite file of documents, signatures and term counts.

SQLite is the system of record: documents (with their text, so they can be verified and
reported), content hashes, MinHash signatures as raw little-endian uint32 bytes, and the
document frequencies rarity weights come from. It is written in WAL mode with one transaction
per batch, so a crash loses at most the batch in flight, two writers wait for each other instead
of failing, and a reader always sees the last committed state. Nothing is ever pickled or
unpickled: an index file from a stranger is data, not code. The LSH tables and the query path
live in `dupdetect.search`.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .errors import IndexCorruptError, IndexMismatchError
from .rarity import Rarity
from .records import Document, Signed
from .settings import Settings

FORMAT_VERSION = 2  # 2: documents.date_source (a version-1 index is upgraded when opened)
_DOCUMENT_FIELDS = "id, text, title, url, site, date, source, date_source"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, title TEXT, url TEXT, site TEXT,
    date TEXT, source TEXT, text TEXT NOT NULL, n_words INTEGER NOT NULL, date_source TEXT);
CREATE INDEX IF NOT EXISTS documents_by_hash ON documents (content_hash);
CREATE TABLE IF NOT EXISTS signatures (
    doc_id TEXT NOT NULL, view TEXT NOT NULL, size INTEGER NOT NULL, hashvalues BLOB NOT NULL,
    PRIMARY KEY (doc_id, view));
CREATE TABLE IF NOT EXISTS terms (doc_id TEXT PRIMARY KEY, terms TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS df (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""
# Documents written while Redis holds the LSH tables and not yet pushed there (see `search`).
_UNSYNCED = "CREATE TABLE IF NOT EXISTS unsynced (doc_id TEXT PRIMARY KEY);"
_TABLES = {"meta", "documents", "signatures", "terms", "df"}
LISTING_COLUMNS = ("id", "title", "url", "site", "date", "source", "words")  # `Store.listing`


@contextmanager
def _reported(path: Path) -> Iterator[None]:
    """Turn a database error into one `IndexCorruptError` line naming the file."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        raise IndexCorruptError(
            f"{path} is damaged ({error}); `dupdetect index stats` checks it; restore a backup "
            "or rebuild it with `index add`"
        ) from None


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _guarded(method: _Method) -> _Method:
    """`_reported` around a `Store` method (a generator's iteration included)."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(self: Store, *args: Any, **kwargs: Any) -> Any:
            with _reported(self.path):
                yield from method(self, *args, **kwargs)

        return generator  # type: ignore[return-value]

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        with _reported(self.path):
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class Store:
    """A dupdetect index file: open (or create) it, write batches, read documents and signatures.

    Every database error is raised as `IndexCorruptError`, naming the file: a damaged index
    gives one line, never a traceback.

    Args:
        path: the index file.
        settings: the settings of a new index. An existing index keeps the settings it was
            built with; asking for other signature settings raises `IndexMismatchError`.
        create: make a new index when there is no file (or an empty one) at `path`; otherwise
            such a path is refused, and nothing is written to it.

    Raises:
        IndexCorruptError: the file is not a dupdetect index, or is damaged.
        IndexMismatchError: it was built with other signature settings or a newer format.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        settings: Settings | None = None,
        *,
        create: bool = True,
    ) -> None:
        self.path = Path(path)
        self.db = _connect(self.path, create)
        try:
            with _reported(self.path):
                self.settings = self._check_meta(settings)
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    # -- writing --------------------------------------------------------------------------------
    def write(
        self, batch: Sequence[Signed], track_unsynced: bool = False
    ) -> list[tuple[str, str | None]]:
        """Store a batch of signed documents in one transaction.

        A document whose id is already stored replaces it (its term counts are taken back).
        With `track_unsynced`, the batch's ids are also recorded as not yet in Redis.

        Returns:
            ``(id, source of the document it replaced)`` per document, None for a new id.
        """
        written: list[tuple[str, str | None]] = []
        with _reported(self.path), transaction(self.db) as db:
            for signed in batch:
                d = signed.document
                old = db.execute("SELECT source FROM documents WHERE id = ?", (d.id,)).fetchone()
                self._forget_terms(db, d.id)
                written.append((d.id, old[0] if old else None))
                db.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (d.id, f"{signed.exact_key:016x}", d.title, d.url, d.site, d.date,
                     d.source, d.text, signed.n_words, d.date_source),
                )  # fmt: skip
                db.executemany(
                    "INSERT OR REPLACE INTO signatures VALUES (?, ?, ?, ?)",
                    [
                        (d.id, view, signed.sizes[view], np.asarray(row, "<u4").tobytes())
                        for view, row in signed.signatures.items()
                    ],
                )
                terms = sorted(signed.terms)
                db.execute("INSERT OR REPLACE INTO terms VALUES (?, ?)", (d.id, json.dumps(terms)))
                _count_terms(db, terms, +1)
                if track_unsynced:
                    db.execute("INSERT OR IGNORE INTO unsynced VALUES (?)", (d.id,))
        return written

    @_guarded
    def remove(self, ids: Sequence[str]) -> list[str]:
        """Remove documents by id in one transaction; return the ids that were stored."""
        removed = []
        with transaction(self.db) as db:
            for doc_id in ids:
                if self._forget_terms(db, doc_id):
                    for table, key in (("documents", "id"), ("signatures", "doc_id")):
                        db.execute(f"DELETE FROM {table} WHERE {key} = ?", (doc_id,))
                    removed.append(doc_id)
            if removed:
                generation = int(self.meta().get("generation", "0")) + 1
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(generation),)
                )
        return removed

    def _forget_terms(self, db: sqlite3.Connection, doc_id: str) -> bool:
        """Take a stored document's terms out of the counts; return whether it was stored."""
        old = db.execute("SELECT terms FROM terms WHERE doc_id = ?", (doc_id,)).fetchone()
        if old is None:
            return False
        _count_terms(db, json.loads(old[0]), -1)
        db.execute("DELETE FROM terms WHERE doc_id = ?", (doc_id,))
        return True

    @_guarded
    def set_meta(self, key: str, value: str) -> None:
        """Set one meta value (in its own transaction)."""
        with transaction(self.db) as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def track_unsynced(self) -> None:
        """Create the table of documents not yet pushed to Redis (once an index uses Redis)."""
        self.db.execute(_UNSYNCED)

    @_guarded
    def unsynced(self) -> list[str]:
        """Ids written while Redis held the tables but not pushed there yet."""
        if "unsynced" not in _tables(self.db):
            return []
        return [r[0] for r in self.db.execute("SELECT doc_id FROM unsynced ORDER BY doc_id")]

    @_guarded
    def mark_synced(self, ids: Sequence[str]) -> None:
        """Record that these documents are in Redis."""
        with transaction(self.db) as db:
            db.executemany("DELETE FROM unsynced WHERE doc_id = ?", [(i,) for i in ids])

    # -- reading --------------------------------------------------------------------------------
    @_guarded
    def meta(self) -> dict[str, str]:
        """The meta table."""
        return dict(self.db.execute("SELECT key, value FROM meta").fetchall())

    @_guarded
    def get(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None."""
        row = self.db.execute(
            f"SELECT {_DOCUMENT_FIELDS} FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        return Document(*row) if row else None

    @_guarded
    def documents(self) -> Iterator[Document]:
        """Every stored document, in id order."""
        for row in self.db.execute(f"SELECT {_DOCUMENT_FIELDS} FROM documents ORDER BY id"):
            yield Document(*row)

    @_guarded
    def listing(self) -> Iterator[dict[str, Any]]:
        """Every stored document's id and metadata (no text), in id order."""
        rows = self.db.execute(
            "SELECT id, title, url, site, date, source, n_words FROM documents ORDER BY id"
        )
        for row in rows:
            yield dict(zip(LISTING_COLUMNS, row, strict=True))

    @_guarded
    def get_many(self, ids: Sequence[str]) -> dict[str, Document]:
        """The stored documents among `ids`, by id."""
        found: dict[str, Document] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT {_DOCUMENT_FIELDS} FROM documents WHERE id IN ({marks})", chunk
            )
            found.update((row[0], Document(*row)) for row in rows)
        return found

    @_guarded
    def rarity(self) -> Rarity:
        """The rarity weights of everything stored."""
        (n_docs,) = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()
        return Rarity(dict(self.db.execute("SELECT term, n FROM df WHERE n > 0")), n_docs)

    @_guarded
    def signatures(
        self, view: str, after: int = 0
    ) -> tuple[list[str], np.ndarray, np.ndarray, int]:
        """The stored signatures of one view whose rows are newer than `after` (a rowid).

        Returns:
            ids, the ``(n, num_perm)`` signature matrix, the set sizes, and the newest rowid
            read (to pass as `after` next time: a replaced document gets a new row).
        """
        rows = self.db.execute(
            "SELECT rowid, doc_id, size, hashvalues FROM signatures "
            "WHERE view = ? AND rowid > ? ORDER BY rowid",
            (view, after),
        ).fetchall()
        num_perm = self.settings.sign.num_perm
        matrix = np.frombuffer(b"".join(r[3] for r in rows), dtype="<u4").astype(np.uint32)
        newest = rows[-1][0] if rows else after
        sizes = np.array([r[2] for r in rows], dtype=np.int64)
        return [r[1] for r in rows], matrix.reshape(len(rows), num_perm), sizes, newest

    @_guarded
    def signatures_of(self, ids: Sequence[str], view: str) -> dict[str, tuple[np.ndarray, int]]:
        """Each stored id's signature and set size in one view."""
        found: dict[str, tuple[np.ndarray, int]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                "SELECT doc_id, size, hashvalues FROM signatures "
                f"WHERE view = ? AND doc_id IN ({marks})",
                (view, *chunk),
            )
            for doc_id, size, blob in rows:
                found[doc_id] = (np.frombuffer(blob, dtype="<u4").astype(np.uint32), size)
        return found

    @_guarded
    def version(self) -> tuple[int, str]:
        """What changes when another connection writes: SQLite's data version and the generation.

        A long-lived handle compares it before each query to see others' additions; the
        generation changes only when documents are removed.
        """
        (data_version,) = self.db.execute("PRAGMA data_version").fetchone()
        return data_version, self.meta().get("generation", "0")

    @_guarded
    def count(self) -> int:
        """Documents stored."""
        (n,) = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()
        return int(n)

    @_guarded
    def stats(self) -> dict[str, Any]:
        """Documents, views, size on disk, format version and settings."""
        (unique,) = self.db.execute(
            "SELECT COUNT(DISTINCT substr(content_hash, 1, 16)) FROM documents"
        ).fetchone()
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "path": str(self.path),
            "documents": self.count(),
            "unique_texts": unique,
            "views": [v.name for v in self.settings.views],
            "num_perm": self.settings.sign.num_perm,
            "bytes": size,
            "format_version": FORMAT_VERSION,
        }

    def check(self) -> list[str]:
        """Integrity problems found in the file (an empty list means it is sound)."""
        try:
            problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
            expected = len(self.settings.views)
            bad = self.db.execute(
                "SELECT d.id, COUNT(s.view) FROM documents d "
                "LEFT JOIN signatures s ON s.doc_id = d.id "
                "GROUP BY d.id HAVING COUNT(s.view) != ?",
                (expected,),
            ).fetchall()
        except sqlite3.DatabaseError as error:
            return [f"the file is damaged ({error})"]
        problems += self._unsynced_problems()
        problems += [f"document {i!r} has {n} signatures, expected {expected}" for i, n in bad]
        return problems

    def _unsynced_problems(self) -> list[str]:
        waiting = self.unsynced()
        if not waiting:
            return []
        return [
            f"{len(waiting)} document(s) are not in Redis yet (first: {waiting[0]!r}); "
            "open the index with --redis to push them"
        ]

    # -- internals ------------------------------------------------------------------------------
    def _check_meta(self, settings: Settings | None) -> Settings:
        meta = self.meta()
        if not meta:
            chosen = settings or Settings()
            with transaction(self.db) as db:
                db.executemany(
                    "INSERT OR IGNORE INTO meta VALUES (?, ?)",
                    [
                        ("format", "dupdetect-index"),
                        ("format_version", str(FORMAT_VERSION)),
                        ("settings", json.dumps(chosen.to_dict())),
                        ("signature_key", chosen.signature_key()),
                    ],
                )
            meta = self.meta()
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


def _connect(path: Path, create: bool) -> sqlite3.Connection:
    """Open an index file; refuse anything that is not an index before writing anything to it.

    Only a missing or empty file becomes a new index, and only with `create`; a file that is
    not an index is refused before anything is written to it (not even the switch to WAL).
    """
    empty = not path.exists() or not path.stat().st_size
    if not empty:
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise IndexCorruptError(f"{path} is not a dupdetect index (not an SQLite file)")
    elif not create:
        raise IndexCorruptError(f"{path}: no such index (create it with `index add`)")
    try:
        db = sqlite3.connect(path, timeout=60, isolation_level=None)
        tables = _tables(db)
        if not _TABLES <= tables and (tables or not (empty or _is_blank(db)) or not create):
            db.close()
            raise IndexCorruptError(f"{path} is an SQLite file but not a dupdetect index")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if not tables:
            db.executescript(_SCHEMA)  # idempotent: two processes may race to create it
        elif "date_source" not in {r[1] for r in db.execute("PRAGMA table_info(documents)")}:
            db.execute("ALTER TABLE documents ADD COLUMN date_source TEXT")  # version 1
    except sqlite3.DatabaseError as error:
        raise IndexCorruptError(f"{path} is not a readable dupdetect index ({error})") from None
    return db


def _is_blank(db: sqlite3.Connection) -> bool:
    """An SQLite file with nothing in it (no table, no user version): safe to make an index."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    return version == 0 and not db.execute("SELECT 1 FROM sqlite_master").fetchone()


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _chunks(ids: Sequence[str], size: int = 900) -> Iterator[Sequence[str]]:
    """`ids` in chunks under SQLite's limit on bound parameters."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class transaction:  # noqa: N801 (used as a statement: ``with transaction(db) as db``)
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
