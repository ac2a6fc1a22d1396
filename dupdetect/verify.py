"""A candidate pair of profiled texts → a `Match` (exact, near-verbatim, partial, rewrite) or None.

**What a copy is.** A copy is *the same report*: the same event told with the same specific
facts (figures, dates, amounts, names, quotes), whatever the wording, layout or padding. A
follow-up, another period's figures, another company's results in the same template, or
independent coverage of the same event is not a copy, however many names and words it shares.

**The kinds**, decided on the word 5-grams (shingles) the two texts share:

- ``exact``: the same words (content hash).
- ``near-verbatim``: at least half of *each* text's 5-grams are in the other (``wording``): a
  syndicated copy in another site's page, a copy with a few words edited (8% of the words
  edited keeps about 65%). The BBC set's duplicate rule, Jaccard 0.5, implies it.
- ``partial``: a third of one text's 5-grams are reproduced in the other (``reproduced``): an
  excerpt, a passage quoted inside another page (the crawl's excerpts of 40-70% of an article
  reproduce 0.40 and more; pages that merely share a template or a background paragraph seldom
  a third). A passage keeps its report's lead: where the lead of the text reproduced states
  figures the other states in part only, the other is its frame filled in again
  (``passage_lead_news``, `agreement.passage_lead_news`).
- ``rewrite``: the words changed, the report did not. The rewrite score averages three views of
  "the text that says less is made of the other": the rarity-weighted share of its content words
  found in the other (``term_containment``), the share of its facts the other states
  (``facts``), and the share of its sentences that find, in order, a sentence of the other
  saying the same (``aligned_sentences``). A rewrite at 0.64, if 45% of its content words are in
  the other (`GATE`) or the two are mainly about the same things (``focus``). These scores read
  the stories, not their pages: a reworded pair that passes is scored again without the lines
  both texts hold word for word at one place among their first or last three (one site's name,
  menu and footer, a menu sites share, a wire's sign-off: `furniture`).

**Same report, not same story.** Before any kind is given, the facts of *corresponding sentences*
(the sentence pairs the alignment finds) are compared (`fact_agreement`): two corresponding
sentences *contradict* when each states a fact, a figure or a name, that the other text never states
("a shortage of around 300 mln stg" against "around 450 mln stg"; "Texaco said it raised" against
"Amoco said it raised"); they *agree* when they share one. A copy may drop facts, never replace
them: when contradicting sentences reach a quarter of the sentences with facts (at least one), the
texts are two reports in one frame (`contradicts`). Between texts that share wording, names and
figures both count; between rewordings only figures do, as a rewrite names things its own way
("BofA"). Rounding (4.45 and 4.5, not 66.0 and 67), a corrected last digit (413.5 and 413.6, not 6.5
and 6.6) and a typing slip (a letter changed, added or dropped, two swapped) are the same fact
(`facts.same_fact`), and a name the other text also writes, in any case, is not stated by one text
only (`agreement`). A rewrite keeps its source's figures, so when *each* of two rewordings states
figures the other never does, in 15% of its sentences with facts or more (a table's rows count,
though too short to align), the texts are two reports (`new_figures`): a follow-up and the story it
follows (the St Lawrence Seaway opening its 1987 season, and a preview of it weeks before, both
citing last season's tonnages), the next period's figures, another company's results. A copy's page
may add figures of its own, but then the copied text adds none. A follow-up may also repeat the
report it follows as background, so that only one side states new figures; but it *leads* with its
news, and a retelling keeps its source's lead: a rewording whose lead (its first sentence of prose)
states a figure the other text never states, a date or a year aside, tells other news ("a further 20
mln stg" of help after "17 mln stg"; `agreement.lead_news`). When both publication dates are known
(stated, not a crawler's or guessed: `run.profile_text`) and more than three days apart, only a text
reproducing 80% of the other counts, and only if not each states new figures (a template re-run: a
daily price's method paragraph, then that day's quotes): wire re-issues, corrections and updates of
one report come within hours (85 of the 90 judged Reuters copies within a day, 2 of 5 beyond three
days), follow-ups and other periods days or weeks later. When both headlines name a company the way
wire copy does (a ticker in angle brackets, ``<UCL>``) and the companies differ (no ticker in
common, nor half the words of the shorter name), the texts are another company's report in the same
template, whatever their wording: a dividend notice or a prime rate rise names its company in the
headline only (`facts.headline_subject`). When only one headline names a company that way, the other
text must name it too, by its ticker or half the words of its name (`names`): Green Tree
Acceptance's dividend notice is no copy of Maui Land and Pineapple's, whose headline has no ticker.

**Loose retellings** (the seeds, retellings of an absent source) score below the rewrite
threshold against each other; two *weak* rules catch them: what the texts are mainly about is
the same (``focus``: the cosine of their TF-IDF weights over each text's 16 most
characteristic terms reaches 0.78, vocabularies overlapping by 0.3), or the text that states
fewer facts states 80% of them (5 or more) in the other, vocabularies overlapping by 0.4.
Pairwise, same-saga stories pass these too, so a weak match never forms a group: clustering
lets it bring a document into a family of rewrites, and only one that is not part of a saga
(see `clustering`).

**How the thresholds were set.** ``python benchmarks/calibrate.py`` scores the candidate pairs
of every dev set once and prints each threshold's pair precision and recall per set, with a
leave-one-set-out check: a value chosen on five sets, then measured on the sixth. Pair figures
are the verdict's own; clustering recovers more copies through their other links.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from itertools import repeat
from typing import NamedTuple, TypeVar

import numpy as np

from . import hashing
from .agreement import contradicts, fact_agreement, lead_news, new_figures, passage_lead_news
from .align import Sentences, best_matches, in_order, index_sentences
from .facts import Subject, headline_subject, same_company
from .features import lines, profile, sentence_profile, stem
from .rarity import Rarity
from .records import Match, Profile, SentenceProfile
from .settings import Settings, VerifySettings

FOCUS_TERMS = 16  # how many top TF-IDF terms define what a text is mainly about
# A rewrite keeps most of its source's vocabulary: below this term containment (no rewrite of
# spun-dev's had less than 0.53) the rewrite score makes no copy unless the focus rule passes,
# and the costlier scores are computed only for the weak rules.
GATE = 0.45


def containment(a: AbstractSet[Hashable], b: AbstractSet[Hashable]) -> float:
    """Share of the smaller set found in the larger one.

    Example:
        >>> containment({"a", "b"}, {"a", "b", "c", "d"})
        1.0
    """
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def shared_shingles(pa: Profile, pb: Profile) -> int:
    """How many word 5-grams the two texts share."""
    return hashing.count_shared(pa.shingles, pb.shingles)


def _shares(pa: Profile, pb: Profile) -> tuple[int, list[float]]:
    """The word 5-grams two texts share, and the share of each text's 5-grams that is."""
    shared = shared_shingles(pa, pb)
    return shared, [shared / len(p.shingles) if len(p.shingles) else 0.0 for p in (pa, pb)]


def shingle_overlap(pa: Profile, pb: Profile) -> float:
    """Share of the smaller text's word 5-grams that the other text has."""
    smaller = min(len(pa.shingles), len(pb.shingles))
    return shared_shingles(pa, pb) / smaller if smaller else 0.0


def cites(p: Profile, subject: Subject) -> bool:
    """Whether a text writes the ticker of another headline's company.

    Two headlines may name the two sides of one event (an acquisition approved, reported by
    each company); when each text writes the other's ticker, they are not two companies'
    reports in one template.
    """
    return any(stem(t) in p.terms for t in subject.tickers if " " not in t)


def names(p: Profile, subject: Subject) -> bool:
    """Whether a text names another headline's company: its ticker, or half its name's words.

    A copy of a company's report names the company, if not in its headline then in its text
    (a unit's story may drop its parent: "OCCIDENTAL UNIT <OXY>", "Iowa Beef"). Words of two
    letters or less ("N.A.", an exchange's "TO") say nothing.
    """
    words = [w for w in subject.name - subject.tickers if len(w) > 2]
    return cites(p, subject) or 2 * sum(stem(w) in p.terms for w in words) >= len(words)


_LINE = re.compile(r"[^\n]*\S[^\n]*")  # a line that is not blank
# Where a page's furniture sits: its first lines (its name, its menu) and its last (a footer).
EDGE_LINES = 3


def furniture(a: str, b: str) -> tuple[int, ...]:
    """The lines two texts both hold word for word at one place among their first or last lines.

    One site's pages frame every story in the same header and footer (its name, its menu, its
    copyright line), sites built alike share their menu, and a wire ends every story with its
    sign-off; between two reworded texts those lines are the page's, not the report's. Lines
    are numbered among the non-blank ones, from the start (0, 1, ...) or from the end (-1,
    -2, ...), a short text's last lines being only those after its first ones; at least one
    line of each text is left.

    Example:
        >>> furniture("Metro\\nHome | World\\nGold opens firmer\\nAll rights reserved.",
        ...           "InfoStream\\nHome | World\\nYen bonds fall\\nAll rights reserved.")
        (1, -1)
    """
    rows_a, rows_b = _rows(a), _rows(b)
    same = [
        n
        for n, (x, y) in enumerate(zip(rows_a[:EDGE_LINES], rows_b[:EDGE_LINES], strict=False))
        if x == y
    ]
    tails = (rows[EDGE_LINES:][::-1][:EDGE_LINES] for rows in (rows_a, rows_b))
    same += [-1 - n for n, (x, y) in enumerate(zip(*tails, strict=False)) if x == y]
    if any(len({n % len(rows) for n in same}) >= len(rows) for rows in (rows_a, rows_b)):
        return ()  # nothing left of a text
    return tuple(same)


def _rows(text: str) -> list[str]:
    return [m.group().strip() for m in _LINE.finditer(text)]


def _body(text: str, lines_out: tuple[int, ...]) -> str:
    """The text without the non-blank lines numbered in `lines_out` (see `furniture`)."""
    spans = [m.span() for m in _LINE.finditer(text)]
    out = sorted({n % len(spans) for n in lines_out})
    pieces, start = [], 0
    for n in out:
        pieces.append(text[start : spans[n][0]])
        start = spans[n][1]
    pieces.append(text[start:])
    return "".join(pieces).strip()


class Alignment(NamedTuple):
    """The sentences of two texts that say the same, as pairs ``(short's, long's)``."""

    short: SentenceProfile  # the text with fewer sentences
    long: SentenceProfile
    pairs: list[tuple[int, int]]
    swapped: bool  # the short text is the pair's second


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in scores.items()}


# Texts whose data each cache keeps (each entry holds its profile alive, so its id is not
# reused). Term weights are needed for every candidate pair and are small (a few KB): enough
# for the profiles a run keeps (`run.PROFILES_KEPT`), as 4,096 recomputed them 3.5 times each
# on a crawl. Sentences are needed for few pairs, with more locality, and weigh more.
CACHED_WEIGHTS = 20_000
CACHED_SENTENCES = 4_096
# Where a headline is looked for: a page's furniture, then the story's headline.
HEADLINE_CHARS, HEADLINE_LINES = 1_000, 6
_Value = TypeVar("_Value")
_CacheKey = TypeVar("_CacheKey", int, str, tuple[int, tuple[int, ...]])


def _bounded_put(
    cache: dict[_CacheKey, _Value], key: _CacheKey, value: _Value, capacity: int
) -> None:
    """Store an entry, dropping the oldest one beyond `capacity`."""
    if len(cache) >= capacity:
        del cache[next(iter(cache))]
    cache[key] = value


class Verifier:
    """Scores candidate pairs; caches per-document weights, so build one per corpus.

    Args:
        rarity: the corpus's rarity weights of content-word stems (`rarity.Rarity`).
        settings: the verification thresholds.
        shingle_size: words per shingle of the profiles it is given (the verbatim view's), for
            the profiles it makes itself (a text without its page's furniture, `bodies`).
    """

    def __init__(self, rarity: Rarity, settings: VerifySettings, shingle_size: int = 5) -> None:
        self.rarity = rarity
        self.settings = settings
        self.shingle_size = shingle_size
        # Caches keyed by id(): each entry holds its profile, so the id cannot be reused by
        # another profile while the entry lives (profiles made for one query come and go).
        self._weights: dict[int, tuple[Profile, Weights]] = {}
        self._sentences: dict[int, tuple[Profile, SentenceProfile, Sentences]] = {}
        # Keyed by the text's first characters, where a headline is looked for: an entry need
        # not keep its profile alive.
        self._subjects: dict[str, Subject | None] = {}
        # Texts without their page's furniture, keyed by (id, the lines left out).
        self._bodies: dict[tuple[int, tuple[int, ...]], tuple[Profile, Profile]] = {}

    @classmethod
    def of(cls, rarity: Rarity, settings: Settings) -> Verifier:
        """The verifier a run with `settings` uses (its thresholds, its verbatim shingle size)."""
        return cls(rarity, settings.verify, settings.view("verbatim").shingle_size)

    def __call__(self, a: str, b: str, pa: Profile, pb: Profile) -> Match | None:
        """Return the verified relation between documents `a` and `b`, or None."""
        scores = self.scores(pa, pb)
        kind, score, weak = self.decide(scores, min(pa.n_words, pb.n_words))
        return None if kind is None else Match(a, b, kind, round(score, 4), scores, weak)

    def in_id_order(self, a: str, pa: Profile, b: str, pb: Profile) -> Match | None:
        """`__call__` with the pair named in id order, as a clustering run names its pairs."""
        if b < a:
            a, pa, b, pb = b, pb, a, pa
        return self(a, b, pa, pb)

    def scores(self, pa: Profile, pb: Profile, *, complete: bool = False) -> dict[str, float]:
        """Every score of the pair that can change its verdict (every score when `complete`).

        The cheap scores come first and end the work when no rule can pass any more: most
        candidates of a crawl are rejected before their sentences are looked at. A reworded
        pair that passes is scored again without the lines both texts hold at their edges
        (`furniture`, `bodies`): those lines only make two texts look more alike, so the pairs
        they cannot have made copies are spared the second scoring.
        """
        scores = self._scores(pa, pb, complete)
        if scores["exact"] or scores["reproduced"] >= self.settings.partial_share:
            return scores
        if self.verdict(scores, self.settings.min_words)[0] is None:
            return scores
        body_a, body_b, lines_out = self.bodies(pa, pb)
        if lines_out:
            scores = self._scores(body_a, body_b, complete) | {"furniture_lines": lines_out}
        return scores

    def _scores(self, pa: Profile, pb: Profile, complete: bool) -> dict[str, float]:
        s = self.settings
        shared, shares = _shares(pa, pb)
        union = len(pa.shingles) + len(pb.shingles) - shared
        # Scores are rounded as they are made, so that the rules here see what `verdict` sees
        # (a share of exactly a third once passed as partial here and failed there).
        scores = _rounded(
            {
                "exact": float(pa.content_hash == pb.content_hash),
                "jaccard": shared / union if union else 0.0,
                "wording": min(shares),
                "reproduced": max(shares),
            }
        )
        if scores["exact"] and not complete:
            return scores
        containment_of_terms = self.term_containment(pa, pb)  # unrounded for the formulas
        scores["term_containment"] = term = round(containment_of_terms, 4)
        if pa.published is not None and pb.published is not None:
            scores["days_apart"] = abs(pa.published - pb.published) / 86_400
        verbatim = scores["reproduced"] >= s.partial_share
        # Without shared wording only the rewrite score or a weak rule can make a copy. Below
        # `GATE` the rewrite score counts only if the focus rule passes (`verdict`): without
        # it only the facts rule can, and below both weak rules' vocabulary overlap nothing.
        if not verbatim and not complete and term < GATE:
            if term < min(s.focus_min_overlap, s.facts_weak_overlap):
                return _rounded(scores)
            scores["focus"] = round(self.focus_overlap(pa, pb), 4)
            if scores["focus"] < s.focus_threshold and term < s.facts_weak_overlap:
                return _rounded(scores)
        # Two companies' reports in one template share wording and facts alike: no other score
        # can make them copies (checked here, before the alignment, for the pairs that could).
        subject_a, subject_b = self.subject(pa), self.subject(pb)
        if subject_a and subject_b:
            scores["other_subject"] = float(
                not same_company(subject_a, subject_b)
                and not (cites(pa, subject_b) and cites(pb, subject_a))
            )
        elif subject_a:
            scores["other_subject"] = float(not names(pb, subject_a))
        elif subject_b:
            scores["other_subject"] = float(not names(pa, subject_b))
        if scores.get("other_subject") and not complete:
            return _rounded(scores)
        alignment = self.alignment(pa, pb)
        agreeing, contradicting, figures = fact_agreement(*alignment[:3])
        scores["agreeing"], scores["contradicting"] = agreeing, contradicting
        scores["contradicting_figures"] = figures
        # The share of the facts of the text that states fewer found in the other; with fewer
        # than three on either side there is too little to compare, and the term containment
        # stands in for it.
        facts = alignment.short.facts, alignment.long.facts
        scores["facts"] = containment(*facts) if min(map(len, facts)) >= 3 else containment_of_terms
        scores["shared_facts"] = len(facts[0] & facts[1])
        far_apart = scores.get("days_apart", 0.0) > s.max_days_apart
        if verbatim and scores["wording"] < s.near_verbatim_share:
            passage_of_a = shares[0] >= shares[1]
            reproduced, other = (pa, pb) if passage_of_a else (pb, pa)
            scores["passage_lead_news"] = len(
                passage_lead_news(self.sentence_profile(reproduced), self.sentence_profile(other))
            )
        if verbatim and not complete and not far_apart:
            return _rounded(scores)  # shared wording decides; new figures cannot
        scores["new_figures"] = new_figures(alignment.short, alignment.long)
        scores["lead_news"] = len(lead_news(alignment.short, alignment.long))
        chain = in_order(alignment.pairs)
        n_sentences = len(alignment.short.terms)
        scores["aligned_sentences"] = len(chain) / n_sentences if n_sentences else 0.0
        scores["rewrite"] = (
            containment_of_terms + scores["facts"] + scores["aligned_sentences"]
        ) / 3
        # The focus only matters when the rewrite score fails (it passes for most rewrites).
        if "focus" not in scores and (
            complete or round(scores.get("rewrite", 0.0), 4) < s.rewrite_threshold
        ):
            scores["focus"] = self.focus_overlap(pa, pb)
        return _rounded(scores)

    def at_most_partial(self, pa: Profile, pb: Profile) -> bool:
        """Whether the pair's shared 5-grams allow it no kind but partial (or none).

        A third of one text's 5-grams are in the other, but less than half of each (`scores`'
        first step alone).
        """
        low, high = sorted(round(share, 4) for share in _shares(pa, pb)[1])  # as `scores`
        return high >= self.settings.partial_share and low < self.settings.near_verbatim_share

    def decide(self, scores: dict[str, float], min_words: int) -> tuple[str | None, float, bool]:
        """Turn a pair's scores into ``(kind, score, weak)``; kind None means not a copy.

        ``weak`` marks a rewrite that passed only the focus rule. See the module docstring for
        the rules and `verdict` for the reason behind a verdict.
        """
        kind, score, weak, _ = self.verdict(scores, min_words)
        return kind, score, weak

    def verdict(
        self, scores: dict[str, float], min_words: int
    ) -> tuple[str | None, float, bool, str]:
        """``(kind, score, weak, why)``: `decide` with the reason in words."""
        s = self.settings
        rewrite = scores.get("rewrite", 0.0)
        if scores["exact"]:
            return "exact", 1.0, False, "the same text"
        if min_words < s.min_words:
            return None, 0.0, False, f"a text has fewer than {s.min_words} words"
        if scores.get("other_subject"):
            why = "a headline names a company (<ticker>) the other does not: another company's"
            why += " report"
            return None, rewrite, False, why
        if contradicts(scores, s):
            why = (
                f"{scores['contradicting']:.0f} corresponding sentence(s) state other facts "
                f"({scores['agreeing']:.0f} agree): another report"
            )
            return None, rewrite, False, why
        days = scores.get("days_apart")
        if days is not None and days > s.max_days_apart:
            if scores["reproduced"] < s.far_apart_reproduced:
                why = f"published {days:.0f} days apart and not one reproducing the other"
                return None, rewrite, False, why
            if scores.get("new_figures", 0.0) >= s.new_figures_share:
                why = f"published {days:.0f} days apart, each with its own figures: another day's"
                why += " report"
                return None, rewrite, False, why
        if scores["wording"] >= s.near_verbatim_share:
            return "near-verbatim", scores["wording"], False, "most wording of both is shared"
        if scores["reproduced"] >= s.partial_share:
            if scores.get("passage_lead_news"):
                why = "the lead of the text reproduced states figures the other never does:"
                return None, rewrite, False, why + " another report in its template"
            return "partial", scores["reproduced"], False, "a passage of one is in the other"
        if scores.get("new_figures", 0.0) >= s.new_figures_share:
            why = "each states figures the other never does: another report (a follow-up?)"
            return None, rewrite, False, why
        if scores.get("lead_news", 0.0):
            why = "a lead states figures the other text never does: other news (a follow-up?)"
            return None, rewrite, False, why
        if rewrite >= s.rewrite_threshold and (
            scores["term_containment"] >= GATE or scores.get("focus", 0.0) >= s.focus_threshold
        ):
            return "rewrite", rewrite, False, "the same facts and points, reworded"
        if scores.get("focus", 0.0) >= s.focus_threshold and (
            scores["term_containment"] >= s.focus_min_overlap
        ):
            return "rewrite", rewrite, True, "mainly about the same things (a loose retelling)"
        if (
            scores.get("facts", 0.0) >= s.facts_weak
            and scores.get("shared_facts", 0.0) >= s.facts_weak_count
            and scores["term_containment"] >= s.facts_weak_overlap
        ):
            return "rewrite", rewrite, True, "states the other's facts (a loose retelling)"
        return None, rewrite, False, "not enough of one text is in the other"

    def alignment(self, pa: Profile, pb: Profile) -> Alignment:
        """The sentences of the two texts that say the same (see `Alignment`)."""
        sa, sb = self.sentence_profile(pa), self.sentence_profile(pb)
        swapped = len(sb.terms) < len(sa.terms)
        if swapped:
            sa, sb, pa, pb = sb, sa, pb, pa
        return Alignment(sa, sb, best_matches(self.sentences(pa), self.sentences(pb)), swapped)

    def bodies(self, pa: Profile, pb: Profile) -> tuple[Profile, Profile, int]:
        """The two texts without the lines `furniture` finds, and how many lines that is.

        Two pages of one site share their header and footer whatever stories they hold: the
        site's name and menu made a Tokyo gold report a rewrite of a Hong Kong one.
        """
        lines_out = furniture(pa.text, pb.text)
        if not lines_out:
            return pa, pb, 0
        return self._body_of(pa, lines_out), self._body_of(pb, lines_out), len(lines_out)

    def _body_of(self, p: Profile, lines_out: tuple[int, ...]) -> Profile:
        key = (id(p), lines_out)
        if key not in self._bodies:
            body = profile(_body(p.text, lines_out), self.shingle_size, p.published)
            _bounded_put(self._bodies, key, (p, body), CACHED_SENTENCES)
        return self._bodies[key][1]

    def weights(self, p: Profile) -> Weights:
        """The text's term weights (`Weights`, cached per text)."""
        key = id(p)
        if key not in self._weights:
            _bounded_put(
                self._weights, key, (p, term_weights(p.terms, self.rarity)), CACHED_WEIGHTS
            )
        return self._weights[key][1]

    def subject(self, p: Profile) -> Subject | None:
        """The company the text's headline names, if wire copy marks it (cached per head)."""
        head = p.text[:HEADLINE_CHARS]
        if "<" not in head:
            return None
        if head not in self._subjects:
            found = headline_subject(lines(head)[:HEADLINE_LINES])
            _bounded_put(self._subjects, head, found, CACHED_SENTENCES)
        return self._subjects[head]

    def sentence_profile(self, p: Profile) -> SentenceProfile:
        """The text sentence by sentence (`features.sentence_profile`, cached per text)."""
        return self._sentence_data(p)[0]

    def sentences(self, p: Profile) -> Sentences:
        """The text's sentences weighted and indexed for alignment (cached per text)."""
        return self._sentence_data(p)[1]

    def _sentence_data(self, p: Profile) -> tuple[SentenceProfile, Sentences]:
        key = id(p)
        if key not in self._sentences:
            by_sentence = sentence_profile(p.text)
            indexed = index_sentences(by_sentence.terms, self.rarity)
            _bounded_put(self._sentences, key, (p, by_sentence, indexed), CACHED_SENTENCES)
        _, by_sentence, indexed = self._sentences[key]
        return by_sentence, indexed

    def term_containment(self, pa: Profile, pb: Profile) -> float:
        """IDF-weighted share of the lighter text's content words found in the other."""
        wa, wb = self.weights(pa), self.weights(pb)
        found = hashing.found_in(wa.keys, wb.keys)
        lighter = min(wa.total, wb.total)
        return float(wa.idf[found].sum()) / lighter if lighter else 0.0

    def focus_overlap(self, pa: Profile, pb: Profile) -> float:
        """Cosine of the two texts' TF-IDF weights over their top `FOCUS_TERMS` terms."""
        wa, wb = self.weights(pa), self.weights(pb)
        union = hashing.unique(np.concatenate([wa.keys[wa.focus], wb.keys[wb.focus]]))
        a, b = wa.tfidf_of(union), wb.tfidf_of(union)
        norm = math.sqrt(float(a @ a) * float(b @ b))
        return float(a @ b) / norm if norm else 0.0


class Weights(NamedTuple):
    """A text's content-word stems as arrays sorted by term key, with their weights."""

    keys: np.ndarray
    idf: np.ndarray
    tfidf: np.ndarray  # (1 + ln count) * idf
    total: float  # the sum of idf
    focus: np.ndarray  # the positions of the `FOCUS_TERMS` highest TF-IDF terms

    def tfidf_of(self, keys: np.ndarray) -> np.ndarray:
        """The TF-IDF of each of `keys` (sorted) in this text, 0 where it lacks the term."""
        if not len(self.keys):
            return np.zeros(len(keys))
        at, found = hashing.look_up(keys, self.keys)
        return np.where(found, self.tfidf[at], 0.0)


def term_weights(terms: Counter[str], rarity: Rarity) -> Weights:
    """A text's `Weights`: IDF and TF-IDF of each stem, and what the text is mainly about.

    The focus takes the highest TF-IDF terms, ties broken by term key (stable across runs).
    """
    names = list(terms)
    keys = hashing.term_keys(names)
    order = np.argsort(keys, kind="stable")
    weights = np.array(rarity.idfs(names), dtype=np.float64)[order]
    counts = np.fromiter(terms.values(), np.float64, len(terms))[order]
    tfidf = (1 + np.log(counts)) * weights
    focus = np.lexsort((-keys[order], -tfidf))[:FOCUS_TERMS]
    return Weights(keys[order], weights, tfidf, math.fsum(weights.tolist()), focus)


_Key = TypeVar("_Key")


# A pair's role in its verification group (`run.roles`): a pair of the group's representative,
# a pair of two other members (redundant once both are mutual copies of it), or other.
OTHER, SPOKE, REDUNDANT = 0, 1, 2


def verify_pairs(
    pairs: Iterable[tuple[str, str, _Key, _Key]],
    profile_of: Callable[[_Key], Profile],
    verifier: Verifier,
    roles: Iterable[int] | None = None,
) -> Iterator[tuple[_Key, _Key, Match]]:
    """Judge candidate pairs ``(id a, id b, key a, key b)``; yield ``(key a, key b, match)``.

    The one verification loop of every engine: a run's workers, a Spark task and an index query
    all call it. `profile_of` gets each side's profile by its key (a position, an id), so the
    caller decides where profiles come from (a bounded cache, a spool, a table).

    With `roles` (`run.roles`), a ``REDUNDANT`` pair (two members of a large group) is passed
    over when its verdict would tell the clustering nothing it needs. Both texts must have
    been found copies of one same member of their group earlier (its representative, whose
    ``SPOKE`` pairs come first, or another), with no fact contradicting it, and either

    - both are *near-verbatim* copies of it: each keeps half of its word 5-grams, so both tell
      its report and are joined to it whatever their own verdict (a same-report link joins
      unconditionally, `clustering.group`); or
    - both are *mutual* copies of it (each reproduces at least `partial_share` of the other's
      5-grams: an edited copy rather than a passage) and their own shared wording allows them
      no kind but ``partial`` (`at_most_partial`, from the 5-grams alone): a passage link
      between two copies of one text ties them as their links to it already do, and where the
      clustering asks whether they are related it finds their shared 5-grams itself.

    Every engine passes over a group's pairs in one order (spokes first, then by position), so
    the pairs passed over depend only on the input.
    """
    near: dict[_Key, set[_Key]] = {}  # each member's near-verbatim copies found in its group
    mutual: dict[_Key, set[_Key]] = {}  # and its mutual copies (near-verbatim ones included)

    def share_one(copies: dict[_Key, set[_Key]], key_a: _Key, key_b: _Key) -> bool:
        return not copies.get(key_a, set()).isdisjoint(copies.get(key_b, ()))

    for (a, b, key_a, key_b), role in zip(pairs, roles or repeat(OTHER), strict=False):
        redundant = role == REDUNDANT
        if redundant and share_one(near, key_a, key_b):
            continue  # profiles not even fetched
        pa, pb = profile_of(key_a), profile_of(key_b)
        if redundant and share_one(mutual, key_a, key_b) and verifier.at_most_partial(pa, pb):
            continue
        match = verifier.in_id_order(a, pa, b, pb)
        if match is None:
            continue
        if role != OTHER and match.scores["wording"] >= verifier.settings.partial_share:
            for copies in (mutual, near) if match.kind == "near-verbatim" else (mutual,):
                copies.setdefault(key_a, set()).add(key_b)
                copies.setdefault(key_b, set()).add(key_a)
        yield key_a, key_b, match
