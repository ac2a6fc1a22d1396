"""Print docs/s and peak RSS of signing and of whole runs at crawl scale, as ratios to datasketch.

For each size N, on N news-length documents built from ../shared/data/bbc with edits
(`corpus.edited_bbc`), each figure measured in its own fresh process (so peak RSS is that
stage's own):

- signing: `datasketch.MinHash.update_batch` per document on its word 5-gram strings (the
  baseline), dupdetect's batch path from the same documents' words
  (`features.shingle_hashes_batch` and `sign.sign`, with the numba kernel when the ``fast`` extra
  is installed; identical signatures to datasketch with ``hashfunc=features.shingle_hash``),
  the MinHash step alone on the same 32-bit shingle hashes (``datasketch-ints``: datasketch
  with ``hashfunc=int`` per document; ``batch-ints``: `sign.sign`; identical signatures), and
  rensa's `RMinHash` per document if it is installed (its own hashing: not comparable
  signatures, a speed reference only);
- `dupdetect.cluster` of the N documents, streamed (the local engine);
- the Spark engine in ``local[2]`` mode (``--spark``): the driver's peak RSS, and apart the
  summed peaks of the JVM and its Python workers (shared pages counted in each).

Every docs/s figure is also given as a ratio to the datasketch baseline of the same run: the
machines are shared and noisy, so only ratios compare across runs.

``--memory 200000 1000000`` measures `cluster` on cheap short texts with no copies
(`corpus.cheap`): peak RSS against the signature store (2 views x 128 x 4 bytes a document), to
show that memory beyond the signatures does not grow with N; with ``--spark`` the same texts
also go through the Spark engine in ``local[2]`` (issue 13: 1,000,000 cheap documents).

    python benchmarks/bench_scale.py --sizes 10000 100000 --spark
    python benchmarks/bench_scale.py --sizes --memory 200000 1000000
    python benchmarks/bench_scale.py --sizes --memory 1000000 --spark
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from bench_crawl import process_tree, rss_mib
from corpus import cheap, edited_bbc, load_bbc

CHUNK = 5_000  # documents prepared at once for the signing measurements (untimed)
SIGNATURE_BYTES = 2 * 128 * 4  # two views of 128 uint32 values


def chunks(n: int) -> Iterator[list[list[str]]]:
    """The word lists of N edited articles, a chunk at a time."""
    from dupdetect import features, normalize

    documents = edited_bbc(n, load_bbc())
    while chunk := list(islice(documents, CHUNK)):
        yield [features.words(normalize.normalize(d.text)) for d in chunk]


def measure(stage: str, n: int) -> dict[str, float]:
    """Run one stage on N documents in this process; return its seconds and peak RSS."""
    import numpy as np

    import dupdetect
    from dupdetect import features, sign
    from dupdetect.settings import SignSettings

    seconds = 0.0
    if stage == "cluster" or stage == "memory":
        documents = edited_bbc(n, load_bbc()) if stage == "cluster" else cheap(n)
        start = time.perf_counter()
        dupdetect.cluster(documents)
        seconds = time.perf_counter() - start
    elif stage == "spark" or stage == "spark-memory":
        from dupdetect import spark

        documents = edited_bbc(n, load_bbc()) if stage == "spark" else cheap(n)
        start = time.perf_counter()
        spark.cluster(documents, spark=spark.session("local[2]"))
        seconds = time.perf_counter() - start
        return {
            "seconds": seconds,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_rss_mib": descendants_peak_rss(),
        }
    else:
        kept = []
        settings = SignSettings()
        if stage.startswith("batch"):  # compile (or load) the native kernel before timing
            sign.sign([np.arange(5, dtype=np.uint32)], settings)
        for tokens in chunks(n):
            start = time.perf_counter()
            if stage == "datasketch":
                from datasketch import MinHash

                for t in tokens:
                    m = MinHash(num_perm=128, seed=1)
                    m.update_batch([s.encode("utf-8") for s in features.shingle_set(t, 5)])
                    kept.append(m.hashvalues)
            elif stage == "batch":
                kept.append(sign.sign(features.shingle_hashes_batch(tokens, 5), settings))
            elif stage == "datasketch-ints":
                from datasketch import MinHash

                for values in features.shingle_hashes_batch(tokens, 5):
                    m = MinHash(num_perm=128, seed=1, hashfunc=int)
                    m.update_batch(values.tolist())
                    kept.append(m.hashvalues)
            elif stage == "batch-ints":
                values = features.shingle_hashes_batch(tokens, 5)
                start = time.perf_counter()  # the MinHash step alone
                kept.append(sign.sign(values, settings))
            elif stage == "rensa":
                from rensa import RMinHash

                for t in tokens:
                    r = RMinHash(num_perm=128, seed=1)
                    r.update(list(features.shingle_set(t, 5)))
                    kept.append(r.digest())
            seconds += time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "rss_mib": usage, "children_rss_mib": children}


def descendants_peak_rss() -> float:
    """The summed peak RSS (MiB) of this process's live descendants (Spark's JVM and workers)."""
    return sum(rss_mib(pid, "VmHWM") for pid in process_tree(os.getpid())[1:])


def run(stage: str, n: int) -> dict[str, float] | None:
    """`measure` in a fresh process; None if the stage cannot run here (say, no rensa)."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", stage, str(n)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    )
    if done.returncode != 0:
        print(f"  {stage}: failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--spark", action="store_true", help="also run the Spark engine")
    parser.add_argument("--memory", type=int, nargs="*", default=[])
    parser.add_argument("--measure", nargs=2, metavar=("STAGE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], int(args.measure[1]))))
        return
    try:
        import rensa  # noqa: F401

        has_rensa = True
    except ImportError:
        has_rensa = False
    for n in args.sizes:
        print(f"{n} edited BBC articles")
        stages = ["datasketch", "batch", "datasketch-ints", "batch-ints"]
        stages += ["rensa"] * has_rensa + ["cluster"]
        stages += ["spark"] * args.spark
        baseline = ints_baseline = None
        for stage in stages:
            figures = run(stage, n)
            if figures is None:
                continue
            rate = n / figures["seconds"]
            baseline = baseline or rate
            extra = ""
            if stage == "cluster":
                extra = f", largest worker {figures['children_rss_mib']:.0f} MiB"
            if stage == "spark":
                extra = f", JVM and Python workers {figures['children_rss_mib']:.0f} MiB"
            if stage == "batch-ints" and ints_baseline:
                print(f"  (the MinHash step: batch x{rate / ints_baseline:.1f} of datasketch's)")
            ints_baseline = rate if stage == "datasketch-ints" else ints_baseline
            print(
                f"  {stage:<15} {rate:9.0f} docs/s ({figures['seconds']:7.1f} s) "
                f"x{rate / baseline:7.2f} of datasketch  peak RSS {figures['rss_mib']:6.0f} MiB"
                f"{extra}",
                flush=True,
            )
    measured = []
    for n in args.memory:
        figures = run("memory", n)
        if figures is not None:
            measured.append((n, figures["rss_mib"]))
            print(
                f"cluster of {n} short texts: {n / figures['seconds']:.0f} docs/s, "
                f"peak RSS {figures['rss_mib']:.0f} MiB "
                f"(signature store {n * SIGNATURE_BYTES / 2**20:.0f} MiB)",
                flush=True,
            )
        on_spark = run("spark-memory", n) if args.spark else None
        if on_spark is not None:
            print(
                f"  the same on Spark local[2]: {n / on_spark['seconds']:.0f} docs/s "
                f"({on_spark['seconds']:.0f} s), driver {on_spark['rss_mib']:.0f} MiB, "
                f"JVM and Python workers {on_spark['children_rss_mib']:.0f} MiB",
                flush=True,
            )
    for (n1, rss1), (n2, rss2) in zip(measured, measured[1:], strict=False):
        growth = (rss2 - rss1) * 2**20 / (n2 - n1)
        print(
            f"from {n1} to {n2} documents: {growth:.0f} bytes of peak RSS per added document "
            f"(signatures: {SIGNATURE_BYTES})"
        )


if __name__ == "__main__":
    main()
