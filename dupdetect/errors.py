"""Exceptions that end a run; a bad record is never one of them (it becomes a `Skipped`).

```
DupdetectError
├── SettingsError       (also a ValueError) a setting is out of range
├── InputError          no input could be read, or a path is missing
├── IndexMismatchError  an index was built with other settings or a newer format
└── IndexCorruptError   a file is not a dupdetect index, or fails its integrity check
```
"""

from __future__ import annotations


class DupdetectError(Exception):
    """Base of every error dupdetect raises on purpose."""


class SettingsError(DupdetectError, ValueError):
    """A setting has a value outside its documented range."""


class InputError(DupdetectError):
    """No input could be read, or an input path does not exist."""


class IndexMismatchError(DupdetectError):
    """An index was built with other signature settings or by a newer dupdetect."""


class IndexCorruptError(DupdetectError):
    """A file is not a dupdetect index, or it fails its integrity check."""
