"""Two texts → the passages that correspond, in document order, for an editor to read.

For verbatim and partial copies these are the runs of shared wording; for rewrites, the
sentence pairs that say the same thing in order (the alignment behind the rewrite score). Each
passage lists the words the two sides share, so a report can highlight them.
"""

from __future__ import annotations

from .align import best_matches, in_order, index_sentences
from .features import STOPWORDS, WORD, content_terms, sentences, stem, words
from .rarity import Rarity
from .records import Passage


def shared_runs(text_a: str, text_b: str, size: int = 5, min_words: int = 8) -> list[Passage]:
    """Runs of at least `min_words` words that both texts have verbatim, in A's order.

    Example:
        >>> a = "one two three four five six seven eight nine ten and then other words"
        >>> b = "it began: one two three four five six seven eight nine ten. Then more"
        >>> [p.a for p in shared_runs(a, b)]
        ['one two three four five six seven eight nine ten']
    """
    spans_a, spans_b = _spans(text_a), _spans(text_b)
    tokens_a = [text_a[s:e].casefold() for s, e in spans_a]
    tokens_b = [text_b[s:e].casefold() for s, e in spans_b]
    where_b: dict[tuple[str, ...], int] = {}
    for j in range(len(tokens_b) - size + 1):
        where_b.setdefault(tuple(tokens_b[j : j + size]), j)
    passages = []
    i = 0
    while i <= len(tokens_a) - size:
        found = where_b.get(tuple(tokens_a[i : i + size]))
        if found is None:
            i += 1
            continue
        j = found
        length = size
        while (
            i + length < len(tokens_a)
            and j + length < len(tokens_b)
            and tokens_a[i + length] == tokens_b[j + length]
        ):
            length += 1
        if length >= min_words:
            a = text_a[spans_a[i][0] : spans_a[i + length - 1][1]]
            b = text_b[spans_b[j][0] : spans_b[j + length - 1][1]]
            passages.append(Passage(a, b, frozenset(tokens_a[i : i + length]), "verbatim"))
        i += length
    return passages


def aligned_sentences(text_a: str, text_b: str, rarity: Rarity) -> list[Passage]:
    """The sentence pairs of A and B that say the same thing, along the longest in-order chain."""
    sentences_a, sentences_b = sentences(text_a), sentences(text_b)
    terms_a = [frozenset(content_terms(words(s))) for s in sentences_a]
    terms_b = [frozenset(content_terms(words(s))) for s in sentences_b]
    chain = in_order(
        best_matches(index_sentences(terms_a, rarity), index_sentences(terms_b, rarity))
    )
    passages = []
    for i, j in chain:
        stems_b = {stem(w) for w in words(sentences_b[j])}
        shared = frozenset(
            w for w in words(sentences_a[i]) if w not in STOPWORDS and stem(w) in stems_b
        )
        passages.append(Passage(sentences_a[i], sentences_b[j], shared, "aligned"))
    return passages


def evidence(text_a: str, text_b: str, kind: str | None, rarity: Rarity) -> list[Passage]:
    """The passages that show why A and B are (or are not) copies of the given `kind`.

    Verbatim kinds show shared runs; a rewrite (or an unknown relation) shows aligned sentences,
    falling back to shared runs when no sentence aligns.
    """
    if kind in ("exact", "near-verbatim", "partial"):
        return shared_runs(text_a, text_b) or aligned_sentences(text_a, text_b, rarity)
    return aligned_sentences(text_a, text_b, rarity) or shared_runs(text_a, text_b)


def _spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(text)]
