"""Sets of strings → MinHash signatures (a uint32 matrix), equal to `datasketch.MinHash`'s.

`sign` is the one function the pipeline calls, so the signing path can be swapped (a native
library, a GPU) without touching the stages around it.

Why a batch path: `datasketch.MinHash.update_batch` applies every permutation to every value of
one set, then reduces; the Python overhead per document dominates on news-length texts. Here all
values of all documents are hashed into one array, permuted in blocks, and reduced per document
with `np.minimum.reduceat`, which gives the same numbers (datasketch 2.0's ``affine32`` scheme:
SHA-1 → 32 bits, MurmurHash3 finalizer, ``a * h + b`` mod 2^32) at a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

import numpy as np

from .hashing import fmix32, string_hashes
from .native import compiled
from .settings import SignSettings

_EMPTY = np.uint32(0xFFFFFFFF)
_BLOCK = 512  # values permuted at once (NumPy path): the temporary matrix stays in cache


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return datasketch's affine32 permutation parameters ``(a, b)`` for `num_perm` and `seed`."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def hash_values(values: AbstractSet[str] | AbstractSet[int] | np.ndarray) -> np.ndarray:
    """Hash a set's strings as datasketch's `sha1_hash32` does; integers are hashes already.

    Example:
        >>> hash_values({"a b"}).tolist() == hash_values(np.array([1234], dtype=np.uint32)).tolist()
        False
    """
    if isinstance(values, np.ndarray):
        return values.astype(np.uint32, copy=False)
    if values and isinstance(next(iter(values)), int):
        return np.fromiter(values, dtype=np.uint32, count=len(values))
    return string_hashes([str(v) for v in values])


def sign(
    sets: Sequence[AbstractSet[str] | AbstractSet[int] | np.ndarray], settings: SignSettings
) -> np.ndarray:
    """Return one MinHash signature per set, as a ``(len(sets), num_perm)`` uint32 matrix.

    Strings are hashed with SHA-1 as datasketch's default ``hashfunc`` does; integers (or a
    NumPy array) are 32-bit hash values already: the verbatim view's shingle hashes, see
    `features.shingle_hashes`. An empty set gets the all-``0xFFFFFFFF`` signature, as an empty
    `datasketch.MinHash` has.

    Example:
        >>> from datasketch import MinHash
        >>> m = MinHash(num_perm=16, seed=1)
        >>> m.update_batch([b"a b", b"b c"])
        >>> bool((sign([{"a b", "b c"}], SignSettings(num_perm=16))[0] == m.hashvalues).all())
        True
    """
    a, b = permutations(settings.num_perm, settings.seed)
    out = np.full((len(sets), settings.num_perm), _EMPTY, dtype=np.uint32)
    arrays = [hash_values(s) for s in sets]
    lengths = np.fromiter((len(v) for v in arrays), dtype=np.int64, count=len(arrays))
    if not lengths.sum():
        return out
    hashed = fmix32(np.concatenate(arrays))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    if _native is not None:
        _native(hashed, starts, lengths, a, b, out)
        return out
    # Documents are processed in groups whose values fit one block, so the temporary matrix of
    # permuted values stays small (in cache) whatever the corpus size.
    block = np.empty((_BLOCK + int(lengths.max()), settings.num_perm), dtype=np.uint32)
    group: list[int] = []
    size, nonempty = 0, np.flatnonzero(lengths).tolist()
    for doc in nonempty:
        group.append(doc)
        size += int(lengths[doc])
        if size >= _BLOCK or doc == nonempty[-1]:
            start, end = starts[group[0]], starts[group[-1]] + lengths[group[-1]]
            permuted = block[: end - start]
            np.multiply(hashed[start:end, None], a, out=permuted)
            permuted += b
            out[group] = np.minimum.reduceat(permuted, starts[group] - start, axis=0)
            group, size = [], 0
    return out


@compiled(cache=True, nogil=True)
def _native(
    hashed: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    out: np.ndarray,
) -> None:
    """The permute-and-reduce loop compiled by numba (the ``fast`` extra), or None.

    One pass over each value with all permutations in the inner loop, which the compiler
    vectorizes; NumPy has to write the (values x permutations) matrix out and read it back.
    """
    for doc in range(len(starts)):
        row = out[doc]
        for k in range(starts[doc], starts[doc] + lengths[doc]):
            h = hashed[k]
            for p in range(len(a)):
                v = np.uint32(a[p] * h + b[p])
                if v < row[p]:
                    row[p] = v
