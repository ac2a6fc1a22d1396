"""Print the verification scores of true copies and of hard non-copies in ../shared/data.

This is how the rewrite thresholds in `dupdetect.settings.VerifySettings` were read: every
candidate pair of the spun-dev corpus (all BBC articles, their rewrites, the seeds and same-topic
negatives) is scored, labelled from the gold files, and the distribution of each score is
printed for true rewrites (`pos`), the seeds, and the pairs the scorer counts as false
(`neg`: BBC same-story follow-ups and partial re-uses, and the same-topic negatives).

    python benchmarks/calibrate.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from dupdetect import Settings, index, run, verify
from dupdetect.pipeline import read_documents
from dupdetect.rarity import Rarity
from dupdetect.records import SkipLog

SCORES = ("term_containment", "salient_containment", "aligned_sentences", "rewrite", "focus")


def load_gold(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text().splitlines()) if r}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[1] / ".." / "shared" / "data"))
    args = parser.parse_args()
    data = Path(args.data)
    spun = load_gold(data / "spun-dev" / "gold.jsonl")
    bbc = load_gold(data / "bbc" / "gold.jsonl")
    settings = Settings()
    documents, profiles = read_documents([data / "spun-dev" / "docs.jsonl"], settings, SkipLog())
    keys = [d.id for d in documents]
    signatures, sizes = run.sign_profiles(profiles, settings)
    verifier = verify.Verifier(Rarity.of_profiles(profiles).idf, settings.verify)

    def label(a: str, b: str) -> str | None:
        ga, gb = spun[a], spun[b]
        if ga["cluster"] is not None and ga["cluster"] == gb["cluster"]:
            levels = {ga["level"], gb["level"]}
            if levels <= {"background", "original", "original-dup"}:
                return None  # the BBC's own verbatim duplicates: not rewrites
            return "seed" if "seed" in levels else "pos"
        if a in bbc and b in bbc:
            ba, bb = bbc[a], bbc[b]
            if ba["cluster"] is not None and ba["cluster"] == bb["cluster"]:
                return None
            if not ba.get("scored", True) and not bb.get("scored", True):
                return None  # two partial re-users: the BBC scoring ignores the pair
            return "neg"
        return "neg" if ga.get("scored", True) or gb.get("scored", True) else None

    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    pairs, _ = index.candidates(signatures, sizes, settings.views, settings.sign)
    for i, j in pairs:
        group = label(keys[i], keys[j])
        if group is None:
            continue
        scores = verifier.scores(profiles[i], profiles[j], complete=True)
        if scores["jaccard"] >= 0.5 or scores["containment"] >= 0.8:
            continue  # verbatim copies are decided before any rewrite score
        for name in SCORES:
            values[group][name].append(scores[name])
        values[group]["pairs"].append(scores)  # type: ignore[arg-type]

    def quantile(xs: list[float], q: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(q * len(xs)))]

    for group in ("pos", "seed", "neg"):
        n = len(values[group]["rewrite"])
        print(f"{group} ({n} pairs)")
        for name in SCORES:
            xs = values[group][name]
            print(
                f"  {name:<20} min {min(xs):.3f}  p02 {quantile(xs, 0.02):.3f}  "
                f"p50 {quantile(xs, 0.5):.3f}  p98 {quantile(xs, 0.98):.3f}  max {max(xs):.3f}"
            )
    print("\nrewrite threshold sweep (pos recall, neg pairs passing)")
    pos, neg = values["pos"]["rewrite"], values["neg"]["rewrite"]
    for t in (0.5, 0.55, 0.58, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7):
        recall = sum(x >= t for x in pos) / len(pos)
        print(f"  {t:.2f}: recall {recall:.3f}, negatives passing {sum(x >= t for x in neg)}")
    print(
        "\nfocus rule sweep (focus >= f and term containment >= c, rewrite score below threshold)"
    )
    threshold = settings.verify.rewrite_threshold
    for f in (0.7, 0.75, 0.78, 0.8, 0.85):
        for c in (0.3, 0.4):
            passing = {
                g: sum(
                    1
                    for x in values[g]["pairs"]  # type: ignore[union-attr]
                    if x["rewrite"] < threshold and x["focus"] >= f and x["term_containment"] >= c
                )
                for g in ("pos", "seed", "neg")
            }
            print(f"  focus {f:.3f}, containment {c:.2f}: {passing}")


if __name__ == "__main__":
    main()
