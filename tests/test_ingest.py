from pathlib import Path

import pytest

from dupdetect.errors import InputError
from dupdetect.ingest import read
from dupdetect.records import SkipLog
from dupdetect.settings import IngestSettings


def read_all(*inputs):
    skip = SkipLog()
    return list(read(inputs, IngestSettings(), skip)), skip.items


def test_file_ids_are_relative_to_the_folder_and_readmes_are_passed_over(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("one article")
    (tmp_path / "two.md").write_text("two article")
    (tmp_path / "README.md").write_text("about this folder")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    documents, skipped = read_all(tmp_path)
    assert [d.id for d in documents] == ["a/one.txt", "two.md"]
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
    assert reasons["3"] == "expected a JSON object, got list"
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
