import json
import re
from itertools import islice

import pytest

from dupdetect import Document
from dupdetect.normalize import normalize
from dupdetect.pipeline import cluster


def test_quotes_and_dashes_have_one_form():
    assert normalize("“Yes” — it’s ‘done’") == "\"Yes\" - it's 'done'"


def test_furniture_lines_are_removed_but_article_sentences_stay():
    text = "Skip to content\n3 min read\nShe said it takes 3 min to read the report.\nLeave a Reply"
    assert normalize(text) == "She said it takes 3 min to read the report."


def test_first_appeared_footer_is_removed():
    assert normalize("Body text.\nThis article first appeared on TechGadgetDaily.") == "Body text."


def test_unicode_compatibility_forms_are_folded():
    assert normalize("ﬁnance\u00a0news") == "finance news"


@pytest.mark.parametrize(
    "sentence",
    [
        "By contrast, rivals grew by a third last year.",
        "Source: the ministry said 40 people had died.",
        "Updated on Monday with new figures from the regulator.",
        "By the end of the decade, sales had doubled.",
        "Published by Penguin in 1998, the novel sold a million copies.",
        "Copyright law was changed in 2019 to protect musicians.",
        "Photo: a lone protester stood in front of the tanks.",
        "by a board of the Republican president's own choosing.",
        "published on April 6.",
        "comment.",
        "share on retraction.",
    ],
)
def test_sentences_that_start_like_furniture_are_kept(sentence):
    assert (
        normalize(f"First line.\n{sentence}\nLast line.") == f"First line.\n{sentence}\nLast line."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Skip to content", "3 min read", "Leave a Reply", "Share this article", "Advertisement",
        "Posted on March 3, 2025 at 10:00 am", "Updated: Mon 3 Mar 2025 10.00 GMT",
        "By Jane Doe | March 3, 2025", "By John Smith, Business Reporter",
        "This article first appeared on The Conversation.", "Source: Reuters",
        "Tags: politics, economy, Europe", "Subscribe to our daily newsletter",
        "© 2019 Daily Ledger", "Copyright 2025 Example Media. All rights reserved.",
    ],
)  # fmt: skip
def test_furniture_lines_are_removed(line):
    assert normalize(f"First line.\n{line}\nLast line.") == "First line.\nLast line."


def _disguised(text):
    """Three ways a copy hides: Cyrillic look-alikes, soft hyphens in words, entities left in."""
    text = text.translate(str.maketrans("aeopc", "аеорс"))
    text = re.sub(r"(\w{4})(\w{3,})", "\\1\u00ad\\2", text)
    return text.replace("'", "&#39;").replace(" & ", " &amp; ")


def test_disguised_copies_of_real_articles_are_exact_copies(shared_data):
    # 30 BBC articles, each with a copy disguised three ways: the copies shared no word with
    # their sources ("it&#39;s", "com\u00adpany", "thе"), and none was found.
    with open(shared_data / "bbc" / "docs.jsonl") as handle:
        articles = [Document(d["id"], d["text"]) for d in map(json.loads, islice(handle, 30))]
    copies = [Document(a.id + "-copy", _disguised(a.text)) for a in articles]
    assert all(c.text != a.text for a, c in zip(articles, copies, strict=True))
    result = cluster(articles + copies)
    cluster_of = {m.id: c.id for c in result.clusters for m in c.members}
    kind_of = {m.id: m.kind for c in result.clusters for m in c.members}
    for article in articles:  # some articles are the BBC's own duplicates of each other
        copy = article.id + "-copy"
        assert cluster_of.get(copy) == cluster_of.get(article.id) is not None
        assert "exact" in (kind_of[copy], kind_of[article.id])


def test_a_russian_or_greek_text_keeps_its_letters():
    for text in ("Компания заявила о росте прибыли", "Η εταιρεία ανακοίνωσε κέρδη"):
        assert normalize(text) == text
