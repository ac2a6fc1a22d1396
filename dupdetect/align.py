"""Two texts' sentences → the pairs of sentences that say the same (the alignment `verify` reads).

A sentence says the same as another when the content words they share carry at least
`SENTENCE_MATCH` of the lighter one's rarity weight; each sentence of the text with fewer takes
its best match in the other (`best_matches`), and the longest chain of matches in the order of
both texts (`in_order`) is what a rewrite keeps of its source's order.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from . import hashing
from .native import compiled
from .rarity import Rarity

SENTENCE_MATCH = 0.5  # weighted overlap at which two sentences say the same thing


def in_order(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of `pairs` (sorted by first item) whose second items strictly increase.

    Example:
        >>> in_order([(0, 0), (1, 5), (2, 1), (3, 2), (4, 9), (5, 3)])
        [(0, 0), (2, 1), (3, 2), (5, 3)]
    """
    tails: list[int] = []  # tails[k]: index in pairs of the smallest end of a chain of length k+1
    ends: list[int] = []  # ends[k] = pairs[tails[k]][1], kept sorted for bisect
    previous: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(ends, j)
        previous.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(n)
            ends.append(j)
        else:
            tails[k], ends[k] = n, j
    chain: list[tuple[int, int]] = []
    n = tails[-1] if tails else -1
    while n >= 0:
        chain.append(pairs[n])
        n = previous[n]
    return chain[::-1]


class Sentences(NamedTuple):
    """A text's sentences ready to be aligned: one entry per (sentence, term), by term key."""

    keys: np.ndarray  # each entry's term key (`hashing.term_keys`), sorted
    sentence: np.ndarray  # the sentence of each entry
    weight: np.ndarray  # the weight of each entry's term
    totals: np.ndarray  # per sentence, the total weight of its terms


def index_sentences(sentence_terms: Sequence[Iterable[str]], rarity: Rarity) -> Sentences:
    """Weigh each sentence's content words by their rarity, as entries sorted by term key.

    Every sum runs in an order fixed by the terms themselves (sorted strings for a sentence's
    total, term keys for shared weights): summing in a set's hash order once made ties between
    sentences break differently from run to run.
    """
    terms: list[str] = []
    sentence: list[int] = []
    weight: list[float] = []
    totals = []
    for k, ordered in enumerate(sorted(ts) for ts in sentence_terms):
        weights = rarity.idfs(ordered)
        totals.append(sum(weights))
        terms += ordered
        sentence += [k] * len(ordered)
        weight += weights
    keys = hashing.term_keys(terms)
    order = np.argsort(keys, kind="stable")
    return Sentences(
        keys[order],
        np.array(sentence, dtype=np.int64)[order],
        np.array(weight, dtype=np.float64)[order],
        np.array(totals, dtype=np.float64),
    )


def best_matches(short: Sentences, long_: Sentences) -> list[tuple[int, int]]:
    """``(i, j)`` for each sentence i of `short` whose best match j in `long_` says the same.

    Two sentences say the same when their shared content words carry at least `SENTENCE_MATCH`
    of the lighter one's weight; ties go to the earliest j. The shared weights of all sentence
    pairs come from one join of the two texts' entries on term keys.
    """
    if not len(short.totals) or not len(long_.totals):
        return []
    if _native_best is not None:
        found, best = _native_best(*short, *long_, SENTENCE_MATCH)
        return list(zip(found.tolist(), best.tolist(), strict=True))
    first = np.searchsorted(long_.keys, short.keys, "left")
    counts = np.searchsorted(long_.keys, short.keys, "right") - first
    total = int(counts.sum())
    if not total:
        return []
    entry = np.repeat(np.arange(len(short.keys)), counts)
    partner = np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(total)
    shared = np.zeros((len(short.totals), len(long_.totals)))
    np.add.at(shared, (short.sentence[entry], long_.sentence[partner]), short.weight[entry])
    overlap = shared / np.minimum(short.totals[:, None], long_.totals[None, :])
    best = overlap.argmax(axis=1)
    found = np.flatnonzero(overlap[np.arange(len(best)), best] >= SENTENCE_MATCH)
    return list(zip(found.tolist(), best[found].tolist(), strict=True))


@compiled(cache=True, nogil=True, error_model="numpy")  # x / 0 gives inf or NaN
def _native_best(
    keys: np.ndarray,
    sentence: np.ndarray,
    weight: np.ndarray,
    totals: np.ndarray,
    other_keys: np.ndarray,
    other_sentence: np.ndarray,
    _other_weight: np.ndarray,
    other_totals: np.ndarray,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """`best_matches` compiled by numba (``fast``), or None: a fifth of the NumPy path's time.

    The same operations in the same order as the NumPy path (the weights added entry by entry
    as `np.add.at` adds them, the first best partner, a row with an undefined overlap matching
    nothing), so the sentence pairs are the same to the last bit.
    """
    shared = np.zeros((len(totals), len(other_totals)))
    for entry in range(len(keys)):
        partner = np.searchsorted(other_keys, keys[entry])
        while partner < len(other_keys) and other_keys[partner] == keys[entry]:
            shared[sentence[entry], other_sentence[partner]] += weight[entry]
            partner += 1
    found, best = [], []
    for i in range(len(totals)):
        top, at = -1.0, 0
        for j in range(len(other_totals)):
            overlap = shared[i, j] / min(totals[i], other_totals[j])
            if np.isnan(overlap):
                top = np.nan  # NumPy's argmax stops at a NaN, which passes no threshold
                break
            if overlap > top:
                top, at = overlap, j
        if top >= threshold:
            found.append(i)
            best.append(at)
    return np.array(found, dtype=np.int64), np.array(best, dtype=np.int64)
