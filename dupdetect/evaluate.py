"""Predicted clusters vs gold labels → pairwise P/R/F1, B-cubed and the adjusted Rand index.

The figures are defined exactly as the project's scorer (``shared/tools/score.py``) defines
them, so `dupdetect eval` and the scorer agree to the last digit: documents with a null
cluster are singletons, pairs of two ``"scored": false`` documents are ignored, and B-cubed and
ARI run over the scored documents.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

from .errors import InputError

Label = tuple[str, str]


def load(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a JSONL file of rows with an ``id``; raise `InputError` naming the bad line."""
    rows: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{path}:{number}: invalid JSON ({error.msg})") from None
            if not isinstance(row, dict) or "id" not in row:
                raise InputError(f'{path}:{number}: no "id" field')
            rows[str(row["id"])] = row
    return rows


def _labels(rows: dict[str, dict[str, Any]], ids: Iterable[str]) -> dict[str, Label]:
    out = {}
    for doc_id in ids:
        cluster = rows.get(doc_id, {}).get("cluster")
        out[doc_id] = ("c", str(cluster)) if cluster is not None else ("s", doc_id)
    return out


def _pairs(label_of: dict[str, Label]) -> set[frozenset[str]]:
    groups: dict[Label, list[str]] = defaultdict(list)
    for doc_id, label in label_of.items():
        groups[label].append(doc_id)
    return {frozenset(p) for m in groups.values() for p in combinations(sorted(m), 2)}


def _comb2(n: int) -> int:
    return n * (n - 1) // 2


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def adjusted_rand(gold: dict[str, Label], pred: dict[str, Label], ids: list[str]) -> float:
    """Adjusted Rand index of two labellings over `ids`."""
    table = Counter((gold[i], pred[i]) for i in ids)
    sum_a = sum(_comb2(n) for n in Counter(gold[i] for i in ids).values())
    sum_b = sum(_comb2(n) for n in Counter(pred[i] for i in ids).values())
    index = sum(_comb2(n) for n in table.values())
    total = _comb2(len(ids))
    expected = sum_a * sum_b / total if total else 0.0
    maximum = (sum_a + sum_b) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def bcubed(
    gold: dict[str, Label], pred: dict[str, Label], ids: list[str]
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over `ids`."""
    gold_groups: dict[Label, set[str]] = defaultdict(set)
    pred_groups: dict[Label, set[str]] = defaultdict(set)
    for i in ids:
        gold_groups[gold[i]].add(i)
        pred_groups[pred[i]].add(i)
    precision = recall = 0.0
    for i in ids:
        g, p = gold_groups[gold[i]], pred_groups[pred[i]]
        both = len(g & p)
        precision += both / len(p)
        recall += both / len(g)
    n = len(ids) or 1
    return precision / n, recall / n, _f1(precision / n, recall / n)


def score(
    gold_rows: dict[str, dict[str, Any]], pred_rows: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Compare predicted rows with gold rows; return the figures by name (rounded to 4 places)."""
    ids = sorted(gold_rows)
    missing = [i for i in ids if i not in pred_rows]
    gold, pred = _labels(gold_rows, ids), _labels(pred_rows, ids)
    scored = {i for i in ids if gold_rows[i].get("scored", True)}
    gold_pairs = {p for p in _pairs(gold) if p & scored}
    pred_pairs = {p for p in _pairs(pred) if p & scored}
    hit = gold_pairs & pred_pairs
    precision = len(hit) / len(pred_pairs) if pred_pairs else 1.0
    recall = len(hit) / len(gold_pairs) if gold_pairs else 1.0
    kept = sorted(scored)
    b_p, b_r, b_f = bcubed(gold, pred, kept)
    by_level: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair in gold_pairs:
        key = "+".join(sorted(str(gold_rows[i].get("level") or "-") for i in pair))
        by_level[key][1] += 1
        by_level[key][0] += pair in pred_pairs
    return {
        "documents": len(ids),
        "scored_documents": len(kept),
        "missing_from_prediction": len(missing),
        "gold_pairs": len(gold_pairs),
        "predicted_pairs": len(pred_pairs),
        "pair_precision": round(precision, 4),
        "pair_recall": round(recall, 4),
        "pair_f1": round(_f1(precision, recall), 4),
        "bcubed_precision": round(b_p, 4),
        "bcubed_recall": round(b_r, 4),
        "bcubed_f1": round(b_f, 4),
        "ari": round(adjusted_rand(gold, pred, kept), 4),
        "pair_recall_by_level": {k: round(v[0] / v[1], 4) for k, v in sorted(by_level.items())},
    }
