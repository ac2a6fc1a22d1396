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

    Metadata already on the document (from a JSONL record, say) wins over what the page says.
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
        )
    except Exception as error:  # trafilatura raises many kinds on broken markup
        log.debug("trafilatura failed on %s: %r", document.source, error)
        found = None
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():
        return None
    return replace(
        document,
        text=text,
        html=None,
        title=document.title or getattr(found, "title", None),
        url=document.url or getattr(found, "url", None),
        site=document.site or getattr(found, "sitename", None) or getattr(found, "hostname", None),
        date=document.date or dates.parse(getattr(found, "date", None)),
    )


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
