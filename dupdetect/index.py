"""Signatures → candidate pairs: MinHash-LSH banding, with datasketch's band parameters.

Candidate generation is an LSH query, so it lives with the index (DESIGN: ``candidates``). A
persistent `store.Index` keeps datasketch `MinHashLSH` tables to answer one query at a time; a
clustering run needs every pair at once, so it bands the whole signature matrix with NumPy
(`band_pairs`): the same buckets, kept as sorted arrays instead of millions of Python dict
entries, which is what lets a run of a million documents fit in memory. The Spark engine does
the same banding as a group-by on band keys.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from .settings import SignSettings, View


def lean_minhash(signature: np.ndarray, settings: SignSettings) -> LeanMinHash:
    """Wrap a signature row so datasketch can index it (no re-hashing)."""
    return LeanMinHash(seed=settings.seed, hashvalues=signature, scheme="affine32")


def insert(
    lsh: MinHashLSH, keys: Sequence[Hashable], signatures: np.ndarray, settings: SignSettings
) -> list[int]:
    """Insert each signature row under its key; return the positions of the rows inserted.

    An empty set signs as all-0xFFFFFFFF; such rows would all collide and mean nothing, so they
    are left out.
    """
    filled = np.flatnonzero((signatures != np.uint32(0xFFFFFFFF)).any(axis=1)).tolist()
    with lsh.insertion_session() as session:
        for i in filled:
            session.insert(keys[i], lean_minhash(signatures[i], settings), check_duplication=False)
    return filled


def candidates(
    signatures: dict[str, np.ndarray],
    set_sizes: dict[str, np.ndarray],
    views: Sequence[View],
    settings: SignSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the candidate pairs ``(i, j)``, ``i < j``, and each pair's best estimate.

    The pairs come as an ``(n, 2)`` array; the estimate is the highest containment their
    signatures estimate over the views (verification orders its work by it).

    A pair is a candidate when it shares an LSH band in some view *and* the containment that
    its signatures estimate in some view reaches that view's `View.floor`. The LSH threshold has
    to be low to catch loose rewrites (and excerpts), which brings in many same-topic pairs;
    the estimate, computed for all pairs at once from the signatures, drops most of them before
    any exact, per-pair work.

    Args:
        signatures: per view name, a ``(documents, num_perm)`` signature matrix.
        set_sizes: per view name, the size of each document's set.
        views: the views to index.
        settings: the MinHash parameters.
    """
    n = len(next(iter(signatures.values())))
    found = [
        band_pairs(signatures[view.name], *bands_and_rows(view.threshold, settings.num_perm))
        for view in views
    ]
    codes = np.unique(np.concatenate([i * n + j for i, j in found]))
    pairs = np.stack([codes // n, codes % n], axis=1) if n else np.empty((0, 2), np.int64)
    keep = np.zeros(len(pairs), dtype=bool)
    strength = np.zeros(len(pairs))
    for view in views:
        estimate = estimated_containment(pairs, signatures[view.name], set_sizes[view.name])
        keep |= estimate >= view.floor
        np.maximum(strength, estimate, out=strength)
    return pairs[keep], strength[keep]


@lru_cache(maxsize=16)
def bands_and_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    """The number of bands and rows per band datasketch's `MinHashLSH` picks for `threshold`."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def band_keys(signatures: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One sortable key per signature row for one band: its `rows` values, bit for bit."""
    block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
    if rows <= 2:
        wide = block.astype(np.uint64)
        return wide[:, 0] << np.uint64(32) | wide[:, -1] if rows == 2 else wide[:, 0]
    return block.view(np.dtype((np.void, 4 * rows))).ravel()


def band_pairs(signatures: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The row pairs ``(i, j)``, ``i < j``, that share a bucket in at least one band.

    The pairs datasketch's `MinHashLSH` returns when every row is inserted and queried; empty
    signatures (all 0xFFFFFFFF) are left out, as `insert` does.
    """
    filled = np.flatnonzero((signatures != np.uint32(0xFFFFFFFF)).any(axis=1))
    n = len(signatures)
    unique = np.empty(0, np.int64)
    codes: list[np.ndarray] = []
    for band in range(bands):
        # A pair shares many bands: fold the bands found so far into one sorted set before they
        # pile up (all bands at once took 2 GB at 100,000 near-copies).
        if sum(map(len, codes)) > max(2 * len(unique), 1 << 22):
            unique, codes = np.unique(np.concatenate([unique, *codes])), []
        keys = band_keys(signatures, band, rows)[filled]
        order = np.argsort(keys, kind="stable")  # stable: members stay in ascending row order
        keys, members = keys[order], filled[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        sizes = np.diff(np.append(starts, len(keys)))
        for size in np.unique(sizes[sizes > 1]).tolist():
            buckets = members[starts[sizes == size, None] + np.arange(size)]
            first, second = np.triu_indices(size, 1)
            codes.append((buckets[:, first] * n + buckets[:, second]).ravel())
    unique = np.unique(np.concatenate([unique, *codes]))
    return unique // max(n, 1), unique % max(n, 1)


def estimated_containment(
    pairs: np.ndarray, signatures: np.ndarray, sizes: np.ndarray
) -> np.ndarray:
    """Containment of the smaller set in the larger, estimated from MinHash signatures.

    The Jaccard estimate J (share of equal signature positions) gives the intersection as
    ``J * (|A| + |B|) / (1 + J)``.
    """
    estimate = np.empty(len(pairs))
    step = 1 << 15  # pairs compared at once: bounds the temporary boolean matrix
    for start in range(0, len(pairs), step):
        i, j = pairs[start : start + step, 0], pairs[start : start + step, 1]
        jaccard = (signatures[i] == signatures[j]).mean(axis=1)
        shared = jaccard * (sizes[i] + sizes[j]) / (1 + jaccard)
        estimate[start : start + step] = shared / np.maximum(np.minimum(sizes[i], sizes[j]), 1)
    return estimate
