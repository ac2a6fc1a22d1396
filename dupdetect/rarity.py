"""Corpus statistics → rarity weights (IDF) of content-word stems: a value every engine passes.

Rarity is the one corpus-wide input to verification. It is an explicit value, built from the
documents of the corpus being judged (a run's inputs, an index's contents) and handed to the
`verify.Verifier`; nothing about it lives in module state, so the same corpus gives the same
weights whatever else the process did before.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from .features import background_document_share
from .records import Profile

# A corpus smaller than this is padded with virtual documents of ordinary English (see Rarity).
MIN_CORPUS = 2000


class Rarity:
    """Document frequencies of content-word stems over a corpus, and the IDF weights they give.

    Why a background: in a small corpus the copies themselves make the words they share look
    common (five rewrites of one story among 45 documents give its names a document frequency
    of 5/45), which is backwards. A corpus smaller than `min_corpus` is therefore padded with
    virtual documents of ordinary English, whose word frequencies come from wordfreq
    (`features.background_document_share`); a corpus that large or larger stands on its own.

    Args:
        df: documents that contain each stem.
        n_docs: documents in the corpus.
        min_corpus: the corpus size below which background documents pad it.

    Example:
        >>> r = Rarity.of_terms([["alpha", "beta"], ["alpha"]], min_corpus=0)
        >>> r.idf("alpha") < r.idf("beta")
        True
    """

    def __init__(
        self, df: Mapping[str, int] | None = None, n_docs: int = 0, min_corpus: int = MIN_CORPUS
    ) -> None:
        self.df: Counter[str] = Counter(df or {})
        self.n_docs = n_docs
        self.min_corpus = min_corpus
        self._idf: dict[str, float] = {}  # weights computed since the last change

    @classmethod
    def of_terms(cls, documents: Iterable[Iterable[str]], min_corpus: int = MIN_CORPUS) -> Rarity:
        """The rarity of a corpus given as each document's stems."""
        rarity = cls(min_corpus=min_corpus)
        for terms in documents:
            rarity.add(terms)
        return rarity

    @classmethod
    def of_profiles(cls, profiles: Iterable[Profile], min_corpus: int = MIN_CORPUS) -> Rarity:
        """The rarity of a corpus of profiled texts."""
        return cls.of_terms((p.terms.keys() for p in profiles), min_corpus)

    def add(self, terms: Iterable[str], count: int = 1) -> None:
        """Count one more document holding `terms` (``count=-1`` takes one away)."""
        distinct = set(terms)
        if count == 1:
            self.df.update(distinct)  # counted by Counter's C loop
        else:
            self.df.update(dict.fromkeys(distinct, count))
        self.n_docs += count
        self._idf.clear()

    def merge(self, other: Rarity) -> None:
        """Add the counts of another part of the same corpus (a worker's, an executor's)."""
        self.df.update(other.df)
        self.n_docs += other.n_docs
        self._idf.clear()

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency over the corpus and its background padding.

        ``ln((N + B + 1) / (df + B * share + 1)) + 1``, with ``B = max(0, min_corpus - N)``
        background documents and ``share`` the term's background document share.

        Example:
            >>> Rarity(min_corpus=0).idf("anything")
            1.0
        """
        found = self._idf.get(term)
        if found is None:
            padding = max(0, self.min_corpus - self.n_docs)
            expected = padding * background_document_share(term) if padding else 0.0
            documents = self.n_docs + padding
            found = math.log((documents + 1) / (self.df.get(term, 0) + expected + 1)) + 1.0
            self._idf[term] = found
        return found

    def idfs(self, terms: Sequence[str]) -> list[float]:
        """`idf` of every term, looked up all at once (a text's few hundred at C speed).

        Example:
            >>> Rarity(min_corpus=0).idfs(["a", "b"])
            [1.0, 1.0]
        """
        try:
            return list(map(self._idf.__getitem__, terms))
        except KeyError:
            return list(map(self.idf, terms))
