"""A group of copies → its likely original and the role of every member.

The original is the member published first, when dates are known. Dates are not equally
trustworthy: a date a record states or a page's publication metadata gives beats one found in a
page's text (a guess, often a copyright year), which beats the time a crawler fetched the page;
only the dates of the best kind present are compared.

Without dates, in a group of three texts or more, it is the member whose words the others
reproduce most: the share of its word 5-grams that another member also has (`reproduced`). A
copy keeps the original's words and adds its own: a page's header and footer, a spin's padding,
a rewrite's new wording, an excerpt's surrounding page. Each copy adds different words, while
the original's are the ones they share (on the 20,000-page crawl the real article is named in
953 of the 1,121 groups of three members or more, against 712 by the summed match score alone).
Between two texts (exact twins count as one) the shared 5-grams are the same for both, so the
share would only say which is shorter (the original beside a copy inside a page, but the copy
beside an excerpt or a condensed retelling) and decides nothing. First of all, a member that
holds another one it matches between lines of its own (`frames`: a site's name and menu above,
its footer below; an excerpt's page) is a page, not the source, and is passed over while a
member that holds none is left (in groups small enough to verify in full, `relate_up_to`): two
pages of one site share their menu and footer, so the others reproduce a page's words as much as
the story's (on the crawl the real article is now named in 4,539 of its 4,545 groups, from
1,593; 1,123 of the 1,124 of three members or more, from 958). On ties of the share (to two
decimals), and between two texts, the most central member wins: the one with the highest summed
match score to the others (a rewrite farm's copies each derive from the original, so it ties to
all of them, while two rewrites often tie only weakly to each other). Then the longer text (an
excerpt or a condensed retelling is shorter than its source), then the smaller id, so the choice
is deterministic.

Each copy is then described by its closest relation on a path to the original: the tree that
reaches every member from the original through the closest relations first (Prim's order, by
kind then score) gives each member one parent. A copy whose parent is not the original, and is
closer than the copy's own relation to the original, is reported as a copy of that parent
(`Member.via`): an exact copy of a story that is itself only a retelling of the original is "exact
via" that story, not "a rewrite" of the original. An editor acts on the closest relation.
Where the tree enters a story and its copies through a copy (a page holding the story), while
the story itself has a relation of the same kind to the rest of the group (a loose retelling
is a rewrite: a page's lines may lift its score over the threshold), the story carries that
relation and the copy hangs from it (`_on_sources`): the relation is between the two reports,
and the page is a copy of its story. Which is the story is read first from the two
texts: the page frames the passage they share with lines of its own (`frames`: a header, a
menu, a footer), the story does not. Where both or neither do, it is read from the words the
group reproduces (`shares`, dates or not). Shares alone named the page: the menu and footer it
shares with another site's page in the group counted as reproduced words. A large group (over
`relate_up_to`, verified against one representative) keeps the tree as grown.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from . import hashing
from .features import shingle_hashes, words
from .records import Cluster, Document, Match, Member, Profile

Relate = Callable[[str, str], Match | None]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# How far a date is to be trusted, by where it came from (`Document.date_source`): lower first.
TRUST = {"record": 0, "metadata": 0, None: 0, "page text": 1, "crawl": 2}
# How close a relation is, by kind: closer first (a weak link is the loosest rewrite).
CLOSENESS = {"exact": 0, "near-verbatim": 1, "partial": 2, "rewrite": 3}
# A relation a story could carry: (its `closeness`, the story, the relation).
_Way = tuple[tuple[int, float, str, str], str, Match]


def closeness(match: Match) -> tuple[int, float, str, str]:
    """Sort key of a relation, closest first: its kind, then its score (then ids, for ties)."""
    return (CLOSENESS.get(match.kind, 4) + match.weak, -match.score, match.a, match.b)


def parents(
    original: str,
    relations: Iterable[Match],
    more_original: Callable[[str, str], bool] | None = None,
    relate: Relate | None = None,
) -> dict[str, Match]:
    """Each member's relation to its parent in the closest-first tree grown from `original`.

    With `more_original` (whether a member's text is more the source than another's), a story
    entered through one of its copies carries the relation instead (`_on_sources`); `relate`
    verifies, where no relation of the story was verified, the one it would carry.
    """
    around: dict[str, list[Match]] = {}
    for m in relations:
        around.setdefault(m.a, []).append(m)
        around.setdefault(m.b, []).append(m)
    parent: dict[str, Match] = {}
    reached, order = {original}, [original]
    frontier = [(closeness(m), m) for m in around.get(original, [])]
    heapq.heapify(frontier)
    while frontier:
        _, m = heapq.heappop(frontier)
        new = m.b if m.a in reached else m.a
        if new in reached:
            continue
        reached.add(new)
        order.append(new)
        parent[new] = m
        for n in around[new]:
            if _other(n, new) not in reached:
                heapq.heappush(frontier, (closeness(n), n))
    if more_original is not None:
        _on_sources(order, parent, around, more_original, relate)
    return parent


def _on_sources(
    order: list[str],
    parent: dict[str, Match],
    around: dict[str, list[Match]],
    more_original: Callable[[str, str], bool],
    relate: Relate | None = None,
) -> None:
    """Re-hang, in `parent`, each story entered through a copy of it from that copy's place.

    A member x entered by a relation of some kind, with a member y below it tied to it through
    closer relations only (a page x holding story y, or holding a copy of y), where y is more
    the source than x and has a relation of that same kind to a member outside x's subtree: y
    takes that relation, and the way from y up to x is turned round (x hangs from y), once: y
    keeps it (an excerpt of y below it is no source of y's relation). Where no such relation
    of y was verified (a group verifies few pairs of its members), y is verified against the
    member x was entered from, then that member's parent, up to the original (`relate`).
    """
    settled: set[str] = set()  # stories that took their page's relation keep it
    children = _children(parent)
    for x in order[1:]:  # the order the tree reached them in, the original first
        if x in settled:
            continue
        kind = closeness(parent[x])[0]
        sources = [y for y in _closer_below(x, kind, children, parent) if more_original(y, x)]
        # The story itself before another page holding it: the sources no other one is more
        # the source than, then the rest.
        best = [y for y in sources if not any(more_original(z, y) for z in sources if z != y)]
        below = _subtree(x, children)
        rest = [y for y in sources if y not in best]
        same_kind = CLOSENESS[parent[x].kind]  # a weak rewrite is a rewrite a story may carry
        found = (
            _ways(x, stories, same_kind, below, around, parent, relate) for stories in (best, rest)
        )
        ways = next((w for w in found if w), [])
        if ways:
            _, y, m = min(ways)
            _turn_round(y, x, parent)
            parent[y] = m
            settled.add(y)
            children = _children(parent)


def _children(parent: dict[str, Match]) -> dict[str, list[str]]:
    """Each member's children in the tree `parent` describes."""
    children: dict[str, list[str]] = {}
    for node, link in parent.items():
        children.setdefault(_other(link, node), []).append(node)
    return children


def _ways(
    x: str,
    stories: list[str],
    kind: int,
    below: set[str],
    around: dict[str, list[Match]],
    parent: dict[str, Match],
    relate: Relate | None,
) -> list[_Way]:
    """The relations of `kind` that `stories` have outside x's subtree, else verified ones."""
    found = [
        (closeness(m), y, m)
        for y in stories
        for m in around[y]
        if CLOSENESS[m.kind] == kind and _other(m, y) not in below
    ]
    if not found and stories and relate is not None:
        found = _verified_ways(x, stories, kind, parent, relate)
    return found


def _closer_below(
    x: str, kind: int, children: dict[str, list[str]], parent: dict[str, Match]
) -> list[str]:
    """The members below x tied to it through relations closer than `kind` only."""
    found, todo = [], [x]
    while todo:
        for child in children.get(todo.pop(), []):
            if closeness(parent[child])[0] < kind:
                found.append(child)
                todo.append(child)
    return found


def _turn_round(y: str, x: str, parent: dict[str, Match]) -> None:
    """Make each member on the way from y up to its ancestor x hang from the one below it."""
    way = [y]
    while way[-1] != x:
        way.append(_other(parent[way[-1]], way[-1]))
    links = [parent[n] for n in way[:-1]]  # links[i] ties way[i] and way[i + 1]
    for n, link in zip(way[1:], links, strict=True):
        parent[n] = link


def _verified_ways(
    x: str, sources: list[str], kind: int, parent: dict[str, Match], relate: Relate
) -> list[_Way]:
    """The relations of `kind` or closer that x's stories have to x's nearest ancestor, verified.

    Walking up from the member x was entered from towards the original: x may have been
    entered from another page, which its story does not relate to as closely as to that
    page's own story.
    """
    ancestor = _other(parent[x], x)
    while True:
        found = ((y, relate(y, ancestor)) for y in sources)
        ways = [(closeness(m), y, m) for y, m in found if m and CLOSENESS[m.kind] <= kind]
        if ways or ancestor not in parent:  # found, or at the original
            return ways
        ancestor = _other(parent[ancestor], ancestor)


def _subtree(root: str, children: dict[str, list[str]]) -> set[str]:
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _other(m: Match, end: str) -> str:
    return m.b if m.a == end else m.a


def published(document: Document) -> str | None:
    """The document's date (ISO, to the second when known) if it has a readable one.

    Example:
        >>> published(Document(id="a", text="", date="2019-11-19T10:00:00"))
        '2019-11-19T10:00:00'
    """
    if document.date and _ISO_DATE.match(document.date):
        return document.date
    return None


def reproduced(shingles: dict[str, np.ndarray]) -> dict[str, float]:
    """The share of each text's word 5-grams (distinct values) that another text also has.

    Example:
        >>> texts = {"a": np.array([1, 2, 3, 4]), "b": np.array([1, 2, 9]), "c": np.array([3, 8])}
        >>> reproduced(texts)
        {'a': 0.75, 'b': 0.6667, 'c': 0.5}
    """
    ids = list(shingles)
    if not ids:
        return {}
    values = np.concatenate([shingles[i] for i in ids])
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    shared = counts[inverse] >= 2
    ends = np.cumsum([len(shingles[i]) for i in ids]).tolist()
    return {
        i: round(float(shared[start:end].mean()), 4) if end > start else 0.0
        for i, start, end in zip(ids, [0, *ends], ends, strict=False)
    }


def frames(text: str, other: np.ndarray, shingle_size: int) -> bool:
    """Whether `text` holds what it shares with another text between lines of its own.

    `other` is the other text's word `shingle_size`-gram hashes, sorted and distinct
    (`Profile.shingles`). A page holding a story frames it: lines of its own before it (a name,
    a menu) and after it (a footer). The story is not framed by the page; nor by an excerpt of
    it, which takes its beginning: what the story does not share lies after the passage only.

    Example:
        >>> story = "Gold opens firmer in Hong Kong\\nGold opened firmer in fairly active trading."
        >>> page = "Metro Digest\\nHome | World | Business\\n" + story + "\\nAll rights reserved."
        >>> hashes = lambda text: hashing.unique(shingle_hashes(words(text), 5))
        >>> frames(page, hashes(story), 5), frames(story, hashes(page), 5)
        (True, False)
    """
    return _frames(Layout.of(text, shingle_size), other, shingle_size)


class Layout(NamedTuple):
    """Where a text's words stand: what `frames` asks of a text, made once per text."""

    hashes: np.ndarray  # the hash of each word shingle, in order
    line_of: np.ndarray  # the non-blank line each word is on
    lines: int  # how many non-blank lines

    @classmethod
    def of(cls, text: str, shingle_size: int) -> Layout:
        """The layout of a normalized text."""
        rows = [words(line) for line in text.split("\n") if line.strip()]
        tokens = [w for row in rows for w in row]
        line_of = np.repeat(np.arange(len(rows), dtype=np.int32), [len(row) for row in rows])
        return cls(shingle_hashes(tokens, shingle_size), line_of, len(rows))


def _frames(layout: Layout, other: np.ndarray, shingle_size: int) -> bool:
    shared = np.flatnonzero(hashing.found_in(layout.hashes, other))
    if not len(shared):
        return False
    last_word = min(int(shared[-1]) + shingle_size, len(layout.line_of)) - 1
    return bool(layout.line_of[shared[0]] > 0 and layout.line_of[last_word] < layout.lines - 1)


class Framing:
    """`frames` between documents by id, each text laid out once (the last `capacity` kept).

    Asked of one story against each of its copies, and of the pages of a group against each
    other, it laid out the same text again for every pair: half of the time of naming the
    100,000-page crawl's originals.
    """

    def __init__(
        self, profile_of: Callable[[str], Profile], shingle_size: int, capacity: int = 4_096
    ) -> None:
        self.profile_of = profile_of
        self.shingle_size = shingle_size
        self.layout_of = functools.lru_cache(maxsize=capacity)(
            lambda i: Layout.of(profile_of(i).text, shingle_size)
        )
        self.opening_of = functools.lru_cache(maxsize=capacity)(
            lambda i: _opening(profile_of(i).text, shingle_size)
        )

    def __call__(self, a: str, b: str) -> bool:
        """Whether document `a` holds what it shares with document `b` between its own lines."""
        other = self.profile_of(b).shingles
        if hashing.found_in(self.opening_of(a), other).any():
            return False  # it shares words of its first line: a story, not the page around one
        return _frames(self.layout_of(a), other, self.shingle_size)


def _opening(text: str, shingle_size: int) -> np.ndarray:
    """The hashes of the word shingles that start on a text's first line (none if it is all)."""
    rows = (words(line) for line in text.split("\n") if line.strip())
    first = next(rows, [])
    tokens = list(first)
    for row in rows:
        if len(tokens) >= len(first) + shingle_size - 1:
            break
        tokens += row
    if len(tokens) < len(first) + shingle_size - 1:
        return np.empty(0, dtype=np.uint32)  # the first line's shingles reach the text's end
    return shingle_hashes(tokens, shingle_size)[: len(first)]


def shares(
    ids: Sequence[str], twin_of: dict[str, str], shingles_of: Callable[[str], np.ndarray]
) -> dict[str, float]:
    """`reproduced` for a group's members, exact twins counted once (each twin gets its text's).

    Empty for fewer than three distinct texts, where it would only say which is shorter.
    """
    texts = [i for i in ids if i not in twin_of]
    if len(texts) < 3:
        return {}
    share = reproduced({i: shingles_of(i) for i in texts})
    return share | {i: share.get(twin_of[i], 0.0) for i in ids if i in twin_of}


def choose_original(
    members: Sequence[Document],
    matches: Sequence[Match],
    n_words: dict[str, int],
    twin_of: dict[str, str] | None = None,
    share_of: Callable[[], dict[str, float]] | None = None,
    framing_of: Callable[[str, str], bool] | None = None,
) -> tuple[str, str]:
    """Return ``(original id, reason)`` for one group.

    `twin_of` maps each exact copy to the member that stood for its text in verification: twins
    share that member's centrality, so which of them came first in the input does not matter.
    `share_of` gives the members' `shares` (None, or empty: centrality alone). With
    `framing_of` (`frames`), a member that holds another one it matches between lines of its own
    (a page around a story, an excerpt's page) is passed over while one that holds none is left.
    """
    dated = [(TRUST.get(m.date_source, 1), d, m) for m in members if (d := published(m))]
    if dated:
        trusted = min(trust for trust, _, _ in dated)
        date, _, earliest = min((d, m.id, m) for trust, d, m in dated if trust == trusted)
        notes = []
        if len(dated) < len(members):
            notes.append(f"{len(members) - len(dated)} member(s) have no date")
        if trusted < max(trust for trust, _, _ in dated):
            notes.append("dates guessed from page text or crawls not compared")
        came = f", {earliest.date_source}" if earliest.date_source else ""
        note = "".join(f"; {n}" for n in notes)
        return earliest.id, f"earliest published date ({date}{came}){note}"
    twin_of = twin_of or {}
    centrality = {m.id: 0.0 for m in members}
    partners: dict[str, list[str]] = {}
    for match in matches:
        if match.a in centrality and match.b in centrality:
            centrality[match.a] += match.score
            centrality[match.b] += match.score
            partners.setdefault(match.a, []).append(match.b)
            partners.setdefault(match.b, []).append(match.a)
    share = share_of() if share_of is not None else {}
    by_words = bool(share)
    for twin, first in twin_of.items():
        if twin in centrality:
            centrality[twin] = centrality[first]
    ranked = sorted(
        members,
        key=lambda m: (
            -round(share.get(m.id, 0.0), 2), -round(centrality[m.id], 6), -n_words.get(m.id, 0),
            m.id,
        ),
    )  # fmt: skip

    def holds_another(member: str) -> bool:
        text = twin_of.get(member, member)  # a twin has its text's partners
        return framing_of is not None and any(
            _holds(text, other, framing_of) for other in partners.get(text, ())
        )

    best = next((m for m in ranked if not holds_another(m.id)), ranked[0])
    passed = ", pages holding another member passed over" if best is not ranked[0] else ""
    if by_words:
        return best.id, (
            "no dates; the most of its words found in the other members "
            f"(then most strongly matched to them, then longest){passed}"
        )
    return best.id, f"no dates; most strongly matched to the other members (then longest){passed}"


def attribute(
    groups: Sequence[Sequence[str]],
    documents: dict[str, Document],
    matches: Sequence[Match],
    exact: Sequence[Match],
    n_words: dict[str, int],
    relate: Relate,
    shingles_of: Callable[[str], np.ndarray] | None = None,
    relate_up_to: int | None = None,
    framing_of: Callable[[str, str], bool] | None = None,
) -> list[Cluster]:
    """Name the original of each group and how every other member relates to it.

    Args:
        groups: member ids per group.
        documents: every document by id (for dates).
        matches: the verified matches (for centrality and kinds).
        exact: the exact copies, each as (the text's first document, the copy).
        n_words: words per document (tie-break: longer wins).
        relate: verifies a pair on demand, for members with no direct match to the original.
        shingles_of: a member's word 5-grams, for the share the others reproduce (None: the
            original is named by dates and centrality alone).
        relate_up_to: the largest group whose missing relations to the original are verified
            (None: any). A larger one had its pairs verified against one representative
            (`run.roles`): its copies are reported by their verified relation on the way to
            the original (`Member.via`) rather than by one new verification each.
        framing_of: whether one member frames what it shares with another (`frames`), to tell
            a story from the page holding it (None: the shares alone tell).
    """
    twin_of = {m.b: m.a for m in exact}
    # Asked of the same pairs again and again while a group's tree is re-hung.
    framing = functools.cache(framing_of) if framing_of is not None else None
    group_of = {i: n for n, ids in enumerate(groups) for i in ids}
    inside_of: dict[int, list[Match]] = {}
    for m in matches:  # each match once, to the group holding both ends
        if m.a in group_of and group_of[m.a] == group_of.get(m.b):
            inside_of.setdefault(group_of[m.a], []).append(m)
    # Exact twins relate alike, so the smallest id of each text carries the text's relations
    # and the other twins are its exact copies, whatever the input order.
    twins: dict[str, list[str]] = {}
    for m in exact:
        twins.setdefault(m.a, [m.a]).append(m.b)
    canon = {t: min(ts) for ts in twins.values() for t in ts}
    copies_of: dict[int, list[Match]] = {}
    exact_of: dict[int, list[Match]] = {}
    for ts in twins.values():
        copies = (Match(canon[t], t, "exact", 1.0) for t in ts if t != canon[t])
        copies_of.setdefault(group_of[ts[0]], []).extend(copies)
    for m in exact:
        exact_of.setdefault(group_of[m.a], []).append(m)
    clusters = []
    for n, ids in enumerate(groups):
        members = [documents[i] for i in ids]
        inside = inside_of.get(n, [])
        share_of = (
            functools.cache(lambda ids=ids: shares(ids, twin_of, shingles_of))
            if shingles_of is not None
            else None
        )
        small = relate_up_to is None or len(ids) <= relate_up_to
        original, reason = choose_original(
            members, inside, n_words, twin_of, share_of, framing if small else None
        )
        as_canon = (
            replace(m, a=canon.get(m.a, m.a), b=canon.get(m.b, m.b))
            if m.a in canon or m.b in canon
            else m
            for m in inside
        )
        more_original = (
            functools.partial(_more_original, share_of=share_of, framing_of=framing)
            if share_of is not None and small
            else None
        )
        parent = parents(
            original, (*as_canon, *copies_of.get(n, ())), more_original, relate if small else None
        )
        direct = {  # each member's own match with the original, if verified
            _other(m, original): m
            for m in (*inside, *exact_of.get(n, ()))
            if original in (m.a, m.b)
        }
        roles = [Member(original, "original", None, None, reason)]
        for i in ids:
            if i == original:
                continue
            match = direct.get(i)
            if match is None and small:
                match = relate(original, i)
            via, near = None, parent.get(i)
            if near and (match is None or closeness(near)[:2] < closeness(match)[:2]):
                match, via = near, _other(near, i)
            assert match is not None, f"{i} is in a group without a match"
            roles.append(Member(i, "copy", match.kind, match.score, via=via))
        clusters.append(Cluster(original, original, tuple(roles)))
    return sorted(clusters, key=lambda c: (-len(c.members), c.id))


def _holds(page: str, story: str, framing_of: Callable[[str, str], bool]) -> bool:
    """Whether `page` holds `story` between lines of its own, and not the reverse.

    A page holding a story, or an excerpt of it inside a page, is not the story's source.
    """
    return framing_of(page, story) and not framing_of(story, page)


def _more_original(
    y: str,
    x: str,
    share_of: Callable[[], dict[str, float]],
    framing_of: Callable[[str, str], bool] | None,
) -> bool:
    """Whether `y` is more the source than `x`: x frames it and not the reverse, else shares."""
    if framing_of is not None:
        if _holds(x, y, framing_of):
            return True
        if _holds(y, x, framing_of):
            return False
    return share_of().get(y, 0.0) > share_of().get(x, 0.0)
