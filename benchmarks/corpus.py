"""Synthetic crawls for benchmarks and scale tests, built from ../shared/data/bbc.

- `edited_bbc`: news-length near-copies, as a crawl holds them: each document is a BBC article
  with its paragraphs reordered and ~10% of its words dropped or replaced. N documents share
  2,225 originals, so every one has N/2,225 near-copies (and that many pairs to verify).
- `cheap`: short random texts with no copies among them, generated fast, to measure how memory
  grows with the number of documents rather than with the work on copies.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from dupdetect.records import Document

BBC = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bbc" / "docs.jsonl"


def load_bbc(path: Path = BBC) -> list[dict[str, str]]:
    """The BBC records (``id``, ``text``, ...) of ../shared/data/bbc."""
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def edited_bbc(n: int, bbc: list[dict[str, str]], seed: int = 0) -> Iterator[Document]:
    """N edited BBC articles: ~10% of words dropped or replaced, paragraphs reordered."""
    rng = random.Random(seed)
    vocabulary = [w for d in bbc[:200] for w in d["text"].split()]
    for i in range(n):
        paragraphs = rng.choice(bbc)["text"].split("\n")
        rng.shuffle(paragraphs)
        words = " \n".join(paragraphs).split(" ")
        for _ in range(len(words) // 10):
            j = rng.randrange(len(words))
            words[j] = rng.choice(vocabulary) if rng.random() < 0.5 else ""
        yield Document(f"gen-{i}", " ".join(w for w in words if w))


def cheap(n: int, words: int = 60, seed: int = 0) -> Iterator[Document]:
    """N texts of `words` random words drawn from a 50,000-word vocabulary of made-up words."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(4, 10))) for _ in range(50_000)]
    for i in range(n):
        sentence = " ".join(rng.choices(vocabulary, k=words))
        yield Document(f"cheap-{i}", sentence.capitalize() + ".")
