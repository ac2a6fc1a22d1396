"""The quality bars of the issues, on ../shared/data (skipped when the data is absent).

Bars not reached yet are strict xfails, so reaching one is noticed; next to each, a test at the
level reached keeps it from falling back. The large sets (Reuters, siblings-dev, a crawl) run
through `benchmarks/evaluate.py`, as a user would run them, and are marked ``large``.
"""

import functools
import io
import json
import sys
from pathlib import Path

import pytest

from dupdetect import Index, Settings, cluster, compare, evaluate, report
from dupdetect.pipeline import find_documents

pytestmark = pytest.mark.quality
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


@functools.cache
def _figures(folder: Path) -> dict:
    out = io.StringIO()
    report.write_jsonl(cluster([folder / "docs.jsonl"]), out)
    predicted = {row["id"]: row for row in map(json.loads, out.getvalue().splitlines())}
    return evaluate.score(evaluate.load(folder / "gold.jsonl"), predicted)


def scored(shared_data, tmp_path, name):
    return _figures(shared_data / name)


def test_seeds_form_one_cluster_with_nothing_else_among_bbc(shared_data):
    result = cluster([shared_data / "seeds", shared_data / "bbc" / "docs.jsonl"])
    placed = result.cluster_of()
    seeds = [d.id for d in result.documents if d.id.endswith(".txt")]
    assert len(seeds) == 5
    clusters = {placed[s][0].id for s in seeds if s in placed}
    assert len(clusters) == 1
    (only,) = clusters
    assert sorted(m.id for c in result.clusters if c.id == only for m in c.members) == sorted(seeds)


def test_bbc_pair_f1(shared_data, tmp_path):
    assert scored(shared_data, tmp_path, "bbc")["pair_f1"] >= 0.98


def test_spun_dev_precision_and_recall_by_level(shared_data, tmp_path):
    figures = scored(shared_data, tmp_path, "spun-dev")
    assert figures["pair_precision"] >= 0.97
    by_level = figures["pair_recall_by_level"]
    for level, bar in (("close", 0.98), ("spin", 0.95), ("loose", 0.85)):
        pairs = {k: v for k, v in by_level.items() if level in k.split("+")}
        assert min(pairs.values()) >= bar, (level, pairs)


def test_pages_every_page_pairs_with_its_body(shared_data, tmp_path):
    figures = scored(shared_data, tmp_path, "pages")
    assert figures["pair_recall"] == 1.0
    assert figures["pair_f1"] >= 0.985, json.dumps(figures)  # the level reached: 0.9891


@pytest.mark.xfail(
    strict=True,
    reason="known gap: Billboard's and Rolling Stone's reports of one press release (with its "
    "quote) verify as rewrites, which joins two page/body pairs (4 false pairs, F1 0.9891)",
)
def test_pages_pair_f1(shared_data, tmp_path):
    assert scored(shared_data, tmp_path, "pages")["pair_f1"] >= 0.99


@functools.cache
def _dev_set(name: str, shared_data: Path) -> dict:
    import tempfile

    import evaluate as dev_sets  # benchmarks/evaluate.py

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if name == "reuters":
            return dev_sets.reuters(work)
        if name == "crawl":
            return dev_sets.crawl(work, 20_000)
        if name == "retellings":
            return dev_sets.retelling_set(work)
        return dev_sets.gold_set(name, shared_data / name, work)


@pytest.mark.large
def test_judged_reuters_pairs_bars(shared_data):
    figures = _dev_set("reuters", shared_data)
    assert figures["judged_recall"] >= 0.90, figures["wrong"]  # reached: 0.978
    assert figures["judged_precision"] >= 0.95, figures["wrong"]  # reached: 1.0


@pytest.mark.large
def test_siblings_dev_as_reached(shared_data):
    figures = _dev_set("siblings-dev", shared_data)
    assert figures["seeds_whole"]
    assert figures["pair_precision"] >= 0.97  # reached: 1.0
    assert figures["pair_recall"] >= 0.95  # reached: 0.969


@pytest.mark.large
def test_retellings_written_apart_from_the_rules_as_reached(shared_data):
    # benchmarks/retellings.py: six absent sources retold in 14 styles (12 not in siblings-dev),
    # and a follow-up and another period's or company's report of each (scored singletons).
    figures = _dev_set("retellings", shared_data)
    assert figures["pair_precision"] >= 0.97  # reached: 1.0 (no negative joins anything)
    assert figures["pair_recall"] >= 0.85  # reached: 0.867 (0.667 before it was read)


@pytest.mark.large
@pytest.mark.xfail(
    strict=True,
    reason="issue 11 bar not reached for every pair of styles (0.83): bbc-business-454's "
    "forum post is found in no family",
)
def test_siblings_dev_bar(shared_data):
    figures = _dev_set("siblings-dev", shared_data)
    assert figures["pair_precision"] >= 0.97
    assert min(figures["pair_recall_by_level"].values()) >= 0.90


@pytest.mark.large
def test_crawl_copies_near_copies_and_excerpts_are_found(shared_data):
    figures = _dev_set("crawl", shared_data)
    assert figures["copy_recall"] >= 0.99  # reached: 0.997
    assert figures["excerpt_recall"] >= 0.90  # reached: 0.954
    assert figures["pair_precision"] >= 0.94  # reached: 0.952
    # Issue 11's bar: no injected copy or near-copy reported as a rewrite (reached).
    assert figures["copies_called_rewrite"] == 0
    # Every false pair joins the families of two real articles; none a unique page.
    assert figures["false_pairs_with_unique_page"] == 0
    # Without dates, a group names the real article, not a page holding it (reached: 4,535 of
    # 4,541; 1,121 of the 1,122 of three members or more; 1,593 and 958 before pages were
    # passed over, 712 of 1,121 by the summed match score alone).
    named, held = figures["originals_named"]
    assert named >= 0.98 * held
    named, held = figures["originals_named_of_three_or_more"]
    assert named >= 0.98 * held


@pytest.mark.large
@pytest.mark.xfail(
    strict=True,
    reason="issue 11 bar not reached: P 0.952; every false pair joins two real articles' "
    "families, which the verdict links as rewrites or by a shared passage and the gold's rule "
    "(5-gram Jaccard 0.5, containment 0.8) does not",
)
def test_crawl_precision_bar(shared_data):
    figures = _dev_set("crawl", shared_data)
    assert figures["pair_precision"] >= 0.99


def test_querying_a_loose_retelling_returns_its_family_and_nothing_else(shared_data, tmp_path):
    seeds = sorted((shared_data / "seeds").iterdir())
    with Index(tmp_path / "seeds.ddx") as idx:
        idx.add([*seeds[:4], shared_data / "bbc" / "docs.jsonl"])
        found = idx.query(seeds[4])
    assert sorted(m.b for m in found) == sorted(str(p) for p in seeds[:4])


@pytest.mark.large
def test_index_queries_follow_the_look_alike_rule_of_cluster(shared_data, tmp_path):
    """A follow-up that loosely matches a family of retellings, and whose look-alikes reach
    another group of its saga, joins no family; a retelling whose look-alikes are its own
    family's retellings returns them all (the same verdicts as `cluster` on siblings-dev)."""
    source = shared_data / "siblings-dev" / "docs.jsonl"
    wanted = ["bbc-sport-089", "reuters-11265-dw2-3"]
    follow_up, retelling = find_documents(source, wanted, Settings())
    with Index(tmp_path / "siblings.ddx") as idx:
        idx.add([source])
        assert not [m.b for m in idx.query(follow_up) if m.b.startswith("bbc-sport-082")]
        found = sorted(m.b for m in idx.query(retelling))
    assert found == [f"reuters-11265-dw2-{n}" for n in (1, 2, 4, 5)]


def test_a_report_and_its_preview_each_with_figures_of_its_own_are_two_reports(shared_data):
    """The St Lawrence Seaway opens (1987 season), and a preview weeks before (March 31, 20
    years without a strike): both cite last season's tonnages, each states figures the other
    never does."""
    source = shared_data / "reuters" / "docs.jsonl"
    opening, preview = find_documents(source, ["reuters-11385", "reuters-8009"], Settings())
    comparison = compare(opening, preview)
    assert comparison.kind is None
    assert comparison.scores["new_figures"] >= Settings().verify.new_figures_share
    opening_only, preview_only = comparison.new_figures
    assert "1987" in opening_only and "31" in preview_only
    assert "37.6" not in opening_only + preview_only  # the background both cite
