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
