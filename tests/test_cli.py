import json
import os

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
    assert {r["id"]: r["kind"] for r in rows} == {
        f"{tmp_path}/a.txt": None,
        f"{tmp_path}/b.txt": "exact",
    }
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
    ids = {json.loads(r)["id"].rsplit("/", 1)[-1] for r in result.stdout.splitlines()}
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
    assert result.exit_code == 1 and "not a copy" in result.stdout and "wording" in result.stdout


def test_terminal_output_shows_escape_sequences_instead_of_running_them(runner, tmp_path):
    hostile = "\x1b[2J\x1b]0;pwned\x07 title"
    lines = "".join(
        json.dumps({"id": f"a{n}\x1b[31m", "title": hostile, "text": TEXT}) + "\n" for n in (1, 2)
    )
    result = runner.invoke(cli, ["cluster", "-", "-q", "--format", "table"], input=lines)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(runner):
    lines = "".join(
        json.dumps({"id": i, "title": '=HYPERLINK("http://evil")', "text": TEXT}) + "\n"
        for i in ("+cmd", "@sum")
    )
    result = runner.invoke(cli, ["cluster", "-", "-q", "--format", "csv"], input=lines)
    assert "'=HYPERLINK" in result.stdout and "'+cmd" in result.stdout and "'@sum" in result.stdout
    assert "\n=" not in result.stdout and ",=" not in result.stdout


def test_skip_messages_show_file_names_escaped(runner, tmp_path):
    (tmp_path / "x\x1b]0;t\x07.txt").write_text("")
    result = runner.invoke(cli, ["cluster", str(tmp_path), "-q"])
    assert "\x1b" not in result.stderr and "\\x1b]0;t\\x07.txt: empty file" in result.stderr


def test_compare_exits_0_for_copies_1_for_not_copies_2_for_trouble(runner, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT + " And one more sentence about the bridge plans.")
    (tmp_path / "c.txt").write_text("Markets fell in Tokyo as exporters worried about yen. " * 3)
    a, b, c = (str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt"))
    assert runner.invoke(cli, ["compare", a, b]).exit_code == 0
    assert runner.invoke(cli, ["compare", a, c]).exit_code == 1
    assert runner.invoke(cli, ["compare", a, str(tmp_path / "none.txt")]).exit_code == 2


def test_only_clustered_writes_only_the_documents_in_clusters(runner, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT)
    (tmp_path / "c.txt").write_text("Markets fell in Tokyo as exporters worried about yen. " * 3)
    result = runner.invoke(cli, ["cluster", str(tmp_path), "-q", "--only-clustered"])
    assert [json.loads(r)["id"].rsplit("/", 1)[1] for r in result.stdout.splitlines()] == [
        "a.txt",
        "b.txt",
    ]


def test_progress_is_off_when_stderr_is_not_a_terminal_unless_asked(runner, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    quiet = runner.invoke(cli, ["cluster", str(tmp_path)])
    assert quiet.stderr.splitlines() == [quiet.stderr.splitlines()[-1]]  # the summary alone
    asked = runner.invoke(cli, ["cluster", str(tmp_path), "--progress"])
    assert "reading and signing documents" in asked.stderr


def test_ctrl_c_exits_130():
    import select
    import signal
    import subprocess
    import sys

    # The run reads stdin, which stays open: once it reports its first signed documents (after
    # more than the 1,000 it reads before starting workers), it is surely still running, past
    # its imports, when Ctrl-C comes, workers and all.
    process = subprocess.Popen(
        [sys.executable, "-m", "dupdetect", "cluster", "-", "--progress"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # A shell starts background jobs with Ctrl-C ignored, and children inherit that: give
        # the run the disposition a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdin is not None and process.stderr is not None
    for n in range(1_100):
        process.stdin.write((json.dumps({"id": str(n), "text": f"{TEXT} {n}"}) + "\n").encode())
    process.stdin.flush()
    said = b""
    while b"reading" not in said:
        ready, _, _ = select.select([process.stderr], [], [], 60)
        assert ready, f"no progress within 60 s: {said!r}"
        said += os.read(process.stderr.fileno(), 4096)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, said + stderr
    assert b"Traceback" not in said + stderr
