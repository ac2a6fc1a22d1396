"""Signatures → candidate pairs: MinHash-LSH banding with datasketch's band parameters, and pruning.

Candidate generation is an LSH query, so it lives with the index (DESIGN: ``candidates``). Every
engine uses the same pieces: `band_keys` (one key per band), `band_codes` (the pairs that share
a bucket), `estimated_containment` and `prune` (the one candidate rule). A clustering run bands
the whole signature matrix with NumPy sorts; the persistent index keeps `BandTables`, the same
buckets as sorted arrays (opening 100,000 documents rebuilds them in seconds; datasketch's
`MinHashLSH` inserted every band key into a dict one by one), or datasketch's own `MinHashLSH`
on Redis when several processes share one index (`RedisTables`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from .hashing import fmix32, unique
from .native import compiled, prange
from .settings import SignSettings, View

EMPTY = np.uint32(0xFFFFFFFF)  # every value of an empty set's signature (datasketch's too)


@lru_cache(maxsize=16)
def bands_and_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    """The number of bands and rows per band datasketch's `MinHashLSH` picks for `threshold`."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per signature row and band: an ``(n, bands)`` uint64 matrix.

    Two rows share a key in a band exactly when their `rows` values there are equal: up to two
    values are packed bit for bit; three or more are mixed into 64 bits, where two different
    bands collide with probability 2^-64 (a collision only adds a candidate, which pruning and
    verification then judge).

    Example:
        >>> sig = np.array([[1, 2, 3, 4], [1, 2, 3, 5]], dtype=np.uint32)
        >>> keys = band_keys(sig, 2, 2)
        >>> bool(keys[0, 0] == keys[1, 0]), bool(keys[0, 1] == keys[1, 1])
        (True, False)
    """
    block = signatures[:, : bands * rows].reshape(len(signatures), bands, rows).astype(np.uint64)
    if rows <= 2:
        return block[:, :, 0] << np.uint64(32) | block[:, :, -1] if rows == 2 else block[:, :, 0]
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    for k in range(rows):  # a 64-bit mix of each value into the key (two 32-bit fmix halves)
        value = block[:, :, k].astype(np.uint32)
        high = fmix32(value ^ np.uint32(0x9E3779B9 * (k + 1) & 0xFFFFFFFF)).astype(np.uint64)
        low = fmix32(value ^ np.uint32(0x85EBCA6B * (k + 1) & 0xFFFFFFFF)).astype(np.uint64)
        keys = (keys * np.uint64(0x100000001B3)) ^ (high << np.uint64(32) | low)
    return keys


# A bucket larger than this holds near-copies of one text (or a signature many share): listing
# all its n²/2 pairs made 2,000 one-word variants of one story cost 168 s and 2.6 GB. Its
# members are paired with the bucket's first member and with their neighbours instead, which
# keeps every member connected to the others for verification and clustering.
BUCKET_PAIRS_ALL = 64


def bucket_pairs(members: Sequence[int]) -> Iterator[tuple[int, int]]:
    """The candidate pairs of one bucket's members (sorted positions), as `band_codes` lists them.

    Example:
        >>> list(bucket_pairs([3, 5, 9]))
        [(3, 5), (3, 9), (5, 9)]
    """
    if len(members) <= BUCKET_PAIRS_ALL:
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                yield i, j
        return
    first = members[0]
    for n, j in enumerate(members[1:], 1):
        yield first, j
        if n > 1:
            yield members[n - 1], j


def sorted_bucket_pairs(new_bucket: np.ndarray, members: np.ndarray, n: int) -> list[np.ndarray]:
    """The pairs of each bucket's members, as codes ``i * n + j`` (`bucket_pairs`' rule).

    `members` lists the buckets one after another, each bucket's members ascending;
    `new_bucket[k]` says whether member ``k + 1`` starts another bucket than member ``k``.

    Example:
        >>> codes = sorted_bucket_pairs(np.array([False, True]), np.array([3, 5, 9]), 10)
        >>> np.concatenate(codes).tolist()
        [35]
    """
    starts = np.flatnonzero(np.concatenate(([True], new_bucket)))
    sizes = np.diff(np.append(starts, len(members)))
    codes = []
    for size in np.unique(sizes[(sizes > 1) & (sizes <= BUCKET_PAIRS_ALL)]).tolist():
        buckets = members[starts[sizes == size, None] + np.arange(size)]
        first, second = np.triu_indices(size, 1)
        codes.append((buckets[:, first] * n + buckets[:, second]).ravel())
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        if size > BUCKET_PAIRS_ALL:
            big = np.array(list(bucket_pairs(members[start : start + size].tolist())))
            codes.append(big[:, 0] * n + big[:, 1])
    return codes


def band_codes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """The row pairs ``(i, j)``, ``i < j``, that share a bucket in at least one band.

    The pairs datasketch's `MinHashLSH` returns when every row is inserted and queried, for
    buckets of up to `BUCKET_PAIRS_ALL` members (larger ones as `bucket_pairs` lists them);
    empty signatures (all `EMPTY`) are left out. Returned as sorted codes ``i * n + j`` (``n``
    rows): one array, half the memory of two.
    """
    filled = np.flatnonzero((signatures != EMPTY).any(axis=1))
    n = len(signatures)
    keys_all = band_keys(signatures[filled], bands, rows)
    seen = np.empty(0, np.int64)
    codes: list[np.ndarray] = []
    for band in range(bands):
        # A pair shares many bands: fold the bands found so far into one sorted set before they
        # pile up (all bands at once took 2 GB at 100,000 near-copies).
        if sum(map(len, codes)) > max(2 * len(seen), 1 << 22):
            seen, codes = unique(np.concatenate([seen, *codes])), []
        keys = keys_all[:, band]
        order = np.argsort(keys, kind="stable")  # stable: members stay in ascending row order
        keys = keys[order]
        codes += sorted_bucket_pairs(keys[1:] != keys[:-1], filled[order], n)
    return unique(np.concatenate([seen, *codes]))


def estimated_containment(
    pairs: np.ndarray, signatures: np.ndarray, sizes: np.ndarray
) -> np.ndarray:
    """Containment of the smaller set in the larger, estimated from MinHash signatures.

    The Jaccard estimate J (share of equal signature positions) gives the intersection as
    ``J * (|A| + |B|) / (1 + J)``.
    """
    if _native_equal is not None and len(pairs):
        equal = np.empty(len(pairs), dtype=np.int64)
        _native_equal(pairs, signatures, equal)
        jaccard = equal / signatures.shape[1]
    else:
        jaccard = np.empty(len(pairs))
        step = 1 << 15  # pairs compared at once: bounds the temporary boolean matrix
        for start in range(0, len(pairs), step):
            i, j = pairs[start : start + step, 0], pairs[start : start + step, 1]
            jaccard[start : start + step] = (signatures[i] == signatures[j]).mean(axis=1)
    i, j = pairs[:, 0], pairs[:, 1]
    shared = jaccard * (sizes[i] + sizes[j]) / (1 + jaccard)
    estimate: np.ndarray = shared / np.maximum(np.minimum(sizes[i], sizes[j]), 1)
    return estimate


@compiled(cache=True, nogil=True, parallel=True)
def _native_equal(pairs: np.ndarray, signatures: np.ndarray, out: np.ndarray) -> None:
    """Each pair's count of equal signature positions, compiled by numba (``fast``), or None.

    NumPy gathers both signature rows of every pair into temporary matrices first; the compiled
    loop compares them in place, on every core: 13 million pairs of a 100,000-page crawl.
    """
    width = signatures.shape[1]
    for p in prange(len(pairs)):
        a, b = signatures[pairs[p, 0]], signatures[pairs[p, 1]]
        equal = 0
        for k in range(width):
            equal += a[k] == b[k]
        out[p] = equal


def prune(estimates: dict[str, np.ndarray], views: Sequence[View]) -> tuple[np.ndarray, np.ndarray]:
    """The candidate rule: which pairs to verify, and each pair's strength.

    A pair that shares an LSH band is verified only if the containment its signatures estimate
    in some view reaches that view's `View.floor`. The LSH thresholds have to be low to catch
    loose rewrites (and excerpts), which brings in many same-topic pairs; the estimate, computed
    for all pairs at once, drops most of them before any exact, per-pair work. The strength is
    the highest estimate over the views (verification orders its work by it).

    Args:
        estimates: per view name, each pair's estimated containment.
        views: the views, with their floors.
    """
    count = len(next(iter(estimates.values())))
    keep = np.zeros(count, dtype=bool)
    strength = np.zeros(count)
    for view in views:
        keep |= estimates[view.name] >= view.floor
        np.maximum(strength, estimates[view.name], out=strength)
    return keep, strength


def candidates(
    signatures: dict[str, np.ndarray],
    set_sizes: dict[str, np.ndarray],
    views: Sequence[View],
    settings: SignSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the candidate pairs ``(i, j)``, ``i < j``, of a signature matrix, and their strength.

    Each view's LSH pairs are pruned (`prune`) a block at a time, as they come: the rewrite
    view's low threshold shares a band between 13 million pairs of a 100,000-page crawl, of
    which 5% are kept.

    Args:
        signatures: per view name, a ``(documents, num_perm)`` signature matrix.
        set_sizes: per view name, the size of each document's set.
        views: the views to index.
        settings: the MinHash parameters.
    """
    n = len(next(iter(signatures.values())))
    codes, strengths = [], []
    for view in views:
        lsh = band_codes(signatures[view.name], *bands_and_rows(view.threshold, settings.num_perm))
        found, strength = pruned(lsh, n, signatures, set_sizes, views)
        codes.append(found)
        strengths.append(strength)
    return merged(codes, strengths, n)


def pruned(
    codes: np.ndarray,
    n: int,
    signatures: dict[str, np.ndarray],
    set_sizes: dict[str, np.ndarray],
    views: Sequence[View],
) -> tuple[np.ndarray, np.ndarray]:
    """The LSH pairs (codes ``i * n + j``) that `prune` keeps, and their strength.

    Estimated a block of pairs at a time: the temporary arrays stay small however many pairs.
    """
    kept, strengths = [np.empty(0, np.int64)], [np.empty(0)]
    for start in range(0, len(codes), PRUNE_BLOCK):
        block = codes[start : start + PRUNE_BLOCK]
        pairs = np.stack([block // n, block % n], axis=1)
        estimates = {
            v.name: estimated_containment(pairs, signatures[v.name], set_sizes[v.name])
            for v in views
        }
        keep, strength = prune(estimates, views)
        kept.append(block[keep])
        strengths.append(strength[keep])
    return np.concatenate(kept), np.concatenate(strengths)


def merged(
    codes: Sequence[np.ndarray], strengths: Sequence[np.ndarray], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs found in pieces (codes ``i * n + j``) → sorted ``(i, j)`` rows, each once.

    A pair found twice (by two views, in two bands) has the same strength each time: the first
    is kept.
    """
    found = np.concatenate([np.empty(0, np.int64), *codes])
    strength = np.concatenate([np.empty(0), *strengths])
    order = np.argsort(found, kind="stable")
    found, strength = found[order], strength[order]
    first_of_each = np.ones(len(found), dtype=bool)
    first_of_each[1:] = found[1:] != found[:-1]
    found, strength = found[first_of_each], strength[first_of_each]
    return np.stack([found // max(n, 1), found % max(n, 1)], axis=1), strength


PRUNE_BLOCK = 1 << 20  # LSH pairs whose containment is estimated at once


class BandTables:
    """The LSH buckets of many signatures, kept as sorted arrays per band, to query one at a time.

    Rows are added in blocks; a query looks each band's key up with a binary search in every
    block (blocks are merged as they multiply, so there are never more than a few). Removed
    keys are only hidden, since a removal is rare and a rebuild is cheap.

    Args:
        view: the view whose signatures these are (its threshold picks bands and rows).
        num_perm: signature length.
    """

    def __init__(self, view: View, num_perm: int) -> None:
        self.bands, self.rows = bands_and_rows(view.threshold, num_perm)
        # Per block, (keys, rows) as (bands, n) arrays, each band's keys sorted: band-major, so
        # a query's binary search reads one contiguous row per band.
        self._blocks: list[tuple[np.ndarray, np.ndarray]] = []
        self._keys: list[Hashable] = []
        self._removed: set[int] = set()
        self._row_of: dict[Hashable, list[int]] = {}

    def __len__(self) -> int:
        return len(self._keys) - len(self._removed)

    def insert(self, keys: Sequence[Hashable], signatures: np.ndarray) -> None:
        """Add one row per key (empty signatures are left out: they would all collide)."""
        filled = np.flatnonzero((signatures != EMPTY).any(axis=1))
        if not len(filled):
            return
        first = len(self._keys)
        for n in filled.tolist():
            self._row_of.setdefault(keys[n], []).append(len(self._keys))
            self._keys.append(keys[n])
        found = np.ascontiguousarray(band_keys(signatures[filled], self.bands, self.rows).T)
        rows = np.broadcast_to(np.arange(first, first + len(filled)), found.shape)
        self._blocks.append(_sorted_by_band(found, rows))
        if len(self._blocks) > 4:  # a handful of binary searches per band, never more
            merged = [np.concatenate(parts, axis=1) for parts in zip(*self._blocks, strict=True)]
            self._blocks = [_sorted_by_band(*merged)]

    def remove(self, key: Hashable) -> None:
        """Hide every row inserted under `key`."""
        self._removed.update(self._row_of.pop(key, ()))

    def __contains__(self, key: Hashable) -> bool:
        return key in self._row_of

    def query(self, signature: np.ndarray) -> set[Hashable]:
        """The keys that share a bucket with `signature` in at least one band."""
        if not (signature != EMPTY).any():
            return set()
        wanted = band_keys(signature[None, :], self.bands, self.rows)[0]
        found: set[int] = set()
        for keys, rows in self._blocks:
            for band in range(self.bands):
                low = np.searchsorted(keys[band], wanted[band], "left")
                high = np.searchsorted(keys[band], wanted[band], "right")
                if high > low:
                    found.update(rows[band, low:high].tolist())
        return {self._keys[r] for r in found - self._removed}


def _sorted_by_band(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, axis=1, kind="stable")
    return np.take_along_axis(keys, order, 1), np.take_along_axis(rows, order, 1)


class RedisTables:
    """datasketch `MinHashLSH` tables on Redis, for an index several processes share.

    Keys are the documents' ids as bytes and nothing is pickled (``prepickle`` off).

    Args:
        view: the view whose signatures these are.
        settings: the MinHash parameters.
        config: datasketch's ``storage_config`` for Redis.
    """

    def __init__(self, view: View, settings: SignSettings, config: dict[str, object]) -> None:
        self.settings = settings
        self.lsh = MinHashLSH(
            threshold=view.threshold,
            num_perm=settings.num_perm,
            storage_config=config,
            prepickle=False,
        )

    def is_empty(self) -> bool:
        """Whether nothing is stored (a new Redis database, or one that lost its data)."""
        return bool(self.lsh.is_empty())

    def insert(self, keys: Sequence[Hashable], signatures: np.ndarray) -> None:
        """Add one entry per key (replacing an entry with the same key)."""
        filled = np.flatnonzero((signatures != EMPTY).any(axis=1)).tolist()
        with self.lsh.insertion_session() as session:
            for n in filled:
                key = _as_bytes(keys[n])
                if key in self.lsh:
                    self.lsh.remove(key)
                session.insert(key, lean_minhash(signatures[n], self.settings), False)

    def remove(self, key: Hashable) -> None:
        """Remove the entry of `key`, if any."""
        if _as_bytes(key) in self.lsh:
            self.lsh.remove(_as_bytes(key))

    def __contains__(self, key: Hashable) -> bool:
        return _as_bytes(key) in self.lsh

    def query(self, signature: np.ndarray) -> set[Hashable]:
        """The keys (as str) that share a bucket with `signature` in at least one band."""
        if not (signature != EMPTY).any():
            return set()
        found = self.lsh.query(lean_minhash(signature, self.settings))
        return {k.decode("utf-8") if isinstance(k, bytes) else k for k in found}

    def keys(self) -> Iterable[str]:
        """Every key stored."""
        return (k.decode("utf-8") for k in self.lsh.keys.keys())


def _as_bytes(key: Hashable) -> bytes:
    return key if isinstance(key, bytes) else str(key).encode("utf-8")


def lean_minhash(signature: np.ndarray, settings: SignSettings) -> LeanMinHash:
    """Wrap a signature row so datasketch can index it (no re-hashing)."""
    return LeanMinHash(seed=settings.seed, hashvalues=signature, scheme="affine32")
