"""The shared plain-data types that flow between the pipeline stages."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np


@dataclass(frozen=True)
class Document:
    """One article, as read from an input.

    Args:
        id: unique id: the record's ``id`` field, or the file path relative to its input folder.
        text: the article's main text (extracted from HTML when the input was a page).
        title, url, site: metadata when known.
        date: when it was published, ISO 8601 (``2025-03-01`` or ``2025-03-01T10:00:00``, UTC).
        source: where it came from, for messages and reports (``file``, ``file:line``).
        date_source: where the date came from: ``record`` (a JSONL/CSV field), ``metadata``
            (the page's publication metadata), ``page text`` (a date found in the page's text,
            a guess), or ``crawl`` (when a crawler fetched it, not when it was published).
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    date: str | None = None
    source: str = ""
    date_source: str | None = None
    html: str | bytes | None = field(default=None, repr=False)  # raw page, until extracted


@dataclass(frozen=True)
class Profile:
    """Everything verification needs to know about one normalized text.

    Args:
        n_words: number of words.
        content_hash: SHA-1 of the case-folded word sequence (equal for exact copies).
        shingles: the verbatim view's set: the hashes of the word shingles, sorted, as a uint32
            array (a frozenset of Python ints took 20 times the memory, and a run keeps
            thousands of profiles). Left out of equality: `content_hash` stands for the text.
        terms: counts of content-word stems.
        published: when the document was published (POSIX seconds), if known.
        text: the normalized text, for what only some pairs need (`SentenceProfile`, made on
            demand: a crawl's first pass profiles every document, verification few).
        rare: the rewrite view's set (`features.rare_terms`), made with the profile from the
            same words for signing (None once signed, or when not made for signing).
    """

    n_words: int
    content_hash: str
    shingles: np.ndarray = field(compare=False)
    terms: Counter[str] = field(default_factory=Counter)
    published: float | None = None
    text: str = field(default="", compare=False, repr=False)
    rare: frozenset[str] | None = field(default=None, compare=False, repr=False)

    @property
    def exact_key(self) -> int:
        """The content hash's first 64 bits: what exact copies share, cheap to keep by millions."""
        return int(self.content_hash[:16], 16)


class SentenceProfile(NamedTuple):
    """A text sentence by sentence: what alignment and the comparison of facts need.

    Args:
        facts: the figures and names the text states (see `facts`).
        terms: the content-word stems of each sentence (sorted), sentences in order (sentences
            of fewer than three are left out).
        sentence_facts: the facts of each of those sentences.
        rows: whether each of those sentences is a row of a table (`facts.read`).
        stated: the facts of those sentences, and of shorter ones that state a figure (a
            table's rows: "MAY 3406" is too short to align, but it states a figure).
        lead: the figures of the text's lead, its first sentence of prose, or None where it
            opens with no prose (`facts.lead_figures`) or is on one line.
    """

    facts: frozenset[str]
    terms: tuple[tuple[str, ...], ...]
    sentence_facts: tuple[frozenset[str], ...]
    rows: tuple[bool, ...]
    stated: tuple[frozenset[str], ...]
    lead: frozenset[str] | None = None


@dataclass(frozen=True)
class Signed:
    """One document after the first pass of a run: what exact-copy grouping, LSH and rarity need.

    Args:
        document: the extracted document (its text, for the spool and for later profiling).
        n_words: number of words.
        exact_key: what exact copies share (`Profile.exact_key`).
        signatures: per view name, the MinHash signature (a uint32 row).
        sizes: per view name, the size of the signed set.
        terms: the distinct content-word stems (the document's share of `rarity.Rarity`).
        profile: the full profile, for the run to spool (None from a Spark executor).
    """

    document: Document
    n_words: int
    exact_key: int
    signatures: dict[str, np.ndarray]
    sizes: dict[str, int]
    terms: tuple[str, ...]
    profile: Profile | None = None


@dataclass(frozen=True)
class Skipped:
    """A record that could not be used, and why (reported, never fatal)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.source}: {self.reason}"


class SkipLog:
    """Collects skipped records and passes each to a callback as soon as it happens."""

    def __init__(self, on_skip: Callable[[Skipped], None] | None = None) -> None:
        self.items: list[Skipped] = []
        self._on_skip = on_skip

    def __call__(self, source: str, reason: str) -> None:
        """Record that `source` was skipped for `reason`."""
        skipped = Skipped(source, reason)
        self.items.append(skipped)
        if self._on_skip is not None:
            self._on_skip(skipped)


# A match without its ids: kind, score, weak, score names, score values (`Match.packed`).
Packed = tuple[str, float, bool, tuple[str, ...], tuple[float, ...]]


@dataclass(frozen=True, slots=True)  # slots: a crawl run holds millions of matches
class Match:
    """A verified copy relation between two documents.

    Args:
        a, b: the two document ids.
        kind: ``exact``, ``near-verbatim``, ``partial`` or ``rewrite``.
        score: the score that decided the kind (1.0 for exact copies).
        scores: every score computed for the pair, by name, for evidence (kept as `Scores`).
        weak: the pair passed only the focus rule: it may join a document to an established
            group of copies, but never forms a group by itself (see `clustering.group`).
    """

    a: str
    b: str
    kind: str
    score: float
    scores: Mapping[str, float] = field(default_factory=dict, compare=False)
    weak: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.scores, Scores):
            object.__setattr__(self, "scores", Scores(self.scores))

    def packed(self) -> Packed:
        """The match without its ids, as plain values (see `unpacked`).

        A run's workers send back millions of matches: as plain values they pickle in a sixth
        of the time, and the receiver names them with its own id strings (one copy each).
        """
        assert isinstance(self.scores, Scores)
        return self.kind, self.score, self.weak, *self.scores.columns()

    @classmethod
    def unpacked(cls, a: str, b: str, packed: Packed) -> Match:
        """The match between `a` and `b` that `packed` gave."""
        kind, score, weak, names, values = packed
        return cls(a, b, kind, score, Scores.of(names, values), weak)


class Scores(Mapping[str, float]):
    """A pair's scores by name, read-only and compact.

    A run keeps millions of matches: a dict of a dozen scores took 650 bytes, these take 150.

    Example:
        >>> s = Scores({"wording": 0.8, "reproduced": 0.9})
        >>> s["wording"], dict(s), s == {"wording": 0.8, "reproduced": 0.9}
        (0.8, {'wording': 0.8, 'reproduced': 0.9}, True)
    """

    __slots__ = ("_names", "_values")
    _name_sets: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per set of names

    def __init__(self, scores: Mapping[str, float]) -> None:
        names = tuple(scores)
        self._names = self._name_sets.setdefault(names, names)
        self._values = array("d", scores.values())

    def __getitem__(self, name: str) -> float:
        try:
            return self._values[self._names.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[type[Scores], tuple[dict[str, float]]]:
        return Scores, (dict(self),)

    def columns(self) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """The names of the scores and the scores in the same order (see `of`)."""
        return self._names, tuple(self._values)

    @classmethod
    def of(cls, names: tuple[str, ...], values: Iterable[float]) -> Scores:
        """The scores `values` named by `names` (what `columns` gave)."""
        scores = cls.__new__(cls)
        scores._names = cls._name_sets.setdefault(names, names)
        scores._values = array("d", values)
        return scores


@dataclass(frozen=True)
class Passage:
    """A span of text A and the span of text B that corresponds to it.

    Args:
        a, b: the two spans, as they read in the texts.
        shared: lower-case words of the span that the other span also has (for highlighting).
        how: ``verbatim`` (the same wording) or ``aligned`` (a sentence saying the same).
    """

    a: str
    b: str
    shared: frozenset[str]
    how: str


@dataclass(frozen=True)
class Comparison:
    """The verdict on two documents, every score, and the passages that correspond.

    Args:
        a, b: the two document ids.
        kind: ``exact``, ``near-verbatim``, ``partial``, ``rewrite``, or None (not copies).
        score: the score behind the kind (the rewrite score when not copies).
        scores: every score computed, by name.
        thresholds: the threshold each decisive score is compared with, by score name.
        passages: corresponding passages of A and B, in A's order.
        weak: the rewrite verdict rests on a loose-retelling rule alone (see `verify`): such a
            match joins a document to a family of rewrites, never makes a group by itself.
        reason: the verdict in words.
        facts: the facts of corresponding sentences (A's sentence, B's sentence, shared
            facts, facts of A's sentence that B never states, the other way round),
            contradictions first.
        new_figures: the figures A states that B never does, and those B states that A never
            does (a follow-up's new figures; see `agreement.new_figures`).
        lead_news: the figures either text's lead states that the other never does (a
            follow-up's news; see `agreement.lead_news`).
    """

    a: str
    b: str
    kind: str | None
    score: float
    scores: dict[str, float]
    thresholds: dict[str, float]
    passages: list[Passage]
    weak: bool = False
    reason: str = ""
    facts: list[FactPair] = field(default_factory=list)
    new_figures: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))
    lead_news: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FactPair:
    """Two corresponding sentences and the facts they state (see `Comparison.facts`)."""

    a: str
    b: str
    shared: list[str]
    a_only: list[str]
    b_only: list[str]

    @property
    def contradicts(self) -> bool:
        """Each sentence states a fact the other text never states."""
        return bool(self.a_only and self.b_only)


@dataclass(frozen=True)
class Member:
    """A document's place in a cluster of copies.

    Args:
        id: the document's id.
        role: ``original`` or ``copy``.
        kind: how it relates to the original (or to `via`); None for the original itself.
        score: the score behind `kind`.
        reason: why the original was chosen (on the original).
        via: when the copy is no copy of the original itself (an excerpt of a part the original
            lacks, a loose retelling) or copies this member more closely (a verbatim copy of a
            retelling), the member it is a copy of; `kind` and `score` are then its relation to
            that member. Following `via` from any copy leads to the original.
    """

    id: str
    role: str
    kind: str | None
    score: float | None
    reason: str | None = None
    via: str | None = None


@dataclass(frozen=True)
class Cluster:
    """A group of documents that are copies of one original."""

    id: str
    original: str
    members: tuple[Member, ...]


@dataclass
class Result:
    """What a clustering run produced: the documents, their clusters, and what was skipped.

    ``evidence`` maps each copy's id to the passages it shares with its cluster's original.
    """

    documents: Sequence[Document]
    clusters: list[Cluster]
    matches: list[Match]
    skipped: list[Skipped]
    evidence: dict[str, list[Passage]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)  # the verdict's, for legends

    def cluster_of(self) -> dict[str, tuple[Cluster, Member]]:
        """Map each clustered document id to its cluster and membership."""
        return {m.id: (c, m) for c in self.clusters for m in c.members}
