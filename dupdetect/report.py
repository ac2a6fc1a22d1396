"""A `Result` → one row per document (JSONL, CSV) or a readable terminal summary."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from .records import Result

COLUMNS = (
    "id", "cluster", "role", "kind", "score", "original",
    "title", "url", "site", "date", "source", "reason",
)  # fmt: skip


def rows(result: Result) -> Iterator[dict[str, Any]]:
    """One row per input document, in input order; documents with no copy have cluster None."""
    placed = result.cluster_of()
    for d in result.documents:
        cluster, member = placed.get(d.id, (None, None))
        yield {
            "id": d.id,
            "cluster": cluster.id if cluster else None,
            "role": member.role if member else None,
            "kind": member.kind if member else None,
            "score": member.score if member else None,
            "original": cluster.original if cluster else None,
            "title": d.title,
            "url": d.url,
            "site": d.site,
            "date": d.date,
            "source": d.source,
            "reason": member.reason if member else None,
        }


def write_jsonl(result: Result, out: IO[str]) -> None:
    """Write one JSON object per document."""
    for row in rows(result):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(result: Result, out: IO[str]) -> None:
    """Write a CSV file with a header row and the `COLUMNS`."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(result):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


def summary(result: Result) -> str:
    """One line: documents, clusters, copies by kind, skipped records."""
    kinds = Counter(m.kind for c in result.clusters for m in c.members if m.kind)
    by_kind = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    copies = sum(kinds.values())
    return (
        f"{len(result.documents)} documents, {len(result.clusters)} clusters, "
        f"{copies} copies ({by_kind}), {len(result.skipped)} skipped"
    )


def write_table(result: Result, out: IO[str], width: int = 100) -> None:
    """Write a terminal summary: the counts, then each cluster's original and its copies."""
    docs = {d.id: d for d in result.documents}
    out.write(summary(result) + "\n")
    for n, c in enumerate(result.clusters, 1):
        original = docs[c.original]
        out.write(f"\ncluster {n}: {len(c.members)} documents, original {c.original}\n")
        out.write(f"  {_clip(original.title or _first_line(original.text), width - 2)}\n")
        out.write(f"  why original: {c.members[0].reason}\n")
        for m in c.members:
            d = docs[m.id]
            label = "original" if m.role == "original" else f"{m.kind} {m.score:.2f}"
            where = " ".join(x for x in (d.site, d.date) if x)
            line = f"  {label:<20} {m.id}" + (f"  ({where})" if where else "")
            out.write(_clip(line, width) + "\n")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
