"""Paths, folders, JSONL/CSV exports and stdin → `Document` records; bad records → skips.

What a file holds is decided by its name: ``.html``/``.htm`` are pages (extracted later),
``.txt``/``.md`` are plain text, ``.jsonl``/``.ndjson``/``.json`` and ``.csv`` hold one document
per record, and ``.warc``/``.warc.gz`` crawl files hold pages. ``-`` reads JSONL from stdin.
Walking a folder passes over hidden files and README/LICENSE files, which describe the folder
rather than hold an article. A record or file that cannot be used is reported to `skip` with
where it is (``file:line``) and why, and reading goes on.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from . import dates
from .errors import InputError
from .records import Document
from .settings import IngestSettings

Skip = Callable[[str, str], None]
Input = str | os.PathLike[str] | Document  # what `read` takes: a path, "-" (stdin) or a document

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".md", ".text")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv",)
WARC_SUFFIXES = (".warc", ".warc.gz")
SUPPORTED = PAGE_SUFFIXES + TEXT_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES + WARC_SUFFIXES
HTML_TYPES = ("text/html", "application/xhtml+xml")


def read(
    inputs: Iterable[Input],
    settings: IngestSettings,
    skip: Skip,
) -> Iterator[Document]:
    """Yield the documents found in `inputs`, each id once.

    Args:
        inputs: file paths, folder paths (walked recursively, in name order), ``-`` for JSONL on
            stdin, or `Document` objects (passed through).
        settings: which record fields hold the id, text, html, url, title and date.
        skip: called with ``(source, reason)`` for every record that cannot be used.

    Raises:
        InputError: an input path does not exist.
    """
    seen: dict[str, str] = {}
    for item in inputs:
        for document in _read_one(item, settings, skip):
            if document.id in seen:
                skip(
                    document.source, f"duplicate id {document.id!r} (first at {seen[document.id]})"
                )
                continue
            seen[document.id] = document.source
            yield document


def _read_one(item: Input, settings: IngestSettings, skip: Skip) -> Iterator[Document]:
    if isinstance(item, Document):
        yield item
        return
    if str(item) == "-":
        yield from read_jsonl(sys.stdin, "<stdin>", settings, skip)
        return
    path = Path(item)
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            relative = file.relative_to(path)
            if any(part.startswith(".") for part in relative.parts) or _describes_folder(file):
                continue
            yield from read_file(file, relative.as_posix(), settings, skip, quiet=True)
    elif path.exists():
        yield from read_file(path, str(item), settings, skip, quiet=False)
    else:
        raise InputError(f"{item}: no such file or folder")


def _describes_folder(path: Path) -> bool:
    """Hidden files and a folder's README/LICENSE describe the folder; they are not articles."""
    return path.stem.upper() in ("README", "LICENSE", "LICENCE", "COPYING")


def read_file(
    path: Path, doc_id: str, settings: IngestSettings, skip: Skip, *, quiet: bool = False
) -> Iterator[Document]:
    """Yield the documents in one file; `doc_id` names a page or text file's document.

    With `quiet`, files of a type dupdetect does not read are passed over silently (a folder may
    hold images and stylesheets next to its pages); named directly, they are reported.
    """
    name = path.name.lower()
    if not name.endswith(SUPPORTED):
        if not quiet:
            skip(str(path), f"unsupported file type (dupdetect reads {', '.join(SUPPORTED)})")
        return
    if name.endswith(WARC_SUFFIXES):
        yield from read_warc(path, skip)
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        skip(str(path), f"cannot read file ({error.strerror or error})")
        return
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        skip(str(path), "binary file, not text")
        return
    if name.endswith(PAGE_SUFFIXES):
        yield Document(id=doc_id, text="", html=data, source=str(path))
        return
    text = decode(data)
    if name.endswith(TEXT_SUFFIXES):
        if text.strip():
            yield Document(id=doc_id, text=text, source=str(path))
        else:
            skip(str(path), "empty file")
    elif name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(io.StringIO(text), str(path), settings, skip)
    else:
        yield from read_csv(io.StringIO(text, newline=""), str(path), settings, skip)


def read_warc(path: Path, skip: Skip) -> Iterator[Document]:
    """Yield the HTML responses of a WARC file as pages (extracted later).

    id = WARC-Record-ID, url = WARC-Target-URI, date = WARC-Date. Other records (requests,
    metadata, non-HTML responses) are passed over and counted in one line per file.

    Why FastWARC: reading the same 1,820-record WARC took 0.58 s with it and 1.18 s with warcio;
    both are small next to extraction, but a crawl deduplicated from pre-extracted text feels it.
    """
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        skip(str(path), "reading WARC needs FastWARC: pip install 'dupdetect[warc]'")
        return
    passed_over = 0
    count = 0
    try:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle, parse_http=True):
                count += 1
                if record.record_type != WarcRecordType.response or record.http_headers is None:
                    passed_over += 1
                    continue
                content_type = (record.http_headers.get("Content-Type") or "").lower()
                if not content_type.startswith(HTML_TYPES):
                    passed_over += 1
                    continue
                headers = record.headers
                yield Document(
                    id=headers.get("WARC-Record-ID") or f"{path}#{count}",
                    text="",
                    html=record.reader.read(),
                    url=headers.get("WARC-Target-URI"),
                    date=(headers.get("WARC-Date") or "")[:10] or None,
                    source=f"{path}#{count}",
                )
    except Exception as error:  # FastWARC raises several kinds on truncated or corrupt files
        skip(
            f"{path}#{count}",
            f"unreadable WARC after {count} records ({error or type(error).__name__})",
        )
    if passed_over:
        skip(str(path), f"{passed_over} WARC record(s) that are not HTML responses passed over")


def decode(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM, or UTF-16 with BOM), else Windows-1252.

    Example:
        >>> decode("café".encode("cp1252"))
        'café'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_jsonl(
    handle: IO[str], name: str, settings: IngestSettings, skip: Skip
) -> Iterator[Document]:
    """Yield one document per JSON object line of `handle`; blank lines are ignored."""
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        source = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            skip(source, f"invalid JSON ({error.msg} at column {error.colno})")
            continue
        if not isinstance(record, dict):
            skip(source, f"expected a JSON object, got {type(record).__name__}")
            continue
        document = from_record(record, source, settings, skip)
        if document is not None:
            yield document


def read_csv(
    handle: IO[str], name: str, settings: IngestSettings, skip: Skip
) -> Iterator[Document]:
    """Yield one document per row of a CSV file with a header row."""
    csv.field_size_limit(1 << 30)
    reader = csv.DictReader(handle)
    try:
        for row in reader:
            source = f"{name}:{reader.line_num}"
            document = from_record(
                {k: v for k, v in row.items() if k is not None}, source, settings, skip
            )
            if document is not None:
                yield document
    except csv.Error as error:
        skip(f"{name}:{reader.line_num}", f"invalid CSV ({error}); rest of file not read")


def from_record(
    record: dict[str, Any], source: str, settings: IngestSettings, skip: Skip
) -> Document | None:
    """Build a document from one JSONL/CSV record, or report why it cannot be one."""

    def field(name: str) -> str | None:
        value = record.get(name)
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else str(value)

    text, html = field(settings.text_field), field(settings.html_field)
    if text is None and html is None:
        fields = ", ".join(sorted(record)) or "none"
        skip(
            source,
            f'record has no "{settings.text_field}" or "{settings.html_field}" field '
            f"(fields: {fields}); use --text-field or --html-field",
        )
        return None
    doc_id = field(settings.id_field) or source
    return Document(
        id=doc_id,
        text=text or "",
        html=None if text is not None else html,
        title=field(settings.title_field),
        url=field(settings.url_field),
        date=dates.parse(field(settings.date_field)),
        source=source,
    )
