"""Print docs/s and peak memory of `dupdetect.cluster` against a baseline on spun-dev.

Baselines run in the same process on the same documents, because the machines are shared and
noisy: only the ratios are comparable between runs.

The baseline is the usual near-duplicate setup (datasketch MinHash of word 5-grams per
document, one MinHashLSH at 0.5, query every document); dupdetect's run adds the rewrite view,
verification and clustering (peak memory is the parent process's: workers are apart).

    python benchmarks/bench_cluster.py [--data ../shared/data/spun-dev/docs.jsonl]
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datasketch import MinHash, MinHashLSH

import dupdetect
from dupdetect import features


def measure(run: Callable[[], Any]) -> tuple[float, float]:
    """Seconds of one untraced call, and the peak traced memory (MiB) of a second call.

    Tracing slows Python down several times, so time and memory come from separate calls.
    """
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    default = Path(__file__).parents[1] / ".." / "shared" / "data" / "spun-dev" / "docs.jsonl"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(default))
    args = parser.parse_args()
    records = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line]
    documents = [dupdetect.Document(r["id"], r["text"]) for r in records]
    n = len(documents)

    def usual_setup() -> None:
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        hashes = []
        for d in documents:
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([x.encode("utf-8") for x in features.verbatim_set(d.text)])
            hashes.append(m)
        for d, m in zip(documents, hashes, strict=True):
            lsh.insert(d.id, m)
        for m in hashes:
            lsh.query(m)

    def dupdetect_cluster() -> None:
        dupdetect.cluster(documents)

    def dupdetect_one_process() -> None:
        dupdetect.cluster(documents, workers=1)

    print(f"{n} documents from {args.data}")
    rows = [
        ("cluster: word 5-gram MinHash-LSH only", usual_setup),
        ("cluster: dupdetect, one process", dupdetect_one_process),
        ("cluster: dupdetect, a worker per core", dupdetect_cluster),
    ]
    results = []
    for name, run in rows:
        seconds, peak = measure(run)
        results.append((seconds, peak))
        print(f"  {name:<40} {n / seconds:9.0f} docs/s  {seconds:7.2f} s  peak {peak:7.1f} MiB")
    for (name, _), (seconds, _) in zip(rows[1:], results[1:], strict=True):
        print(f"{name}: {results[0][0] / seconds:.2f}x the docs/s of the 5-gram LSH baseline")


if __name__ == "__main__":
    main()
