"""numba's compiler when the ``fast`` extra is installed: the one place that asks for it.

Each compiled kernel is defined with `compiled` and is None without numba; its module then takes
its NumPy or Python path, which gives the same results (tests run both).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar, cast

numba: ModuleType | None
try:
    import numba
except ImportError:  # the fast extra is not installed
    numba = None

F = TypeVar("F", bound=Callable[..., Any])

# numba's parallel range inside a kernel compiled with ``parallel=True`` (unused without numba).
prange: Callable[..., Any] = range if numba is None else numba.prange


def compiled(**options: Any) -> Callable[[F], F | None]:
    """`numba.njit` with `options`, or, without numba, a decorator that gives None."""
    if numba is None:
        return lambda function: None
    return cast(Callable[[F], F | None], numba.njit(**options))
