"""Outputs go where they are pointed: files atomically with the umask's mode, the rest through."""

import os
import stat
import threading

import pytest

from dupdetect.cli import cli

TEXT = "The council voted on Thursday to build a new bridge over the river by next year. " * 3


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.txt").write_text(TEXT)
    return str(folder)


def test_a_new_file_gets_the_umask_s_mode(runner, inputs, tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "out.jsonl"
        assert runner.invoke(cli, ["cluster", inputs, "-q", "-o", str(out)]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_symlink_is_followed_and_stays_a_link(runner, inputs, tmp_path):
    target = tmp_path / "real.jsonl"
    target.write_text("old content\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert runner.invoke(cli, ["cluster", inputs, "-q", "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and "old content" not in target.read_text()
    assert len(target.read_text().splitlines()) == 2


def test_a_named_pipe_is_written_through(runner, inputs, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text()))
    reader.start()
    assert runner.invoke(cli, ["cluster", inputs, "-q", "-o", str(pipe)]).exit_code == 0
    reader.join(timeout=20)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert len(received[0].splitlines()) == 2


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_stays_a_device(runner, inputs, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert runner.invoke(cli, ["cluster", inputs, "-q", "-o", str(null)]).exit_code == 0
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_an_output_in_a_missing_folder_is_a_usage_error_before_any_work(runner, inputs, tmp_path):
    for option in ("-o", "--html"):
        result = runner.invoke(cli, ["cluster", inputs, option, str(tmp_path / "nodir" / "x")])
        assert result.exit_code == 2, result.stderr
        assert "folder" in result.stderr and "does not exist" in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_failed_run_leaves_the_old_file_alone(runner, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    result = runner.invoke(cli, ["cluster", str(tmp_path / "missing"), "-o", str(out)])
    assert result.exit_code == 1 and out.read_text() == "kept\n"
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".dupdetect-")]
