"""Text → normalized text: one Unicode form, one form for quotes and dashes, no page furniture.

Three disguises are undone, each of which made a verbatim copy look like another text: HTML
entities left in an export of scraped pages (``&amp;``, ``&#39;``), characters that show
nothing inside words (soft hyphens, zero-width spaces), and Cyrillic or Greek look-alikes of
Latin letters in a text in Latin letters (`_undisguised`).

Case is kept here: the features stage folds it for the sets it signs but still needs capitals
to tell names from ordinary words.
"""

from __future__ import annotations

import html
import re
import unicodedata

#: Bumped whenever the output of `normalize` changes, because signatures depend on it.
NORMALIZER_VERSION = 3  # 3: HTML entities decoded, invisible characters dropped; 2: furniture

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
    }
)
# Characters that format and show nothing (Unicode category Cf): soft hyphens a page breaks
# words with, zero-width spaces and joiners, direction marks, tags. Inside a word they split
# it in two, and content farms insert them to make a copy look like another text.
_TRANSLATE |= {
    code: None
    for code in (*range(0x10000), *range(0xE0000, 0xE0080))
    if unicodedata.category(chr(code)) == "Cf"
}

# Lines that scrapers leave around an article and that carry no content of it, described by
# their shape, never by their first word alone: a line is dropped only when the whole of it has
# the shape ("By Jane Doe | March 3, 2025", "Source: Reuters", "3 min read"), so an article's
# sentence that starts the same way ("By contrast, rivals grew by a third last year.", "Source:
# the ministry said 40 people had died.") stays. Names are matched case-sensitively.
_DATE_TIME = (
    r"(?:[0-9]{1,4}(?:[:/.-][0-9]{1,4})*|[AaPp]\.?[Mm]\.?|GMT|UTC|BST|CET|E[SD]?T|P[SD]?T"
    r"|(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    r"|ago|hours?|minutes?|mins?|days?|weeks?|an?|at|on|last|today|yesterday)"
)
_NAME = r"[A-Z][\w'.-]*(?:\ (?:[A-Z][\w'.-]*|and|de|van|von|der|da|del|le|la)){0,4}"
_FURNITURE = re.compile(
    rf"""^\W*(?:
        (?i:skip\ to\ (?:main\ )?content)
      | (?i:\d+\ min(?:ute)?s?\ read)
      | (?i:leave\ a\ (?:reply|comment))|\d+\ [Cc]omments?|Comments
      | (?:Share|SHARE)\ (?:(?i:this)(?:\ (?i:article|story))?|on\ [A-Z]\w+(?:\ [A-Z]\w+)?)
      | (?i:advertisement|sponsored(?:\ content)?|related(?:\ articles|\ posts|\ stories)?)
      | (?i:read\ more|continue\ reading|click\ here\ to\ \w+(?:\ \w+){{0,4}})
      | (?:Posted|Published|Updated|Last\ updated|POSTED|PUBLISHED|UPDATED):?(?:\ (?i:on|at))?
        (?:[\ ,]+{_DATE_TIME})+(?:\ (?i:by)\ {_NAME})?
      | (?:Posted|Published)\ (?i:by)\ {_NAME}(?:[\ ,|]+{_DATE_TIME})*
      | By\ {_NAME}(?:,\ [A-Z][\w\ ]{{0,40}})?(?:\ ?\|\ ?[^.!?|]{{0,60}})?\.?
      | (?i:(?:this\ (?:article|story|post)\ )?
        (?:first\ appeared|originally\ appeared|was\ originally\ published)\ (?:on|in|at))
        \ [^.!?]{{1,60}}\.?
      | (?i:tags?|categories|filed\ under|source|image\ (?:source|caption)|photo(?:\ credit)?)
        :\ ?(?:[^\W\d][\w&'.-]*(?:\ [^\W\d][\w&'.-]*){{0,3}}
              (?:\ ?[,/|]\ ?[^\W\d][\w&'.-]*(?:\ [^\W\d][\w&'.-]*){{0,3}})*)
      | (?i:subscribe|sign\ up)[^.!?]{{0,60}}(?i:newsletter)[^.!?]{{0,40}}
      | (?:©|\(c\)|(?i:copyright)\ (?:©\ ?)?(?:\d{{4}}|©))[^!?]{{0,100}}
      | [^.!?]{{0,80}}(?i:all\ rights\ reserved)
    )\W*$""",
    re.VERBOSE,
)


def normalize(text: str) -> str:
    """Return `text` in NFKC form with plain quotes and dashes, furniture lines removed.

    Example:
        >>> normalize("Skip to content\\n\\n“Hello” – world\\n3 min read")
        '"Hello" - world'
    """
    if "&" in text:  # exports of scraped text often keep the page's entities ("it&#39;s")
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    if not text.isascii():
        text = _undisguised(text)
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not _FURNITURE.match(line)]
    return "\n".join(re.sub(r"[ \t]+", " ", line) for line in kept)


# Cyrillic and Greek letters drawn like Latin ones (among Unicode's confusables, UTS #39).
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕһӏԁԛԝАВЕКМНОРСТХУІЈЅοαρυνικΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijshldqwABEKMHOPCTXYIJSoapuvikABEZHIKMNOPTYX",
)  # Cyrillic, then Greek
_CYRILLIC_OR_GREEK = re.compile("[\u0370-\u03ff\u0400-\u052f]")
_LATIN = re.compile("[A-Za-z]")


def _undisguised(text: str) -> str:
    """`text` with the Cyrillic and Greek look-alikes of Latin letters written as those letters.

    Content farms swap "a" for Cyrillic "а" so that a copy shares no word with its source; a
    text in Latin letters that writes some letters in another script is disguised, not
    translated. A Russian or Greek text (more of those letters than Latin ones) is left alone.

    Example:
        >>> _undisguised("Thе сompаny sаid"), _undisguised("Компания заявила")
        ('The company said', 'Компания заявила')
    """
    others = len(_CYRILLIC_OR_GREEK.findall(text))
    if others and len(_LATIN.findall(text)) > others:
        return text.translate(_LOOKALIKES)
    return text
