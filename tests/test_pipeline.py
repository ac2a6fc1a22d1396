import json

import numpy as np

from dupdetect import Document, features, pipeline, run
from dupdetect.spool import ProfileSpool, Spool


def clusters_of(result):
    return [
        (c.original, [(m.id, m.role, m.kind, m.score) for m in c.members]) for c in result.clusters
    ]


def test_profiles_read_back_from_the_spool_give_the_same_clusters(samples_dir, monkeypatch):
    full = pipeline.cluster([samples_dir])
    monkeypatch.setattr(run, "PROFILES_KEPT", 2)
    monkeypatch.setattr(run, "SIGN_BATCH", 7)
    recomputed = pipeline.cluster([samples_dir])
    assert clusters_of(recomputed) == clusters_of(full)
    assert len(full.clusters) == 5  # the seeds and the four BBC pairs
    assert [d.id for d in recomputed.documents] == [d.id for d in full.documents]


def test_spool_round_trips_every_field_but_the_raw_page():
    document = Document(
        "id-1", "Text — with “quotes”\\nand lines", "A title", "https://x.test/a", "x.test",
        "2024-01-02", "in.jsonl:3", html="<p>raw</p>",
    )  # fmt: skip
    spool = Spool()
    spool.append(Document("id-0", "first"))
    assert spool.append(document) == 1
    back = spool[1]
    assert back.html is None
    assert (back.id, back.text, back.title, back.url, back.site, back.date, back.source) == (
        "id-1", "Text — with “quotes”\\nand lines", "A title", "https://x.test/a", "x.test",
        "2024-01-02", "in.jsonl:3",
    )  # fmt: skip
    assert [d.id for d in spool] == ["id-0", "id-1"] and spool[-1].id == "id-1"


def test_profile_spool_round_trips_every_field_verification_reads():
    spool = ProfileSpool()
    dated = features.profile("Zürich’s café said 1,200 jobs would go — in 2025.", published=1.7e9)
    empty = features.profile("")
    spool.put(0, dated)
    spool.put(4, empty)
    for position, expected in ((0, dated), (4, empty)):
        back = spool.get(position)
        assert back == expected  # words, content hash, stems and their counts, date
        assert back.text == expected.text
        assert np.array_equal(back.shingles, expected.shingles)
    assert spool.get(2) is None and spool.get(9) is None


def test_worker_processes_give_the_same_result_and_skips(samples_dir, tmp_path, monkeypatch):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n{"id": "y", "text": "..."}\n')
    runs = {}
    for workers in (1, 2):
        monkeypatch.setattr(run, "PARALLEL_AFTER", 10)
        monkeypatch.setattr(run, "WORKER_BATCH", 7)
        monkeypatch.setattr(run, "VERIFY_CHUNK", 3)  # verification in workers too, largest first
        skipped = []
        result = pipeline.cluster([samples_dir, bad], on_skip=skipped.append, workers=workers)
        documents = [d.id for d in result.documents]
        runs[workers] = (clusters_of(result), matches_of(result), documents, skipped)
    assert runs[1] == runs[2]
    assert len(runs[1][3]) == 3  # no text, invalid JSON, no words


def matches_of(result):
    return sorted(
        (m.a, m.b, m.kind, m.score, tuple(sorted(m.scores.items()))) for m in result.matches
    )


def test_results_do_not_depend_on_what_ran_before_in_the_process(samples_dir, shared_data):
    seeds = [samples_dir / "seeds"]
    before = pipeline.cluster(seeds)
    pipeline.cluster([shared_data / "spun-dev" / "docs.jsonl"])  # words and stems seen before
    after = pipeline.cluster(seeds)
    assert matches_of(after) == matches_of(before)
    first = pipeline.compare(*sorted((samples_dir / "seeds").iterdir())[:2])
    pipeline.cluster([shared_data / "bbc" / "docs.jsonl"])
    again = pipeline.compare(*sorted((samples_dir / "seeds").iterdir())[:2])
    assert again.scores == first.scores


def test_originals_do_not_depend_on_input_order(shared_data):
    import json

    lines = (shared_data / "bbc" / "docs.jsonl").read_text().splitlines()
    documents = [Document(r["id"], r["text"]) for r in map(json.loads, lines)]
    forward = pipeline.cluster(documents)
    backward = pipeline.cluster(documents[::-1])
    assert {c.original for c in backward.clusters} == {c.original for c in forward.clusters}
    assert sorted(map(clusters_of_set, backward.clusters)) == sorted(
        map(clusters_of_set, forward.clusters)
    )


def clusters_of_set(c):
    return (c.original, sorted((m.id, m.role, m.kind, m.score) for m in c.members))


def test_matches_keep_their_scores_compactly_and_through_pickling():
    import pickle

    from dupdetect.records import Match, Scores

    match = Match("a", "b", "near-verbatim", 0.8, {"wording": 0.8, "reproduced": 0.9})
    assert isinstance(match.scores, Scores) and dict(match.scores) == {
        "wording": 0.8, "reproduced": 0.9,
    }  # fmt: skip
    back = pickle.loads(pickle.dumps(match))
    assert back == match and dict(back.scores) == dict(match.scores)
    assert match.scores.get("jaccard") is None


def test_a_large_family_is_verified_against_its_representative(large_family, monkeypatch):
    monkeypatch.setattr(run, "VERIFY_CHUNK", 50)  # spokes and the rest across workers' chunks

    def partition(result):
        return sorted(sorted(m.id for m in c.members) for c in result.clusters)

    by_spokes = pipeline.cluster(large_family, workers=2)
    monkeypatch.setattr(run, "FAMILY", 10**9)  # every pair verified
    every_pair = pipeline.cluster(large_family, workers=1)
    assert partition(by_spokes) == partition(every_pair)
    members = [d.id for d in large_family]
    assert partition(by_spokes) == sorted(
        [
            sorted([i for i in members if i.startswith("family-")] + ["small-0", "story-0"]),
            [i for i in members if i.startswith("edited-")],
            ["small-1", "story-1"],
            ["small-2", "story-2"],
        ]
    )

    def within(result, family):
        return [m for m in result.matches if m.a.startswith(family) and m.b.startswith(family)]

    # 42 near-verbatim copies of one story: 861 pairs; each verified against one of them
    assert len(within(every_pair, ("family-", "small-0", "story-0"))) > 800
    assert len(within(by_spokes, ("family-", "small-0", "story-0"))) < 50
    # 24 copies partial to each other (about a third of their 5-grams shared): 276 pairs; each
    # and the representative reproduce a third of each other, and two of them can be no more
    # than partial to each other: verified against it. (Most of the 276 pairs match; a few
    # not, where each copy dropped another of one sentence's figures, "76%" or "$1.13bn".)
    assert len(within(every_pair, "edited-")) > 225
    assert len(within(by_spokes, "edited-")) < 50

    def small_groups(result):  # all their pairs are verified, as before
        ids = {"small-1", "story-1", "small-2", "story-2"}
        return {(m.a, m.b, m.kind, m.score) for m in result.matches if {m.a, m.b} <= ids}

    assert small_groups(by_spokes) == small_groups(every_pair) != set()


def test_a_crawl_date_is_no_publication_date(shared_data):
    # A spun-dev rewrite and its BBC source, 20 days apart: published so, the rewrite is a
    # later report (`verify`); fetched so by a crawler (a WARC's date, or one guessed from the
    # page's text), they were published who knows when, and the rewrite is one.
    wanted = {"bbc-business-193", "bbc-business-193-close"}
    with open(shared_data / "spun-dev" / "docs.jsonl") as handle:
        texts = {d["id"]: d["text"] for d in map(json.loads, handle) if d["id"] in wanted}
    assert len(texts) == 2

    def kinds(source):
        pair = [
            Document(i, texts[i], date=day, date_source=source)
            for i, day in zip(sorted(texts), ("2005-01-01", "2005-01-21"), strict=True)
        ]
        return [m.kind for c in pipeline.cluster(pair).clusters for m in c.members]

    assert kinds("record") == []
    assert kinds("crawl") == kinds("page text") == [None, "rewrite"]


def test_copies_of_a_chinese_article_are_found_and_another_article_is_not():
    from test_features import ZH  # noqa: PLC0415  (a report written there)

    page = "新闻网\n首页 | 国际 | 财经\n\n" + ZH + "\n\n分享本文。版权所有。"
    corrected = ZH.replace("13.5亿英镑", "13.6亿英镑")
    other = (
        "日本央行维持利率不变\n\n日本央行周二宣布维持超低利率政策不变，并表示将继续购买国债以支持"
        "经济复苏。央行行长在记者会上表示，通胀率仍低于2%的目标，因此有必要保持宽松政策。分析人士"
        "预计，央行将在明年上半年重新评估其政策框架。日元兑美元汇率在消息公布后小幅下跌。"
    )
    docs = [Document("zh", ZH), Document("page", page), Document("fixed", corrected)]
    result = pipeline.cluster([*docs, Document("other", other)], workers=1)
    assert not result.skipped
    assert [sorted(m.id for m in c.members) for c in result.clusters] == [["fixed", "page", "zh"]]
    kinds = {m.id: m.kind for c in result.clusters for m in c.members}
    assert kinds["page"] == kinds["fixed"] == "near-verbatim"
