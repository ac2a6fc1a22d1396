import json
import subprocess
import sys

import pytest

from dupdetect.cli import cli

CASES = {
    "gold": [
        {"id": "a", "cluster": "x", "level": "close"},
        {"id": "b", "cluster": "x", "level": "loose"},
        {"id": "c", "cluster": "x"},
        {"id": "d", "cluster": None},
        {"id": "e", "cluster": "y", "scored": False},
        {"id": "f", "cluster": "y", "scored": False},
        {"id": "g", "cluster": None, "scored": False},
    ],
    "predicted": [
        {"id": "a", "cluster": "1"},
        {"id": "b", "cluster": "1"},
        {"id": "c", "cluster": None},
        {"id": "d", "cluster": "1"},
        {"id": "e", "cluster": "2"},
        {"id": "g", "cluster": "2"},
    ],
}


def write(tmp_path, name, rows):
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_eval_equals_the_project_scorer(tmp_path, runner, shared_data):
    gold, predicted = (write(tmp_path, k, v) for k, v in CASES.items())
    scorer = shared_data.parent / "tools" / "score.py"
    expected = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(predicted), "--json"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = runner.invoke(
        cli, ["eval", str(gold), str(predicted), "--json"], catch_exceptions=False
    )
    assert json.loads(result.stdout) == json.loads(expected)


@pytest.mark.quality
def test_eval_equals_the_scorer_on_a_real_run(tmp_path, runner, shared_data):
    predicted = tmp_path / "pred.jsonl"
    runner.invoke(
        cli, ["cluster", "-q", str(shared_data / "pages" / "docs.jsonl"), "-o", str(predicted)]
    )
    gold = shared_data / "pages" / "gold.jsonl"
    scorer = shared_data.parent / "tools" / "score.py"
    expected = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(predicted), "--json"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = runner.invoke(cli, ["eval", str(gold), str(predicted), "--json"])
    assert json.loads(result.stdout) == json.loads(expected)


def test_eval_names_a_bad_line(tmp_path, runner):
    gold = write(tmp_path, "gold", CASES["gold"])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\nnot json\n')
    result = runner.invoke(cli, ["eval", str(gold), str(bad)])
    assert result.exit_code == 1 and f"{bad}:2: invalid JSON" in result.stderr
