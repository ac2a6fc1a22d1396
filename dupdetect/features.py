"""Normalized text → the sets that are signed, one per view, and the term statistics verify uses.

A *view* is data: a name, a function that turns a text into a set of strings, and the LSH
threshold at which its candidates are generated (see `settings.View`). Two views ship:

- ``verbatim``: word 5-gram shingles. Copies that keep the wording share most of them.
- ``rewrite``: stemmed content words that are rare in English. A paraphrase changes most word
  sequences but keeps the vocabulary of the facts (names, numbers, rare nouns), so this set
  survives it (`rare_terms`).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import snowballstemmer
from wordfreq import get_frequency_dict

from . import facts, hashing
from .hashing import fmix32, unique
from .records import Profile, SentenceProfile

# Chinese and Japanese write no spaces between words: each ideograph or kana is a token of its
# own (`facts.CJK`), so an article is hundreds of tokens (not the few "words" between its
# punctuation marks, which made one too short to read) and its shingles are runs of five
# characters, the usual unit of their near-duplicates. Hangul has spaces and reads as words.
WORD = re.compile(rf"[{facts.CJK}]|[^\W_{facts.CJK}]+(?:['.,][^\W_{facts.CJK}]+)*")
_PLAIN_WORD = re.compile(r"[^\W_]+(?:['.,][^\W_]+)*")  # the same tokens of a text without CJK
_rare_word: dict[str, bool] = {}  # word -> rare in English (see `rare_terms`)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
# A Chinese or Japanese sentence ends with no space after it (looked for only where they are).
_SENTENCE_END_CJK = re.compile(
    rf"{_SENTENCE_END.pattern}|(?<=[。！？])\s*|(?<=[!?])\s*(?=[{facts.CJK}])"
)
# A line break inside a sentence of hard-wrapped text (wire stories wrap at ~70 characters): the
# next line goes on in lower case. (A line that goes on with a capital is not joined: headings
# and list items look the same.) After a period only an abbreviation's ("by U.S.\nautomakers"):
# a market report's rows may begin in lower case after a sentence ("dlr.\nus 1-3 46.50").
_WRAPPED = re.compile(r"(?<=[^\s.!?:;\"”'’)\]])\n(?=[a-z0-9(])|(?<=[A-Z]\.)\n(?=[a-z])")

# Function words carry no topic; dropping them makes the rewrite view a set of content words.
STOPWORDS = frozenset(
    """a about above after again against all almost also although always am among an and any are
    around as at be became because become been before being below between both but by can
    could did do does doing done down during each either else even ever every few for from
    further get gets got had has have having he her here hers herself him himself his how however
    i if in into is it its itself just least less like made make many may me might more most much
    must my myself neither no nor not now of off often on once one only or other others our ours
    ourselves out over own per perhaps quite rather really said same say says she should since so
    some still such than that the their theirs them themselves then there these they this those
    though through thus to too under until up upon us very was we were what whatever when where
    whether which while who whom whose why will with within without would yet you your yours
    yourself yourselves s t mr mrs ms""".split()
)

_stemmer = snowballstemmer.stemmer("english")

# Per-token frequency below which a word is rare: a news-length text (500 words) holds it with a
# probability under 5%.
RARE_FREQUENCY = 1e-4

_stem_of: dict[str, str] = {}  # word -> stem, for the words seen so far (see `stem`)
_STEMS_KEPT = 1_000_000


def stem(word: str) -> str:
    """Return the Snowball (Porter 2) stem of a lower-case word (cached per word).

    Example:
        >>> stem("rewritten"), stem("companies")
        ('rewritten', 'compani')
    """
    stemmed = _stem_of.get(word)
    if stemmed is None:
        stemmed = str(_stemmer.stemWord(word))
        if len(_stem_of) < _STEMS_KEPT:
            _stem_of[word] = stemmed
    return stemmed


# English words from this frequency up make the background table; rarer ones would add under
# 0.005% to any stem's background document share.
BACKGROUND_MIN_FREQUENCY = 1e-7


@lru_cache(maxsize=1)
def _background_table() -> dict[str, float]:
    """Each stem's English frequency: the highest wordfreq frequency among the words it stems.

    Built once from wordfreq's English list (about 0.5 s with PyStemmer), so a stem's weight
    depends on the language, never on which texts a process happened to stem before.
    """
    frequencies = get_frequency_dict("en")
    common = [w for w, f in frequencies.items() if f >= BACKGROUND_MIN_FREQUENCY]
    table: dict[str, float] = {}
    for word, stemmed in zip(common, _stemmer.stemWords(common), strict=True):
        if frequencies[word] > table.get(stemmed, 0.0):
            table[stemmed] = frequencies[word]
    return table


def background_frequency(term: str) -> float:
    """The English frequency per token of a stem's most common word form (0 if unknown).

    Example:
        >>> background_frequency(stem("governments")) == background_frequency(stem("government"))
        True
    """
    return _background_table().get(term, 0.0)


def background_document_share(term: str, words_per_document: int = 500) -> float:
    """Share of ordinary English news-length documents expected to contain `term` (a stem).

    From the stem's frequency per token f (`background_frequency`):
    ``1 - exp(-words_per_document * f)``.

    Example:
        >>> round(background_document_share(stem("government")), 2)
        0.17
    """
    return 1.0 - math.exp(-words_per_document * background_frequency(term))


def words(text: str) -> list[str]:
    """Split text into case-folded words; numbers such as ``12,000`` and ``5.8`` stay whole.

    Example:
        >>> words("Technorati tracks 12,000 blogs, it's said.")
        ['technorati', 'tracks', '12,000', 'blogs', "it's", 'said']
    """
    if text.isascii():  # folding first splits the same: ASCII folds letter for letter
        return _PLAIN_WORD.findall(text.lower())
    pattern = WORD if facts.has_cjk(text) else _PLAIN_WORD
    return [w.casefold() for w in pattern.findall(text)]


_DATELINE = re.compile(
    r"^(?:\w+day,? )?(?:\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? "
    r"\d{1,2}(?:st|nd|rd|th)?,? \d{4}$|^\d{4}-\d{2}-\d{2}$",
    re.IGNORECASE,
)


def headline(text: str, max_length: int = 150) -> str | None:
    """The first line of a text when it is short enough to be its headline.

    Example:
        >>> headline("Voters flock to blog awards site\\n\\nVoting is under way.")
        'Voters flock to blog awards site'
        >>> headline("August 1, 2025\\nMeta's bold shift\\nBody text.")
        "Meta's bold shift"
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    while len(lines) > 1 and _DATELINE.match(lines[0]):
        lines.pop(0)  # a dateline above the headline is not the headline
    first = lines[0] if len(lines) > 1 else ""
    return first if first and len(first) <= max_length else None


# Verbatim shingles are hashed from their words, not as strings: the words are hashed from their
# bytes (`hashing.word_hashes`) and a shingle's hash is mixed from its words' hashes with NumPy,
# for every shingle of a text at once. Hashing every shingle string with SHA-1 in Python (as
# datasketch hashes strings), then every distinct word, was what bounded signing speed.
# `shingle_hash` is the same function for one shingle, so `datasketch.MinHash(hashfunc=
# shingle_hash)` over the shingle strings gives equal signatures.
_MIX = np.uint32(0x9E3779B1)


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """The 32-bit hash of every word `size`-gram of `tokens` (one for a shorter text).

    Example:
        >>> int(shingle_hashes(["a", "b", "c"], 2)[1]) == shingle_hash(b"b c")
        True
    """
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    return _rolling(hashing.word_hashes(tokens), min(size, len(tokens)))


def shingle_hashes_batch(texts: Sequence[list[str]], size: int) -> list[np.ndarray]:
    """`shingle_hashes` of many token lists at once: one NumPy pass over all their words.

    Example:
        >>> a, b = shingle_hashes_batch([["a", "b", "c"], ["d"]], 2)
        >>> a.tolist() == shingle_hashes(["a", "b", "c"], 2).tolist(), len(b)
        (True, 1)
    """
    words = hashing.word_hashes([t for tokens in texts for t in tokens])
    hashed = _rolling(words, size) if len(words) >= size else words[:0]
    out, start = [], 0
    for tokens in texts:
        if len(tokens) >= size:
            out.append(hashed[start : start + len(tokens) - size + 1])
        else:  # shorter than a shingle: one shingle of all its words, or none
            out.append(shingle_hashes(tokens, size))
        start += len(tokens)
    return out


def _rolling(words: np.ndarray, width: int) -> np.ndarray:
    """The hash of each run of `width` consecutive word hashes."""
    h = np.full(len(words) - width + 1, np.uint32(width), dtype=np.uint32)
    for k in range(width):
        h = fmix32((h ^ words[k : len(words) - width + 1 + k]) * _MIX)
    return h


def shingle_hash(shingle: bytes) -> int:
    """The hash of one shingle (words joined by single spaces), as `shingle_hashes` computes it.

    Usable as datasketch's ``hashfunc``.
    """
    tokens = shingle.decode("utf-8").split(" ")
    return int(shingle_hashes(tokens, len(tokens))[0])


def shingle_set(tokens: list[str], size: int) -> set[str]:
    """Return the set of word `size`-grams; a text shorter than `size` gives one shingle.

    Example:
        >>> sorted(shingle_set(["a", "b", "c"], 2))
        ['a b', 'b c']
    """
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def content_terms(tokens: Iterable[str]) -> list[str]:
    """Return the stems of the content words in `tokens`, in order (stopwords dropped).

    Example:
        >>> content_terms(["the", "companies", "were", "rewriting", "2004"])
        ['compani', 'rewrit', '2004']
    """
    known = _stem_of
    return [
        known.get(t) or stem(t)
        for t in tokens
        if t not in STOPWORDS and (len(t) > 1 or t.isdigit())
    ]


def sentences(text: str) -> list[str]:
    """Split normalized text into sentences; lines are sentences unless text is hard-wrapped.

    Example:
        >>> sentences('He said "yes." Then he left.\\nA new line')
        ['He said "yes."', 'Then he left.', 'A new line']
        >>> sentences("Micropolis is raising 75 mln dlrs\\nvia an offering.\\nNext one.")
        ['Micropolis is raising 75 mln dlrs via an offering.', 'Next one.']
        >>> sentences("Sales by U.S.\\nautomakers eased.\\nPrices rose 1.00 dlr.\\nus 1-3 46.50")
        ['Sales by U.S. automakers eased.', 'Prices rose 1.00 dlr.', 'us 1-3 46.50']
    """
    end = _SENTENCE_END_CJK if facts.has_cjk(text) else _SENTENCE_END
    return [s.strip() for s in end.split(_unwrapped(text)) if s and s.strip()]


def lines(text: str) -> list[str]:
    """The non-blank lines of normalized text, hard-wrapped lines joined (as `sentences` does).

    Example:
        >>> lines("M.D.C. HOLDINGS <MDC> SETS QUARTERLY\\nMicropolis is raising\\nvia an offering.")
        ['M.D.C. HOLDINGS <MDC> SETS QUARTERLY', 'Micropolis is raising via an offering.']
    """
    return [line.strip() for line in _unwrapped(text).split("\n") if line.strip()]


def _unwrapped(text: str) -> str:
    """Hard-wrapped lines joined: a line break inside a sentence is a space."""
    return _WRAPPED.sub(" ", text)


def verbatim_set(text: str, shingle_size: int = 5) -> set[str]:
    """The verbatim view: the set of case-folded word `shingle_size`-grams."""
    return shingle_set(words(text), shingle_size)


def rewrite_set(text: str) -> set[str]:
    """The set of content-word stems, robust to paraphrase (the view signs the rare ones)."""
    return set(content_terms(words(text)))


def rare_terms(tokens: Iterable[str]) -> frozenset[str]:
    """The stems of the content words that are rare in English, each of their forms included.

    Why: common words ("said", "year", "government") make unrelated articles share a tenth of
    their vocabulary, so an LSH over all content words returns a fixed share of all pairs, which
    grows with the square of a crawl. A rewrite keeps the names, numbers and uncommon words of
    its facts; signing only those cuts the candidate pairs of spun-dev 80-fold at equal recall.
    A word is rare below `RARE_FREQUENCY` per token (wordfreq); a stem counts as rare only if
    every form of it in this text is, so the set depends on the text alone.

    Example:
        >>> sorted(rare_terms(["the", "government", "said", "bezos", "2004", "governments"]))
        ['2004', 'bezo']
    """
    rare: set[str] = set()
    common: set[str] = set()
    for token in set(tokens):
        if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            continue
        is_rare = _rare_word.get(token)
        if is_rare is None:
            is_rare = facts.rarer_than(token, RARE_FREQUENCY)
            if len(_rare_word) < 2_000_000:
                _rare_word[token] = is_rare
        (rare if is_rare else common).add(_stem_of.get(token) or stem(token))
    return frozenset(rare - common)


def profile(
    text: str, shingle_size: int = 5, published: float | None = None, for_signing: bool = False
) -> Profile:
    """Compute the `Profile` of a normalized text.

    Its sentences are looked at only when a pair needs them (`sentence_profile`): a crawl's
    first pass profiles every document, and most have no candidate.

    Args:
        text: the normalized text.
        shingle_size: words per verbatim shingle.
        published: when the document was published (POSIX seconds), if known.
        for_signing: also keep the rewrite view's set, made from the same words (`Profile.rare`).
    """
    tokens = words(text)
    return Profile(
        n_words=len(tokens),
        content_hash=hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest(),
        shingles=unique(shingle_hashes(tokens, shingle_size)),
        terms=Counter(content_terms(tokens)),
        published=published,
        text=text,
        rare=rare_terms(tokens) if for_signing else None,
    )


def sentence_profile(text: str) -> SentenceProfile:
    """A normalized text sentence by sentence: each sentence's content words and facts."""
    split, stems = _sentence_stems(text)
    stated = facts.read(split)
    kept = _aligned(stems)
    aligned = set(kept)
    return SentenceProfile(
        facts=frozenset().union(*(found.facts for found in stated)),
        terms=tuple(tuple(sorted(set(stems[n]))) for n in kept),
        sentence_facts=tuple(stated[n].facts for n in kept),
        rows=tuple(stated[n].row for n in kept),
        stated=tuple(
            found.facts
            for n, found in enumerate(stated)
            if found.facts and (n in aligned or any(map(facts.is_figure, found.facts)))
        ),
        # Where an export dropped a text's line breaks, its headline, byline and menu run into
        # its first sentence: which sentence is its lead, the text no longer says.
        lead=facts.lead_figures(split, stated) if "\n" in text else None,
    )


# Sentences with fewer distinct content words than this are not aligned (a dateline, a byline).
ALIGNED_MIN_TERMS = 3


def _sentence_stems(text: str) -> tuple[list[str], list[list[str]]]:
    split = sentences(text)
    return split, [content_terms(words(s)) for s in split]


def _aligned(sentence_stems: list[list[str]]) -> list[int]:
    return [n for n, stems in enumerate(sentence_stems) if len(set(stems)) >= ALIGNED_MIN_TERMS]


def aligned_sentences(text: str) -> list[str]:
    """The sentences of a normalized text that `SentenceProfile.terms` describes, in order."""
    split, stems = _sentence_stems(text)
    return [split[n] for n in _aligned(stems)]


def view_sets(profile: Profile, view: str) -> set[str] | np.ndarray:
    """Return the set that `view` signs: shingle hashes (verbatim, an array) or stems (rewrite)."""
    if view == "verbatim":
        return profile.shingles
    if view == "rewrite":
        return set(rare_terms(words(profile.text)) if profile.rare is None else profile.rare)
    raise ValueError(f"view must be 'verbatim' or 'rewrite', got {view!r}")
