"""WARC crawl files as input: HTML responses become documents, the rest is counted."""

import io

import pytest

from dupdetect.cli import cli

# warcio's writer leaves temporary files for the garbage collector; not our concern here.
pytestmark = pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
warcio = pytest.importorskip("warcio")
pytest.importorskip("fastwarc")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402


def write_warc(path, data_dir, gzip=True):
    page = (data_dir / "news_page.html").read_bytes()
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for n, (uri, body, kind) in enumerate(
            [
                ("https://gazette.example/park", page, "text/html; charset=utf-8"),
                ("https://mirror.example/park-copy", page, "text/html"),
                ("https://gazette.example/robots.txt", b"User-agent: *", "text/plain"),
            ]
        ):
            http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http
            )
            writer.write_record(record)
            if n == 0:
                request = writer.create_warc_record(
                    uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
                )
                writer.write_record(request)


@pytest.mark.parametrize("name,gzip", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_html_responses_become_documents_and_the_rest_is_counted(
    runner, tmp_path, data_dir, name, gzip
):
    import json

    write_warc(tmp_path / name, data_dir, gzip)
    result = runner.invoke(cli, ["cluster", str(tmp_path / name), "-q"], catch_exceptions=False)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in rows] == [
        "https://gazette.example/park",
        "https://mirror.example/park-copy",
    ]
    assert all(r["id"].startswith("<urn:uuid:") for r in rows)
    assert sorted(str(r["kind"]) for r in rows) == ["None", "exact"]
    assert rows[0]["title"] == "City council approves new riverside park"
    assert "2 WARC record(s) that are not HTML responses passed over" in result.stderr


def test_truncated_warc_is_reported_and_the_run_goes_on(runner, tmp_path, data_dir):
    write_warc(tmp_path / "full.warc.gz", data_dir)
    data = (tmp_path / "full.warc.gz").read_bytes()
    (tmp_path / "truncated.warc.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "other.txt").write_text("An unrelated plain text article about the weather. " * 5)
    result = runner.invoke(
        cli, ["cluster", str(tmp_path / "truncated.warc.gz"), str(tmp_path / "other.txt"), "-q"]
    )
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    assert "other.txt" in result.stdout


def test_a_truncated_warc_gz_is_reported_not_read_silently(tmp_path):
    from dupdetect.ingest import read
    from dupdetect.records import SkipLog
    from dupdetect.settings import IngestSettings

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for n in range(20):
        body = f"<html><body><p>Page {n} " + "words of the article " * 40 + "</p></body></html>"
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(
            writer.create_warc_record(
                f"https://x.test/{n}", "response", payload=io.BytesIO(body.encode()),
                http_headers=http,
            )
        )  # fmt: skip
    data = buffer.getvalue()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) // 2])
    skip = SkipLog()
    documents = list(read([path], IngestSettings(), skip))
    assert 0 < len(documents) < 20
    assert any("ends early" in s.reason or "cut short" in s.reason for s in skip.items)


def test_common_crawl_wet_text_records_become_text_documents(runner, tmp_path, data_dir):
    # WET files hold each crawled page's text, extracted (WARC conversion records), one gzip
    # member per record; written by hand here (warcio's writer leaves temporary files behind).
    import gzip
    import json

    text = (data_dir / "news_page.html").read_text()
    story = (text.split("<p>", 1)[1].split("</p>", 1)[0] + " ") * 6  # a page's text
    path = tmp_path / "CC-MAIN-00000.warc.wet.gz"
    with open(path, "wb") as handle:
        for n, uri in enumerate(("https://gazette.example/park", "https://mirror.example/park")):
            body = story.encode()
            head = (
                f"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: {uri}\r\n"
                f"WARC-Date: 2020-01-0{n + 1}T00:00:00Z\r\n"
                f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000{n}>\r\n"
                f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            handle.write(gzip.compress(head.encode() + body + b"\r\n\r\n"))
    result = runner.invoke(cli, ["cluster", str(path), "-q"], catch_exceptions=False)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in rows] == [
        "https://gazette.example/park",
        "https://mirror.example/park",
    ]
    assert sorted(str(r["kind"]) for r in rows) == ["None", "exact"]
    assert result.stderr.strip().endswith("0 skipped")
