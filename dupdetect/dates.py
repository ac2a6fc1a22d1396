"""Publication dates as inputs write them → one ISO 8601 form, and the time between two of them.

Records and pages carry dates in many forms: ISO 8601 (``2005-03-09T10:00``), RFC 2822 as
feeds write them (``Wed, 09 Mar 2005 10:00:00 GMT``), ``03/20/2005``, ``26-FEB-1987
15:07:13.72`` (wire services), ``March 9, 2005``. They are parsed with python-dateutil (which
trafilatura's date finder already depends on) and kept as ISO text: a date when only the day is
known, a date and time (UTC) otherwise. A value that is not a date is left out rather than
guessed at.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as _parser

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_YEAR_ONLY = re.compile(r"^\d{4}$")
_EARLIEST, _LATEST = 1800, 2200  # years outside are typing errors, not publication dates


def parse(value: str | None) -> str | None:
    """The ISO 8601 form of a date as written, or None when it is not a date.

    Example:
        >>> parse("Wed, 09 Mar 2005 10:00:00 GMT"), parse("03/20/2005"), parse("2005-03-09T10:00")
        ('2005-03-09T10:00:00', '2005-03-20', '2005-03-09T10:00:00')
        >>> parse("26-FEB-1987 15:07:13.72"), parse("March 1, 2025"), parse("soon")
        ('1987-02-26T15:07:13', '2025-03-01', None)
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    if _YEAR_ONLY.match(text):
        return None  # a year alone says nothing about which of two texts came first
    try:
        found = parsedate_to_datetime(text)  # RFC 2822 first: dateutil misreads some of it
    except (TypeError, ValueError, IndexError):
        try:
            found = _parser.parse(text, default=datetime(1, 1, 1), ignoretz=True)
        except (ValueError, OverflowError, _parser.ParserError):
            return None
    if not _EARLIEST <= found.year <= _LATEST:
        return None
    if found.tzinfo is not None:
        found = found.astimezone(timezone.utc).replace(tzinfo=None)
    if _HAS_TIME.search(text):
        return found.replace(microsecond=0).isoformat()
    return found.date().isoformat()


def timestamp(iso: str | None) -> float | None:
    """POSIX seconds (UTC) of an ISO date from `parse`, or None.

    Example:
        >>> timestamp("1970-01-02")
        86400.0
    """
    if not iso:
        return None
    try:
        found = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=timezone.utc)
    return found.timestamp()
