import json

from dupdetect.extract import extract
from dupdetect.records import Document


def test_page_text_and_metadata_are_extracted_without_furniture(data_dir):
    page = (data_dir / "news_page.html").read_bytes()
    document = extract(Document(id="p", text="", html=page, source="news_page.html"))
    assert document is not None
    assert "seven to two" in document.text
    assert "Cheap flights" not in document.text and "waste of money" not in document.text
    assert document.title == "City council approves new riverside park"
    assert document.date == "2024-03-02"
    assert document.site == "Riverton Gazette"
    assert document.url == "https://gazette.example/news/riverside-park"


def test_page_without_main_text_gives_none(data_dir):
    page = (data_dir / "fragment.html").read_bytes()
    assert extract(Document(id="f", text="", html=page)) is None


def test_plain_text_passes_through():
    document = Document(id="t", text="plain")
    assert extract(document) is document


ARTICLE = (
    "<p>The Riverton council voted seven to two on Thursday to turn the disused rail yard beside "
    "the river into a public park. The plan will cost an estimated 14 million dollars and "
    "includes a playground and a rowing club boathouse.</p><p>Councillor Maria Okonjo said the "
    "vote was a victory for families who had nowhere to go, and opponents said the land should "
    "have gone to housing developers instead of becoming another park.</p>"
)


def page(head, body):
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def test_publication_metadata_beats_a_copyright_year_in_a_copycat_page(runner, tmp_path):
    from dupdetect.cli import cli

    real = '<meta property="article:published_time" content="2025-03-01T09:00:00Z">'
    (tmp_path / "real.html").write_text(page(real + "<title>Park vote</title>", ARTICLE))
    (tmp_path / "copycat.html").write_text(
        page("<title>Park vote</title>", ARTICLE + "<footer><p>© 2019 Copycat News</p></footer>")
    )
    result = runner.invoke(cli, ["cluster", str(tmp_path), "-q"], catch_exceptions=False)
    rows = {r["id"].rsplit("/", 1)[1]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["real.html"]["role"] == "original"
    assert rows["real.html"]["date_source"] == "metadata"


def test_a_page_of_links_is_no_article(runner, tmp_path):
    from dupdetect.cli import cli

    links = "".join(
        f'<li><a href="/n{i}">Headline number {i} about the economy and politics today</a></li>'
        for i in range(18)
    )
    for day in ("monday", "tuesday"):
        (tmp_path / f"{day}.html").write_text(
            f"<html><head><title>Latest news</title></head><body><h1>Latest</h1><ul>{links}</ul>"
            "</body></html>"
        )
    result = runner.invoke(cli, ["cluster", str(tmp_path), "-q"])
    assert result.stderr.count("a page of links, not an article") == 2


def test_record_dates_in_common_formats_name_the_original(runner):
    from dupdetect.cli import cli

    text = "The council voted on Thursday to build a new bridge over the river. " * 3
    records = [
        {"id": "iso", "date": "2005-03-08T10:00", "text": text},
        {"id": "rfc", "date": "Tue, 01 Mar 2005 10:00:00 +0000", "text": text},
        {"id": "us", "date": "03/20/2005", "text": text},
    ]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    result = runner.invoke(cli, ["cluster", "-", "-q"], input=lines, catch_exceptions=False)
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["rfc"]["role"] == "original" and rows["rfc"]["date"] == "2005-03-01T10:00:00"
    assert rows["us"]["date"] == "2005-03-20" and rows["us"]["date_source"] == "record"
