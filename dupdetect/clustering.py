"""Verified matches → groups of copies that do not chain.

Plain connected components chain: if B copies part of A and part of C, A and C end up together
though nothing ties them. Here groups grow by average linkage on the verified graph: matches are
taken strongest first, and two groups merge only when more than `min_link_share` of the
document pairs between them are copies. Pairs between the groups that were never candidates are
verified on demand (`relate`) before a merge is refused, so a group of rewrites whose weaker
members were not all candidates of each other still comes together, while a bridge document with
one link to each side cannot pull two unrelated groups together.

Weak matches (a rewrite seen only in what two texts are mainly about, see `verify`) come last
and never form a group: they may only bring documents into a *paraphrase family*, a group that
holds a strong rewrite match whose wording was mostly changed (`_paraphrase`), and again only
when more than half of the pairs across are linked. A same-saga follow-up looks like a loose
retelling pairwise; it has no family of paraphrases to join.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from .records import Match
from .settings import ClusterSettings

KIND_STRENGTH = {"exact": 3, "near-verbatim": 2, "partial": 1, "rewrite": 0}
PARAPHRASE = 0.3  # shingle containment below which a rewrite match is a paraphrase

Relate = Callable[[str, str], Match | None]


def group(
    ids: Sequence[str],
    matches: Iterable[Match],
    settings: ClusterSettings,
    relate: Relate | None = None,
) -> list[list[str]]:
    """Return the groups (two members or more) of `ids` that `matches` tie together.

    Args:
        ids: every document id.
        matches: the verified matches between them.
        settings: the linkage share.
        relate: verifies a pair that has no known match (None: unknown pairs count as no copy).

    Example:
        >>> from dupdetect.records import Match
        >>> chain = [Match("a", "b", "partial", 0.9), Match("b", "c", "partial", 0.9)]
        >>> group(["a", "b", "c"], chain, ClusterSettings())
        [['a', 'b']]
        >>> group(["a", "b", "c"], chain + [Match("a", "c", "rewrite", 0.7)], ClusterSettings())
        [['a', 'b', 'c']]
        >>> group(["a", "b"], [Match("a", "b", "rewrite", 0.3, weak=True)], ClusterSettings())
        []
    """
    matches = sorted(matches, key=lambda m: (-KIND_STRENGTH[m.kind], -m.score, m.a, m.b))
    strong: dict[str, set[str]] = {i: set() for i in ids}
    any_link: dict[str, set[str]] = {i: set() for i in ids}
    for m in matches:
        for x, y in ((m.a, m.b), (m.b, m.a)):
            any_link[x].add(y)
            if not m.weak:
                strong[x].add(y)
    group_of: dict[str, int] = {i: n for n, i in enumerate(ids)}
    members: dict[int, list[str]] = {n: [i] for n, i in enumerate(ids)}
    rewrite_family: set[int] = set()  # paraphrase families: groups weak matches may join

    def merge(m: Match, linked: dict[str, set[str]], weak_ok: bool) -> None:
        ga, gb = group_of[m.a], group_of[m.b]
        if ga == gb:
            return
        a_side, b_side = members[ga], members[gb]
        if weak_ok and not rewrite_family & {ga, gb}:
            return

        def check(x: str, y: str) -> bool:
            found = relate(x, y) if relate else None
            if found is None or (found.weak and not weak_ok):
                return False
            any_link[x].add(y)
            any_link[y].add(x)
            if not found.weak:
                strong[x].add(y)
                strong[y].add(x)
            return True

        if not _tied(a_side, b_side, linked, settings.min_link_share, check):
            return
        if len(a_side) < len(b_side):
            ga, gb, a_side, b_side = gb, ga, b_side, a_side
        a_side.extend(b_side)
        for x in b_side:
            group_of[x] = ga
        del members[gb]
        if gb in rewrite_family or _paraphrase(m):
            rewrite_family.add(ga)

    # Strong matches build the groups; weak ones may then only join documents to a paraphrase
    # family, counting strong and weak links alike.
    for m in matches:
        if not m.weak:
            merge(m, strong, weak_ok=False)
    for m in matches:
        if m.weak:
            merge(m, any_link, weak_ok=True)
    order = {i: n for n, i in enumerate(ids)}
    groups = [sorted(g, key=order.__getitem__) for g in members.values() if len(g) > 1]
    return sorted(groups, key=lambda g: order[g[0]])


def _paraphrase(m: Match) -> bool:
    """A strong rewrite whose wording was mostly changed: what founds a rewrite family.

    A pair that shares a third or more of its shingles verbatim but passes only as a rewrite is
    a partial re-use (a follow-up quoting its predecessor), not a paraphrase; on the BBC set
    such pairs are the ones weak matches would otherwise extend.
    """
    return m.kind == "rewrite" and not m.weak and m.scores.get("containment", 0.0) < PARAPHRASE


def _tied(
    a_side: list[str],
    b_side: list[str],
    linked: dict[str, set[str]],
    share: float,
    check: Callable[[str, str], bool],
) -> bool:
    """Whether more than `share` of the pairs across two groups are copies.

    Pairs with no known link are verified with `check` until the answer is certain.
    """
    needed = share * len(a_side) * len(b_side)
    links = sum(len(linked[x].intersection(b_side)) for x in a_side)
    if links > needed:
        return True
    unknown = [(x, y) for x in a_side for y in b_side if y not in linked[x]]
    for n, (x, y) in enumerate(unknown):
        if links + len(unknown) - n <= needed:
            return False
        if check(x, y):
            links += 1
            if links > needed:
                return True
    return False


def components(pairs: np.ndarray, n: int) -> np.ndarray:
    """The connected component of each of `n` nodes joined by `pairs`, as its lowest node.

    Used to order verification so that a group's profiles stay cached (`pipeline`).

    Example:
        >>> components(np.array([[0, 2], [3, 4], [2, 5]]), 6).tolist()
        [0, 1, 0, 3, 3, 0]
    """
    label = np.arange(n)
    if not len(pairs):
        return label
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]  # pointer jumping: follow each label to its own label
        if np.array_equal(label, before):
            return label
