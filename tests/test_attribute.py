import json

import numpy as np

from dupdetect import pipeline
from dupdetect.attribute import attribute
from dupdetect.records import Document, Match


def no_relate(a, b):
    return None


def docs(*items):
    return {i: Document(id=i, text="x", date=d) for i, d in items}


def test_earliest_date_is_the_original_whatever_the_order():
    documents = docs(("late", "2024-05-02"), ("early", "2024-05-01T23:00:00"), ("nodate", None))
    matches = [Match("late", "early", "near-verbatim", 0.9)]
    exact = [Match("late", "nodate", "exact", 1.0)]
    groups = [["late", "early", "nodate"]]
    (cluster,) = attribute(groups, documents, matches, exact, {}, lambda a, b: None)
    assert cluster.original == "early"
    assert "earliest published date (2024-05-01T23:00:00)" in cluster.members[0].reason
    assert "1 member(s) have no date" in cluster.members[0].reason


def test_without_dates_the_most_central_member_is_the_original():
    documents = docs(("a", None), ("b", None), ("c", None))
    matches = [Match("a", "b", "rewrite", 0.7), Match("b", "c", "rewrite", 0.7)]
    relate = lambda a, b: Match(a, b, "rewrite", 0.5)  # noqa: E731
    (cluster,) = attribute([["a", "b", "c"]], documents, matches, [], {}, relate)
    assert cluster.original == "b"
    assert [(x.id, x.role, x.kind) for x in cluster.members] == [
        ("b", "original", None),
        ("a", "copy", "rewrite"),
        ("c", "copy", "rewrite"),
    ]


def test_exact_twins_share_their_text_s_centrality_so_input_order_does_not_matter():
    documents = docs(("z-first", None), ("a-second", None), ("other", None))
    matches = [Match("other", "z-first", "rewrite", 0.7)]  # the twin that stood for the text
    exact = [Match("z-first", "a-second", "exact", 1.0)]
    relate = lambda a, b: Match(a, b, "rewrite", 0.7)  # noqa: E731
    groups = [["z-first", "other", "a-second"]]
    (cluster,) = attribute(groups, documents, matches, exact, {}, relate)
    assert cluster.original == "a-second"  # the smaller id of the two equal texts


def test_publication_metadata_beats_a_date_guessed_from_a_copyright_line():
    documents = {
        "copycat": Document("copycat", "x", date="2019-01-01", date_source="page text"),
        "real": Document("real", "x", date="2025-03-01", date_source="metadata"),
    }
    matches = [Match("copycat", "real", "near-verbatim", 0.9)]
    (cluster,) = attribute([["copycat", "real"]], documents, matches, [], {}, lambda a, b: None)
    assert cluster.original == "real"
    assert "(2025-03-01, metadata)" in cluster.members[0].reason
    assert "guessed from page text or crawls not compared" in cluster.members[0].reason


def test_a_copy_is_reported_by_its_closest_relation_on_the_way_to_the_original():
    # "copy" reproduces "retold" word for word; "retold" only retells the original.
    documents = docs(("original", "2024-05-01"), ("retold", "2024-05-02"), ("copy", None))
    matches = [
        Match("original", "retold", "rewrite", 0.7),
        Match("retold", "copy", "near-verbatim", 0.95),
    ]
    exact = [Match("retold", "twin", "exact", 1.0)]
    documents["twin"] = Document(id="twin", text="x")
    relate = lambda a, b: Match(a, b, "rewrite", 0.68)  # noqa: E731
    groups = [["copy", "twin", "retold", "original"]]
    (cluster,) = attribute(groups, documents, matches, exact, {}, relate)
    assert [(x.id, x.kind, x.via) for x in cluster.members] == [
        ("original", None, None),
        ("copy", "near-verbatim", "retold"),
        ("twin", "exact", "retold"),
        ("retold", "rewrite", None),
    ]


def test_without_dates_the_member_whose_words_the_others_reproduce_is_the_original():
    # An article, a copy of it inside another site's header and footer, and its first half
    # inside a page of other text; the page ties as strongly and is longer.
    article = np.arange(100)
    shingles = {
        "article": article,
        "page": np.concatenate([article, np.arange(1000, 1030)]),  # + header and footer
        "excerpt": np.concatenate([article[:50], np.arange(2000, 2040)]),  # + other stories
    }
    documents = docs(("article", None), ("page", None), ("excerpt", None))
    matches = [
        Match("article", "page", "near-verbatim", 0.77),
        Match("article", "excerpt", "partial", 0.56),
        Match("excerpt", "page", "partial", 0.56),
    ]
    n_words = {"article": 104, "page": 134, "excerpt": 94}
    group = [["page", "excerpt", "article"]]
    (by_words,) = attribute(group, documents, matches, [], n_words, no_relate, shingles.__getitem__)
    assert by_words.original == "article"
    assert by_words.members[0].reason.startswith("no dates; the most of its words found")
    (centrality,) = attribute(group, documents, matches, [], n_words, no_relate)
    assert centrality.original == "page"  # the summed scores tie, and it is the longer


def test_between_two_texts_the_shared_words_do_not_decide():
    # Both share the same 5-grams: the share would only name the shorter one, the excerpt.
    shingles = {"article": np.arange(100), "excerpt": np.arange(50)}
    documents = docs(("article", None), ("excerpt", None))
    matches = [Match("article", "excerpt", "partial", 1.0)]
    n_words = {"article": 104, "excerpt": 54}
    group = [["excerpt", "article"]]
    (cluster,) = attribute(group, documents, matches, [], n_words, no_relate, shingles.__getitem__)
    assert cluster.original == "article"
    assert "most strongly matched" in cluster.members[0].reason


def test_a_large_group_reports_unverified_relations_through_the_representative():
    # "hub" was verified against everyone (a large family's representative); "a" is the
    # original by its words, but "a"-"c" was passed over as redundant.
    documents = docs(("a", None), ("b", None), ("c", None), ("hub", None))
    matches = [Match(x, "hub", "partial", 0.4) for x in "abc"] + [Match("a", "b", "partial", 0.4)]
    asked = []

    def relate(a, b):
        asked.append((a, b))
        return Match(a, b, "partial", 0.4)

    shingles = {"a": np.arange(10), "b": np.arange(12), "c": np.arange(14), "hub": np.arange(16)}
    group = [["a", "b", "c", "hub"]]
    args = (group, documents, matches, [], {}, relate, shingles.__getitem__)
    (cluster,) = attribute(*args, relate_up_to=3)
    assert cluster.original == "a" and asked == []
    assert [(x.id, x.kind, x.via) for x in cluster.members] == [
        ("a", None, None),
        ("b", "partial", None),
        ("c", "partial", "hub"),
        ("hub", "partial", None),
    ]
    (cluster,) = attribute(*args, relate_up_to=4)
    assert asked == [("a", "c")] and cluster.members[2].via is None


def test_a_retold_story_carries_the_retelling_and_its_page_copy_hangs_from_it():
    # The original, a page holding it, another story retelling it, and a page holding that
    # story. The two pages' own retelling scores highest, but the relation is between the two
    # stories: the story is a rewrite of the original, its page a near-verbatim copy of it.
    documents = docs(("original", None), ("page", None), ("story", None), ("story-page", None))
    shingles = {
        "original": np.arange(100),
        "page": np.concatenate([np.arange(100), np.arange(1000, 1030)]),  # + header and footer
        "story": np.arange(500, 580),
        "story-page": np.concatenate([np.arange(500, 580), np.arange(2000, 2030)]),
    }
    matches = [
        Match("original", "page", "near-verbatim", 0.8),
        Match("story", "story-page", "near-verbatim", 0.8),
        Match("page", "story-page", "rewrite", 0.70),
        Match("original", "story", "rewrite", 0.69),
    ]
    groups = [["original", "page", "story", "story-page"]]
    n_words = {"original": 100, "story": 80}
    (cluster,) = attribute(groups, documents, matches, [], n_words, no_relate, shingles.__getitem__)
    assert cluster.original == "original"
    assert {(m.id, m.kind, m.via) for m in cluster.members[1:]} == {
        ("page", "near-verbatim", None),
        ("story", "rewrite", None),
        ("story-page", "near-verbatim", "story"),
    }


def test_a_story_whose_page_alone_passes_as_a_rewrite_carries_its_loose_relation():
    # The crawl's case: a copy of one day's Fed forecast inside another site's page verified
    # as a rewrite of another day's forecast (0.66), the forecast itself only loosely (0.62):
    # the page's lines weighed in. The relation is between the two reports, so the story
    # carries it, loose as it is, and its page is a near-verbatim copy of it (it was reported
    # as a rewrite, an injected copy called `rewrite`).
    shingles = {
        "next-day": np.arange(100),
        "story": np.arange(500, 580),
        "story-page": np.concatenate([np.arange(500, 580), np.arange(2000, 2030)]),
    }
    documents = docs(("next-day", "2024-01-01"), ("story", "2024-01-02"), ("story-page", None))
    matches = [
        Match("story", "story-page", "near-verbatim", 0.79),
        Match("next-day", "story-page", "rewrite", 0.66),
        Match("next-day", "story", "rewrite", 0.62, {}, True),
    ]
    (cluster,) = attribute(
        [list(shingles)], documents, matches, [], {"next-day": 100, "story": 80}, no_relate,
        shingles.__getitem__, framing_of=lambda a, b: a.endswith("-page"),
    )  # fmt: skip
    kinds = {m.id: (m.kind, m.via) for m in cluster.members}
    assert cluster.original == "next-day"
    assert kinds["story"] == ("rewrite", None)
    assert kinds["story-page"] == ("near-verbatim", "story")


def test_a_story_and_the_page_holding_it_the_page_hangs_from_the_story():
    # The crawl's case: two polls of one week (one a rewrite of the other), the first inside
    # WorldReport24's page, an edited copy of the second inside InfoStream's. The two pages
    # share their menu and footer, so by shares alone the InfoStream page was more the source
    # than its own story and carried the rewrite: a near-verbatim copy reported as a rewrite.
    # The page frames the story with lines of its own; the story does not.
    first, second = np.arange(100), np.arange(100, 200)
    menu_and_footer = np.arange(900, 910)
    shingles = {
        "poll": first,
        "poll-page": np.concatenate([first, menu_and_footer, np.arange(1000, 1010)]),
        "story": second,
        "story-page": np.concatenate([second[:60], menu_and_footer, np.arange(2000, 2010)]),
    }
    documents = docs(*((i, None) for i in shingles))
    matches = [  # as the crawl verified them
        Match("poll", "poll-page", "near-verbatim", 0.843),
        Match("story", "story-page", "near-verbatim", 0.6606),
        Match("poll", "story-page", "rewrite", 0.7714),
        Match("poll", "story", "rewrite", 0.7694),
        Match("poll-page", "story-page", "rewrite", 0.7662),
    ]
    args = ([list(shingles)], documents, matches, [], {}, no_relate, shingles.__getitem__)

    def framing_of(a, b):  # a page frames a story with its name and menu, and its footer
        return a.endswith("-page") and not b.endswith("-page")

    (cluster,) = attribute(*args, framing_of=framing_of)
    kinds = {m.id: (m.kind, m.via) for m in cluster.members}
    assert cluster.original == "poll"
    assert kinds["story-page"] == ("near-verbatim", "story")
    assert kinds["story"] == ("rewrite", None)
    (by_shares,) = attribute(*args)
    assert {m.id: m.kind for m in by_shares.members}["story-page"] == "rewrite"  # as before


def test_the_story_below_two_of_its_pages_takes_the_relation_verified_on_demand():
    # A crawl's tree entered a story's family through one of its pages (the highest rewrite
    # score, its menu and footer helping), and the story hung two levels below, under another
    # page of it. The story takes the relation, verified on demand (no pair of it with the rest
    # was), before the other page (which has a verified one, but frames the story too), and
    # the way from it up to the first page is turned round.
    story = np.arange(100, 200)
    shingles = {
        "poll": np.arange(100),
        "story": story,
        "page-1": np.concatenate([story[:70], np.arange(1000, 1010)]),
        "page-2": np.concatenate([story[:65], np.arange(2000, 2010)]),
    }
    documents = docs(
        ("poll", "2024-01-01"), ("story", "2024-01-02"), ("page-1", "2024-01-02"),
        ("page-2", "2024-01-02"),
    )  # fmt: skip
    matches = [  # the tree: poll - page-2 - page-1 - story
        Match("page-2", "poll", "rewrite", 0.71),
        Match("page-1", "poll", "rewrite", 0.70),
        Match("page-1", "page-2", "near-verbatim", 0.96),
        Match("page-1", "story", "near-verbatim", 0.95),
        Match("page-2", "story", "near-verbatim", 0.90),
    ]

    def relate(a, b):
        return Match(a, b, "rewrite", 0.69) if {a, b} == {"story", "poll"} else None

    (cluster,) = attribute(
        [list(shingles)], documents, matches, [], {}, relate, shingles.__getitem__,
        framing_of=lambda a, b: a.startswith("page"),
    )  # fmt: skip
    kinds = {m.id: (m.kind, m.via) for m in cluster.members}
    assert cluster.original == "poll"
    assert kinds["story"] == ("rewrite", None)
    assert kinds["page-1"] == ("near-verbatim", "story")
    assert kinds["page-2"] == ("near-verbatim", "page-1")  # the way turned round


def test_between_a_story_and_the_page_holding_it_the_story_is_the_original():
    # Two texts without dates tie in centrality, and the page is the longer: it was named the
    # original of 81% of the crawl's two-text groups. It frames the story; the story does not.
    # (In larger groups, two pages of one site share their menu and footer, which made a page
    # the one whose words the others reproduce most.)
    documents = docs(("story", None), ("page", None), ("page-twin", None))
    matches = [Match("page", "story", "near-verbatim", 0.8)]
    exact = [Match("page", "page-twin", "exact", 1.0)]
    n_words = {"story": 100, "page": 130, "page-twin": 130}

    def framing_of(a, b):
        return a.startswith("page") and b == "story"

    for group in (["story", "page", "page-twin"], ["page-twin", "page", "story"]):
        args = ([group], documents, matches, exact, n_words, no_relate)
        (cluster,) = attribute(*args, framing_of=framing_of)
        assert cluster.original == "story"
        assert "pages holding another member passed over" in cluster.members[0].reason
        (cluster,) = attribute(*args)  # without framing: the longer
        assert cluster.original == "page"


def test_a_wire_story_and_another_sites_page_of_it(shared_data):
    # A real Reuters story and the crawl generator's page of it: a site's name and menu above,
    # its footer below; the story is the original whichever comes first.
    story = json.loads((shared_data / "reuters" / "docs.jsonl").read_text().splitlines()[5])
    page = (
        f"WorldReport24\nHome | World | Business | Tech | Sport\n\n{story['text']}\n\n"
        "Share this story. Copyright WorldReport24. All rights reserved."
    )
    documents = [Document("story", story["text"]), Document("page", page)]
    for order in (documents, documents[::-1]):
        (found,) = pipeline.cluster(order).clusters
        assert found.original == "story", found.members[0].reason


def test_two_pages_of_one_site_do_not_outrank_the_story_they_hold():
    # The story and two pages of one site holding it: the pages share their menu and footer,
    # so every word of the first page is found in another member, as every word of the story
    # is, and it is the more central: by shares and centrality alone it was the original.
    story, menu_and_footer = np.arange(100), np.arange(900, 915)
    shingles = {
        "story": story,
        "page-1": np.concatenate([story, menu_and_footer]),
        "page-2": np.concatenate([story[:95], np.arange(2000, 2005), menu_and_footer]),
    }
    documents = docs(*((i, None) for i in shingles))
    matches = [
        Match("page-1", "story", "near-verbatim", 0.9),
        Match("page-2", "story", "near-verbatim", 0.85),
        Match("page-1", "page-2", "near-verbatim", 0.95),
    ]
    args = ([list(shingles)], documents, matches, [], {}, no_relate, shingles.__getitem__)

    def framing_of(a, b):  # a page frames the story; two pages of one site share their menu
        return a.startswith("page") and b == "story"

    assert attribute(*args)[0].original == "page-1"
    (cluster,) = attribute(*args, framing_of=framing_of)
    assert cluster.original == "story"
    assert "pages holding another member passed over" in cluster.members[0].reason
