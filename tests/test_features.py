import pytest
from wordfreq import word_frequency

from dupdetect.features import (
    WORD,
    background_frequency,
    profile,
    rewrite_set,
    sentences,
    verbatim_set,
    words,
)
from dupdetect.rarity import Rarity


def test_numbers_stay_whole_words():
    assert words("It rose 5.8% to 12,000 units") == ["it", "rose", "5.8", "to", "12,000", "units"]


def test_verbatim_view_is_case_insensitive_word_shingles():
    assert verbatim_set("One two three four five six") == verbatim_set(
        "one TWO three four five six"
    )
    assert len(verbatim_set("one two three four five six")) == 2


def test_rewrite_view_survives_inflection_and_drops_stopwords():
    assert rewrite_set("The companies were rewriting") == rewrite_set("a company rewrites")


def test_sentences_split_on_end_punctuation_and_lines():
    assert sentences("First one. Second one!\nThird") == ["First one.", "Second one!", "Third"]


def test_profile_of_exact_copies_has_the_same_content_hash():
    assert profile("Same text, here.").content_hash == profile("same   text here").content_hash


def test_rare_terms_weigh_more_than_common_ones():
    rarity = Rarity.of_profiles([profile("alpha beta gamma"), profile("alpha delta epsilon")])
    assert rarity.idf("beta") > rarity.idf("alpha")


def test_a_stems_background_is_its_most_common_english_form():
    assert background_frequency("compani") == pytest.approx(word_frequency("company", "en"), 1e-3)
    assert background_frequency("zzzqx") == 0.0


def test_words_fold_each_word_whether_or_not_the_text_is_ascii():
    for text in ("Shares of TEXACO rose 5.8 pct, it's said.", "İstanbul'S Straße, GROẞ 12,000"):
        assert words(text) == [w.casefold() for w in WORD.findall(text)]
