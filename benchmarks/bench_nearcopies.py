"""Print how `dupdetect cluster` scales with many near-copies of one story (issue 13's worst case).

N copies of one BBC article, each with one word replaced at a random place, are all candidates
of each other: n²/2 pairs share LSH buckets. The run should stay near-linear: a bucket of more
than 64 members pairs each member with one member and its neighbours only (`index.bucket_pairs`),
and pairs are pruned before verification. Each size is timed
in a fresh process with its peak RSS (largest process, and the sum over its workers), next to
`../shared/tools/baseline_minhash.py` on the same file (its union-find needs no verification,
so the ratio shows what verification costs).

    python benchmarks/bench_nearcopies.py [--sizes 500 1000 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from bench_crawl import timed
from corpus import load_bbc
from evaluate import TOOLS


def near_copies(n: int, path: Path, seed: int = 0) -> None:
    """Write `n` copies of one BBC article, each with one word replaced, as JSONL."""
    source = load_bbc()[0]["text"].split(" ")
    rng = random.Random(seed)
    with path.open("w") as out:
        for i in range(n):
            words = list(source)
            words[rng.randrange(len(words))] = f"edit{i}"
            out.write(json.dumps({"id": f"near-{i}", "text": " ".join(words)}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    columns = ["near-copies", "baseline s", "dupdetect s", "ratio", "s per 1,000",
               "peak RSS largest / sum (MiB)", "clusters"]  # fmt: skip
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for n in args.sizes:
            docs, out = Path(work) / f"near{n}.jsonl", Path(work) / f"out{n}.jsonl"
            near_copies(n, docs)
            base = timed([sys.executable, str(TOOLS / "baseline_minhash.py"), str(docs)])
            run = timed([sys.executable, "-m", "dupdetect", "cluster", str(docs), "-o", str(out),
                         "-q", "--workers", str(args.workers)])  # fmt: skip
            clusters = {json.loads(line)["cluster"] for line in out.open()} - {None}
            print(
                f"| {n:,} | {base['seconds']:.1f} | {run['seconds']:.1f} | "
                f"{base['seconds'] / run['seconds']:.2f}x | {1000 * run['seconds'] / n:.1f} | "
                f"{run['largest']:.0f} / {run['sum']:.0f} | {len(clusters)} cluster(s) |"
            )


if __name__ == "__main__":
    main()
