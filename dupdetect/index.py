"""Signatures → candidate pairs, through one datasketch `MinHashLSH` per view.

Candidate generation is an LSH query, so it lives with the index (DESIGN: ``candidates``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from .settings import SignSettings, View


def lean_minhash(signature: np.ndarray, settings: SignSettings) -> LeanMinHash:
    """Wrap a signature row so datasketch can index it (no re-hashing)."""
    return LeanMinHash(seed=settings.seed, hashvalues=signature, scheme="affine32")


class ViewIndex:
    """An in-memory MinHash-LSH table for one view.

    Args:
        view: the view (its threshold sets the LSH bands and rows).
        settings: the MinHash parameters the signatures were made with.
    """

    def __init__(self, view: View, settings: SignSettings) -> None:
        self.view = view
        self.settings = settings
        self.lsh = MinHashLSH(threshold=view.threshold, num_perm=settings.num_perm)

    def add(self, keys: Sequence[str], signatures: np.ndarray) -> None:
        """Insert one signature row per key."""
        with self.lsh.insertion_session() as session:
            for key, row in zip(keys, signatures):
                session.insert(key, lean_minhash(row, self.settings), check_duplication=False)

    def query(self, signature: np.ndarray) -> list[str]:
        """Keys whose signature shares at least one band with `signature`."""
        return list(self.lsh.query(lean_minhash(signature, self.settings)))

    def __contains__(self, key: str) -> bool:
        return key in self.lsh

    def remove(self, key: str) -> None:
        """Remove `key` if present."""
        if key in self.lsh:
            self.lsh.remove(key)


def candidates(
    keys: Sequence[str], signatures: dict[str, np.ndarray], views: Sequence[View], settings: SignSettings
) -> Iterator[tuple[int, int]]:
    """Yield each candidate pair ``(i, j)``, ``i < j``, once, found by any view.

    Args:
        keys: document keys, one per signature row (unique).
        signatures: per view name, a ``(len(keys), num_perm)`` signature matrix.
        views: the views to index.
        settings: the MinHash parameters.
    """
    position = {key: i for i, key in enumerate(keys)}
    seen: set[tuple[int, int]] = set()
    for view in views:
        table = ViewIndex(view, settings)
        matrix = signatures[view.name]
        # An empty set signs as all-0xFFFFFFFF; such rows would all collide, and mean nothing.
        filled = np.flatnonzero((matrix != np.uint32(0xFFFFFFFF)).any(axis=1))
        table.add([keys[i] for i in filled], matrix[filled])
        for i in filled:
            for other in table.query(matrix[i]):
                j = position[other]
                if i < j and (i, j) not in seen:
                    seen.add((i, j))
                    yield i, j
