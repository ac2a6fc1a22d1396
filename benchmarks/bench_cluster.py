"""Print docs/s and peak memory of `dupdetect.cluster`, and of signing, against baselines.

Baselines run in the same process on the same documents, because the machines are shared and
noisy: only the ratios are comparable between runs.

- signing: `datasketch.MinHash.update_batch` per document vs `dupdetect.sign.sign` (batch);
- clustering: the usual near-duplicate setup (datasketch MinHash of word 5-grams per document,
  one MinHashLSH at 0.5, query every document) vs the whole dupdetect run (two views,
  verification, clustering).

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
from dupdetect import features, normalize, sign
from dupdetect.settings import SignSettings


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
    texts = [normalize.normalize(d.text) for d in documents]
    shingles = [features.verbatim_set(t) for t in texts]
    tokens = [features.words(t) for t in texts]

    def datasketch_signing() -> None:
        for s in shingles:
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([x.encode("utf-8") for x in s])

    def batch_signing() -> None:
        # From the words of each text, as the pipeline does: shingle hashes mixed from word
        # hashes (equal to datasketch with hashfunc=features.shingle_hash), then the batch.
        hashed = [features.shingle_hashes(t, 5) for t in tokens]
        sign.sign(hashed, SignSettings())

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

    print(f"{n} documents from {args.data}")
    rows = [
        ("signing: datasketch per document", datasketch_signing, None),
        ("signing: dupdetect batch", batch_signing, 0),
        ("cluster: word 5-gram MinHash-LSH only", usual_setup, None),
        ("cluster: dupdetect (2 views, verify)", dupdetect_cluster, 2),
    ]
    results = []
    for name, run, _ in rows:
        seconds, peak = measure(run)
        results.append((seconds, peak))
        print(f"  {name:<40} {n / seconds:9.0f} docs/s  {seconds:7.2f} s  peak {peak:7.1f} MiB")
    sign_ratio = results[0][0] / results[1][0]
    cluster_ratio = results[3][0] / results[2][0]
    print(f"batch signing is {sign_ratio:.1f}x faster than datasketch per document")
    print(f"a full dupdetect run takes {cluster_ratio:.1f}x the time of the 5-gram LSH baseline")


if __name__ == "__main__":
    main()
