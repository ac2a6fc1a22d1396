"""Text → normalized text: one Unicode form, one form for quotes and dashes, no page furniture.

Case is kept here: the features stage folds it for the sets it signs but still needs capitals
to tell names from ordinary words.
"""

from __future__ import annotations

import re
import unicodedata

#: Bumped whenever the output of `normalize` changes, because signatures depend on it.
NORMALIZER_VERSION = 1

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)

# Lines that scrapers leave around an article and that carry no content of it. A line is
# dropped only when the whole line matches, so article sentences that mention these words stay.
_FURNITURE = re.compile(
    r"""^\W*(?:
        skip\ to\ (?:main\ )?content
      | \d+\ min(?:ute)?s?\ read
      | leave\ a\ (?:reply|comment)
      | share\ (?:this(?:\ article)?|on\ \w+)\W*
      | (?:advertisement|sponsored(?:\ content)?|related(?:\ articles|\ posts|\ stories)?)
      | (?:read\ more|continue\ reading|click\ here\ to\ \w+.*)
      | (?:posted|published|updated)\ (?:on|at|by)\ .{0,80}
      | (?:by\ [^.!?]{1,60}\ )?\|\ [^.!?]{0,60}
      | by\ [A-Z][^.!?]{0,60}
      | (?:this\ (?:article|story|post)\ )?
        (?:first\ appeared|originally\ appeared|was\ originally\ published)\ (?:on|in|at)\ .{0,100}
      | (?:tags?|categories|filed\ under|source|image\ (?:source|caption)|photo(?:\ credit)?)
        :.{0,200}
      | subscribe.{0,80}newsletter.{0,80}
      | (?:all\ rights\ reserved|copyright|©).{0,120}
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)


def normalize(text: str) -> str:
    """Return `text` in NFKC form with plain quotes and dashes, furniture lines removed.

    Example:
        >>> normalize("Skip to content\\n\\n“Hello” – world\\n3 min read")
        '"Hello" - world'
    """
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not _FURNITURE.match(line)]
    return "\n".join(re.sub(r"[ \t]+", " ", line) for line in kept)
