"""How the verification thresholds were chosen: every dev set's candidate pairs, scored once.

For each dev set (bbc, pages, spun-dev, siblings-dev, the judged Reuters pairs, a make_crawl
corpus), the candidate pairs of a run (LSH and pruning as `dupdetect cluster` does them) are
scored with every score `verify` computes and labelled from the gold (a pair is a copy when both
documents share a gold cluster; pairs of two background documents are left out, as the scorer
leaves them out; for Reuters only the judged pairs count). Then, for each threshold, the pair
precision and recall of every set at each value, and a leave-one-set-out check: the value that
does best (mean F1) on the other sets, and what it gives on the set left out.

Pair figures are the verdict's own; a run's figures are higher in recall, as clustering joins a
copy through its other links. The scores are cached (``--cache``) so trying values is quick.

    python benchmarks/calibrate.py [--cache /tmp/dupdetect-calibration] [--sets ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from evaluate import DATA, make_crawl

from dupdetect import Settings, index, run, verify
from dupdetect.rarity import Rarity
from dupdetect.records import SkipLog
from dupdetect.settings import VerifySettings

SETS = ("bbc", "pages", "spun-dev", "siblings-dev", "reuters", "crawl")
NEGATIVES = 20_000  # negative pairs kept per set (a random sample beyond that)

# The thresholds tried, each alone around the defaults (`VerifySettings`).
GRID: dict[str, list[float]] = {
    "contradiction_share": [0.15, 0.2, 0.25, 0.3, 0.35, 0.5],
    "rewrite_threshold": [0.58, 0.6, 0.62, 0.64, 0.66, 0.68],
    "new_figures_share": [0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 1.0],
    "partial_share": [0.25, 0.3, 1 / 3, 0.4, 0.5],
    "near_verbatim_share": [0.4, 0.45, 0.5, 0.55, 0.6],
    "max_days_apart": [1.0, 2.0, 3.0, 7.0, 30.0, 1e9],
    "facts_weak": [0.7, 0.75, 0.8, 0.85, 0.9],
}


def scored_pairs(name: str, cache: Path) -> list[dict[str, Any]]:
    """The labelled candidate pairs of one set with their scores (computed once, then cached)."""
    path = cache / f"{name}.jsonl"
    if path.exists():
        return [json.loads(line) for line in path.read_text().splitlines()]
    docs, gold = _files(name)
    label = _labeller(name, gold)
    settings = Settings()
    corpus = run.Corpus(settings)
    for signed in run.prepared([docs], settings, SkipLog(), run.cores()):
        corpus.add(signed)
    signatures, sizes = corpus.signatures()
    pairs, _ = index.candidates(signatures, sizes, settings.views, settings.sign)
    unique = np.frombuffer(corpus.unique, dtype=np.int64)
    found = {}
    for i, j in pairs.tolist():
        a, b = corpus.ids[unique[i]], corpus.ids[unique[j]]
        if (same := label(a, b)) is not None:
            found[frozenset((a, b))] = (unique[i], unique[j], same)
    if name == "reuters":  # judged pairs that were no candidates are misses (or right)
        position = {doc_id: n for n, doc_id in enumerate(corpus.ids)}
        for a, b in gold:
            if frozenset((a, b)) not in found and (same := label(a, b)) is not None:
                found[frozenset((a, b))] = (position[a], position[b], same)
    rows = list(found.values())
    negatives = [r for r in rows if not r[2]]
    if len(negatives) > NEGATIVES:
        rows = [r for r in rows if r[2]] + random.Random(0).sample(negatives, NEGATIVES)
    verifier = verify.Verifier.of(corpus.rarity, settings)
    out = []
    for i, j, same in sorted(rows):
        pa, pb = corpus.profiles[i], corpus.profiles[j]
        scores = verifier.scores(pa, pb, complete=True)
        out.append({"same": same, "min_words": min(pa.n_words, pb.n_words), **scores})
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in out))
    return out


def _files(name: str) -> tuple[Path, Any]:
    if name == "reuters":
        judged = [
            json.loads(x)
            for x in (DATA / "reuters" / "judged-pairs.jsonl").read_text().splitlines()
        ]
        labels = {(p["a"], p["b"]): p["label"] == "copy" for p in judged if p["label"] != "unsure"}
        return DATA / "reuters" / "docs.jsonl", labels
    if name == "crawl":
        docs, gold_path = make_crawl(20_000)
    else:
        docs, gold_path = DATA / name / "docs.jsonl", DATA / name / "gold.jsonl"
    gold = {r["id"]: r for r in map(json.loads, gold_path.read_text().splitlines())}
    return docs, gold


def _labeller(name: str, gold: Any) -> Callable[[str, str], bool | None]:
    if name == "reuters":
        by_pair = {frozenset(k): v for k, v in gold.items()}
        return lambda a, b: by_pair.get(frozenset((a, b)))

    def label(a: str, b: str) -> bool | None:
        ga, gb = gold[a], gold[b]
        if not (ga.get("scored", True) or gb.get("scored", True)):
            return None
        return ga["cluster"] is not None and ga["cluster"] == gb["cluster"]

    return label


def figures(rows: list[dict[str, Any]], settings: VerifySettings) -> tuple[float, float, float]:
    """Pair precision, recall and F1 of the strong verdicts (weak ones join families only)."""
    verifier = verify.Verifier(Rarity(min_corpus=0), settings)
    tp = fp = fn = 0
    for r in rows:
        kind, _, weak = verifier.decide(r, r["min_words"])
        called = kind is not None and not weak
        tp += called and r["same"]
        fp += called and not r["same"]
        fn += not called and r["same"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default="/tmp/dupdetect-calibration")
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=SETS)
    args = parser.parse_args()
    rows = {name: scored_pairs(name, Path(args.cache)) for name in args.sets}
    defaults = VerifySettings()
    for field, values in GRID.items():
        print(f"\n{field} (default {getattr(defaults, field):.3g})")
        print("  value  " + "  ".join(f"{n[:12]:>17}" for n in args.sets))
        table = {}
        for value in values:
            settings = dataclasses.replace(defaults, **{field: value})
            table[value] = {n: figures(rows[n], settings) for n in args.sets}
            cells = "  ".join(f"{p:.3f}/{r:.3f} F{f:.2f}" for p, r, f in table[value].values())
            print(f"  {value:5.3g}  {cells}")
        for held in args.sets:
            others = [n for n in args.sets if n != held]
            best = max(values, key=lambda v: np.mean([table[v][n][2] for n in others]))
            p, r, f = table[best][held]
            print(f"  left out {held:<13} best on the others {best:.3g}: {p:.3f}/{r:.3f} F{f:.3f}")


if __name__ == "__main__":
    main()
