import json

import pytest

from dupdetect.cli import cli

TEXT = "The council voted on Thursday to build a new bridge over the river by next year. " * 3


def test_help_for_every_command(runner):
    for args in ([], ["cluster"], ["compare"], ["eval"]):
        result = runner.invoke(cli, [*args, "-h"])
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_cluster_writes_jsonl_to_stdout_and_the_summary_to_stderr(runner, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(TEXT)
    result = runner.invoke(cli, ["cluster", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["id"]: r["kind"] for r in rows} == {"a.txt": None, "b.txt": "exact"}
    assert "2 documents, 1 clusters" in result.stderr.splitlines()[-1]


def test_stdin_is_read_as_jsonl(runner):
    lines = "".join(json.dumps({"id": i, "text": TEXT}) + "\n" for i in ("x", "y"))
    result = runner.invoke(cli, ["cluster", "-", "-q"], input=lines, catch_exceptions=False)
    assert [json.loads(r)["cluster"] for r in result.stdout.splitlines()] == ["x", "x"]


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_output_file_is_written(runner, tmp_path, fmt):
    (tmp_path / "a.txt").write_text(TEXT)
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(
        cli, ["cluster", str(tmp_path / "a.txt"), "--format", fmt, "-o", str(out), "-q"]
    )
    assert result.exit_code == 0 and out.read_text() and result.stdout == ""


def test_every_bad_fixture_is_reported_in_one_line_and_the_run_goes_on(runner, data_dir):
    result = runner.invoke(cli, ["cluster", str(data_dir), "-q"])
    assert result.exit_code == 0
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert any("fragment.html: no main text extracted" in line for line in skipped)
    assert any("binary.txt: binary file" in line for line in skipped)
    assert any("bad.jsonl:2: invalid JSON" in line for line in skipped)
    assert any("no_text.csv:2" in line for line in skipped)
    ids = {json.loads(r)["id"] for r in result.stdout.splitlines()}
    assert {"ok-1", "latin1.txt", "news_page.html"} <= ids
    assert f"{len(skipped)} skipped" in result.stderr.splitlines()[-1]


def test_nothing_readable_exits_1(runner, data_dir):
    result = runner.invoke(cli, ["cluster", str(data_dir / "fragment.html")])
    assert result.exit_code == 1 and "Error: no document could be read" in result.stderr


def test_missing_input_exits_1_with_its_name(runner, tmp_path):
    result = runner.invoke(cli, ["cluster", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 1 and "missing.jsonl: no such file or folder" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["cluster"],
        ["cluster", "x", "--format", "xml"],
        ["cluster", "x", "--rewrite-threshold", "2"],
    ],
)
def test_usage_errors_exit_2(runner, args):
    assert runner.invoke(cli, args).exit_code == 2


def test_compare_says_why_two_unrelated_files_are_not_copies(runner, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(
        "Stock markets fell in Tokyo as exporters worried about the yen. " * 3
    )
    result = runner.invoke(cli, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.exit_code == 0 and "not a copy" in result.stdout and "wording" in result.stdout
