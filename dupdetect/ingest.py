"""Paths, folders, JSONL/CSV exports and stdin → `Document` records; bad records → skips.

What a file holds is decided by its name: ``.html``/``.htm`` are pages (extracted later), as
is a file of another name that opens as a page does (a mirror's ``story.php?id=5``),
``.txt``/``.md`` are plain text, ``.jsonl``/``.ndjson``/``.json`` and ``.csv``/``.tsv`` hold one
document per record (a JSON array of records too; a CSV header's commas, semicolons or tabs
set its delimiter), and ``.warc``/``.warc.gz`` crawl files hold pages (``.wet`` files, texts).
Any of them but WARC may be compressed (``export.jsonl.gz``, ``.bz2``, ``.xz``), and is read as
a stream. ``-`` reads JSONL from stdin.

A record or file that cannot be used is reported to `skip` with where it is (``file:line``)
and why, and reading goes on; nothing is lost silently: a folder that cannot be read, a record
cut off by a truncated file (or a compressed one that breaks off), a CSV row with more cells
than the header, a field of the wrong type. JSONL and CSV are read a line at a time (a file of
any size streams), each line decoded on its own: UTF-8, else Windows-1252 for that line alone,
with a note naming it.

Walking a folder passes over hidden files, a folder's README/LICENSE, files matching
``exclude`` (ripgrep's globs), and dupdetect's own outputs (an HTML report, a clusters file),
so a report written into the folder by an earlier run is never read back as an article. A
document read from a file is named by its path as given (``day1/article.txt``), so files with
the same name in two folders never collide.
"""

from __future__ import annotations

import bz2
import csv
import fnmatch
import gzip
import itertools
import json
import lzma
import os
import re
import sys
from collections import deque
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
CSV_SUFFIXES = (".csv", ".tsv")
WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")  # WET: Common Crawl's extracted text
SUPPORTED = PAGE_SUFFIXES + TEXT_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES + WARC_SUFFIXES
# Any of them but WARC compressed (an export.jsonl.gz), read as a stream through its decompressor.
_COMPRESSED: dict[str, Callable[..., Any]] = {
    ".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open,
}  # fmt: skip
HTML_TYPES = ("text/html", "application/xhtml+xml")
# The columns dupdetect writes to a clusters file (report.COLUMNS): such a file holds no
# articles. Spelled here too, as ingest must not depend on the report stage.
OUTPUT_COLUMNS = {"id", "cluster", "role", "kind", "score", "original", "reason"}
_GENERATOR = re.compile(rb'<meta name="generator" content="dupdetect[ "]')
_SURROGATE = re.compile("[\ud800-\udfff]")


def read(inputs: Iterable[Input], settings: IngestSettings, skip: Skip) -> Iterator[Document]:
    """Yield the documents found in `inputs`, each id once.

    Args:
        inputs: file paths, folder paths (walked recursively, in name order), ``-`` for JSONL on
            stdin, or `Document` objects (passed through).
        settings: which record fields hold what, which files to pass over, an id prefix.
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
        yield from read_jsonl(sys.stdin.buffer, "<stdin>", settings, skip)
        return
    path = Path(item)
    if path.is_dir():
        for file in walk(path, settings.exclude, skip):  # id: the path as given (day1/a.txt)
            yield from read_file(file, settings.id_prefix + file.as_posix(), settings, skip, True)
    elif path.exists():
        yield from read_file(path, settings.id_prefix + str(item), settings, skip, quiet=False)
    else:
        raise InputError(f"{item}: no such file or folder")


def walk(folder: Path, exclude: Iterable[str], skip: Skip) -> Iterator[Path]:
    """The files under `folder` to read, in name order; a folder that cannot be read is reported.

    Passed over: hidden files and folders, a folder's README/LICENSE, and paths matching an
    `exclude` glob (a glob with no ``/`` matches a file or folder name at any depth, one with a
    ``/`` the path relative to `folder`, as ripgrep's ``--glob '!…'`` does).
    """
    patterns = list(exclude)

    def report(error: OSError) -> None:
        skip(str(error.filename or folder), f"cannot read folder ({error.strerror or error})")

    found = []
    for top, folders, files in os.walk(folder, onerror=report):
        relative = Path(top).relative_to(folder)
        folders[:] = [
            f for f in folders if not f.startswith(".") and not _excluded(relative / f, patterns)
        ]
        for name in files:
            path = Path(top) / name
            if name.startswith(".") or _describes_folder(path):
                continue
            if not _excluded(relative / name, patterns):
                found.append((relative / name, path))
    for _, path in sorted(found):  # name order, as a listing shows them
        if path.is_symlink() and not path.exists():
            skip(str(path), "broken symbolic link")
            continue
        yield path


def _excluded(relative: Path, patterns: list[str]) -> bool:
    text = relative.as_posix()
    for pattern in patterns:
        anchored = "/" in pattern.strip("/")
        target = text if anchored else relative.name
        if fnmatch.fnmatchcase(target, pattern.strip("/")):
            return True
    return False


def _describes_folder(path: Path) -> bool:
    """A folder's README/LICENSE describe the folder; they are not articles."""
    return path.stem.upper() in ("README", "LICENSE", "LICENCE", "COPYING")


def read_file(
    path: Path, doc_id: str, settings: IngestSettings, skip: Skip, quiet: bool = False
) -> Iterator[Document]:
    """Yield the documents in one file; `doc_id` names a page or text file's document.

    With `quiet`, files of a type dupdetect does not read are passed over silently (a folder may
    hold images and stylesheets next to its pages); named directly, they are reported.
    """
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        yield from read_warc(path, skip)
        return
    opener: Callable[..., Any] = open
    for suffix, decompressing in _COMPRESSED.items():
        if name.endswith(suffix):
            name, opener = name.removesuffix(suffix), decompressing
    if not name.endswith(SUPPORTED) or name.endswith(WARC_SUFFIXES):
        if opener is open and _holds_a_page(path):
            name = ".html"  # a mirror's page saved under its URL's name ("story.php?id=5")
        else:
            if not quiet:
                kinds = ", ".join(SUPPORTED)
                skip(str(path), f"unsupported file type (dupdetect reads {kinds}; .gz, .bz2, .xz)")
            return
    try:
        handle = opener(path, "rb")
    except OSError as error:
        skip(str(path), f"cannot read file ({error.strerror or error})")
        return
    try:
        with handle:
            head = handle.read(8192)
            if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
                skip(str(path), "binary file, not text")
                return
            handle.seek(0)
            if name.endswith(JSONL_SUFFIXES):
                yield from read_jsonl(handle, str(path), settings, skip)
                return
            if name.endswith(CSV_SUFFIXES):
                yield from read_csv(handle, str(path), settings, skip)
                return
            data = handle.read()
    except (OSError, EOFError, lzma.LZMAError) as error:  # a compressed file cut short or bad
        skip(str(path), f"reading stopped: {error} (the records before it were read)")
        return
    if name.endswith(PAGE_SUFFIXES):
        if _GENERATOR.search(data[:4096]):
            skip(str(path), "a dupdetect report, not an article")
        else:
            yield Document(id=doc_id, text="", html=data, source=str(path))
        return
    text = decode(data)
    if text.strip():
        yield Document(id=doc_id, text=text, source=str(path))
    else:
        skip(str(path), "empty file")


_PAGE_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b", re.I | re.S
)


def _holds_a_page(path: Path) -> bool:
    """Whether a file of no suffix dupdetect reads opens as an HTML page does.

    A site mirrored with wget or a crawler keeps each page under its URL's last part
    ("article.php?id=5", "2019/05/story"); images, scripts and stylesheets do not open so.
    """
    try:
        with open(path, "rb") as handle:
            return bool(_PAGE_START.match(handle.read(1024)))
    except OSError:
        return False


def read_warc(path: Path, skip: Skip) -> Iterator[Document]:
    """Yield the HTML responses of a WARC file as pages (extracted later), and its text records.

    id = WARC-Record-ID, url = WARC-Target-URI; the WARC-Date is when the page was crawled, kept
    as its date only when the page states none (`Document.date_source` ``crawl``). A conversion
    record (Common Crawl's WET files: each page's text, extracted) is a text document. Other
    records (requests, metadata, non-HTML responses) are passed over and counted in one line
    per file.
    A record cut short, or a compressed file that ends before its end, is reported: a truncated
    crawl file is the usual way pages go missing.

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
                text = record.record_type == WarcRecordType.conversion
                http = record.http_headers
                content = ((http and http.get("Content-Type")) or "").lower()
                html = record.record_type == WarcRecordType.response and content.startswith(
                    HTML_TYPES
                )
                if not (text or html):
                    passed_over += 1
                    continue
                headers = record.headers
                body = record.reader.read()
                if record.content_length and record.reader.tell() < _body_length(record):
                    skip(f"{path}#{count}", "WARC record cut short (the file is truncated)")
                    continue
                yield Document(
                    id=headers.get("WARC-Record-ID") or f"{path}#{count}",
                    text=decode(body) if text else "",
                    html=None if text else body,
                    url=headers.get("WARC-Target-URI"),
                    date=dates.parse(headers.get("WARC-Date")),
                    date_source="crawl",
                    source=f"{path}#{count}",
                )
    except Exception as error:  # FastWARC raises several kinds on truncated or corrupt files
        skip(
            f"{path}#{count}",
            f"unreadable WARC after {count} records ({error or type(error).__name__})",
        )
    if path.name.lower().endswith(".gz") and not _gzip_complete(path):
        skip(f"{path}#{count + 1}", f"compressed WARC file ends early ({count} records read)")
    if passed_over:
        skip(str(path), f"{passed_over} WARC record(s) that are not HTML responses passed over")


def _body_length(record: Any) -> int:
    """The bytes the record's HTTP body should have: its content length less the HTTP head."""
    return int(record.content_length) - int(getattr(record, "http_headers_length", 0) or 0)


def _gzip_complete(path: Path) -> bool:
    """Whether every gzip member of the file ends where gzip says it does."""
    import zlib

    with open(path, "rb") as handle:
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        while chunk := handle.read(1 << 20):
            while chunk:
                decompressor.decompress(chunk)
                chunk = decompressor.unused_data
                if chunk:  # the next member
                    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        return decompressor.eof


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


def _lines(handle: IO[bytes], name: str, skip: Skip) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of a byte stream, each line decoded on its own.

    A line that is not UTF-8 is read as Windows-1252, and said so: one Latin-1 line must not
    make a whole file decode as Windows-1252 (it garbles every UTF-8 line). A file with a
    UTF-16 byte order mark is decoded whole.
    """
    rest = handle.readline()
    if rest.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = decode(rest + handle.read())
        yield from enumerate(text.splitlines(keepends=True), 1)
        return
    number = 0
    while rest:
        number += 1
        line = rest.removeprefix(b"\xef\xbb\xbf") if number == 1 else rest
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError:
            skip(f"{name}:{number}", "not valid UTF-8; read as Windows-1252 (note, not skipped)")
            yield number, line.decode("cp1252", errors="replace")
        rest = handle.readline()


def read_jsonl(
    handle: IO[bytes], name: str, settings: IngestSettings, skip: Skip
) -> Iterator[Document]:
    """Yield one document per JSON object line of `handle`; blank lines are ignored.

    A file that opens with ``[`` holds one JSON array of objects, however laid out (Scrapy's
    and many tools' JSON exports): its objects are read one at a time (`_array_values`). A file
    whose first record has the columns of dupdetect's own clusters output is passed over as a
    whole.
    """
    for number, record in _json_values(_lines(handle, name, skip)):
        source = f"{name}:{number}"
        if isinstance(record, json.JSONDecodeError):
            skip(source, f"invalid JSON ({record.msg} at column {record.colno})")
            continue
        if not isinstance(record, dict):
            skip(source, f"expected a JSON object, got {_type_name(record)}")
            continue
        if OUTPUT_COLUMNS <= record.keys():
            skip(name, "a dupdetect output (clusters), not articles")
            return
        document = from_record(record, source, settings, skip)
        if document is not None:
            yield document


def _json_values(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` per JSON value: one per non-blank line, or each element of an array.

    A value that cannot be read is given as its `json.JSONDecodeError`.
    """
    first = next(((number, line) for number, line in lines if line.strip()), None)
    if first is None:
        return
    if first[1].lstrip().startswith("["):
        yield from _array_values(first[0], first[1].lstrip()[1:], lines)
        return
    for number, line in itertools.chain([first], lines):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                yield number, error


# An element of a JSON array longer than this is no record of an article: reading stops there.
ARRAY_ELEMENT_MAX = 64 << 20


def _array_values(
    number: int, text: str, lines: Iterator[tuple[int, str]]
) -> Iterator[tuple[int, Any]]:
    """The elements of a JSON array whose text after ``[`` starts on line `number`.

    Read a line at a time: only the element being read is held, so a file of any size streams.
    """
    decoder = json.JSONDecoder()
    buffer, starts = text, [(0, number)]  # where each line read begins in the buffer
    while True:
        start = len(buffer) - len(buffer.lstrip(" \t\r\n,"))
        if buffer.startswith("]", start):
            return  # the array's end
        try:
            value, end = decoder.raw_decode(buffer, start)
        except json.JSONDecodeError as error:  # the element goes on in the next line, or is bad
            more = next(lines, None)
            if more is None or len(buffer) > ARRAY_ELEMENT_MAX:
                if buffer[start:].strip():
                    yield _line_at(starts, start), error
                else:  # no "]": the file was cut short
                    why = "the array is never closed (the file may be cut short)"
                    yield _line_at(starts, start), json.JSONDecodeError(why, buffer, start)
                return
            starts.append((len(buffer), more[0]))
            buffer += more[1]
            continue
        yield _line_at(starts, start), value
        line = _line_at(starts, end)
        buffer = buffer[end:]
        starts = [(0, line)] + [(at - end, n) for at, n in starts if at > end]


def _line_at(starts: list[tuple[int, int]], position: int) -> int:
    return next(line for at, line in reversed(starts) if at <= position)


def read_csv(
    handle: IO[bytes], name: str, settings: IngestSettings, skip: Skip
) -> Iterator[Document]:
    """Yield one document per row of a CSV file with a header row.

    Rows are read strictly: a row with more cells than the header is skipped (its extra cells
    would be lost), and a quoted field never closed is reported at the line where its row
    starts, and reading resumes on the next line (so one stray quote does not swallow the file).
    """
    csv.field_size_limit(1 << 30)
    lines = _lines(handle, name, skip)
    first = next(lines, None)
    if first is None:
        return
    delimiter = _csv_delimiter(first[1])
    records = _csv_records(itertools.chain([first], lines), name, skip, delimiter)
    header: list[str] | None = None
    for number, cells in records:
        if header is None:
            header = cells
            if OUTPUT_COLUMNS <= set(header):
                skip(name, "a dupdetect output (clusters), not articles")
                return
            continue
        source = f"{name}:{number}"
        if len(cells) > len(header):
            skip(source, f"row has {len(cells)} fields, the header has {len(header)}")
            continue
        document = from_record(dict(zip(header, cells, strict=False)), source, settings, skip)
        if document is not None:
            yield document


def _csv_delimiter(header: str) -> str:
    """The delimiter a CSV file's header row uses, whichever of them it holds most of.

    A comma, or the semicolon or tab that spreadsheets export in many locales.

    Example:
        >>> [_csv_delimiter(header) for header in ("id;text;url", "id,text", "id\\ttext")]
        [';', ',', '\\t']
    """
    return max(",;\t", key=header.count)  # a tie keeps the comma, first


def _csv_records(
    lines: Iterator[tuple[int, str]], name: str, skip: Skip, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """``(first line, cells)`` per CSV record; an unclosed quote is reported and stepped over."""
    pending: deque[tuple[int, str]] = deque()
    source = iter(lines)
    while True:
        if not pending:
            nxt = next(source, None)
            if nxt is None:
                return
            pending.append(nxt)
        # Take lines until the record's quotes balance (a quoted field may hold line breaks).
        taken, quotes = 1, pending[0][1].count('"')
        while quotes % 2:
            if taken == len(pending):
                nxt = next(source, None)
                if nxt is None:
                    break
                pending.append(nxt)
            quotes += pending[taken][1].count('"')
            taken += 1
        else:
            lines_of_record = [pending.popleft() for _ in range(taken)]
            text = "".join(t for _, t in lines_of_record)
            try:
                (cells,) = list(csv.reader([text], delimiter=delimiter, strict=True)) or [[]]
            except (csv.Error, ValueError) as error:
                skip(f"{name}:{lines_of_record[0][0]}", f"invalid CSV row ({error})")
                continue
            if cells:
                yield lines_of_record[0][0], cells
            continue
        first, _ = pending.popleft()
        skip(f"{name}:{first}", "a quoted field is never closed; the row is skipped")


def from_record(
    record: dict[str, Any], source: str, settings: IngestSettings, skip: Skip
) -> Document | None:
    """Build a document from one JSONL/CSV record, or report why it cannot be one.

    Every field used must be a string (or null or missing): a number, list, object or boolean
    where text is expected is reported with its field and type, never turned into text.
    """
    names = {
        "id": settings.id_field,
        "text": settings.text_field,
        "html": settings.html_field,
        "url": settings.url_field,
        "title": settings.title_field,
        "date": settings.date_field,
    }
    values: dict[str, str | None] = {}
    for key, field in names.items():
        value = record.get(field)
        if value is None or value == "":
            values[key] = None
            continue
        if not isinstance(value, str):
            skip(source, f'field "{field}" is {_type_name(value)}, expected a string')
            return None
        if bad := _SURROGATE.search(value):
            skip(source, f'field "{field}" holds an invalid character (U+{ord(bad[0]):04X})')
            return None
        values[key] = value
    if values["text"] is None and values["html"] is None:
        given = [f for f in (settings.text_field, settings.html_field) if f in record]
        if given:
            skip(source, f'field "{given[0]}" is empty')
            return None
        fields = ", ".join(sorted(record)) or "none"
        skip(
            source,
            f'record has no "{settings.text_field}" or "{settings.html_field}" field '
            f"(fields: {fields}); use --text-field or --html-field",
        )
        return None
    date = dates.parse(values["date"])
    return Document(
        id=values["id"] or source,
        text=values["text"] or "",
        html=None if values["text"] is not None else values["html"],
        title=values["title"],
        url=values["url"],
        date=date,
        date_source="record" if date else None,
        source=source,
    )


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({json.dumps(value)})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
