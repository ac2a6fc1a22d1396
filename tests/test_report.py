import csv
import io
import json

import dupdetect
from dupdetect import html_report, report

TEXT = "The council voted on Thursday to build a new bridge over the river by next year. " * 3


def result():
    return dupdetect.cluster(
        [
            dupdetect.Document("a", TEXT, title="Bridge vote", url="https://a.example/1"),
            dupdetect.Document("b", TEXT),
            dupdetect.Document("c", "Something else entirely, about trains and timetables. " * 3),
        ]
    )


def test_jsonl_has_one_row_per_document_with_the_required_fields():
    out = io.StringIO()
    report.write_jsonl(result(), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["cluster"] == rows[1]["cluster"] is not None and rows[2]["cluster"] is None
    assert (rows[0]["role"], rows[1]["role"], rows[1]["kind"], rows[1]["score"]) == (
        "original",
        "copy",
        "exact",
        1.0,
    )
    assert rows[0]["title"] == "Bridge vote" and rows[0]["url"] == "https://a.example/1"


def test_csv_has_the_same_columns():
    out = io.StringIO()
    report.write_csv(result(), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == report.COLUMNS and rows[1]["kind"] == "exact"


def test_table_lists_counts_then_clusters():
    out = io.StringIO()
    report.write_table(result(), out)
    text = out.getvalue()
    assert text.startswith("3 documents, 1 clusters, 1 copies (1 exact), 0 skipped")
    assert "cluster 1: 2 documents, original a" in text and "exact 1.00" in text


HOSTILE = {
    "title": "<img src=x onerror=\"document.body.setAttribute('data-pwned','title')\">",
    "url": "javascript:document.body.setAttribute('data-pwned','url')",
    "text": "<script>document.body.setAttribute('data-pwned','text')</script> " + TEXT,
}


def hostile_result():
    documents = [
        dupdetect.Document("<b>a</b>", HOSTILE["text"], title=HOSTILE["title"], url=HOSTILE["url"]),
        dupdetect.Document("b", HOSTILE["text"] + " And one more sentence here.", site="<i>x</i>"),
    ]
    return dupdetect.cluster(documents, with_evidence=True)


def test_html_escapes_everything_scraped_and_links_only_http():
    out = io.StringIO()
    html_report.write_html(hostile_result(), out)
    page = out.getvalue()
    assert "<script>document" not in page and "<img src=x" not in page
    assert "<b>a</b>" not in page and "<i>x</i>" not in page
    assert 'href="javascript:' not in page
    assert "&lt;img src=x onerror=" in page and "Content-Security-Policy" in page
    assert page.count("<script>") == 1  # the report's own filter script


def test_html_lists_clusters_with_side_by_side_passages():
    out = io.StringIO()
    html_report.write_html(hostile_result(), out)
    page = out.getvalue()
    assert 'class="cluster" data-kinds="near-verbatim"' in page
    assert '<div class="pair">' in page and "<mark>" in page


def test_shared_words_are_marked_and_adjacent_chinese_characters_in_one_mark():
    shared = frozenset({"基", "金", "fund", "tci"})
    assert html_report._highlight("The fund TCI said", shared) == (
        "The <mark>fund</mark> <mark>TCI</mark> said"
    )
    assert html_report._highlight("该基金TCI表示", shared) == "该<mark>基金TCI</mark>表示"
