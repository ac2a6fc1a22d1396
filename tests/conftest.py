"""Shared fixtures: a CLI runner, the fixture folder, the samples, ../shared/data, a family."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def data_dir() -> Path:
    return Path(__file__).parent / "data"


@pytest.fixture
def samples_dir() -> Path:
    return ROOT / "samples"


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "bbc" / "docs.jsonl").exists():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def large_family(shared_data: Path) -> list[Any]:
    """Two large families of BBC stories, and three stories with a copy.

    40 copies of one story with one word replaced each (near-verbatim to each other), 24 of
    another with a tenth of the words dropped at random each (two of them share about a third
    of their 5-grams: partial to each other): verification groups larger than `run.FAMILY`,
    and small ones.
    """
    from dupdetect import Document

    lines = (shared_data / "bbc" / "docs.jsonl").read_text().splitlines()[:4]
    stories = [json.loads(line)["text"] for line in lines]
    family = []
    for i in range(40):
        words = stories[0].split(" ")
        words[(7 * i) % len(words)] = f"edit{i}"
        family.append(Document(f"family-{i:02}", " ".join(words)))
    rng = random.Random(0)
    edited = [
        Document(f"edited-{i:02}", " ".join(w for w in stories[3].split(" ") if rng.random() > 0.1))
        for i in range(24)
    ]
    stories = stories[:3]
    small = [Document(f"small-{k}", text + " Reported today.") for k, text in enumerate(stories)]
    return family + edited + small + [Document(f"story-{k}", t) for k, t in enumerate(stories)]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
