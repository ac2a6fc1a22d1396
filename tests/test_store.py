import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import dupdetect
from dupdetect import Index
from dupdetect.errors import IndexCorruptError, IndexMismatchError
from dupdetect.records import Document
from dupdetect.store import FORMAT_VERSION

BODY = (
    "The Riverton council voted seven to two on Thursday to turn the disused rail yard beside "
    "the river into a public park. The plan will cost an estimated 14 million dollars and "
    "includes a playground and a rowing club boathouse. Councillor Maria Okonjo said the vote "
    "was a victory for families who had nowhere to go."
)


def docs(n, prefix="d"):
    return [
        Document(f"{prefix}{i}", f"Story number {i} about topic {i * 7919 % 1000}. " * 6 + f" {i}")
        for i in range(n)
    ]


def test_add_reopen_query_finds_copies_but_not_the_query_itself(tmp_path):
    path = tmp_path / "news.ddx"
    with Index(path) as idx:
        counts = idx.add([Document("orig", BODY), *docs(20)])
        assert counts == {"added": 21, "replaced": 0, "skipped": 0}
    with Index(path) as idx:
        matches = idx.query(Document("new", BODY + " Read more on our site tomorrow."))
        assert [(m.b, m.kind) for m in matches] == [("orig", "near-verbatim")]
        assert idx.stats()["documents"] == 21  # the query was not added


def test_same_id_replaces_and_same_text_under_new_id_is_an_exact_copy(tmp_path):
    with Index(tmp_path / "i.ddx") as idx:
        idx.add([Document("a", "old text " * 30)])
        assert idx.add([Document("a", BODY)]) == {"added": 0, "replaced": 1, "skipped": 0}
        idx.add([Document("b", BODY)])
        assert idx.get("a").text == BODY
        assert [(m.b, m.kind) for m in idx.query(Document("q", BODY))] == [
            ("a", "exact"),
            ("b", "exact"),
        ]


def test_query_agrees_with_cluster_on_the_same_documents(tmp_path, samples_dir):
    with Index(tmp_path / "s.ddx") as idx:
        idx.add([samples_dir])
        result = idx.cluster()
        expected = dupdetect.cluster([samples_dir])
        assert [(c.id, [m.id for m in c.members]) for c in result.clusters] == [
            (c.id, [m.id for m in c.members]) for c in expected.clusters
        ]
        by_pair = {frozenset((m.a, m.b)): m.kind for m in expected.matches}
        for document in idx.documents():
            for m in idx.query(document):
                if m.b != document.id and not m.weak:
                    assert by_pair.get(frozenset((document.id, m.b))) == m.kind


def test_a_file_that_is_not_an_index_is_refused(tmp_path):
    text_file = tmp_path / "notes.ddx"
    text_file.write_text("hello")
    with pytest.raises(IndexCorruptError, match="not a dupdetect index"):
        Index(text_file)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(IndexCorruptError, match="not a dupdetect index"):
        Index(other)


def index_with_meta(path, key, value):
    """A new empty index whose meta `key` is then set to `value` behind its back."""
    Index(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    db.commit()
    db.close()
    return path


def test_a_newer_format_is_refused(tmp_path):
    path = index_with_meta(tmp_path / "new.ddx", "format_version", str(FORMAT_VERSION + 1))
    with pytest.raises(IndexMismatchError, match="upgrade dupdetect"):
        Index(path)


def test_other_signature_settings_are_refused(tmp_path):
    path = tmp_path / "x.ddx"
    Index(path).close()
    with pytest.raises(IndexMismatchError, match="num_perm"):
        Index(path, dupdetect.Settings().with_changes(sign={"num_perm": 64}))


def test_an_index_signed_by_an_older_version_is_refused(tmp_path):
    old_key = dupdetect.Settings().signature_key().replace("rare-stems", "all-stems")
    path = index_with_meta(tmp_path / "old.ddx", "signature_key", old_key)
    with pytest.raises(IndexMismatchError, match="rebuild the index"):
        Index(path)


def test_index_file_holds_no_pickle(tmp_path):
    path = tmp_path / "p.ddx"
    with Index(path) as idx:
        idx.add([Document("a", BODY)])
    wal = tmp_path / "p.ddx-wal"
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"\x80\x04\x95" not in raw and b"cdatasketch" not in raw


WRITER = """
import sys
from dupdetect.records import Document
from dupdetect import Index
path, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Index(path) as idx:
    body = "words and more words " * 20
    idx.add(Document(f"{prefix}{i}", f"Article {prefix} {i} {body} {i}") for i in range(n))
"""


def writer(path, prefix, n):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), prefix, str(n)])


def test_kill_9_mid_batch_keeps_every_committed_batch_and_a_rerun_completes(tmp_path):
    path = tmp_path / "k.ddx"
    Index(path).close()
    process = writer(path, "k", 20_000)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.5)
        with Index(path) as idx:
            if idx.stats()["documents"] >= 1000:
                break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with Index(path) as idx:
        assert idx.check() == []
        stored = idx.stats()["documents"]
        assert stored >= 1000 and stored % 500 == 0  # whole batches only
    assert writer(path, "k", 20_000).wait() == 0
    with Index(path) as idx:
        assert idx.stats()["documents"] == 20_000 and idx.check() == []


def test_two_writers_at_once_lose_nothing_and_a_reader_sees_committed_state(tmp_path):
    path = tmp_path / "c.ddx"
    Index(path).close()
    first, second = writer(path, "a", 3000), writer(path, "b", 3000)
    seen = []
    while first.poll() is None or second.poll() is None:
        with Index(path) as idx:
            n = idx.stats()["documents"]
            assert n % 500 == 0  # a reader only ever sees whole batches
            seen.append(n)
        time.sleep(0.2)
    assert first.returncode == 0 and second.returncode == 0
    with Index(path) as idx:
        assert idx.stats()["documents"] == 6000 and idx.check() == []
        assert idx.get("a2999") is not None and idx.get("b2999") is not None


def test_cli_index_commands(runner, tmp_path, samples_dir):
    from dupdetect.cli import cli

    path = str(tmp_path / "cli.ddx")
    added = runner.invoke(cli, ["index", "--index", path, "add", str(samples_dir), "-q"])
    assert added.exit_code == 0 and "48 added" in added.stderr
    seed = samples_dir / "seeds" / "001_782aac65340ab6e4.txt"
    queried = runner.invoke(cli, ["index", "--index", path, "query", str(seed)])
    row = json.loads(queried.stdout)
    assert row["id"] == str(seed)
    # the indexed document with the query's own id and text is the query itself: left out
    assert [(m["id"], m["kind"]) for m in row["matches"]][:1] == [
        (str(samples_dir / "seeds" / "000_21f4553dbd84879f.txt"), "rewrite"),
    ]
    clustered = runner.invoke(cli, ["index", "--index", path, "cluster"])
    assert len(clustered.stdout.splitlines()) == 48
    stats = json.loads(runner.invoke(cli, ["index", "--index", path, "stats"]).stdout)
    assert stats["documents"] == 48 and stats["problems"] == []
    missing = runner.invoke(cli, ["index", "--index", str(tmp_path / "none.ddx"), "stats"])
    assert missing.exit_code == 1 and "no such index" in missing.stderr


def test_daily_folders_keep_their_articles_apart_and_replacements_are_reported(
    runner, tmp_path, monkeypatch
):
    from dupdetect.cli import cli

    for day, extra in (("day1", ""), ("day2", " Updated with a quote from the mayor.")):
        (tmp_path / day).mkdir()
        (tmp_path / day / "article.txt").write_text(BODY + extra)
    path = str(tmp_path / "news.ddx")
    monkeypatch.chdir(tmp_path)
    runner.invoke(cli, ["index", "add", "day1", "--index", path, "-q"])
    queried = runner.invoke(cli, ["index", "query", "day2", "--index", path])
    (row,) = map(json.loads, queried.stdout.splitlines())
    assert [m["id"] for m in row["matches"]] == ["day1/article.txt"]
    runner.invoke(cli, ["index", "add", "day2", "--index", path, "-q"])
    again = runner.invoke(cli, ["index", "add", "day2", "--index", path, "-q"])
    assert "replaced day2/article.txt (was day2/article.txt, now day2/article.txt)" in again.stderr
    listed = runner.invoke(cli, ["index", "list", "--index", path])
    assert [json.loads(r)["id"] for r in listed.stdout.splitlines()] == [
        "day1/article.txt",
        "day2/article.txt",
    ]


def test_index_option_works_after_the_subcommand_and_help_needs_none(runner, tmp_path):
    from dupdetect.cli import cli

    for command in ("add", "query", "cluster", "stats", "list", "remove"):
        result = runner.invoke(cli, ["index", command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.stdout, command
    missing = runner.invoke(cli, ["index", "stats"])
    assert missing.exit_code == 2 and "Missing option '--index'" in missing.stderr


def test_remove_takes_documents_out_of_the_index(runner, tmp_path):
    from dupdetect.cli import cli

    path = str(tmp_path / "r.ddx")
    with Index(path) as idx:
        idx.add([Document("keep", BODY), Document("drop", BODY + " Extra words here today.")])
    removed = runner.invoke(cli, ["index", "remove", "drop", "nope", "--index", path])
    assert removed.exit_code == 0 and "not in the index: nope" in removed.stderr
    with Index(path) as idx:
        assert [m.b for m in idx.query(Document("q", BODY))] == ["keep"]


def test_a_damaged_index_gives_one_line_and_stats_exits_1(runner, tmp_path):
    from dupdetect.cli import cli

    path = tmp_path / "d.ddx"
    with Index(path) as idx:
        idx.add(docs(300))
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 7] = os.urandom(4096 * 4)
    path.write_bytes(bytes(data))
    for command in (["stats"], ["query", "-"], ["cluster"]):
        result = runner.invoke(cli, ["index", *command, "--index", str(path)], input="")
        assert result.exit_code == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr and "d.ddx" in result.stderr + result.stdout


def test_stats_exits_1_when_it_finds_a_problem(runner, tmp_path):
    from dupdetect.cli import cli

    path = tmp_path / "p.ddx"
    with Index(path) as idx:
        idx.add(docs(3))
    db = sqlite3.connect(path)
    db.execute("DELETE FROM signatures WHERE doc_id = 'd1' AND view = 'rewrite'")
    db.commit()
    db.close()
    result = runner.invoke(cli, ["index", "stats", "--index", str(path)])
    assert result.exit_code == 1 and "has 1 signatures, expected 2" in result.stdout


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path):
    other = tmp_path / "app.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(IndexCorruptError):
        Index(other)
    assert sqlite3.connect(other).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(IndexCorruptError):
        Index(empty, create=False)


def test_an_index_finds_the_copy_of_a_chinese_article(tmp_path):
    from test_features import ZH  # noqa: PLC0415  (a report written there)

    with Index(tmp_path / "zh.ddx") as idx:
        idx.add([Document("zh", ZH), *docs(5)])
        page = Document("page", "新闻网\n首页 | 国际 | 财经\n\n" + ZH + "\n\n分享本文。")
        assert [(m.b, m.kind) for m in idx.query(page)] == [("zh", "near-verbatim")]
