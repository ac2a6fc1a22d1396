"""Documents kept on disk during a run, read back by position: what keeps `cluster`'s memory flat.

A crawl's texts do not fit in memory, and most of them are never needed again once signed: only
the documents in candidate pairs are verified, only clustered ones are reported. So a run writes
each document to a temporary file as it is read (inputs such as stdin or a WARC stream cannot be
re-read cheaply) and keeps only its offset; `Spool` is a read-only sequence of `Document` over
that file, and the file goes away with it.
"""

from __future__ import annotations

import json
import math
import os
import struct
import tempfile
import weakref
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
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
        fields = [getattr(document, f) for f in FIELDS]
        line = json.dumps(fields, ensure_ascii=False).encode("utf-8")
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
    shingles, counting its stems) takes 0.36 ms, reading it back 0.055 ms (crawl pages).

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
        """Store the profile of the document at `position`.

        A record is a fixed header, then the content hash, the text, the stems (NUL-separated:
        a stem is made of word characters), their counts and the shingle hashes.
        """
        content_hash = profile.content_hash.encode("ascii")
        text = profile.text.encode("utf-8")
        terms = "\0".join(profile.terms).encode("utf-8")
        published = math.nan if profile.published is None else profile.published
        lengths = len(content_hash), len(text), len(terms), len(profile.terms)
        counts = array("I", profile.terms.values()).tobytes()
        shingles = profile.shingles.astype(np.uint32, copy=False).tobytes()
        record = _HEADER.pack(profile.n_words, published, *lengths)
        self._record_of.extend([-1] * (position + 1 - len(self._record_of)))
        self._record_of[position] = self._append(
            record + content_hash + text + terms + counts + shingles
        )

    def get(self, position: int) -> Profile | None:
        """The profile stored for `position`, or None."""
        if position >= len(self._record_of) or self._record_of[position] < 0:
            return None
        record = self._read(self._record_of[position])
        n_words, published, *lengths, n_terms = _HEADER.unpack_from(record)
        start, parts = _HEADER.size, []
        for length in lengths:
            parts.append(record[start : start + length])
            start += length
        content_hash, text, terms = parts
        counts = array("I")
        counts.frombytes(record[start : start + 4 * n_terms])
        stems = terms.decode("utf-8").split("\0") if n_terms else []
        return Profile(
            n_words=n_words,
            content_hash=content_hash.decode("ascii"),
            shingles=np.frombuffer(record, dtype=np.uint32, offset=start + 4 * n_terms),
            terms=Counter(dict(zip(stems, counts, strict=True))),
            published=None if math.isnan(published) else published,
            text=text.decode("utf-8"),
        )


# Words and publication time (NaN: unknown), then the byte lengths of the content hash, the
# text and the stems, and the number of stems.
_HEADER = struct.Struct("<qdIIII")


class ProfileCache:
    """The profiles of the most recently used positions; older ones are fetched again on demand.

    Args:
        compute: gets the profile of a position (from a `ProfileSpool`, or from its text).
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
