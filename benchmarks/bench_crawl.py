"""Print `dupdetect cluster`'s speed and memory on a generated crawl, as ratios to the baseline.

The baseline is `../shared/tools/baseline_minhash.py` (datasketch MinHash of word 5-grams, one
MinHashLSH at 0.5, union-find; one process), run on the same file in the same run, before and
after dupdetect: the machines are shared and noisy, so only ratios compare between runs. Peak
memory is sampled over each run's process tree: the largest process, and the sum over all of
them at the busiest moment. Quality is scored against the crawl's gold (`evaluate.py` figures).

    python benchmarks/bench_crawl.py [--size 100000] [--workers 2] [--keep CLUSTERS.jsonl]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from evaluate import TOOLS, crawl_figures, make_crawl


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory (``VmHWM``: its peak) in MiB, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed(command: list[str]) -> dict[str, float]:
    """Run `command`; its seconds and peak RSS (largest process, and sum over its tree) in MiB."""
    peak = {"largest": 0.0, "sum": 0.0}
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            sizes = [rss_mib(pid) for pid in process_tree(child.pid)]
            peak["largest"] = max(peak["largest"], *sizes, 0.0)
            peak["sum"] = max(peak["sum"], sum(sizes))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if child.wait():
        raise SystemExit(f"failed: {' '.join(command)}")
    done.set()
    sampler.join()
    return {"seconds": time.perf_counter() - start, **peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", metavar="FILE", help="keep dupdetect's clusters JSONL here")
    args = parser.parse_args()
    docs, gold = make_crawl(args.size)
    baseline = [sys.executable, str(TOOLS / "baseline_minhash.py"), str(docs)]
    with tempfile.TemporaryDirectory() as work:
        out = Path(args.keep or Path(work) / "clusters.jsonl")
        ours = [sys.executable, "-m", "dupdetect", "cluster", str(docs), "-o", str(out), "-q",
                "--workers", str(args.workers)]  # fmt: skip
        before = timed(baseline)
        run = timed(ours)
        after = timed(baseline)
        figures = crawl_figures(gold, out)
    base_seconds = (before["seconds"] + after["seconds"]) / 2
    print(f"crawl of {args.size:,} documents ({docs}), dupdetect with {args.workers} workers")
    print("| run | seconds | docs/s | ratio to baseline | peak RSS largest (MiB) | sum (MiB) |")
    print("|---|---|---|---|---|---|")
    for name, r in (
        ("baseline before", before),
        ("dupdetect cluster", run),
        ("baseline after", after),
    ):
        print(
            f"| {name} | {r['seconds']:.1f} | {args.size / r['seconds']:.0f} | "
            f"{base_seconds / r['seconds']:.2f}x | {r['largest']:.0f} | {r['sum']:.0f} |"
        )
    print(
        f"quality: pair precision {figures['pair_precision']}, recall {figures['pair_recall']}; "
        f"copies and near-copies {figures['copy_recall']}, excerpts {figures['excerpt_recall']}; "
        f"copies called rewrite {figures['copies_called_rewrite']}; false pairs "
        f"{figures['false_pairs']}, {figures['false_pairs_with_unique_page']} with a unique page"
    )


if __name__ == "__main__":
    main()
