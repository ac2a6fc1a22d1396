"""Where the command line writes: files replaced atomically, anything else written through.

A path the user names for output may be a regular file, a symlink to one, a named pipe, a
device (``/dev/null``), ``/dev/stdout`` or a shell's process substitution (``>(gzip > x)``).
Only a regular file is written atomically: to a temporary file in the same folder, with the
mode the umask gives a new file (or the mode of the file it replaces), renamed over it once
everything was written. Everything else is opened and written straight through, as a shell
redirection would, so a pipe's reader gets the data and a device stays a device. A symlink is
followed: the file it points to is replaced, the link stays.

Every output is prepared before any input is read (`prepare`), so a folder that does not exist
is a usage error at once, not a traceback after an hour of work.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from types import TracebackType
from typing import IO


class OutputError(ValueError):
    """An output path that cannot be written (names the path and why)."""


class Output:
    """One output destination: stdout, a regular file (atomic) or anything else (through).

    Args:
        path: the path the user named; None or ``-`` for stdout.

    Raises:
        OutputError: the folder does not exist or cannot be written, or the path is a folder.

    Example:
        >>> import tempfile, os
        >>> folder = tempfile.mkdtemp()
        >>> with Output(os.path.join(folder, "out.txt")) as out:
        ...     _ = out.write("hello")
        >>> with open(os.path.join(folder, "out.txt")) as written:
        ...     written.read()
        'hello'
    """

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = None if path is None or str(path) == "-" else os.fspath(path)
        self._stream: IO[str] | None = None
        self._temporary: str | None = None
        self._target: str | None = None
        if self.path is not None:
            self._prepare()

    def _prepare(self) -> None:
        assert self.path is not None
        target = os.path.realpath(self.path)
        try:
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            mode = None
        except OSError as error:
            raise OutputError(f"{self.path}: {error.strerror or error}") from None
        if mode is not None and stat.S_ISDIR(mode):
            raise OutputError(f"{self.path}: is a folder")
        if mode is not None and not stat.S_ISREG(mode) or _is_special(self.path):
            self._stream = _open_through(self.path)  # a pipe, a device, /dev/stdout
            return
        folder = os.path.dirname(target) or "."
        if not os.path.isdir(folder):
            raise OutputError(f"{self.path}: folder {os.path.dirname(self.path)!r} does not exist")
        try:
            fd, self._temporary = tempfile.mkstemp(prefix=".dupdetect-", dir=folder)
        except OSError as error:
            raise OutputError(f"{self.path}: cannot write in {folder} ({error.strerror})") from None
        os.chmod(self._temporary, stat.S_IMODE(mode) if mode is not None else _new_file_mode())
        self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self._target = target

    def __enter__(self) -> IO[str]:
        return self._stream if self._stream is not None else sys.stdout

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()

    def commit(self) -> None:
        """Finish writing: close the stream; put a temporary file in its place."""
        if self._stream is None:
            sys.stdout.flush()
            return
        if self._temporary is None:
            self._stream.close()
            return
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._stream.close()
        assert self._target is not None
        os.replace(self._temporary, self._target)
        self._temporary = None

    def discard(self) -> None:
        """Leave whatever was at the path as it was (a temporary file is removed)."""
        if self._stream is not None and not self._stream.closed:
            self._stream.close()
        if self._temporary is not None:
            os.unlink(self._temporary)
            self._temporary = None


def _is_special(path: str) -> bool:
    """``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``: names of open streams, not files.

    They resolve to whatever the stream is (often a regular file the shell opened); renaming
    over that would bypass the shell's redirection.
    """
    normal = os.path.abspath(path)
    return normal.startswith(("/dev/", "/proc/"))


def _open_through(path: str) -> IO[str]:
    try:
        return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed in commit)
    except OSError as error:
        raise OutputError(f"{path}: {error.strerror or error}") from None


def _new_file_mode() -> int:
    """The mode a new file gets here: 0666 less the umask (read without changing it for long)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
