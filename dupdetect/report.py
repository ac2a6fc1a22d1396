"""A `Result` → one row per document (JSONL, CSV), a terminal summary, or an HTML report."""

from __future__ import annotations

import csv
import json
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from .features import WORD
from .records import Comparison, Document, Result
from .settings import VerifySettings

DEFAULT_THRESHOLDS = VerifySettings().thresholds()

Styler = Callable[..., str]

COLUMNS = (
    "id", "cluster", "role", "kind", "score", "via", "original",
    "title", "url", "site", "date", "date_source", "source", "reason",
)  # fmt: skip


def rows(result: Result, only_clustered: bool = False) -> Iterator[dict[str, Any]]:
    """One row per input document, in input order; documents with no copy have cluster None.

    With `only_clustered`, the documents in no cluster are left out.
    """
    placed = result.cluster_of()
    for d in result.documents:
        cluster, member = placed.get(d.id, (None, None))
        if only_clustered and cluster is None:
            continue
        yield {
            "id": d.id,
            "cluster": cluster.id if cluster else None,
            "role": member.role if member else None,
            "kind": member.kind if member else None,
            "score": member.score if member else None,
            "via": member.via if member else None,
            "original": cluster.original if cluster else None,
            "title": d.title,
            "url": d.url,
            "site": d.site,
            "date": d.date,
            "date_source": d.date_source,
            "source": d.source,
            "reason": member.reason if member else None,
        }


def write_jsonl(result: Result, out: IO[str], only_clustered: bool = False) -> None:
    """Write one JSON object per document (JSON escapes control characters itself)."""
    for row in rows(result, only_clustered):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(result: Result, out: IO[str], only_clustered: bool = False) -> None:
    """Write a CSV file with a header row and the `COLUMNS` (cells safe for spreadsheets)."""
    write_csv_rows(out, COLUMNS, rows(result, only_clustered))


def write_csv_rows(out: IO[str], columns: Sequence[str], records: Iterable[dict[str, Any]]) -> None:
    """Write a header row, then each record with every cell made safe (`for_spreadsheet`)."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: for_spreadsheet(v) for k, v in record.items()})


# Characters that make a terminal do things (C0 and C1 controls, ESC among them) and those that
# reorder what it shows (bidi overrides: "Trojan Source", CVE-2021-42574).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def for_terminal(text: object) -> str:
    """Scraped text made safe to print: each control or bidi character shown as an escape.

    Example:
        >>> for_terminal("title\\x1b]0;pwned\\x07 done")
        'title\\\\x1b]0;pwned\\\\x07 done'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), str(text))


def for_spreadsheet(value: object) -> object:
    """A CSV cell a spreadsheet will not run: OWASP's rule for cells of untrusted text.

    A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'``, so it reads as text, not as a formula. Numbers stay numbers.

    Example:
        >>> for_spreadsheet('=HYPERLINK("http://x")'), for_spreadsheet(0.5), for_spreadsheet(None)
        ('\\'=HYPERLINK("http://x")', 0.5, '')
    """
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def legend(thresholds: dict[str, float]) -> list[str]:
    """What the kinds and scores mean, with the thresholds of the run."""
    t = {**DEFAULT_THRESHOLDS, **thresholds}
    return [
        "kinds and scores:",
        "  exact          the same words",
        f"  near-verbatim  score = share of each text's 5-word sequences in the other "
        f"(at least {t['wording']:.2g})",
        f"  partial        score = share of one text reproduced in the other "
        f"(at least {t['reproduced']:.2g})",
        f"  rewrite        score = rewrite score: content words, facts and sentences of one "
        f"found in the other (at least {t['rewrite']:.2g}); lower for a loose retelling that "
        "joined a family of rewrites",
        "  via X          the copy is in the cluster through member X, and the kind and score "
        "are its relation to X (X is closer to it than the original is)",
        "  no copy: corresponding sentences state other facts, each text states figures the "
        "other never does, or too little is shared",
    ]


def summary(result: Result) -> str:
    """One line: documents, clusters, copies by kind, skipped records."""
    kinds = Counter(m.kind for c in result.clusters for m in c.members if m.kind)
    by_kind = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    copies = sum(kinds.values())
    return (
        f"{len(result.documents)} documents, {len(result.clusters)} clusters, "
        f"{copies} copies ({by_kind}), {len(result.skipped)} skipped"
    )


def clustered_documents(result: Result) -> dict[str, Document]:
    """The documents in clusters, by id (one pass over `Result.documents`, which may be on disk)."""
    members = {m.id for c in result.clusters for m in c.members}
    return {d.id: d for d in result.documents if d.id in members}


def write_table(
    result: Result, out: IO[str], width: int = 100, only_clustered: bool = False
) -> None:
    """Write a terminal summary: the counts, each cluster's original and copies, a legend.

    Everything scraped goes through `for_terminal` (titles and ids can hold escape sequences).
    """
    docs = clustered_documents(result)
    out.write(summary(result) + "\n")
    for n, c in enumerate(result.clusters, 1):
        original = docs[c.original]
        head = for_terminal(original.title or _first_line(original.text))
        out.write(
            f"\ncluster {n}: {len(c.members)} documents, original {for_terminal(c.original)}\n"
        )
        out.write(f"  {_clip(head, width - 2)}\n")
        out.write(f"  why original: {for_terminal(c.members[0].reason)}\n")
        for m in c.members:
            d = docs[m.id]
            label = "original" if m.role == "original" else f"{m.kind} {m.score:.2f}"
            where = " ".join(for_terminal(x) for x in (d.site, d.date) if x)
            line = f"  {label:<20} {for_terminal(m.id)}" + (f"  ({where})" if where else "")
            if m.via:
                line += f"  via {for_terminal(m.via)}"
            out.write(_clip(line, width) + "\n")
    if result.clusters:
        out.write("\n" + "\n".join(legend(result.thresholds)) + "\n")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def comparison_text(c: Comparison, width: int = 100, style: Styler | None = None) -> str:
    """A terminal rendering of a comparison: the verdict, why, and the passages side by side.

    `style` (click.style) makes the shared words bold; without it they are left plain.
    """
    verdict = c.kind or "not a copy"
    if c.weak:
        verdict += " (loose: joins a family of rewrites, never makes a group by itself)"
    a, b = for_terminal(c.a), for_terminal(c.b)
    lines = [f"{a} vs {b}: {verdict}", f"  why: {for_terminal(c.reason)}"]
    for name, value in c.scores.items():
        bar = c.thresholds.get(name)
        note = "" if bar is None else f"  ({'at or above' if value >= bar else 'below'} {bar:.3g})"
        shown = f"{value:7.0f}    " if name in _COUNTS else f"{value:7.3f}"
        lines.append(f"  {name:<22} {shown}{note}")
    lines += _fact_lines(c, width)
    if not c.passages:
        return "\n".join(lines)
    column = max(30, (width - 3) // 2)
    lines.append("")
    lines.append(f"{_clip(a, column):<{column}} | {_clip(b, column)}")
    lines.append("-" * column + "-+-" + "-" * column)
    for p in c.passages:
        left = textwrap.wrap(for_terminal(p.a), column) or [""]
        right = textwrap.wrap(for_terminal(p.b), column) or [""]
        for n in range(max(len(left), len(right))):
            a = left[n] if n < len(left) else ""
            b = right[n] if n < len(right) else ""
            pad = " " * (column - len(a))
            lines.append(f"{_bold(a, p.shared, style)}{pad} | {_bold(b, p.shared, style)}")
        lines.append("")
    return "\n".join(lines).rstrip()


_COUNTS = {"agreeing", "contradicting", "contradicting_figures", "shared_facts", "lead_news"}


def _fact_lines(c: Comparison, width: int) -> list[str]:
    """The contradicting sentences in full, the figures of one text only, then the shared facts."""
    lines = []
    contradicting = [f for f in c.facts if f.contradicts]
    if contradicting:
        lines += ["", "Corresponding sentences that state other facts:"]
        for f in contradicting:
            lines.append(f"  A: {_clip(for_terminal(f.a), width - 5)}")
            lines.append(f"  B: {_clip(for_terminal(f.b), width - 5)}")
            a_says, b_says = for_terminal(", ".join(f.a_only)), for_terminal(", ".join(f.b_only))
            lines.append(f"     A says {a_says}; B says {b_says}")
    a_new, b_new = c.new_figures
    if a_new and b_new:
        a_says, b_says = for_terminal(", ".join(a_new)), for_terminal(", ".join(b_new))
        lines += ["", "Figures one text states and the other never does:"]
        lines += [
            f"  A only: {_clip(a_says, width - 10)}",
            f"  B only: {_clip(b_says, width - 10)}",
        ]
    if c.lead_news:
        news = for_terminal(", ".join(c.lead_news))
        lines += ["", f"Figures a lead states that the other text never does: {news}"]
    shared = sorted({fact for f in c.facts for fact in f.shared})
    if shared:
        both = for_terminal(", ".join(shared))
        lines += ["", f"Facts both state in corresponding sentences: {both}"]
    return lines


def _bold(text: str, shared: frozenset[str], style: Styler | None) -> str:
    if style is None:
        return text
    return WORD.sub(
        lambda m: style(m.group(), bold=True) if m.group().casefold() in shared else m.group(), text
    )
