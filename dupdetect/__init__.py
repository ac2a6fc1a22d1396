"""dupdetect: find copies of news articles (verbatim, partial and rewritten) and cluster them.

Example:
    >>> import dupdetect
    >>> result = dupdetect.cluster(["samples/"])  # doctest: +SKIP
"""

import logging

__version__ = "0.1.0"  # before the imports: modules below read it

from .errors import DupdetectError
from .pipeline import cluster, compare
from .records import Comparison, Document, Match, Result
from .search import Index
from .settings import Settings

__all__ = [
    "Comparison",
    "Document",
    "DupdetectError",
    "Index",
    "Match",
    "Result",
    "Settings",
    "__version__",
    "cluster",
    "compare",
]

logging.getLogger("dupdetect").addHandler(logging.NullHandler())
