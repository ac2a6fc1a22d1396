"""A sentence → its specific facts: the figures and the names it states.

A copy is *the same report*: the same event told with the same figures, dates, amounts and
names, whatever the wording. These are what a content farm keeps while it changes the words
around them, and what differs between two reports that share a template (another company's
dividend, another month's prices). So every sentence of a profiled text carries its facts,
and verification compares the facts of corresponding sentences (`verify`).

- A *figure* is a number standing alone, in one canonical form: ``12,000`` and ``12000`` are
  ``12000``, ``1-3/4`` is ``1.75``; decimals stay as written, as the last digit says how precise
  a figure is (``51.00`` and ``51.50`` are two prices; ``5.8`` and ``5.80`` one figure, see
  `same_fact`). Letters with digits (``G7``, ``A320``) are names, not figures. A number word is
  a figure where a unit or a scale follows ("six pct", "two to three cents"; `NUMBER_WORDS`).
- A *name* is a word the text uses as one: capitalized inside a sentence (not at its start, not
  in a headline or a title-cased heading) and never written in lower case by the text. Where it
  stands first or in a headline, a word is a name when the text uses it as one elsewhere, or
  when it is very rare in English (``Texaco``, ``Amoco``: wire stories often name a company only
  at the start of their sentences). Names are case-folded, without a possessive 's. Why not
  "any capitalized word": content farms title-case their headings ("Shifting Sands",
  "Balancing Innovation and Caution"), and those words would read as facts that the source
  lacks.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import takewhile
from typing import NamedTuple

from wordfreq import get_frequency_dict, word_frequency

# The ideographs and kana of Chinese and Japanese (no spaces between words): each is a token of
# its own in `features.words`, and no part of a fact's token here.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A number (12,000 / 5.8 / 1-3/4 / 1/8) that is a token of its own, or a word (letters, with
# digits for codes such as G7). A number does not start inside another ("1.5", "12,000", "1/2"),
# but may after leader dots ("BUENOS AIRES.......27.......21": a table's columns). A scale or a
# unit written onto a number is no part of it: "$1.13bn", "£600m", "5p" state 1.13, 600 and 5,
# as "1.13 billion dollars", "600 million pounds" and "5 pence" do.
TOKEN = re.compile(
    r"(?<![\w,/])(?<!(?<!\.)\.)(\d+(?:[.,]\d+)*(?:-\d+/\d+|/\d+)?)(?:bn|mn|m|k|p)?"
    r"(?![\w/]|[.,]\d)"
    r"|((?=\d*[^\W\d_])[^\W_]+(?:['’][^\W_]+)*)"
)
# In Chinese and Japanese a character is no part of a token ("约5%" states 5) and a comma may
# come before a number with no space (its full-width comma, once normalized).
TOKEN_CJK = re.compile(
    rf"(?<![^\W{CJK}])(?<!\d,)(?<!/)(?<!(?<!\.)\.)(\d+(?:[.,]\d+)*(?:-\d+/\d+|/\d+)?)"
    rf"(?:bn|mn|m|k|p)?(?![^\W{CJK}]|/|[.,]\d)"
    rf"|((?=\d*[^\W\d_{CJK}])[^\W_{CJK}]+(?:['’][^\W_{CJK}]+)*)"
)
_HAS_CJK = re.compile(f"[{CJK}]")


def has_cjk(text: str) -> bool:
    """Whether `text` writes Chinese or Japanese (tokens and sentences are read apart there)."""
    return not text.isascii() and _HAS_CJK.search(text) is not None


# A company as wire copy marks it: "<UCL>", "<Scan-Graphics Inc>"; not an HTML tag ("<br>",
# "<BR>"). A capital letter alone is a ticker (Phillips' <P>, USX's <X>), as HTML is written in
# lower case nowadays and extraction leaves none.
_BRACKETED = re.compile(r"<([A-Z][^<>\n=]{0,59})>")
_HTML_TAGS = frozenset(
    "br hr em li ol ul td th tr div span img font center strong small big sub sup"
    " h1 h2 h3 h4 h5 h6".split()
)
_FRACTION = re.compile(r"^(\d+)-(\d+)/(\d+)$|^(\d+)/(\d+)$")
_POSSESSIVES = ("'s", "’s")

# Per-token English frequency under which a capitalized word is a name even where capitals say
# nothing (a sentence's first word, a headline): company and place names of wire stories.
VERY_RARE = 1e-6
HEADLINE = 0.6  # share of capitalized words from which a line reads as a headline
HEADLINE_MAX_TOKENS = 20  # no headline is as long and ends with a period

# Function words never name anything, capitalized or not.
_FUNCTION = frozenset(
    """a an the and or but if of in on at to for from by with as is are was were be been it its
    he she they we you i his her their our this that these those there here which who what when
    where why how not no yes all any each mr mrs ms dr st""".split()
)


# A number written as a word is a figure where a unit or a scale follows it ("six pct", "three
# mln shares", "two billion dlrs"): the wire writes small numbers in words, a rewrite in digits,
# a script for radio all of them ("twenty-eight dollars", "thirteen point three percent": read
# whole, not as the 8 and 3 their last words say; `_spelled`). Alone a number word is too often
# no quantity ("one of the", "the two companies").
_ONES = "zero one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
NUMBER_WORDS = (
    {word: str(n) for n, word in enumerate(_ONES + _TEENS)}
    | {word: str(n) for word, n in _TENS.items()}
    | {"hundred": "100"}
)
# Written in any case, looked up as written (the lookup is made for every word of a text).
NUMBER_WORDS |= {
    case(word): n for word, n in NUMBER_WORDS.items() for case in (str.title, str.upper)
}
UNITS = frozenset(
    """pct percent per cts cents cent mln million millions bln billion billions dlrs dlr dollars
    stg pounds yen marks francs tonnes tons ounces shares points pence""".split()
)


_RANGE = frozenset({"to", "or", "and"})  # "two to three cents": a range's ends


def _counts(tokens: list[tuple[str, str]], after: int) -> bool:
    """Whether the number word before `after` counts something.

    It does where a unit follows, at once or after a range's other end ("two to three cents").
    """
    following = [word.casefold() for _, word in tokens[after : after + 3]]
    if following and following[0] in UNITS:
        return True
    return (
        len(following) == 3
        and following[0] in _RANGE
        and (tokens[after + 1][1] in NUMBER_WORDS or tokens[after + 1][0] != "")
        and following[2] in UNITS
    )


def _spelled(tokens: list[tuple[str, str]], position: int) -> tuple[str, int]:
    """The number that the number words from `position` on spell, and how many tokens they take.

    A tens word and a unit are one number ("twenty-eight", "thirty seven"); "point" and the
    digits after it are its decimals ("thirteen point three"), "and a half" is .5.

    Example:
        >>> _spelled([("", "thirty"), ("", "seven"), ("", "percent")], 0)
        ('37', 2)
        >>> _spelled([("", "ten"), ("", "one"), ("", "year"), ("", "bonds")], 0)
        ('10', 1)
        >>> _spelled([("", "Thirteen"), ("", "point"), ("", "three"), ("", "pct")], 0)
        ('13.3', 3)
        >>> _spelled([("", "five"), ("", "and"), ("", "a"), ("", "half"), ("", "percent")], 0)
        ('5.5', 4)
    """
    value, width = NUMBER_WORDS[tokens[position][1]], 1
    words = [word.casefold() for _, word in tokens[position + 1 : position + 5]]
    if tokens[position][1].casefold() in _TENS and words and words[0] in _ONES[1:]:
        value, width = str(int(value) + _ONES.index(words[0])), 2
    decimals = list(takewhile(lambda word: word in _ONES, words[width:]))
    if decimals and words[width - 1] == "point":
        digits = "".join(str(_ONES.index(word)) for word in decimals)
        value, width = f"{value}.{digits}", width + 1 + len(decimals)
    elif words[width - 1 : width + 2] == ["and", "a", "half"]:
        value, width = f"{value}.5", width + 3
    return value, width


@lru_cache(maxsize=1 << 16)
def figure(token: str) -> str:
    """The canonical form of a number token, every significant digit kept.

    Example:
        >>> figure("12,000"), figure("1-3/4"), figure("5.80"), figure("1/8")
        ('12000', '1.75', '5.80', '0.125')
        >>> figure("1,000,000"), figure("1,234,567")
        ('1000000', '1234567')
    """
    plain = token.replace(",", "")
    fraction = _FRACTION.match(plain)
    if fraction:
        whole, numerator, denominator = (
            (int(fraction[1]), int(fraction[2]), int(fraction[3]))
            if fraction[1]
            else (0, int(fraction[4]), int(fraction[5]))
        )
        if denominator:  # a computed value: no trailing zeros
            return f"{Decimal(f'{whole + numerator / denominator:.6f}').normalize():f}"
        return plain
    try:  # decimals as written (the last digit says how precise it is), never 1e+06
        return f"{Decimal(plain):f}"
    except InvalidOperation:
        return plain  # 1.000.000


@lru_cache(maxsize=1 << 16)
def is_figure(fact: str) -> bool:
    """Whether a fact is a figure (`figure`), not a name or a code.

    Example:
        >>> is_figure("1000000"), is_figure("0.125"), is_figure("g7"), is_figure("texaco")
        (True, True, False, False)
    """
    return fact[:1].isdigit() and not any(c.isalpha() for c in fact)


def sentence_facts(sentences: list[str]) -> list[frozenset[str]]:
    """The figures and names each sentence of a text states (the text decides what a name is).

    Example:
        >>> found = sentence_facts(["Shifting Sands", "Shares of Texaco rose 5.8 pct.",
        ...                         "Texaco said sands shift."])
        >>> [sorted(f) for f in found]
        [[], ['5.8', 'texaco'], ['texaco']]
    """
    return [found.facts for found in read(sentences)]


class Read(NamedTuple):
    """What `read` finds in one sentence."""

    facts: frozenset[str]  # its figures and names (`sentence_facts`)
    row: bool  # a row of a table
    headline: bool  # it reads as a headline (`is_headline`)
    tokens: int  # its words and numbers


def read(sentences: list[str]) -> list[Read]:
    """Each sentence's facts (`sentence_facts`), and whether it is a row of a table.

    A row is a line of figures more than words (half its tokens or more hold digits: "JUL7 273
    1/2 UP 3/4", a price at 11:01). In a table a figure means what its row says, so the same
    number elsewhere in the other text is another quantity (`agreement.fact_agreement`).

    Example:
        >>> [found.row for found in read(["JUL7 273 1/2 UP 3/4", "Wheat rose 1/2 cent to 273."])]
        [True, False]
    """
    # One pass over every token collects what the rules below look at: the words the text
    # writes in lower case, the counts that make a headline or a row, and the few tokens that
    # can be facts (numbers, codes, capitalized words) with their positions.
    lower: set[str] = set()
    read_sentences = []
    token = TOKEN_CJK if any(map(_HAS_CJK.search, sentences)) else TOKEN
    for sentence in sentences:
        tokens = token.findall(sentence)
        alpha = capitalized = numeric = 0
        candidates = []
        spelled_to = 0  # the words of a number spelled out are read with its first word
        for position, (number, word) in enumerate(tokens):
            if number:
                numeric += 1
                candidates.append((position, number, word))
            elif (
                word in NUMBER_WORDS
                and position >= spelled_to
                and _counts(tokens, position + (spelled := _spelled(tokens, position))[1])
            ):
                candidates.append((position, spelled[0], ""))
                spelled_to = position + spelled[1]
            elif position < spelled_to:
                continue
            elif word.isalpha():
                alpha += 1
                if word.islower():
                    lower.add(word)
                elif word[0].isupper():
                    capitalized += 1
                    candidates.append((position, number, word))
            else:
                numeric += 1
                candidates.append((position, number, word))
        title = _reads_as_headline(sentence, len(tokens), alpha, capitalized)
        row = len(tokens) > 1 and 2 * numeric >= len(tokens)
        read_sentences.append((candidates, title, row, len(tokens)))
    names = {
        _folded(word)
        for candidates, title, _, _ in read_sentences
        if not title
        for position, number, word in candidates
        if position and not number and word.isalpha() and word.casefold() not in lower
    } - _FUNCTION
    found = []
    for candidates, title, row, n_tokens in read_sentences:
        facts = set()
        for position, number, word in candidates:
            if number:
                facts.add(figure(number))
            elif not word.isalpha() and any(c.isdigit() for c in word):
                facts.add(word.casefold())  # a code: G7, A320, WorldReport24
            elif word[0].isupper() and len(word) > 1:
                folded = _folded(word)
                if folded in names or (
                    position == 0 and not title and folded not in _FUNCTION and _very_rare(folded)
                ):
                    facts.add(folded)
        found.append(Read(frozenset(facts), row, title, n_tokens))
    return found


# A date places a report in time and a retelling adds the year ("on 10 February 2005", "the
# 1987 season"): such figures are not the news a lead tells.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b{_DAY} {_MONTH}(?:,? \d{{4}})?|\b{_MONTH} {_DAY}(?:,? \d{{4}})?", re.IGNORECASE
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
LEAD_MIN_WORDS = 8  # shorter lines are bylines, datelines and captions, not a report's lead
_ENDS_AS_SENTENCE = re.compile(r"[.!?][\"'’”)]*$")


def lead_figures(sentences: list[str], found: list[Read]) -> frozenset[str] | None:
    """The figures a text's lead states: the news it tells first, dates and years set aside.

    The lead is the first sentence after the headlines, lines of fields ("Published 10 February
    2005 | Security | 5 min read") and short lines with no figure (a site's name, a kicker), if
    it is one of prose: eight words or more, ending as a sentence does. A flash (a headline
    alone), a results table ("Shr loss 31.09 dlrs vs loss 1.86 dlrs") or a list has no lead
    (None): what it opens with is not a report's first sentence. `found` is `read(sentences)`.

    Example:
        >>> text = ["BOE GIVES 20 MLN STG", "The Bank said on March 4 it gave 20 mln stg more."]
        >>> sorted(lead_figures(text, read(text)))
        ['20']
        >>> print(lead_figures(text[:1], read(text[:1])))
        None
    """
    for sentence, (facts, row, headline, tokens) in zip(sentences, found, strict=True):
        if "|" in sentence or headline:
            continue
        short = tokens < LEAD_MIN_WORDS
        if short and not any(map(is_figure, facts)):
            continue
        if row or short or not _ENDS_AS_SENTENCE.search(sentence):
            return None
        dated = {figure(n) for date in _DATE.findall(sentence) for n in re.findall(r"\d+", date)}
        return frozenset(f for f in facts if is_figure(f) and f not in dated and not _YEAR.match(f))
    return None


def is_headline(line: str) -> bool:
    """Whether a line reads as a headline: over 60% of its words capitalized (as `read` says).

    A line of 20 tokens or more that ends with a period and writes a word in lower case is a
    sentence naming many people or companies, not a headline.

    Example:
        >>> is_headline("SUN <SUN> RAISES CRUDE POSTINGS 50 CTS"), is_headline("Sun Co said it")
        (True, False)
    """
    tokens = TOKEN.findall(line)
    words = [word for number, word in tokens if not number and word.isalpha()]
    capitalized = sum(word[0].isupper() and not word.islower() for word in words)
    return _reads_as_headline(line, len(tokens), len(words), capitalized)


def _reads_as_headline(line: str, tokens: int, words: int, capitalized: int) -> bool:
    # A long line that ends as a sentence and writes lower case is prose naming many people
    # ("Baker is expected to meet Kiichi Miyazawa, Japan's Finance Minister, Gerhard ...").
    prose = tokens >= HEADLINE_MAX_TOKENS and capitalized < words and line.endswith(".")
    return words > 1 and capitalized > HEADLINE * words and not prose


class Subject(NamedTuple):
    """The company a wire headline is about: its tickers, and the words of its name."""

    tickers: frozenset[str]  # "ucl", "pukg" (the exchange's suffix dropped)
    name: frozenset[str]  # the headline's words up to its first ticker, that one included


def headline_subject(leading: Iterable[str]) -> Subject | None:
    """The company a text's headline names the way wire copy marks it, if it does.

    Wire copy puts a company's ticker (``<UCL>``, ``<PUKG.PA>``) or, for a private company, its
    name (``<Scan-Graphics Inc>``) in angle brackets. `leading` are the text's first lines
    (hard-wrapped ones joined). Lines in title case that read as headlines (a page's site name
    and sections) come before the headline; the headline is the first line in capitals, or
    the first to hold a company. A line of prose ends the search.

    Example:
        >>> found = headline_subject(["UNOCAL <UCL> RAISES CRUDE POSTINGS", "Unocal Corp said"])
        >>> sorted(found.tickers), sorted(found.name)
        (['ucl'], ['ucl', 'unocal'])
    """
    for line in leading:
        if not is_headline(line) or line.endswith((".", "!", "?")):
            return None  # prose: a headline does not end as a sentence does
        found = [m for m in _BRACKETED.finditer(line) if m[1].casefold() not in _HTML_TAGS]
        if found:
            tickers = frozenset(m[1].split(".")[0].casefold().strip() for m in found)
            name = line[: found[0].start()] + " " + found[0][1]
            return Subject(tickers, frozenset(_words(name)))
        if line.isupper():
            return None  # the headline, and it names no company
    return None


def same_company(a: Subject, b: Subject) -> bool:
    """Whether two headlines' companies may be one and the same.

    They may when they share a ticker (or one with a typing slip), or when half the words of
    the shorter name are in the other: "MACMILLAN BLOEDEL <MMB>" and "MACMILLAN BLOEDEL
    <MMBLF>" (a correction may fix the ticker).

    Example:
        >>> a = headline_subject(["COMERICA <CMCA> RAISES PRIME RATE"])
        >>> b = headline_subject(["IRVING TRUST <V> RAISES PRIME RATE"])
        >>> same_company(a, b), same_company(a, headline_subject(["COMERICA INC <CMCA.O> RAISES"]))
        (False, True)
    """
    if any(same_fact(t, b.tickers) for t in a.tickers):
        return True
    if any(same_fact(t, a.tickers) for t in b.tickers):
        return True  # a slip is allowed from the longer ticker only: look both ways
    shorter = min(len(a.name), len(b.name))
    return shorter > 0 and 2 * len(a.name & b.name) >= shorter


def _words(text: str) -> list[str]:
    return [word.casefold() for _, word in TOKEN.findall(text) if word]  # "C.O.M.B." too


def same_fact(fact: str, others: frozenset[str]) -> bool:
    """Whether `others` states `fact`, allowing for rounding and a typing slip.

    A figure within 2% of another, one of them with decimals, is the same figure rounded when
    the finer one rounds to the coarser (4.45 and 4.5, 5.8 and 5.80; not 66.0 cents and 67
    cents) or, equally fine, they differ by one unit of the last digit and by 1% at most (a
    re-issue's corrected 413.6 for 413.5; not a gold price of 421.50 and one of 422.50, nor a hog
    price of 51.00 and one of 51.50, nor one fund's monthly 6.6 cents and another's 6.5); whole
    numbers must be equal (1986 is not 1987). A name of five letters or more one edit away
    from another ("cental", "central"; "braodcasting", "broadcasting") is the same name.

    Example:
        >>> same_fact("413.6", frozenset({"413.5"})), same_fact("1987", frozenset({"1986"}))
        (True, False)
        >>> same_fact("4.45", frozenset({"4.5"})), same_fact("421.5", frozenset({"422.5"}))
        (True, False)
        >>> same_fact("6.6", frozenset({"6.5"}))
        False
        >>> same_fact("cental", frozenset({"central"})), same_fact("texaco", frozenset({"amoco"}))
        (True, False)
        >>> same_fact("braodcasting", frozenset({"broadcasting"}))
        True
    """
    if fact in others:
        return True
    number = _as_number(fact)
    if number is not None:
        value, unit = number
        values, numbers = _numbers(others)
        # Units are at most 1 (a whole number's), so only figures within 1 can be this one.
        nearby = numbers[bisect_left(values, value - 1.5) : bisect_right(values, value + 1.5)]
        for found, found_unit in nearby:
            if unit == found_unit == 1:
                continue
            difference = abs(value - found)
            # Rounded to the coarser figure's last digit: within half its unit; equally fine
            # figures may differ in that digit where it is a slip's size (a re-issue's
            # corrected 413.6), not where it is the figure (6.5 and 6.6 cents).
            slack = unit if unit == found_unit else max(unit, found_unit) / 2
            bound = CORRECTION if unit == found_unit else ROUNDING
            if difference <= bound * max(abs(value), abs(found)) and difference <= (
                slack * (1 + 1e-9)
            ):
                return True
        return False
    return len(fact) >= 5 and _names(others).one_edit_from(fact)


ROUNDING = 0.02
CORRECTION = 0.01


class _Names:
    """A text's facts, to find the names one edit away from a name (a typing slip).

    Each fact of five letters or more is kept once per letter, with that letter left out and
    its place (`_left_out`): a name one substitution away leaves the same string at the same
    place, a name one letter shorter *is* one of them, and one a letter longer, left one letter
    short, is a fact. Three set intersections per name instead of comparing it with every fact
    of similar length.
    """

    def __init__(self, facts: frozenset[str]) -> None:
        self.facts = facts
        self.without_one = frozenset().union(*(_left_out(f)[0] for f in facts if len(f) >= 5))

    def one_edit_from(self, name: str) -> bool:
        """Whether a fact other than `name` itself is one edit away from it.

        An edit is a letter changed, added or left out, or two neighbouring letters swapped
        (the commonest slip of a typist: "Braodcasting").
        """
        left_out, shorter, placed = _left_out(name)
        return not (
            self.without_one.isdisjoint(left_out)
            and self.facts.isdisjoint(shorter)
            and self.without_one.isdisjoint(placed)
            and self.facts.isdisjoint(_swapped(name))
        )


@lru_cache(maxsize=1 << 16)
def _left_out(
    name: str,
) -> tuple[tuple[tuple[int, str], ...], tuple[str, ...], tuple[tuple[int, str], ...]]:
    """`name` with each letter left out (and its place), the strings left, `name` at each place.

    The places are where a letter could be added. Cached: a corpus repeats its names.
    """
    left_out = tuple((i, name[:i] + name[i + 1 :]) for i in range(len(name)))
    placed = tuple((i, name) for i in range(len(name) + 1))
    return left_out, tuple(s for _, s in left_out), placed


@lru_cache(maxsize=1 << 16)
def _swapped(name: str) -> frozenset[str]:
    """`name` with two neighbouring letters swapped, at each place where that changes it."""
    swaps = (name[:i] + name[i + 1] + name[i] + name[i + 2 :] for i in range(len(name) - 1))
    return frozenset(swaps) - {name}


@lru_cache(maxsize=4_096)
def _names(facts: frozenset[str]) -> _Names:
    return _Names(facts)


@lru_cache(maxsize=4_096)
def _numbers(facts: frozenset[str]) -> tuple[list[float], list[tuple[float, float]]]:
    """The figures among `facts` as ``(value, unit)`` sorted by value, and the values alone.

    Cached: a text's facts are compared with many others.
    """
    numbers = sorted(n for n in map(_as_number, facts) if n is not None)
    return [value for value, _ in numbers], numbers


@lru_cache(maxsize=1 << 16)
def _very_rare(word: str) -> bool:
    return rarer_than(word, VERY_RARE)


def rarer_than(word: str, frequency: float) -> bool:
    """Whether a case-folded word is rarer in English than `frequency` per token (wordfreq).

    A word of ASCII letters is its own wordfreq token, so its frequency is looked up directly:
    a tenth of the time of `word_frequency`, which tokenizes it first (a run's first pass asks
    this of every new word; 14% of its time). Within 1% of `frequency`, where wordfreq's
    rounding to three digits could decide, and for any other word, wordfreq answers.
    """
    if word.isascii() and word.isalpha():
        found = get_frequency_dict("en").get(word, 0.0)
        if abs(found - frequency) > 0.01 * frequency:
            return found < frequency
    return word_frequency(word, "en") < frequency


@lru_cache(maxsize=1 << 16)
def _as_number(fact: str) -> tuple[float, float] | None:
    """A figure's value and the unit of its last digit (``"4.45"`` → 4.45, 0.01).

    A name is no number, even one Python reads as one (``infinity``, ``nan``).
    """
    if not is_figure(fact):
        return None
    try:
        value = float(fact)
    except ValueError:
        return None
    _, point, decimals = fact.partition(".")
    return value, 10.0 ** -len(decimals) if point else 1.0


def _folded(word: str) -> str:
    folded = word.casefold()
    return folded[:-2] if folded.endswith(_POSSESSIVES) else folded
