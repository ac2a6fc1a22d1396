"""Corresponding sentences → whether two texts' facts agree: the same report, or another.

The evidence `verify` weighs before it gives any kind (see its docstring): facts that
corresponding sentences state differently (`fact_agreement`, `contradicts`), figures each
text states that the other never does (`new_figures`), and figures a lead states that the
other never does (`lead_news`, `passage_lead_news`). `compare` explains a verdict with the
same functions (`fact_checks`, `new_figure_lists`, `lead_news`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from .facts import is_figure, same_fact
from .features import stem
from .records import SentenceProfile
from .settings import VerifySettings


def fact_agreement(
    short: SentenceProfile, long_: SentenceProfile, pairs: Iterable[tuple[int, int]]
) -> tuple[int, int, int]:
    """``(agreeing, contradicting, figures)``: corresponding sentences whose facts agree or not.

    Two corresponding sentences contradict when each states a fact (a figure, a name) that the
    other *text* never states nor writes (`_unwritten`): "a shortage of around 300 mln stg"
    against "around 450 mln stg", "Texaco said it raised" against "Amoco said it raised". A
    copy may drop facts, so a fact missing on one side only is no contradiction. They agree
    when they share a fact. `figures` counts the contradictions in figures alone (see
    `contradicts`).
    """
    agreeing = contradicting = figures = 0
    # What each text states that the other never does, found once per pair (a sentence's facts
    # are among its text's facts) and when first needed: most sentences of a copy agree.
    novel_short: frozenset[str] | None = None
    novel_long: frozenset[str] | None = None
    for i, j in pairs:
        a, b = short.sentence_facts[i], long_.sentence_facts[j]
        if not (a and b):
            continue  # a sentence stating no fact neither agrees nor contradicts
        if short.rows[i] or long_.rows[j]:  # a row of a table: against the other row
            novel_a, novel_b = map(frozenset, novel_pair(short, i, long_, j))
        else:
            if novel_short is None:
                novel_short = frozenset(_unwritten(short.facts, long_))
            novel_a, novel_b = a & novel_short, frozenset()
            if novel_a:  # no contradiction without both
                if novel_long is None:
                    novel_long = frozenset(_unwritten(long_.facts, short))
                novel_b = b & novel_long
        if novel_a and novel_b:
            contradicting += 1
            figures += any(map(is_figure, novel_a)) and any(map(is_figure, novel_b))
        elif a & b:
            agreeing += 1
    return agreeing, contradicting, figures


class FactCheck(NamedTuple):
    """The facts of two corresponding sentences: shared, and stated by one text only."""

    short: int  # the sentence of the text with fewer sentences
    long: int  # the corresponding sentence of the other
    shared: list[str]
    short_only: list[str]  # facts the other text never states
    long_only: list[str]


def fact_checks(
    short: SentenceProfile, long_: SentenceProfile, pairs: Iterable[tuple[int, int]]
) -> list[FactCheck]:
    """The `FactCheck` of every pair of corresponding sentences that state facts."""
    found = []
    for i, j in pairs:
        a, b = short.sentence_facts[i], long_.sentence_facts[j]
        if a or b:
            only_a, only_b = novel_pair(short, i, long_, j)
            found.append(FactCheck(i, j, sorted(a & b), only_a, only_b))
    return found


def novel_pair(
    short: SentenceProfile, i: int, long_: SentenceProfile, j: int
) -> tuple[list[str], list[str]]:
    """The facts of sentence i of `short` and j of `long_` that the other side does not state.

    The other side is the other text (`_unwritten`), except for a row of a table, where it is
    the other row: in "JUL7 273 1/2 UP 3/4" against "JUL7 273 UP 1/4" each figure means what its
    row says, and the other table holds 1/2 and 3/4 in other rows (another price, another time).
    """
    a, b = short.sentence_facts[i], long_.sentence_facts[j]
    if short.rows[i] or long_.rows[j]:
        return novel(a, b), novel(b, a)
    return sorted(_unwritten(a, long_)), sorted(_unwritten(b, short))


def new_figures(a: SentenceProfile, b: SentenceProfile) -> float:
    """How much each text reports that the other does not: the lower of the two shares.

    A text's share is the part of its sentences stating facts that state a figure the other
    text never states, short sentences with a figure counted too: a table's rows are too short
    to align, but another contract's or another day's volumes are in them. A copy may drop facts
    and its page may add names, but a rewrite keeps the source's figures: in every dev set's
    true rewrites one side states no new figure, or few (at most 12% of its sentences). A
    follow-up, the next period's figures or another company's results add figures of their own
    *on both sides*.
    """
    return min(_new_figure_share(a, b), _new_figure_share(b, a))


def _new_figure_share(text: SentenceProfile, other: SentenceProfile) -> float:
    new = frozenset(_new_figures_of(text.facts, other.facts))
    return (
        sum(not new.isdisjoint(f) for f in text.stated) / len(text.stated) if text.stated else 0.0
    )


def lead_news(a: SentenceProfile, b: SentenceProfile) -> list[str]:
    """The figures either text's lead states that the other text never states.

    A report tells its news first, and a retelling keeps it: in no rewording among the judged
    Reuters copies, spun-dev's or siblings-dev's copies does a lead state a figure (a date or a
    year aside) that the other text never states. A follow-up leads with its own development
    ("a further 20 mln stg" after "17 mln stg"), another fund or market with its own figures,
    while it may repeat the other report's figures below as background (so `new_figures` finds
    nothing new on one side). A flash, a results table or a list has no lead, and is not
    compared: the story it is a copy of tells more (`facts.lead_figures`).
    """
    if a.lead is None or b.lead is None:
        return []
    return sorted({*_new_figures_of(a.lead, b.facts), *_new_figures_of(b.lead, a.facts)})


def passage_lead_news(reproduced: SentenceProfile, other: SentenceProfile) -> list[str]:
    """The figures the lead of a partial copy's source states that the other never does.

    An excerpt, or a page quoting a report, keeps the report's lead with its figures. Where
    the other text states some of the lead's figures and not the others, it is the lead's
    frame filled in again: National Distillers buying back up to 540,000 of its 32.8 mln
    shares, and the next day up to three mln of them; a corn futures opening and its close.
    A lead none of whose figures the other states is not in the passage (a page of other
    stories around an excerpt) and says nothing. `reproduced` is the text more of whose
    5-grams are in the other.
    """
    if reproduced.lead is None:
        return []
    new = sorted(_new_figures_of(reproduced.lead, other.facts))
    return new if len(new) < len(reproduced.lead) else []


def new_figure_lists(a: SentenceProfile, b: SentenceProfile) -> tuple[list[str], list[str]]:
    """The figures each text states that the other never does (what `new_figures` counts)."""
    return sorted(_new_figures_of(a.facts, b.facts)), sorted(_new_figures_of(b.facts, a.facts))


def _new_figures_of(stated: frozenset[str], other: frozenset[str]) -> Iterator[str]:
    return (f for f in stated - other if is_figure(f) and not same_fact(f, other))


def novel(stated: frozenset[str], other: frozenset[str]) -> list[str]:
    """The facts of `stated` that the other text's facts do not state (`facts.same_fact`)."""
    return sorted(_unstated(stated, other))


def _unstated(stated: frozenset[str], other: frozenset[str]) -> list[str]:
    return [f for f in stated - other if not same_fact(f, other)]


def _unwritten(stated: frozenset[str], other: SentenceProfile) -> list[str]:
    """The facts of `stated` that the other text neither states nor writes at all.

    Which words are names depends on each text (`facts`): "Minister" in "Minister of Planning"
    is no name in a text that also writes "the minister", and is one in a copy whose edit
    dropped that phrase; "Jordan" first in a sentence is no name where the text never uses it
    as one elsewhere. A name the other text writes, whatever its case (its stem is among the
    content words of the other's aligned sentences, `SentenceProfile.terms`), is not one the
    other lacks.
    """
    unstated = _unstated(stated, other.facts)
    if not unstated:
        return unstated
    written = frozenset().union(*other.terms)
    return [f for f in unstated if is_figure(f) or stem(f) not in written]


def contradicts(scores: dict[str, float], settings: VerifySettings) -> bool:
    """Whether the corresponding sentences of a pair contradict each other too often.

    One contradiction among many agreeing sentences is a correction or a rounding (a wire
    re-issue is still the same report); at `contradiction_share` of the sentences with facts or
    more, the texts report different figures or names in the same frame: another period,
    another company, another report. Between texts that share wording, names count as much as
    figures (a template filled in for another company); between rewordings only figures do, as
    a rewrite names things its own way ("BofA" for "Bank of America", "told the BBC").
    """
    verbatim = scores.get("reproduced", 0.0) >= settings.partial_share
    contradicting = scores.get("contradicting" if verbatim else "contradicting_figures", 0.0)
    with_facts = contradicting + scores.get("agreeing", 0.0)
    return contradicting >= 1 and contradicting >= settings.contradiction_share * with_facts
