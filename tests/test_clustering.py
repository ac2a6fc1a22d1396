from dupdetect.clustering import group
from dupdetect.records import Match
from dupdetect.settings import ClusterSettings


def m(a, b, kind="partial", score=0.9, weak=False):
    return Match(a, b, kind, score, weak=weak)


def test_a_bridge_document_does_not_chain_two_unrelated_groups():
    ids = ["a1", "a2", "bridge", "b1", "b2"]
    matches = [m("a1", "a2"), m("b1", "b2"), m("a1", "bridge"), m("bridge", "b1")]
    assert group(ids, matches, ClusterSettings()) == [["a1", "a2"], ["b1", "b2"]]


def test_on_demand_verification_completes_a_group():
    ids = ["o", "c1", "c2"]
    matches = [m("o", "c1", "rewrite", 0.8), m("o", "c2", "rewrite", 0.7)]
    verified = {("c1", "c2"): m("c1", "c2", "rewrite", 0.65)}
    result = group(ids, matches, ClusterSettings(), lambda x, y: verified.get((x, y)))
    assert result == [["o", "c1", "c2"]]


def test_weak_matches_never_form_a_group_on_their_own():
    assert group(["a", "b"], [m("a", "b", "rewrite", 0.3, weak=True)], ClusterSettings()) == []


def test_weak_match_joins_a_rewrite_family():
    matches = [
        m("o", "c", "rewrite", 0.8),
        m("o", "loose", "rewrite", 0.3, weak=True),
        m("c", "loose", "rewrite", 0.3, weak=True),
    ]
    assert group(["o", "c", "loose"], matches, ClusterSettings()) == [["o", "c", "loose"]]
