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


def test_a_star_of_copies_that_are_not_copies_of_each_other_stays_one_cluster():
    # A source and three excerpts of its opening: the excerpts share its lead, not each other's
    # other text, so none verifies against another; the old "more than half" rule broke stars.
    matches = [m("src", f"e{i}", "partial", 0.5) for i in range(3)]
    groups = group(["src", "e0", "e1", "e2"], matches, ClusterSettings(), overlap=lambda a, b: 0.3)
    assert groups == [["src", "e0", "e1", "e2"]]


def test_a_chain_of_rewrites_stays_one_cluster():
    ids = ["r0", "r1", "r2", "r3"]
    matches = [m(f"r{i}", f"r{i + 1}", "rewrite", 0.7) for i in range(3)]
    assert group(ids, matches, ClusterSettings()) == [ids]


def test_a_page_quoting_two_unrelated_articles_joins_only_the_first():
    matches = [m("agg", "story1", "partial", 0.45), m("agg", "story2", "partial", 0.4)]
    groups = group(
        ["story1", "agg", "story2"], matches, ClusterSettings(), overlap=lambda a, b: 0.0
    )
    assert groups == [["story1", "agg"]]


def test_stories_of_a_saga_that_loosely_match_a_family_and_each_other_stay_out():
    # Each follow-up resembles the family's rewrites, two other follow-ups, and another story
    # of the saga that does not resemble the family (as the BBC's Kenteris stories do).
    family = [m("r1", "r2", "rewrite", 0.7)]
    saga = ["s1", "s2", "s3"]
    loose = [m(s, r, "rewrite", 0.4, weak=True) for s in saga for r in ("r1", "r2")]
    loose += [m(a, b, "rewrite", 0.4, weak=True) for a, b in (("s1", "s2"), ("s2", "s3"))]
    loose += [m(s, "earlier", "rewrite", 0.4, weak=True) for s in saga]
    groups = group(["r1", "r2", *saga, "earlier"], family + loose, ClusterSettings())
    assert groups == [["r1", "r2"]]
    retelling = [m("t", "r1", "rewrite", 0.3, weak=True), m("t", "r2", "rewrite", 0.3, weak=True)]
    assert group(["r1", "r2", "t"], family + retelling, ClusterSettings()) == [["r1", "r2", "t"]]


def test_a_follow_up_whose_look_alikes_resemble_another_group_stays_out():
    # The follow-up resembles most of the family and one other story, which resembles another
    # group: through its look-alikes it belongs to a saga of several groups (siblings-dev's
    # bbc-sport-089 and the five retellings of the report it follows).
    family = [m(f"r{i}", f"r{j}", "rewrite", 0.7) for i in range(4) for j in range(i + 1, 4)]
    other = [m("o1", "o2", "rewrite", 0.7)]
    loose = [m("follow", f"r{i}", "rewrite", 0.4, weak=True) for i in range(3)]
    loose += [m("follow", "story", "rewrite", 0.4, weak=True)]
    loose += [
        m("story", "o1", "rewrite", 0.4, weak=True),
        m("story", "r0", "rewrite", 0.4, weak=True),
    ]
    ids = ["r0", "r1", "r2", "r3", "o1", "o2", "follow", "story"]
    assert group(ids, family + other + loose, ClusterSettings()) == [
        ["r0", "r1", "r2", "r3"],
        ["o1", "o2"],
    ]


def test_loose_retellings_that_resemble_each_other_join_their_family():
    # Three retellings of one report, each like the family and the other two (siblings-dev's
    # retellings of reuters-11265); a story that resembles one member only stays out once the
    # family holds them.
    family = [m("r1", "r2", "rewrite", 0.7)]
    tellings = ["t1", "t2", "t3"]
    loose = [m(t, r, "rewrite", 0.4, weak=True) for t in tellings for r in ("r1", "r2")]
    loose += [m(a, b, "rewrite", 0.4, weak=True) for a, b in (("t1", "t2"), ("t1", "t3"))]
    loose += [
        m("t2", "t3", "rewrite", 0.4, weak=True),
        m("a-story", "r1", "rewrite", 0.4, weak=True),
    ]
    ids = ["r1", "r2", *tellings, "a-story"]
    assert group(ids, family + loose, ClusterSettings()) == [["r1", "r2", *tellings]]


def test_a_match_given_twice_counts_once():
    # An index query gathers matches from several searches, so a pair may come twice: the
    # retelling resembles one document outside the family (a sibling still looking for it), not
    # two.
    family = [m("r1", "r2", "rewrite", 0.7)]
    loose = [m("t", r, "rewrite", 0.4, weak=True) for r in ("r1", "r2")]
    loose += [m("t", "sibling", "rewrite", 0.4, weak=True)]
    ids = ["r1", "r2", "t", "sibling"]
    assert group(ids, family + loose + loose, ClusterSettings()) == [["r1", "r2", "t"]]
