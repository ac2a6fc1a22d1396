"""Shared fixtures: a CLI runner, the fixture folder, the samples, and ../shared/data."""

from __future__ import annotations

import json
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


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
