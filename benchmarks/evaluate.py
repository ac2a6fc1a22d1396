"""Run every dev set in ../shared/data through `dupdetect cluster` and print one table.

Each set runs in a fresh process (`python -m dupdetect cluster ...`), as a user runs it, so no
set's figures depend on what ran before. The figures are those of the project's scorer
(`dupdetect eval` equals `../shared/tools/score.py`), plus what each set is for:

- ``samples``: the five seeds one cluster, the four documented BBC pairs, nothing else;
- ``bbc``, ``pages``, ``spun-dev``, ``siblings-dev``, ``retellings``: pair precision, recall and
  F1 against the gold, and recall by level (``spun-dev``: close, spin, loose; ``siblings-dev``
  and ``retellings``, a second set of retellings written apart from the rules (see
  `retellings`): every style);
- ``reuters``: all 21,577 stories clustered, then the editor's judged pairs
  (``judged-pairs.jsonl``) scored: precision over the judged pairs predicted copies (same
  cluster), recall of those labelled ``copy`` (``unsure`` left out);
- ``crawl``: `make_crawl.py` (seed 0) with its gold: pair precision, recall of copies and
  near-copies and of excerpts, how many injected copies or near-copies are called rewrites,
  and how many false pairs join a unique page to anything (the others join two real
  articles' families), and how many join two families whose real articles the crawl audit
  (``audit/crawl-joins.tsv``) labelled, by label: copies to the judges' rules are false
  only to the gold;
- where the gold marks originals (``crawl``, ``spun-dev``): how many clusters that hold one
  name it their original.

    python benchmarks/evaluate.py [--sets bbc spun-dev ...] [--crawl-size 20000] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import audit  # benchmarks/audit.py
import retellings  # benchmarks/retellings.py

from dupdetect import evaluate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
TOOLS = ROOT.parent / "shared" / "tools"
SETS = ("samples", "bbc", "pages", "spun-dev", "siblings-dev", "retellings", "reuters", "crawl")

# samples/README.md: the documented truth of the samples folder.
SAMPLE_PAIRS = [
    ("bbc-business-007", "bbc-business-253"),
    ("bbc-entertainment-003", "bbc-entertainment-272"),
    ("bbc-politics-004", "bbc-politics-330"),
    ("bbc-sport-012", "bbc-sport-020"),
]


def run_cluster(inputs: list[Path], out: Path, *extra: str) -> float:
    """`dupdetect cluster` in a fresh process; return its wall-clock seconds.

    Its stderr is kept back (a set like siblings-dev skips hundreds of short records, one line
    each) except the summary line, and all of it when the run fails.
    """
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dupdetect",
            "cluster",
            *map(str, inputs),
            "-o",
            str(out),
            "-q",
            *extra,
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"dupdetect cluster failed on {', '.join(map(str, inputs))}")
    summary = done.stderr.strip().splitlines()[-1:] or [""]
    print(summary[0], file=sys.stderr)
    return time.perf_counter() - start


def rows(path: Path) -> dict[str, dict[str, Any]]:
    return evaluate.load(path)


def gold_set(name: str, folder: Path, work: Path) -> dict[str, Any]:
    out = work / f"{name}.jsonl"
    seconds = run_cluster([folder / "docs.jsonl"], out)
    gold, predicted = rows(folder / "gold.jsonl"), rows(out)
    figures = evaluate.score(gold, predicted)
    figures["seconds"] = round(seconds, 1)
    if any(r.get("level") == "original" for r in gold.values()):
        figures.update(_originals_named(gold, predicted))
    if name == "siblings-dev":
        seeds = [i for i, r in gold.items() if r.get("cluster") == "seedstory"]
        clusters = {predicted[i].get("cluster") for i in seeds}
        (only,) = clusters if len(clusters) == 1 else (None,)
        members = {i for i, r in predicted.items() if only is not None and r.get("cluster") == only}
        figures["seeds_whole"] = only is not None and members == set(seeds)
    return figures


def retelling_set(work: Path) -> dict[str, Any]:
    """`gold_set` on the retellings written apart from the rules (`retellings`), built in `work`."""
    folder = work / "retellings"
    folder.mkdir()
    retellings.build(DATA, folder)
    return gold_set("retellings", folder, work)


def samples(work: Path) -> dict[str, Any]:
    out = work / "samples.jsonl"
    seconds = run_cluster([ROOT / "samples"], out)
    predicted = rows(out)
    groups: dict[str, set[str]] = {}
    for doc_id, r in predicted.items():
        if r.get("cluster") is not None:
            groups.setdefault(r["cluster"], set()).add(doc_id)
    expected = [{i for i in predicted if "/seeds/" in i}] + [set(p) for p in SAMPLE_PAIRS]
    found = sorted(map(sorted, groups.values()))
    return {
        "seconds": round(seconds, 1),
        "clusters": len(groups),
        "as_documented": found == sorted(map(sorted, expected)),
    }


def reuters(work: Path) -> dict[str, Any]:
    out = work / "reuters.jsonl"
    seconds = run_cluster([DATA / "reuters" / "docs.jsonl"], out)
    predicted = rows(out)
    with open(DATA / "reuters" / "judged-pairs.jsonl") as handle:
        judged = [json.loads(line) for line in handle]
    hits = {"tp": 0, "fp": 0, "fn": 0}
    wrong = []
    for pair in judged:
        if pair["label"] == "unsure":
            continue
        ca, cb = (predicted.get(pair[k], {}).get("cluster") for k in ("a", "b"))
        together = ca is not None and ca == cb
        copy = pair["label"] == "copy"
        if together and copy:
            hits["tp"] += 1
        elif together:
            hits["fp"] += 1
            wrong.append(("false copy", pair["a"], pair["b"], pair["why"]))
        elif copy:
            hits["fn"] += 1
            wrong.append(("missed copy", pair["a"], pair["b"], pair["why"]))
    called = hits["tp"] + hits["fp"]
    labelled = hits["tp"] + hits["fn"]
    clustered = sum(r.get("cluster") is not None for r in predicted.values())
    return {
        "seconds": round(seconds, 1),
        "judged_precision": round(hits["tp"] / called, 4) if called else 1.0,
        "judged_recall": round(hits["tp"] / labelled, 4) if labelled else 1.0,
        **hits,
        "clustered_documents": clustered,
        "wrong": wrong,
    }


def make_crawl(size: int) -> tuple[Path, Path]:
    """The crawl of `size` documents and its gold (`make_crawl.py`, seed 0), made once per size."""
    cache = Path(tempfile.gettempdir()) / f"dupdetect-crawl{size}"
    if not (cache / "docs.jsonl").exists():
        cache.mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, str(TOOLS / "make_crawl.py"), str(size), str(cache / "docs.jsonl"),
             "--gold", str(cache / "gold.jsonl")],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return cache / "docs.jsonl", cache / "gold.jsonl"


def crawl(work: Path, size: int) -> dict[str, Any]:
    docs, gold_path = make_crawl(size)
    out = work / "crawl.jsonl"
    seconds = run_cluster([docs], out)
    return {"seconds": round(seconds, 1), **crawl_figures(gold_path, out)}


def crawl_figures(gold_path: Path, out: Path) -> dict[str, Any]:
    """A crawl run's figures against its gold (see the module docstring)."""
    gold, predicted = rows(gold_path), rows(out)
    figures = evaluate.score(gold, predicted)
    injected = [i for i in gold if i.startswith(("copy-", "near-"))]
    return {
        "pair_precision": figures["pair_precision"],
        "pair_recall": figures["pair_recall"],
        "copy_recall": _recall(gold, predicted, lambda levels: "excerpt" not in levels),
        "excerpt_recall": _recall(gold, predicted, lambda levels: "excerpt" in levels),
        "copies_called_rewrite": sum(predicted[i].get("kind") == "rewrite" for i in injected),
        **_false_pairs(gold, predicted),
        **_originals_named(gold, predicted),
        "by_level": figures["pair_recall_by_level"],
    }


def _originals_named(
    gold: dict[str, dict[str, Any]], predicted: dict[str, dict[str, Any]]
) -> dict[str, list[int]]:
    """Of the predicted clusters that hold a gold original, how many name one as their original.

    ``[named, clusters]``, over all of them and over those of three members or more (between
    two texts without dates the choice rests on a length prior, see `attribute`).
    """
    named = {"originals_named": [0, 0], "originals_named_of_three_or_more": [0, 0]}
    for ids in _clusters(predicted).values():
        if not any(gold.get(i, {}).get("level") == "original" for i in ids):
            continue
        right = gold.get(predicted[ids[0]]["original"], {}).get("level") == "original"
        for key in named if len(ids) >= 3 else ["originals_named"]:
            named[key][0] += right
            named[key][1] += 1
    return named


def _false_pairs(
    gold: dict[str, dict[str, Any]], predicted: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The false pairs, how many join a unique page (``uniq-<k>``) to anything, and how many
    join two families whose real articles the crawl audit labelled (by label).

    The others join the families of two real articles (the article itself or a page made from
    it, ``copy-<k>-of-<id>``): a relation between two real articles decided them, which the
    gold's rule (word 5-gram Jaccard 0.5 or containment 0.8) does not call a copy. The audit
    (`CRAWL_AUDIT`) labelled 40 such pairs of real articles blind by the judges' rules: where
    they are copies (a re-issue, a fuller version), the pair is false only to the gold.
    """
    audited_joins = {
        frozenset((gold[a]["cluster"], gold[b]["cluster"])): label
        for _, a, b, label, _ in audit.labelled(CRAWL_AUDIT)
        if a in gold and b in gold
    }
    false = with_unique = 0
    by_label = dict.fromkeys(("copy", "not-copy", "unsure"), 0)
    for a, b in _pairs_in_clusters(predicted):
        ga, gb = gold[a], gold[b]
        if not (ga.get("scored", True) or gb.get("scored", True)):
            continue
        if ga.get("cluster") is None or ga.get("cluster") != gb.get("cluster"):
            false += 1
            with_unique += a.startswith("uniq-") or b.startswith("uniq-")
            audited = audited_joins.get(frozenset((ga.get("cluster"), gb.get("cluster"))))
            if audited:
                by_label[audited] += 1
    return {
        "false_pairs": false,
        "false_pairs_with_unique_page": with_unique,
        "false_pairs_audited": by_label,
    }


# Pairs of real articles whose families a 20k crawl run joined, each labelled blind by a
# reviewing session against the judges' rules (see `benchmarks/audit.py` for how to read them).
CRAWL_AUDIT = ROOT / "benchmarks" / "audit" / "crawl-joins.tsv"


def _pairs_in_clusters(rows: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Every pair of ids that `rows` put in one cluster."""
    for ids in _clusters(rows).values():
        yield from combinations(ids, 2)


def _clusters(rows: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The ids of each cluster of `rows`, by cluster."""
    members: dict[str, list[str]] = {}
    for i, r in rows.items():
        if r.get("cluster") is not None:
            members.setdefault(r["cluster"], []).append(i)
    return members


def _recall(
    gold: dict[str, dict[str, Any]],
    predicted: dict[str, dict[str, Any]],
    which: Callable[[set[str]], bool],
) -> float:
    """Recall of the gold pairs (with a scored member) whose levels `which` selects."""
    found = total = 0
    for a, b in _pairs_in_clusters(gold):
        levels = {gold[a].get("level"), gold[b].get("level")}
        scored = gold[a].get("scored", True) or gold[b].get("scored", True)
        if scored and which(levels):
            total += 1
            ca = predicted.get(a, {}).get("cluster")
            found += ca is not None and ca == predicted.get(b, {}).get("cluster")
    return round(found / total, 4) if total else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=SETS)
    parser.add_argument("--crawl-size", type=int, default=20_000)
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--wrong", action="store_true", help="list the judged pairs gotten wrong")
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in args.sets:
            if name == "samples":
                results[name] = samples(work)
            elif name == "reuters":
                results[name] = reuters(work)
            elif name == "crawl":
                results[name] = crawl(work, args.crawl_size)
            elif name == "retellings":
                results[name] = retelling_set(work)
            else:
                results[name] = gold_set(name, DATA / name, work)
            print(f"{name}: {_line(name, results[name])}", file=sys.stderr)
    print(table(results))
    if args.wrong and "reuters" in results:
        for row in results["reuters"]["wrong"]:
            print(*row, sep="\t")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")


def _line(name: str, r: dict[str, Any]) -> str:
    keys = [k for k in r if k not in ("wrong", "by_level", "pair_recall_by_level")]
    return ", ".join(f"{k} {r[k]}" for k in keys)


def _named(r: dict[str, Any]) -> str:
    (named, held), (named_3, held_3) = r["originals_named"], r["originals_named_of_three_or_more"]
    return f"original named {named}/{held} ({named_3}/{held_3} of 3+ members)"


def _audited(by_label: dict[str, int]) -> str:
    copy, not_copy, unsure = (by_label[k] for k in ("copy", "not-copy", "unsure"))
    return f"in audited joins {copy} copy / {not_copy} not / {unsure} unsure"


def table(results: dict[str, dict[str, Any]]) -> str:
    """One Markdown table of the headline figures of every set run."""
    lines = [
        "| set | precision | recall | F1 | by level / note | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        if name == "samples":
            note = f"{r['clusters']} clusters, as documented: {r['as_documented']}"
            lines.append(f"| samples | | | | {note} | {r['seconds']} |")
        elif name == "reuters":
            note = f"judged pairs: tp {r['tp']}, fp {r['fp']}, fn {r['fn']}"
            lines.append(
                f"| reuters (judged) | {r['judged_precision']} | {r['judged_recall']} | | {note} "
                f"| {r['seconds']} |"
            )
        elif name == "crawl":
            note = (
                f"copy/near recall {r['copy_recall']}, excerpt recall {r['excerpt_recall']}, "
                f"copies called rewrite {r['copies_called_rewrite']}; false pairs "
                f"{r['false_pairs']}, {r['false_pairs_with_unique_page']} with a unique page, "
                f"{_audited(r['false_pairs_audited'])}; "
                f"{_named(r)}"
            )
            lines.append(
                f"| crawl | {r['pair_precision']} | {r['pair_recall']} | | {note} "
                f"| {r['seconds']} |"
            )
        else:
            levels = ", ".join(f"{k} {v}" for k, v in r["pair_recall_by_level"].items())
            if "seeds_whole" in r:
                levels += f"; seeds whole: {r['seeds_whole']}"
            if "originals_named" in r:
                levels += f"; {_named(r)}"
            lines.append(
                f"| {name} | {r['pair_precision']} | {r['pair_recall']} | {r['pair_f1']} | "
                f"{levels} | {r['seconds']} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
