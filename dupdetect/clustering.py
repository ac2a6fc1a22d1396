"""Verified matches → groups of copies: families kept whole, bridges refused.

A copy relation is not transitive in general, but the *same report* is: two copies of one
report are copies of each other even when nothing they share passed a pairwise test (two
excerpts of different parts of an article, two loose retellings of an absent source). So the
groups are the connected components of the verified matches, built in three steps (union-find,
near-linear in the number of matches):

1. **Same-report links** (exact, near-verbatim, rewrite) join their documents' groups. A
   source with copies that are not copies of each other (a star) and a chain of rewrites stay
   whole; "more than half of the pairs across two groups", the earlier rule, broke both.
2. **Passage links** (partial: a passage of one text is in the other), strongest first, join
   too, unless they would *bridge*: a page that quotes two unrelated articles is a partial copy
   of each, but does not make them one story. So when a document (with its same-report core)
   already joined one group through a passage, a second passage link joins another group only
   if that group's document shares text with the first one (`RELATED` of the smaller's word
   5-grams, or a verified match): the excerpts of one article overlap in it; two articles an
   aggregator quotes do not.
3. **Weak links** (a loose retelling seen only in what two texts are mainly about, see `verify`)
   never form a group: they bring a document that is in no group into a *paraphrase family*, a
   group that holds a rewrite, when
   - it links to at least half of the family's members (missing pairs are verified on demand;
     retellings that joined before it count, the most linked newcomers going first),
   - its *look-alikes* (the documents in no group that it loosely resembles, theirs, and so on)
     loosely resemble no other group, and
   - of the other documents in no group, it resembles one at most, or only ones that resemble
     the family too.
   A same-saga follow-up looks like a loose retelling pairwise, but it also resembles the
   saga's other stories, which resemble other stories and groups of the saga (in siblings-dev,
   eight BBC athletics stories each weakly matched some of the five retellings of one of its
   reports and several of each other, and through each other a group of two more). The loose
   retellings of one report resemble each other and their family, and nothing beyond (in
   siblings-dev, three retellings of reuters-11265, each also weakly matching the two others);
   a sibling still looking for its family may resemble only one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from .records import Match
from .settings import ClusterSettings

KIND_STRENGTH = {"exact": 3, "near-verbatim": 2, "partial": 1, "rewrite": 0}
# Share of the smaller text's 5-grams two documents must share to count as related when a
# passage link would join their groups through a third document.
RELATED = 0.1

Relate = Callable[[str, str], Match | None]
Overlap = Callable[[str, str], float]


class _Groups:
    """Union-find over document ids, with each group's members."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}
        self.members = {i: [i] for i in self.parent}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        return ra


def group(
    ids: Sequence[str],
    matches: Iterable[Match],
    settings: ClusterSettings,
    relate: Relate | None = None,
    overlap: Overlap | None = None,
) -> list[list[str]]:
    """Return the groups (two members or more) of `ids` that `matches` tie together.

    Args:
        ids: every document id.
        matches: the verified matches between them.
        settings: the share of a family a weak link must reach.
        relate: verifies a pair that has no known match (None: unknown pairs are no copies).
        overlap: the share of the smaller text's word 5-grams two documents share (None: 0).

    Example:
        >>> from dupdetect.records import Match
        >>> star = [Match("a", "b", "partial", 0.5), Match("a", "c", "partial", 0.5)]
        >>> group(["a", "b", "c"], star, ClusterSettings(), overlap=lambda x, y: 0.4)
        [['a', 'b', 'c']]
        >>> group(["a", "b", "c"], star, ClusterSettings(), overlap=lambda x, y: 0.0)
        [['a', 'b']]
        >>> group(["a", "b"], [Match("a", "b", "rewrite", 0.3, weak=True)], ClusterSettings())
        []
    """
    matches = sorted(matches, key=lambda m: (-KIND_STRENGTH[m.kind], -m.score, m.a, m.b))
    same_report = [m for m in matches if m.kind != "partial" and not m.weak]
    groups = _Groups(ids)
    for m in same_report:
        groups.union(m.a, m.b)
    core = {i: groups.find(i) for i in ids}  # each document's same-report component

    linked: dict[str, set[str]] = {i: set() for i in ids}
    for m in matches:
        linked[m.a].add(m.b)
        linked[m.b].add(m.a)

    def related(a: str, b: str) -> bool:
        if b in linked[a] or (overlap is not None and overlap(a, b) >= RELATED):
            return True
        return relate is not None and relate(a, b) is not None

    joined: dict[str, list[str]] = {}  # per core, the documents it joined through passages
    for m in matches:
        if m.kind != "partial" or groups.find(m.a) == groups.find(m.b):
            continue
        hubs = ((core[m.a], m.b), (core[m.b], m.a))
        if all(
            not joined.get(hub) or any(related(other, p) for p in joined[hub])
            for hub, other in hubs
        ):
            groups.union(m.a, m.b)
            for hub, other in hubs:
                joined.setdefault(hub, []).append(other)

    families = {groups.find(m.a) for m in same_report if m.kind == "rewrite"}
    loose: dict[str, set[str]] = {}  # a set: a caller may pass a pair's match twice
    for m in matches:
        if m.weak:
            loose.setdefault(m.a, set()).add(m.b)
            loose.setdefault(m.b, set()).add(m.a)

    def placed(x: str) -> bool:
        return len(groups.members[groups.find(x)]) > 1

    # The documents in no group, joined where they loosely resemble each other, and the groups
    # each such cluster of look-alikes loosely resembles (before any weak link joins).
    unplaced = [x for x in loose if not placed(x)]
    lookalikes = _Groups(unplaced)
    for x in unplaced:
        for p in loose[x]:
            if not placed(p):
                lookalikes.union(x, p)
    reach: dict[str, set[str]] = {}
    for x in unplaced:
        touched = reach.setdefault(lookalikes.find(x), set())
        touched.update(groups.find(p) for p in loose[x] if placed(p))
    # The one group each cluster of look-alikes resembles, if only one. A weak link only adds a
    # document to a family, whose root stays (`_Groups.union` keeps the larger group's), so this
    # is found once, not for every newcomer in every pass.
    home = {root: next(iter(found)) for root, found in reach.items() if len(found) == 1}

    def suitor(x: str, family: str) -> bool:
        return any(placed(p) and groups.find(p) == family for p in loose[x])

    def links(x: str) -> int:
        return sum(placed(p) for p in loose[x])

    changed = True
    while changed:  # a newcomer placed may be the family another one was waiting for
        changed = False
        # The newcomers most linked to groups first: a retelling that joins makes the family
        # its siblings are measured against.
        for newcomer in sorted(unplaced, key=lambda x: (-links(x), x)):
            if placed(newcomer):
                continue  # in a group already: weak links never merge groups
            only = home.get(lookalikes.find(newcomer))
            if only is None:
                continue  # its look-alikes resemble several groups (a saga) or none
            family = groups.find(only)
            if family not in families or not suitor(newcomer, family):
                continue  # not (yet) like a member of a family of rewrites
            others = [p for p in loose[newcomer] if not placed(p)]
            if len(others) > 1 and not all(suitor(p, family) for p in others):
                continue  # like stories that do not resemble the family: a saga
            if _reaches(newcomer, groups.members[family], settings.min_link_share, related):
                families.add(groups.union(newcomer, family))
                changed = True

    order = {i: n for n, i in enumerate(ids)}
    found = [sorted(g, key=order.__getitem__) for g in groups.members.values() if len(g) > 1]
    return sorted(found, key=lambda g: order[g[0]])


def _reaches(
    newcomer: str, members: list[str], share: float, related: Callable[[str, str], bool]
) -> bool:
    """Whether `newcomer` is linked to at least `share` of `members` (checked until certain)."""
    needed = share * len(members)
    links = 0
    for n, member in enumerate(members):
        if links + len(members) - n < needed:
            return False
        links += related(newcomer, member)
        if links >= needed:
            return True
    return links >= needed


def components(pairs: np.ndarray, n: int) -> np.ndarray:
    """The connected component of each of `n` nodes joined by `pairs`, as its lowest node.

    Used to order verification so that a group's profiles stay cached (`run`). Union-find in
    NumPy: each round hooks every root to the lowest root it is joined to and compresses the
    paths, so even a chain of 100,000 nodes takes a few rounds, not one per node.

    Example:
        >>> components(np.array([[0, 2], [3, 4], [2, 5]]), 6).tolist()
        [0, 1, 0, 3, 3, 0]
    """
    label = np.arange(n)
    if not len(pairs):
        return label
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        la, lb = label[a], label[b]
        differ = la != lb
        if not differ.any():
            return label
        low, high = np.minimum(la[differ], lb[differ]), np.maximum(la[differ], lb[differ])
        np.minimum.at(label, high, low)  # hook each root to the lowest root it meets
        while True:  # pointer jumping until every node points at a root
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
