"""Documents kept on disk during a run, read back by position: what keeps `cluster`'s memory flat.

A crawl's texts do not fit in memory, and most of them are never needed again once signed: only
the documents in candidate pairs are verified, only clustered ones are reported. So a run writes
each document to a temporary file as it is read (inputs such as stdin or a WARC stream cannot be
re-read cheaply) and keeps only its offset; `Spool` is a read-only sequence of `Document` over
that file, and the file goes away with it.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
import weakref
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import overload

import numpy as np

from .records import Document, Profile

# What a spool keeps, in order (a `Document` without its raw page).
FIELDS = ("id", "text", "title", "url", "site", "date", "source", "date_source")


class _Records:
    """Byte records appended to a temporary file and read back by position.

    Reads use `os.pread`, which leaves the file offset alone, so forked workers can read the
    same file.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the spool)
        weakref.finalize(self, self._file.close)
        self._offsets = array("q")
        self._end = 0
        self._unflushed = False

    def _append(self, record: bytes) -> int:
        self._file.seek(self._end)
        self._file.write(record)
        self._offsets.append(self._end)
        self._end += len(record)
        self._unflushed = True
        return len(self._offsets) - 1

    def _read(self, position: int) -> bytes:
        self.flush()
        start = self._offsets[position]
        end = self._offsets[position + 1] if position + 1 < len(self._offsets) else self._end
        return os.pread(self._file.fileno(), end - start, start)

    def flush(self) -> None:
        """Write out what is buffered (before worker processes read the file)."""
        if self._unflushed:
            self._file.flush()
            self._unflushed = False

    def __len__(self) -> int:
        return len(self._offsets)


class Spool(_Records, Sequence[Document]):
    """An append-only sequence of documents stored as JSON lines in a temporary file.

    The raw page (`Document.html`) is not kept: the text was extracted from it already.

    Example:
        >>> spool = Spool()
        >>> spool.append(Document("a", "one text")), spool.append(Document("b", "another"))
        (0, 1)
        >>> spool[1].text, len(spool), [d.id for d in spool]
        ('another', 2, ['a', 'b'])
    """

    def append(self, document: Document) -> int:
        """Store `document`; return its position."""
        record = asdict(document)
        line = json.dumps([record[f] for f in FIELDS], ensure_ascii=False).encode("utf-8")
        return self._append(line + b"\n")

    @overload
    def __getitem__(self, position: int) -> Document: ...
    @overload
    def __getitem__(self, position: slice) -> list[Document]: ...
    def __getitem__(self, position: int | slice) -> Document | list[Document]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        position = range(len(self))[position]  # negative positions, and IndexError
        return _document(self._read(position))

    def __iter__(self) -> Iterator[Document]:
        self.flush()
        with open(self._file.fileno(), "rb", closefd=False) as handle:
            handle.seek(0)
            for _ in range(len(self)):
                yield _document(handle.readline())


def _document(line: bytes) -> Document:
    return Document(*json.loads(line))


class ProfileSpool(_Records):
    """Profiles stored in a temporary file, read back by a document's position.

    Why: verification needs the profiles of the documents in candidate pairs, long after the
    first pass made them; recomputing one from its text (normalizing, tokenizing, hashing its
    shingles, counting its stems) takes ten times as long as reading it back.

    Example:
        >>> from dupdetect.features import profile
        >>> spool = ProfileSpool()
        >>> spool.put(3, profile("one two three four five six"))
        >>> spool.get(3) == profile("one two three four five six"), spool.get(2)
        (True, None)
    """

    def __init__(self) -> None:
        super().__init__()
        self._record_of = array("q")  # per document position, its record (-1: none)

    def put(self, position: int, profile: Profile) -> None:
        """Store the profile of the document at `position`."""
        header = json.dumps(
            [
                profile.n_words,
                profile.content_hash,
                profile.published,
                profile.text,
                list(profile.terms),
                list(profile.terms.values()),
            ],  # fmt: skip
            ensure_ascii=False,
        ).encode("utf-8")
        shingles = profile.shingles.astype(np.uint32, copy=False).tobytes()
        self._record_of.extend([-1] * (position + 1 - len(self._record_of)))
        self._record_of[position] = self._append(_LENGTH.pack(len(header)) + header + shingles)

    def get(self, position: int) -> Profile | None:
        """The profile stored for `position`, or None."""
        if position >= len(self._record_of) or self._record_of[position] < 0:
            return None
        record = self._read(self._record_of[position])
        (length,) = _LENGTH.unpack_from(record)
        n_words, content_hash, published, text, terms, counts = json.loads(
            record[_LENGTH.size : _LENGTH.size + length]
        )
        shingles = np.frombuffer(record, dtype=np.uint32, offset=_LENGTH.size + length)
        return Profile(
            n_words, content_hash, shingles, Counter(dict(zip(terms, counts, strict=True))),
            published, text,
        )  # fmt: skip


_LENGTH = struct.Struct("<I")


class ProfileCache:
    """The profiles of the most recently used positions; older ones are recomputed on demand.

    Args:
        compute: makes the profile of a position (re-reads its text from the spool).
        capacity: how many profiles to keep.
    """

    def __init__(self, compute: Callable[[int], Profile], capacity: int) -> None:
        self.compute = compute
        self.capacity = capacity
        self._kept: OrderedDict[int, Profile] = OrderedDict()

    def put(self, position: int, profile: Profile) -> None:
        """Keep `profile` as the most recently used one."""
        self._kept[position] = profile
        self._kept.move_to_end(position)
        if len(self._kept) > self.capacity:
            self._kept.popitem(last=False)

    def __getitem__(self, position: int) -> Profile:
        found = self._kept.get(position)
        if found is None:
            found = self.compute(position)
        self.put(position, found)
        return found
