"""Signatures → candidate pairs, through one datasketch `MinHashLSH` per view.

Candidate generation is an LSH query, so it lives with the index (DESIGN: ``candidates``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

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
    keys: Sequence[str],
    signatures: dict[str, np.ndarray],
    set_sizes: dict[str, np.ndarray],
    views: Sequence[View],
    settings: SignSettings,
) -> np.ndarray:
    """Return the candidate pairs ``(i, j)``, ``i < j``, as an ``(n, 2)`` array.

    A pair is a candidate when it shares an LSH band in some view *and* the containment that
    its signatures estimate in some view reaches that view's `View.floor`. The LSH threshold has
    to be low to catch loose rewrites (and excerpts), which brings in many same-topic pairs;
    the estimate, computed for all pairs at once from the signatures, drops most of them before
    any exact, per-pair work.

    Args:
        keys: document keys, one per signature row (unique).
        signatures: per view name, a ``(len(keys), num_perm)`` signature matrix.
        set_sizes: per view name, the size of each document's set.
        views: the views to index.
        settings: the MinHash parameters.
    """
    position = {key: i for i, key in enumerate(keys)}
    found: set[tuple[int, int]] = set()
    for view in views:
        table = MinHashLSH(threshold=view.threshold, num_perm=settings.num_perm)
        matrix = signatures[view.name]
        for i in insert(table, keys, matrix, settings):
            for other in table.query(lean_minhash(matrix[i], settings)):
                j = position[other]
                if i < j:
                    found.add((i, j))
                elif j < i:
                    found.add((j, i))
    pairs = np.array(sorted(found), dtype=np.int64).reshape(-1, 2)
    keep = np.zeros(len(pairs), dtype=bool)
    for view in views:
        keep |= (
            estimated_containment(pairs, signatures[view.name], set_sizes[view.name]) >= view.floor
        )
    return pairs[keep]


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
