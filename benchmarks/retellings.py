"""A second set of retellings whose source is absent, written apart from the rules it checks.

siblings-dev is the only set of its kind in ../shared/data, and every rule for loose retellings
was read on it. `retellings/pieces.jsonl` holds 42 texts written for this project by three
helper sessions that saw neither the code nor its rules, each given two source articles (three
BBC, three Reuters, none of siblings-dev's twelve): for each source five retellings by
different sites in 14 styles, 12 of which siblings-dev lacks (a social-media thread, a
newsletter item, a Q&A explainer, a trade-press rewrite, a radio script, a plain-English
summary, an opinion column, a blog post, a brief, key takeaways, a wire rewrite, an interview
recap; and a forum post and an SEO article, as siblings-dev has), no run of more than six of
the source's words outside quotations; and two negatives, a follow-up with new figures and the
same template for another period or company.

The corpus is siblings-dev's (every BBC and Reuters story) without the six sources and the
stories that reuse a fifth of one's word 5-grams, plus the 42 pieces. Gold: a source's
retellings are one cluster (``level`` their style), the negatives are scored singletons, every
other document is background. Its first run (3113229, before any rule was read on it): pair
precision 1.0, recall 0.667.
"""

from __future__ import annotations

import json
from pathlib import Path

from dupdetect.features import verbatim_set
from dupdetect.normalize import normalize

PIECES = Path(__file__).resolve().parent / "retellings" / "pieces.jsonl"
REUSE = 0.2  # share of the smaller text's 5-grams from which a story reuses a source


def build(data: Path, folder: Path) -> tuple[Path, Path]:
    """Write the set's ``docs.jsonl`` and ``gold.jsonl`` into `folder`; return their paths.

    `data` is ../shared/data (siblings-dev's corpus is the background).
    """
    pieces, stories = _rows(PIECES), _rows(data / "siblings-dev" / "docs.jsonl")
    sources = {piece["source"] for piece in pieces}
    source_shingles = [verbatim_set(normalize(s["text"])) for s in stories if s["id"] in sources]
    docs, gold = folder / "docs.jsonl", folder / "gold.jsonl"
    with docs.open("w", encoding="utf-8") as out_docs, gold.open("w", encoding="utf-8") as out:
        for story in stories:
            if story["id"] in sources or _reuses(
                verbatim_set(normalize(story["text"])), source_shingles
            ):
                continue
            out_docs.write(json.dumps(story) + "\n")
            out.write(json.dumps({"id": story["id"], "cluster": None, "scored": False}) + "\n")
        for piece in pieces:
            retelling = piece["kind"] == "retelling"
            out_docs.write(json.dumps({"id": piece["id"], "text": piece["text"]}) + "\n")
            row = {"id": piece["id"], "cluster": piece["source"] if retelling else None}
            out.write(json.dumps(row | {"level": piece["style"]}) + "\n")
    return docs, gold


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _reuses(shingles: set[str], sources: list[set[str]]) -> bool:
    return any(
        shingles and source and len(shingles & source) >= REUSE * min(len(shingles), len(source))
        for source in sources
    )
