"""Score a Reuters run against the audit of our own matches (`audit/reuters-matches.tsv`).

The judged pairs of ../shared/data/reuters were sampled from what an early version called
copies, and every rule since was checked against them, so their precision (1.0) says little
about the pairs the tool calls copies today. The audit samples those instead: 70 matches of the
2026-12-07 run on all 21,577 stories (30 rewrites, 20 weak rewrites, 20 partial copies, none of
them among the judged pairs), each labelled blind from the two texts against the judges'
written rules (`../shared/data/README.md`) by a separate reviewing session, not by an editor:
read its figures as a second opinion, not as gold. The reason for each label is in the file.
Every rule of that round was checked against it, so a second audit (`audit/reuters-matches-2.tsv`,
38 matches of the run at 24884ff, labelled blind by two sessions each) was drawn afterwards:
its figures at 24884ff are the unfitted estimate, and the rules since were checked against it.
A third (`audit/reuters-pairs-3.tsv`) samples *pairs* of the run at eaadeaa's clusters, not
matches, with the pairs that LSH with more bands would add (see the README).

Precision is over the audited pairs the run puts in one cluster, recall over those labelled
``copy``; a weak rewrite alone joins nothing (see `dupdetect.clustering`), so weak pairs are
mostly apart whatever their label.

    dupdetect cluster ../shared/data/reuters/docs.jsonl -o reuters.jsonl
    python benchmarks/audit.py reuters.jsonl [--wrong]
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent / "audit"
AUDITS = (  # in the order drawn
    HERE / "reuters-matches.tsv",
    HERE / "reuters-matches-2.tsv",
    HERE / "reuters-pairs-3.tsv",
)


def labelled(path: Path) -> list[list[str]]:
    """An audit file's rows: sample, a, b, label (copy, not-copy, unsure), reason."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clusters", help="a run's output (JSONL) on ../shared/data/reuters")
    parser.add_argument("--wrong", action="store_true", help="list the audited pairs gotten wrong")
    args = parser.parse_args()
    with open(args.clusters, encoding="utf-8") as handle:
        cluster = {row["id"]: row["cluster"] for row in map(json.loads, handle)}
    for number, audit in enumerate(AUDITS, 1):
        print(f"\naudit {number} ({audit.name})")
        report(labelled(audit), cluster, wrong=args.wrong)


def report(rows: list[list[str]], cluster: dict[str, str | None], *, wrong: bool) -> None:
    """Print one audit's table (and, if `wrong`, the pairs the run gets wrong)."""
    counts: Counter[tuple[str, str, bool]] = Counter()
    for sample, a, b, label, reason in rows:
        together = cluster[a] is not None and cluster[a] == cluster[b]
        kind = sample.split("-")[0]
        counts[kind, label, together] += 1
        if wrong and (label == "copy") != together and label != "unsure":
            print(f"{'missed' if together is False else 'false'}\t{sample}\t{a}\t{b}\t{reason}")
    names = {
        "rw": "rewrites",
        "wk": "weak rewrites",
        "pt": "partial copies",
        "cl": "pairs in a cluster",
        "nb": "pairs more bands add",
        "": "all",
    }
    print("| audited matches | together | copies | not copies | precision | recall |")
    print("|---|---|---|---|---|---|")
    for kind, name in names.items():
        tally: Counter[tuple[str, bool]] = Counter()
        for (k, label, together), n in counts.items():
            if kind in ("", k):
                tally[label, together] += n
        tp, fp, fn = tally["copy", True], tally["not-copy", True], tally["copy", False]
        if tp + fp + fn == 0:
            continue
        precision = f"{tp / (tp + fp):.3f}" if tp + fp else ""
        recall = f"{tp / (tp + fn):.3f}" if tp + fn else ""
        print(f"| {name} | {tp + fp} | {tp} | {fp} | {precision} | {recall} |")


if __name__ == "__main__":
    main()
