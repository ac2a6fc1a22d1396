import bz2
import gzip
import json
import lzma
from pathlib import Path

import pytest

from dupdetect.errors import InputError
from dupdetect.ingest import read
from dupdetect.records import SkipLog
from dupdetect.settings import IngestSettings


def read_all(*inputs):
    skip = SkipLog()
    return list(read(inputs, IngestSettings(), skip)), skip.items


def test_file_ids_are_their_paths_as_given_and_readmes_are_passed_over(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("one article")
    (tmp_path / "two.md").write_text("two article")
    (tmp_path / "README.md").write_text("about this folder")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    documents, skipped = read_all(tmp_path)
    assert [d.id for d in documents] == [f"{tmp_path}/a/one.txt", f"{tmp_path}/two.md"]
    assert skipped == []


def test_a_file_named_directly_keeps_its_path_as_id(data_dir):
    documents, _ = read_all(data_dir / "latin1.txt")
    assert documents[0].id == str(data_dir / "latin1.txt")
    assert documents[0].text.startswith("Le café du coin")  # decoded from Windows-1252


def test_bad_jsonl_lines_are_skipped_with_line_numbers_and_reasons(data_dir):
    documents, skipped = read_all(data_dir / "bad.jsonl")
    assert [d.id for d in documents] == ["ok-1"]
    reasons = {s.source.rsplit(":", 1)[1]: s.reason for s in skipped}
    assert reasons["2"].startswith("invalid JSON")
    assert reasons["3"] == "expected a JSON object, got a list"
    assert (
        '"text"' in reasons["4"]
        and "fields: body, id" in reasons["4"]
        and "--text-field" in reasons["4"]
    )


def test_csv_rows_without_text_are_skipped(data_dir):
    documents, skipped = read_all(data_dir / "no_text.csv")
    assert documents == []
    assert [s.source for s in skipped] == [
        f"{data_dir / 'no_text.csv'}:2",
        f"{data_dir / 'no_text.csv'}:3",
    ]


def test_binary_file_is_skipped_not_decoded(data_dir):
    documents, skipped = read_all(data_dir / "binary.txt")
    assert documents == [] and skipped[0].reason == "binary file, not text"


def test_html_pages_are_left_for_extraction(data_dir):
    documents, _ = read_all(data_dir / "news_page.html")
    assert documents[0].html is not None and documents[0].text == ""


def test_duplicate_ids_keep_the_first(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "x", "text": "first"}\n{"id": "x", "text": "second"}\n')
    documents, skipped = read_all(path)
    assert [d.text for d in documents] == ["first"]
    assert "duplicate id 'x'" in skipped[0].reason


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_all(tmp_path / "nope")


def test_records_use_configured_field_names(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"key": "k1", "body": "words here", "link": "https://x.example/a"}\n')
    skip = SkipLog()
    settings = IngestSettings(id_field="key", text_field="body", url_field="link")
    (document,) = read([path], settings, skip)
    assert (document.id, document.text, document.url) == ("k1", "words here", "https://x.example/a")


def test_unreadable_file_is_skipped(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        documents, skipped = read_all(path)
        if Path(path).stat().st_mode and documents:  # root can read anything
            pytest.skip("running as root: permissions are not enforced")
        assert skipped[0].reason.startswith("cannot read file")
    finally:
        path.chmod(0o644)


def read_bytes(tmp_path, name, data, **settings):
    path = tmp_path / name
    path.write_bytes(data)
    skip = SkipLog()
    return list(read([path], IngestSettings(**settings), skip)), skip.items


def test_a_lone_surrogate_skips_its_record_and_the_others_are_read(tmp_path):
    lines = b'{"id": "a", "text": "good one"}\n{"id": "b", "text": "bad \\ud800"}\n'
    documents, skipped = read_bytes(tmp_path, "s.jsonl", lines + b'{"id": "c", "text": "ok"}\n')
    assert [d.id for d in documents] == ["a", "c"]
    assert skipped[0].source.endswith("s.jsonl:2") and "U+D800" in skipped[0].reason


def test_one_latin1_line_is_decoded_alone_and_named(tmp_path):
    data = (
        '{"id": "a", "text": "Café in Zürich"}\n'.encode()
        + '{"id": "b", "text": "Naïve résumé"}\n'.encode("latin-1")
        + '{"id": "c", "text": "Ça va — 10 €"}\n'.encode()
    )
    documents, skipped = read_bytes(tmp_path, "mixed.jsonl", data)
    assert [d.text for d in documents] == ["Café in Zürich", "Naïve résumé", "Ça va — 10 €"]
    assert [s.source.rsplit(":", 1)[1] for s in skipped] == ["2"]
    assert "Windows-1252" in skipped[0].reason


def test_an_unclosed_csv_quote_skips_its_row_and_the_rest_is_read(tmp_path):
    data = b'id,text\nr1,"never closed\nr2,second row\nr3,third row\n'
    documents, skipped = read_bytes(tmp_path, "q.csv", data)
    assert [d.id for d in documents] == ["r2", "r3"]
    assert skipped[0].source.endswith("q.csv:2") and "never closed" in skipped[0].reason


@pytest.mark.parametrize("name, delimiter", [("s.csv", ";"), ("t.tsv", "\t"), ("c.csv", ",")])
def test_a_csv_header_sets_the_delimiter(tmp_path, name, delimiter):
    # Spreadsheets in many locales export with semicolons; a text with commas stays one cell.
    rows = ["id", "text"], ["r1", '"Prices rose, then fell"'], ["r2", '"a; b, c"']
    data = "\n".join(delimiter.join(row) for row in rows).encode() + b"\n"
    documents, skipped = read_bytes(tmp_path, name, data)
    assert skipped == []
    texts = ["Prices rose, then fell", "a; b, c"]
    assert [(d.id, d.text) for d in documents] == [("r1", texts[0]), ("r2", texts[1])]


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress), (".bz2", bz2.compress),
                                              (".xz", lzma.compress)])  # fmt: skip
def test_compressed_exports_are_read(tmp_path, suffix, compress):
    lines = b"".join(b'{"id": "r%d", "text": "record %d"}\n' % (n, n) for n in range(2000))
    documents, skipped = read_bytes(tmp_path, "e.jsonl" + suffix, compress(lines))
    assert len(documents) == 2000 and skipped == []


def test_a_compressed_export_cut_short_keeps_the_records_before_the_cut(tmp_path):
    lines = b"".join(b'{"id": "r%d", "text": "record %d"}\n' % (n, n) for n in range(2000))
    whole = gzip.compress(lines)
    documents, skipped = read_bytes(tmp_path, "cut.jsonl.gz", whole[: len(whole) * 2 // 3])
    assert 0 < len(documents) < 2000
    assert [d.id for d in documents] == [f"r{n}" for n in range(len(documents))]
    assert skipped[-1].reason.startswith("reading stopped: Compressed file ended")


def test_a_compressed_file_of_another_kind_is_unsupported(tmp_path):
    documents, skipped = read_bytes(tmp_path, "image.png.gz", gzip.compress(b"\x89PNG"))
    assert documents == [] and "unsupported file type" in skipped[0].reason


def test_a_csv_row_with_more_cells_than_the_header_is_reported(tmp_path):
    documents, skipped = read_bytes(tmp_path, "x.csv", b"id,text\nr1,one,EXTRA\nr2,two\n")
    assert [d.id for d in documents] == ["r2"]
    assert "row has 3 fields, the header has 2" in skipped[0].reason


@pytest.mark.parametrize(
    "value, named",
    [("12345", "a number (12345)"), ('["a", "b"]', "a list"), ('{"b": 1}', "an object"),
     ("true", "a boolean (true)")],
)  # fmt: skip
def test_a_field_of_the_wrong_type_is_reported_not_turned_into_text(tmp_path, value, named):
    data = f'{{"id": "a", "text": {value}}}\n{{"id": 7, "text": "numeric id"}}\n'.encode()
    documents, skipped = read_bytes(tmp_path, "t.jsonl", data)
    assert documents == []
    assert skipped[0].reason == f'field "text" is {named}, expected a string'
    assert skipped[1].reason == 'field "id" is a number (7), expected a string'


def test_an_empty_text_is_reported_as_empty_not_as_missing(tmp_path):
    data = b'{"id": "a", "text": ""}\n{"id": "b", "text": null}\n{"id": "c", "body": "x"}\n'
    documents, skipped = read_bytes(tmp_path, "e.jsonl", data)
    assert documents == []
    assert [s.reason for s in skipped[:2]] == ['field "text" is empty'] * 2
    assert skipped[2].reason.startswith('record has no "text" or "html" field (fields: body, id)')


def test_excluded_files_and_dupdetect_s_own_outputs_are_passed_over(tmp_path):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text("a draft")
    (tmp_path / "b.txt").write_text("an article")
    (tmp_path / "c.tmp.txt").write_text("a temporary file")
    (tmp_path / "report.html").write_text(
        '<html><head><meta name="generator" content="dupdetect 0.1.0"></head></html>'
    )
    (tmp_path / "clusters.csv").write_text("id,cluster,role,kind,score,original,reason\n")
    skip = SkipLog()
    settings = IngestSettings(exclude=("drafts", "*.tmp.txt"))
    documents = list(read([tmp_path], settings, skip))
    assert [d.id for d in documents] == [f"{tmp_path}/b.txt"]
    assert {s.reason for s in skip.items} == {
        "a dupdetect report, not an article",
        "a dupdetect output (clusters), not articles",
    }


@pytest.mark.parametrize("indent", [None, 2])
def test_a_json_array_export_is_read_record_by_record(tmp_path, indent):
    # Scrapy's and many tools' JSON exports: one array of objects, on one line or laid out.
    records = [{"id": f"r{n}", "text": f"record {n}"} for n in range(3)] + [["not", "an", "object"]]
    data = json.dumps(records, indent=indent).encode()
    documents, skipped = read_bytes(tmp_path, "export.json", data)
    assert [(d.id, d.text) for d in documents] == [(f"r{n}", f"record {n}") for n in range(3)]
    assert [s.reason for s in skipped] == ["expected a JSON object, got a list"]
    line = data.decode().splitlines().index("  [") + 1 if indent else 1
    assert skipped[0].source.endswith(f"export.json:{line}")


def test_a_json_array_cut_short_keeps_the_records_before_the_cut(tmp_path):
    data = b'[\n{"id": "a", "text": "first"},\n{"id": "b", "text": "second"},\n{"id": "c", "te'
    documents, skipped = read_bytes(tmp_path, "cut.json", data)
    assert [d.id for d in documents] == ["a", "b"]
    assert skipped[0].source.endswith("cut.json:4") and "invalid JSON" in skipped[0].reason
    documents, skipped = read_bytes(tmp_path, "open.json", data[: data.rindex(b"},") + 1])
    assert [d.id for d in documents] == ["a", "b"]
    assert "never closed" in skipped[0].reason


def test_line_numbers_hold_after_a_first_line_of_one_character(tmp_path):
    # The first two bytes are read apart (a UTF-16 mark?); a blank first line took the next
    # line with it, and every line number after was one short.
    documents, skipped = read_bytes(tmp_path, "b.jsonl", b'\n{"id": 5, "text": "x"}\n')
    assert documents == [] and skipped[0].source.endswith("b.jsonl:2")


def test_a_mirrors_pages_saved_without_html_suffix_are_read_as_pages(tmp_path):
    # wget and crawlers keep a page under its URL's last part; images and scripts stay unread.
    page = (Path(__file__).parent / "data" / "news_page.html").read_bytes()
    (tmp_path / "2019" / "05").mkdir(parents=True)
    (tmp_path / "story.php?id=5").write_bytes(page)
    (tmp_path / "2019" / "05" / "story").write_bytes(b"<!-- saved -->\n" + page)
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "app.js").write_text("document.write('<html>')")
    documents, skipped = read_all(tmp_path)
    assert sorted(Path(d.id).name for d in documents) == ["story", "story.php?id=5"]
    assert all(d.html for d in documents) and skipped == []
