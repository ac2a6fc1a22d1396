"""End to end on samples/: what the README promises a new user."""

import json
from collections import defaultdict

from dupdetect.cli import cli

BBC_PAIRS = [
    {"bbc-business-007", "bbc-business-253"},
    {"bbc-entertainment-003", "bbc-entertainment-272"},
    {"bbc-politics-004", "bbc-politics-330"},
    {"bbc-sport-012", "bbc-sport-020"},
]


def clusters_of_samples(runner, samples_dir):
    result = runner.invoke(cli, ["cluster", str(samples_dir), "-q"], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr.strip().endswith("0 skipped")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    groups = defaultdict(set)
    for row in rows:
        if row["cluster"] is not None:
            groups[row["cluster"]].add(row["id"])
    return rows, list(groups.values())


def test_samples_show_the_bbc_pairs_and_merge_nothing_else(runner, samples_dir):
    rows, groups = clusters_of_samples(runner, samples_dir)
    assert len(rows) == 48
    bbc_groups = [g for g in groups if not any("/seeds/" in i for i in g)]
    assert sorted(map(sorted, bbc_groups)) == sorted(map(sorted, BBC_PAIRS))
    seed_groups = [g for g in groups if any("/seeds/" in i for i in g)]
    assert len(seed_groups) == 1 and all("/seeds/" in i for i in seed_groups[0])
    assert len(seed_groups[0]) == 5


def test_samples_html_pages_are_extracted_with_their_metadata(runner, samples_dir):
    rows, _ = clusters_of_samples(runner, samples_dir)
    pages = {r["id"]: r for r in rows if "/pages/" in r["id"]}
    assert len(pages) == 3
    assert all(r["title"] and r["date"] and r["site"] for r in pages.values())
