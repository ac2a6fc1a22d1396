"""One frozen `Settings` object, sectioned per stage, with documented and checked defaults.

Thresholds were calibrated on ``../shared/data`` (BBC, spun-dev, seeds, pages) as written at
each field; `benchmarks/calibrate.py` prints the score distributions they were read from.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from .errors import SettingsError


def _check_fraction(name: str, value: float, low_open: bool = True) -> None:
    if not (0 < value <= 1 if low_open else 0 <= value <= 1):
        bounds = "(0, 1]" if low_open else "[0, 1]"
        raise SettingsError(f"{name} must be in {bounds}, got {value!r}")


@dataclass(frozen=True)
class IngestSettings:
    """What is read: which fields of a JSONL/CSV record hold what, and what is passed over.

    Args:
        id_field, text_field, html_field, url_field, title_field, date_field: field names.
        exclude: glob patterns of files to pass over when walking a folder (ripgrep's rules:
            a pattern with no ``/`` matches a file or folder name at any depth, one with a
            ``/`` the path below the folder; files named on the command line are always read).
        min_words: an extracted text shorter than this is no article (a page of links, a
            teaser) and is skipped. The pages dev set has real article bodies of 18 words.
        id_prefix: put before the id of every document read from a file (for an index that
            gets files with the same relative names day after day).
    """

    id_field: str = "id"
    text_field: str = "text"
    html_field: str = "html"
    url_field: str = "url"
    title_field: str = "title"
    date_field: str = "date"
    exclude: tuple[str, ...] = ()
    min_words: int = 15
    id_prefix: str = ""

    def __post_init__(self) -> None:
        if self.min_words < 1:
            raise SettingsError(f"ingest.min_words must be >= 1, got {self.min_words!r}")


@dataclass(frozen=True)
class SignSettings:
    """MinHash parameters; changing them changes every signature."""

    num_perm: int = 128
    seed: int = 1

    def __post_init__(self) -> None:
        if not 16 <= self.num_perm <= 1024:
            raise SettingsError(f"sign.num_perm must be in [16, 1024], got {self.num_perm!r}")


@dataclass(frozen=True)
class View:
    """A MinHash-LSH view: how a text becomes a set, and the Jaccard threshold for candidates.

    Args:
        name: ``verbatim`` (word shingles) or ``rewrite`` (stemmed content words).
        threshold: LSH Jaccard threshold at which pairs become candidates.
        floor: containment (estimated from the signatures) a candidate needs to be verified.
        shingle_size: words per shingle (verbatim view only).
    """

    name: str
    threshold: float
    floor: float
    shingle_size: int = 5

    def __post_init__(self) -> None:
        if self.name not in ("verbatim", "rewrite"):
            raise SettingsError(f"views.name must be 'verbatim' or 'rewrite', got {self.name!r}")
        _check_fraction(f"views.{self.name}.threshold", self.threshold)
        _check_fraction(f"views.{self.name}.floor", self.floor, low_open=False)
        if not 1 <= self.shingle_size <= 12:
            raise SettingsError(
                f"views.{self.name}.shingle_size must be in [1, 12], got {self.shingle_size!r}"
            )


# Verbatim: a copy embedded in a page three times its length still has Jaccard ~0.27 with it,
# so candidates start at 0.2 and containment decides. Rewrite: the set is the text's rare
# content words (`features.rare_terms`); over all content words, rewrites had Jaccard 0.19-0.83
# (seeds 0.17-0.43) against 0.10-0.16 for same-topic pairs, so an LSH at 0.15 (51 bands of 2
# rows) was needed and returned 8% of all pairs: quadratic at crawl scale. Over rare words
# at 0.25 (42 bands of 3 rows) it returns 0.1% of spun-dev's pairs, 80 times fewer, with the
# same clusters on every dev set (BBC pair F1 0.9876, from 0.9845).
# Floors: near-verbatim copies (Jaccard >= 0.5) and excerpts (containment >= 0.8) have an
# estimated shingle containment far above 0.4; 0.3 for the rewrite view leaves the dev figures
# as they are at 0.2.
DEFAULT_VIEWS = (View("verbatim", 0.2, 0.4, 5), View("rewrite", 0.18, 0.3, 1))


@dataclass(frozen=True)
class VerifySettings:
    """Thresholds that turn a candidate pair's scores into a verdict (see `verify`).

    The figures behind each are in `verify`'s docstring and come from
    ``benchmarks/calibrate.py`` over every dev set in ``../shared/data``.
    """

    # Near-verbatim: at least half of each text's word 5-grams are in the other (a copy with a
    # few words changed: 8% of words edited keeps ~65%; the BBC rule's Jaccard 0.5 implies it).
    near_verbatim_share: float = 0.5
    # Partial: a third of one text's 5-grams are reproduced in the other (an excerpt, a passage
    # inside another page); crawl excerpts of 40-70% of an article keep 0.40 and up.
    partial_share: float = 1 / 3
    rewrite_threshold: float = 0.64
    focus_threshold: float = 0.78  # see `verify` for how it was read
    focus_min_overlap: float = 0.3
    # A second loose-retelling rule: the text that states fewer facts states this share of them
    # in the other (at least `facts_weak_count` shared), and their vocabularies overlap.
    facts_weak: float = 0.8
    facts_weak_count: int = 5
    facts_weak_overlap: float = 0.4
    # Another report: at least one corresponding sentence, and this share of those that state
    # facts, contradict the other text's facts.
    contradiction_share: float = 0.25
    # Not a rewrite: each text states new figures (figures the other never states) in this share
    # of its sentences that state facts or more (`agreement.new_figures`).
    new_figures_share: float = 0.15
    # Texts published further apart than this (days, when both dates are known) are only copies
    # by their wording: near-verbatim, or one reproduced (this share of it) in the other.
    max_days_apart: float = 3.0
    far_apart_reproduced: float = 0.8
    min_words: int = 20

    def thresholds(self) -> dict[str, float]:
        """The threshold of each decisive score, by the score's name (for legends)."""
        return {
            "wording": self.near_verbatim_share,
            "reproduced": self.partial_share,
            "rewrite": self.rewrite_threshold,
            "focus": self.focus_threshold,
            "new_figures": self.new_figures_share,
        }

    def __post_init__(self) -> None:
        for f in (
            "near_verbatim_share", "partial_share", "rewrite_threshold", "focus_threshold",
            "focus_min_overlap", "contradiction_share", "new_figures_share", "far_apart_reproduced",
            "facts_weak", "facts_weak_overlap",
        ):  # fmt: skip
            _check_fraction(f"verify.{f}", getattr(self, f))
        if self.max_days_apart < 0:
            raise SettingsError(f"verify.max_days_apart must be >= 0, got {self.max_days_apart!r}")
        if self.min_words < 1:
            raise SettingsError(f"verify.min_words must be >= 1, got {self.min_words!r}")


@dataclass(frozen=True)
class ClusterSettings:
    """Clustering: the share of a paraphrase family a weak link must reach (see `clustering`)."""

    min_link_share: float = 0.5

    def __post_init__(self) -> None:
        _check_fraction("cluster.min_link_share", self.min_link_share)


@dataclass(frozen=True)
class Settings:
    """Every parameter of a run, one section per stage.

    Example:
        >>> Settings().verify.rewrite_threshold
        0.64
        >>> Settings.from_dict(Settings().to_dict()) == Settings()
        True
    """

    ingest: IngestSettings = field(default_factory=IngestSettings)
    sign: SignSettings = field(default_factory=SignSettings)
    views: tuple[View, ...] = DEFAULT_VIEWS
    verify: VerifySettings = field(default_factory=VerifySettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)

    def __post_init__(self) -> None:
        names = [v.name for v in self.views]
        if sorted(names) != ["rewrite", "verbatim"]:
            raise SettingsError(f"views must be one 'verbatim' and one 'rewrite', got {names!r}")

    def view(self, name: str) -> View:
        """Return the view called `name`."""
        return next(v for v in self.views if v.name == name)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as plain JSON-able data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Rebuild settings from `to_dict` output; unknown keys raise `SettingsError`."""
        sections = {f.name: f.type for f in fields(cls)}
        unknown = set(data) - set(sections)
        if unknown:
            raise SettingsError(f"unknown settings section(s): {', '.join(sorted(unknown))}")
        kwargs: dict[str, Any] = {}
        if "ingest" in data and "exclude" in data["ingest"]:
            data = {
                **data,
                "ingest": {**data["ingest"], "exclude": tuple(data["ingest"]["exclude"])},
            }
        for name, cls_ in (
            ("ingest", IngestSettings),
            ("sign", SignSettings),
            ("verify", VerifySettings),
            ("cluster", ClusterSettings),
        ):
            if name in data:
                try:
                    kwargs[name] = cls_(**data[name])
                except TypeError as error:
                    raise SettingsError(f"{name}: {error}") from None
        if "views" in data:
            kwargs["views"] = tuple(View(**v) for v in data["views"])
        return cls(**kwargs)

    def signature_key(self) -> str:
        """The part of the settings that changes signatures, as a stable string."""
        from . import features
        from .normalize import NORMALIZER_VERSION

        return json.dumps(
            {
                "num_perm": self.sign.num_perm,
                "seed": self.sign.seed,
                "scheme": "affine32",
                "shingle_hash": "fnv1a-words-fmix32",
                "tokens": "words, CJK characters",  # `features.WORD`
                "rewrite_set": f"rare-stems<{features.RARE_FREQUENCY}",
                "views": [[v.name, v.shingle_size] for v in self.views],
                "normalizer": NORMALIZER_VERSION,
            },
            sort_keys=True,
        )

    def with_changes(self, **sections: dict[str, Any]) -> Settings:
        """Return a copy with some fields of some sections changed.

        Example:
            >>> Settings().with_changes(verify={"rewrite_threshold": 0.7}).verify.rewrite_threshold
            0.7
        """
        kwargs = {name: replace(getattr(self, name), **values) for name, values in sections.items()}
        return replace(self, **kwargs)
