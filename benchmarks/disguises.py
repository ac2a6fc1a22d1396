"""How copies fare when a scraper, an export or a content farm changes how they are written.

spun-dev's 30 BBC base articles and their 102 rewrites (close, spin, loose), each transformed
the way real pipelines and spinners do: entities left in an export, soft hyphens or zero-width
characters in words, Cyrillic look-alikes, line breaks dropped or added, figures or numbers
written another way, case changed. For each transform: the kinds a transformed copy of each
base gets against the base (all `exact` is the aim), and how many transformed rewrites still
verify as copies of their base (the corpus's own rarity weights, as a run has them).

    python benchmarks/disguises.py
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from evaluate import DATA

from dupdetect.features import profile
from dupdetect.normalize import normalize
from dupdetect.rarity import Rarity
from dupdetect.settings import Settings
from dupdetect.verify import Verifier

_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
_CURRENCIES, _SCALES = (
    {"$": "dollars", "£": "pounds", "€": "euros"},
    {"bn": "billion", "m": "million"},
)


_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TEENS = "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()


def _spoken(n: int) -> str:
    if n < 13:
        return _WORDS[n]
    if n < 20:
        return _TEENS[n - 13]
    tens, ones = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_WORDS[ones]}" if ones else "")


def _read_out(text: str) -> str:
    """Figures as a radio script has them: "28" twenty-eight, "5.5%" five point five percent."""
    text = _written_out(text)
    return re.sub(
        r"(?<![\d.,$£€])\b(\d{1,2})(?:\.(\d+))?\b(?![\d,])(?!\.\d)",
        lambda m: (
            _spoken(int(m[1]))
            + (" point " + " ".join(_WORDS[int(d)] for d in m[2]) if m[2] else "")
        ),
        text,
    )


def _written_out(text: str) -> str:
    text = re.sub(
        r"([$£€])(\d+(?:\.\d+)?)(bn|m)\b",
        lambda m: f"{m[2]} {_SCALES[m[3]]} {_CURRENCIES[m[1]]}",
        text,
    )
    text = re.sub(r"(\d+(?:\.\d+)?)(bn|m)\b", lambda m: f"{m[1]} {_SCALES[m[2]]}", text)
    return re.sub(r"(\d+(?:\.\d+)?)%", r"\1 percent", text)


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "entities (&#39;)": lambda t: t.replace("&", "&amp;").replace("'", "&#39;"),
    "html.escape": html.escape,
    "soft hyphens": lambda t: re.sub(r"(\w{4})(\w{4,})", "\\1\u00ad\\2", t),
    "zero-width joiners": lambda t: re.sub(r"(\w{4})(\w{4,})", "\\1\u200c\\2", t),
    "Cyrillic look-alikes": lambda t: t.translate(str.maketrans("aeocpxy", "аеосрху")),
    "one line": lambda t: re.sub(r"\s+", " ", t),
    "wrapped at 60": lambda t: "\n\n".join(textwrap.fill(p, 60) for p in t.split("\n\n")),
    "no-break spaces": lambda t: t.replace(" ", "\u00a0"),
    "curly quotes": lambda t: t.replace("'", "\u2019").replace('"', "\u201c"),
    "figures written out": _written_out,
    "2 -> two": lambda t: re.sub(
        r"(?<![\d.,$£€])\b([1-9]|1[0-2])\b(?![\d.,%])", lambda m: _WORDS[int(m[1])], t
    ),
    "read out (28 -> twenty-eight)": _read_out,
    "two -> 2": lambda t: re.sub(
        r"\b(" + "|".join(_WORDS[2:]) + r")\b", lambda m: str(_WORDS.index(m[1])), t
    ),
    "lower case": str.lower,
    "upper case": str.upper,
}


def spun_dev(data: Path = DATA) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """spun-dev's texts by id, and its rewrites as ``(base id, rewrite id)``."""
    with open(data / "spun-dev" / "docs.jsonl") as handle:
        texts = {doc["id"]: doc["text"] for doc in map(json.loads, handle)}
    with open(data / "spun-dev" / "gold.jsonl") as handle:
        rewrites = [
            (doc["cluster"], doc["id"])
            for doc in map(json.loads, handle)
            if doc.get("level") in ("close", "spin", "loose") and doc["cluster"] in texts
        ]
    return texts, rewrites


def main() -> None:
    texts, rewrites = spun_dev()
    bases = sorted({base for base, _ in rewrites})
    profiles = {i: profile(normalize(t), 5) for i, t in texts.items()}
    verifier = Verifier.of(Rarity.of_profiles(profiles.values()), Settings())

    def kind(base: str, text: str) -> str | None:
        other = profile(normalize(text), 5)
        scores = verifier.scores(profiles[base], other)
        return verifier.decide(scores, min(profiles[base].n_words, other.n_words))[0]

    print(f"{len(bases)} BBC articles, {len(rewrites)} rewrites of them (spun-dev)")
    print("| transform | copies of the articles | rewrites still copies |")
    print("|---|---|---|")
    for name, transform in TRANSFORMS.items():
        copies = Counter(kind(base, transform(texts[base])) for base in bases)
        found = sum(kind(base, transform(texts[r])) is not None for base, r in rewrites)
        shown = ", ".join(f"{k or 'none'} {n}" for k, n in copies.most_common())
        print(f"| {name} | {shown} | {found}/{len(rewrites)} |")


if __name__ == "__main__":
    main()
