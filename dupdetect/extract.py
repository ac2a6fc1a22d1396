"""HTML pages → article text and metadata (title, date, site, URL) with trafilatura.

Plain-text documents pass through unchanged. trafilatura returning no text is an expected
outcome ("no main text extracted"), reported as a skip, not an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

import trafilatura

from . import dates
from .records import Document

log = logging.getLogger("dupdetect")


def extract(document: Document) -> Document | None:
    """Return `document` with its page replaced by the extracted text, or None if there is none.

    Metadata already on the document (from a JSONL record, say) wins over what the page says,
    except a crawler's date: when the page was fetched is no publication date. The page's date
    is taken from its publication metadata (URL, meta tags, JSON-LD, time elements); only when
    it has none is a date looked for in its text, and that one is marked a guess (htmldate's
    search of the text falls back to a copyright year: "© 2019" would beat a real page's
    ``article:published_time``).
    """
    if document.html is None:
        return document
    try:
        found = trafilatura.bare_extraction(
            document.html,
            url=document.url,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura raises many kinds on broken markup
        log.debug("trafilatura failed on %s: %r", document.source, error)
        found = None
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():
        return None
    date, source = document.date, document.date_source
    if date is None or source == "crawl":
        page_date = dates.parse(getattr(found, "date", None))
        if page_date is not None:
            date, source = page_date, "metadata"
        elif date is None and (guessed := _guessed_date(document.html)) is not None:
            date, source = guessed, "page text"
    return replace(
        document,
        text=text,
        html=None,
        title=document.title or getattr(found, "title", None),
        url=document.url or getattr(found, "url", None),
        site=document.site or getattr(found, "sitename", None) or getattr(found, "hostname", None),
        date=date,
        date_source=source,
    )


def _guessed_date(html: str | bytes) -> str | None:
    """A date found in the page's text by htmldate's extensive search (a guess)."""
    try:
        from htmldate import find_date

        return dates.parse(find_date(html, extensive_search=True, original_date=True))
    except Exception:  # htmldate, like trafilatura, raises many kinds on broken markup
        return None


def is_link_list(html: str | bytes, min_words: int) -> bool:
    """Whether a page is a list of links (a section front, headlines), not an article.

    Two opinions of trafilatura's own: readability finds no article in it, and a precise
    extraction keeps fewer than `min_words` words. Either alone misjudges real pages (6 of the
    181 pages of the pages dev set are not "readerable"; their precise extractions keep 65 words
    and more); a section page of 18 headlines keeps 2.
    """
    from trafilatura.readability_lxml import is_probably_readerable

    try:
        if is_probably_readerable(html):
            return False
        precise = trafilatura.bare_extraction(html, favor_precision=True, include_tables=True)
    except Exception:  # trafilatura raises many kinds on broken markup
        return False
    return len((getattr(precise, "text", None) or "").split()) < min_words


def extract_all(
    documents: Iterable[Document], skip: Callable[[str, str], None]
) -> Iterator[Document]:
    """Extract every page in `documents`; report pages without main text to `skip`."""
    for document in documents:
        extracted = extract(document)
        if extracted is None:
            skip(document.source, "no main text extracted from the page")
        else:
            yield extracted
