"""Hash arrays shared by features, signing, verification and LSH.

Words hashed from their bytes all at once (FNV-1a, `word_hashes`): the verbatim view's shingles
are mixed from them. Other strings hashed once by SHA-1 (cached: a corpus repeats its stems),
whose prefix gives both datasketch's 32-bit string hash and verification's 63-bit term keys;
32-bit mixing (datasketch 2.0's affine32 scheme) and sorted unique values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from operator import itemgetter

import numpy as np

from .native import compiled

_sha1_cache: dict[str, int] = {}  # string -> `sha1_prefix`, see `sha1_prefixes`
_word_cache: dict[str, int] = {}  # word -> `word_hash`, when numba is not installed
_CACHE_SIZE = 2_000_000  # strings per cache


def sha1_prefix(value: str) -> int:
    """The first 8 bytes of the string's SHA-1 (UTF-8), little-endian: every string hash here."""
    return int.from_bytes(hashlib.sha1(value.encode("utf-8")).digest()[:8], "little")


def sha1_prefixes(values: Sequence[str]) -> np.ndarray:
    """`sha1_prefix` of every value, as a uint64 array (cached: see `_cached`)."""
    return _cached(values, _sha1_cache, sha1_prefix)


def _cached(
    values: Sequence[str], cache: dict[str, int], hash_one: Callable[[str], int]
) -> np.ndarray:
    """`hash_one` of every value, as a uint64 array.

    Each new string is hashed once, then looked up (at C speed, all values at once): a corpus
    repeats its words and stems, and signing and verification hash the same stems.
    """
    if not values:
        return np.empty(0, dtype=np.uint64)
    lookup = itemgetter(*values) if len(values) > 1 else lambda c: (c[values[0]],)
    try:
        found = lookup(cache)
    except KeyError:
        new = set(values).difference(cache)
        if len(cache) + len(new) > _CACHE_SIZE:  # full: these alone
            found = lookup({v: hash_one(v) for v in set(values)})
        else:
            cache.update((v, hash_one(v)) for v in new)
            found = lookup(cache)
    return np.fromiter(found, dtype=np.uint64, count=len(values))


def string_hash(value: str) -> int:
    """Datasketch's `sha1_hash32` of a string: the first 4 bytes of its SHA-1, little-endian."""
    return sha1_prefix(value) & 0xFFFFFFFF


def string_hashes(values: Sequence[str]) -> np.ndarray:
    """`string_hash` of every value, as a uint32 array.

    Example:
        >>> string_hashes(["a", "b", "a"]).tolist() == [string_hash(v) for v in "aba"]
        True
    """
    return sha1_prefixes(values).astype(np.uint32)  # keeps the low 4 bytes


def term_keys(values: Sequence[str]) -> np.ndarray:
    """A 63-bit key per term, the same in every process, to match terms as numbers (int64).

    Example:
        >>> int(term_keys(["a"])[0]) == sha1_prefix("a") >> 1
        True
    """
    return (sha1_prefixes(values) >> np.uint64(1)).astype(np.int64)


# Words are hashed with 64-bit FNV-1a over their UTF-8 bytes, folded to 32 bits. Not SHA-1, as
# datasketch hashes strings: a SHA-1 per word is too slow even cached (a dictionary lookup per
# word was what bounded signing), while FNV-1a over one joined buffer runs at memory speed. The
# fold and the mixing of each shingle (`features.shingle_hashes`) spread its weak low bits.
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK64 = (1 << 64) - 1


def word_hash(word: str) -> int:
    """The 32-bit hash of one word, as `word_hashes` computes it (the reference, in Python)."""
    h = _FNV_OFFSET
    for byte in word.encode("utf-8"):
        h = ((h ^ byte) * _FNV_PRIME) & _MASK64
    return (h ^ (h >> 32)) & 0xFFFFFFFF


def word_hashes(words: Sequence[str]) -> np.ndarray:
    """`word_hash` of every word (no word may contain a space), as a uint32 array.

    With the ``fast`` extra, the words are joined into one UTF-8 buffer and hashed in one pass
    compiled by numba; otherwise each distinct word is hashed once in Python and looked up.

    Example:
        >>> word_hashes(["a", "bé", "a"]).tolist() == [word_hash(w) for w in ["a", "bé", "a"]]
        True
    """
    if _native_fnv is None or not words:
        return _cached(words, _word_cache, word_hash).astype(np.uint32)
    data = np.frombuffer(" ".join(words).encode("utf-8"), dtype=np.uint8)
    out = np.empty(len(words), dtype=np.uint32)
    _native_fnv(data, out)
    return out


@compiled(cache=True, nogil=True)
def _native_fnv(data: np.ndarray, out: np.ndarray) -> None:
    """`word_hashes`' loop compiled by numba (the ``fast`` extra), or None."""
    h, word = np.uint64(_FNV_OFFSET), 0
    for byte in data:
        if byte == 32:
            out[word] = np.uint32((h ^ (h >> np.uint64(32))) & np.uint64(0xFFFFFFFF))
            h, word = np.uint64(_FNV_OFFSET), word + 1
        else:
            h = (h ^ np.uint64(byte)) * np.uint64(_FNV_PRIME)
    out[word] = np.uint32((h ^ (h >> np.uint64(32))) & np.uint64(0xFFFFFFFF))


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, element-wise (datasketch pre-mixes every hash with it).

    Example:
        >>> int(fmix32(np.array([1], dtype=np.uint32))[0])
        1364076727
    """
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = h ^ (h >> np.uint32(16))
    return mixed


def unique(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array, as `np.unique` returns them.

    By sorting: numpy 2.4's `np.unique` hashes integer arrays and took 18 s on 13 million
    candidate codes that a sort handles in 1 s (four times faster on a text's 500 shingles too).

    Example:
        >>> unique(np.array([3, 1, 3, 2])).tolist()
        [1, 2, 3]
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    distinct: np.ndarray = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    return distinct


def look_up(values: np.ndarray, sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `values` would be in `sorted_values` (sorted, distinct), and whether it is.

    A binary search per value: on the few hundred hashes of a text, a third of the time of
    `np.intersect1d`, which sorts both arrays together first.

    Example:
        >>> at, found = look_up(np.array([1, 4, 9]), np.array([2, 4, 8]))
        >>> found.tolist(), int(at[1])
        ([False, True, False], 1)
    """
    if not len(sorted_values):
        return np.zeros(len(values), dtype=np.int64), np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_values, values)
    at[at == len(sorted_values)] = 0
    found: np.ndarray = sorted_values[at] == values
    return at, found


def count_shared(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of distinct values (of one dtype) share.

    One merge pass compiled by numba (``fast``): a tenth of the time of a binary search per value
    on two texts' few hundred shingles, a pair's first and most frequent question.

    Example:
        >>> count_shared(np.array([1, 4, 8, 9]), np.array([2, 4, 8]))
        2
    """
    if _native_count is None:
        return int(found_in(a, b).sum())
    return int(_native_count(a, b))


@compiled(cache=True, nogil=True)
def _native_count(a: np.ndarray, b: np.ndarray) -> int:
    """`count_shared`'s merge compiled by numba (the ``fast`` extra), or None."""
    i = j = shared = 0
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            i += 1
        elif b[j] < a[i]:
            j += 1
        else:
            shared += 1
            i += 1
            j += 1
    return shared


def found_in(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """Whether each of `values` is in `sorted_values` (sorted, distinct), as a boolean mask.

    Example:
        >>> found_in(np.array([1, 4, 9]), np.array([2, 4, 8])).tolist()
        [False, True, False]
    """
    return look_up(values, sorted_values)[1]
