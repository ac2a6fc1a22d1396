from dupdetect.normalize import normalize


def test_quotes_and_dashes_have_one_form():
    assert normalize("“Yes” — it’s ‘done’") == "\"Yes\" - it's 'done'"


def test_furniture_lines_are_removed_but_article_sentences_stay():
    text = "Skip to content\n3 min read\nShe said it takes 3 min to read the report.\nLeave a Reply"
    assert normalize(text) == "She said it takes 3 min to read the report."


def test_first_appeared_footer_is_removed():
    assert normalize("Body text.\nThis article first appeared on TechGadgetDaily.") == "Body text."


def test_unicode_compatibility_forms_are_folded():
    assert normalize("ﬁnance\u00a0news") == "finance news"
