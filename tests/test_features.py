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


# Chinese and Japanese put no spaces between words. No set in ../shared/data holds any, so these
# texts are written here: a short report of the kind a wire or a portal carries.
ZH = (
    "德意志交易所股价周一大涨\n\n"
    "法兰克福证券交易所运营商德意志交易所的股价周一大幅上涨，此前其一名投资者公开反对该集团"
    "收购伦敦证券交易所的计划。持有该公司约5%股份的基金TCI表示，13.5亿英镑的报价过高。"
    "该基金希望德意志交易所将5亿美元返还给股东。分析人士大多认为，这一反对意见不太可能阻止收购。"
    "截至格林尼治时间10点30分，该公司股价上涨3.4%，至45.25欧元，是法兰克福表现最好的股票。"
)


def test_chinese_and_japanese_characters_are_tokens_of_their_own():
    # A Chinese article was a few "words", the runs between its commas and full stops, and
    # was skipped as too short; its 5-grams are now runs of five characters.
    assert words("股价周一大涨") == ["股", "价", "周", "一", "大", "涨"]
    assert words("株価が上昇した") == ["株", "価", "が", "上", "昇", "し", "た"]
    assert words("TCI表示13.5亿") == ["tci", "表", "示", "13.5", "亿"]
    assert [m.group() for m in WORD.finditer("基金TCI表示")] == ["基", "金", "TCI", "表", "示"]
    assert words("서울 증시 상승") == ["서울", "증시", "상승"]  # Hangul has spaces
    assert len(words(ZH)) > 150


def test_a_chinese_sentence_ends_at_its_full_stop_without_a_space():
    assert sentences("该基金表示报价过高。分析人士认为收购将继续！股价上涨。") == [
        "该基金表示报价过高。",
        "分析人士认为收购将继续！",
        "股价上涨。",
    ]
