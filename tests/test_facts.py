import pytest

from dupdetect.facts import (
    Subject,
    figure,
    headline_subject,
    is_figure,
    lead_figures,
    read,
    same_company,
    same_fact,
    sentence_facts,
)
from dupdetect.features import lines
from dupdetect.normalize import normalize


@pytest.mark.parametrize(
    "token, value",
    [
        ("12,000", "12000"),
        ("1-3/4", "1.75"),
        ("5.80", "5.80"),  # decimals as written: the last digit says how precise it is
        ("1/8", "0.125"),
        ("2004", "2004"),
        ("1,000,000", "1000000"),  # plain notation, not 1e+06 (which reads as a name)
    ],
)
def test_figures_have_one_canonical_form(token, value):
    assert figure(token) == value
    assert is_figure(value)


def test_figures_keep_every_digit():
    assert figure("1,234,567") != figure("1,234,571")


def test_names_are_what_the_text_capitalizes_mid_sentence_and_never_writes_in_lower_case():
    found = sentence_facts(
        [
            "Balancing Innovation and Caution",  # a title-cased heading: no names
            "Meta chief Mark Zuckerberg said the Company would keep Behemoth closed.",
            "The company expects 3.5 billion users.",
        ]
    )
    assert found[0] == frozenset()
    assert {"mark", "zuckerberg", "behemoth"} <= found[1]
    assert "company" not in found[1]  # written in lower case elsewhere: an ordinary word
    assert found[2] == frozenset({"3.5"})


def test_codes_with_digits_are_names_not_figures():
    assert sentence_facts(["The G7 met in Paris on Friday, said WorldReport24."])[0] >= {"g7"}


def test_a_tables_figures_after_leader_dots_are_figures_but_no_number_starts_inside_another():
    row, prose = sentence_facts(
        ["BUENOS AIRES.......27.......21............4", "It fell 1.5 to 12,000."]
    )
    assert {"27", "21", "4"} <= row
    assert prose == frozenset({"1.5", "12000"})  # not "5" nor "000"


def _lead(text):
    split = normalize(text).split("\n")
    return lead_figures(split, read(split))


def test_the_lead_is_the_first_sentence_of_prose_after_headlines_and_page_furniture():
    page = (
        "InfoStream\nHome | World | Business | Tech | Sport\nBANK OF ENGLAND GIVES 20 MLN STG\n"
        "Published 10 February 2005 | Markets | 5 min read\n"
        "The Bank of England gave a further 20 mln stg of help on March 4, 1987, it said.\n"
        "It had given 17 mln stg earlier."
    )
    assert _lead(page) == frozenset({"20"})  # the date and the year place it; 17 comes later


def test_a_flash_a_table_or_a_list_has_no_lead():
    assert _lead("HENLEY HAS 7.9 MLN SANTA FE SHARES\n******Blah blah blah.") is None
    assert _lead("KANEB 4TH QTR LOSS\nShr loss one cent\nNet loss 186,000\nRevs 10.7 mln") is None
    assert _lead("FLORIDA BANKS DIVIDEND\nQtly div 14 cts vs 19 cts prior\nPay March 31") is None
    assert _lead("A story with no figure in its lead sentence at all, said Reuters.") == frozenset()


def test_rounding_and_a_typing_slip_are_the_same_fact_but_another_year_is_not():
    assert same_fact("413.6", frozenset({"413.5"}))
    assert same_fact("cental", frozenset({"central"}))
    assert not same_fact("1987", frozenset({"1986"}))
    assert not same_fact("450", frozenset({"300"}))


def test_rounding_is_within_the_coarser_figures_last_digit_not_any_nearby_price():
    assert same_fact("4.45", frozenset({"4.5"}))
    assert not same_fact("421.5", frozenset({"422.5"}))  # a gold price and the next day's
    assert not same_fact("51.50", frozenset({"51.00"}))  # two markets' hog prices
    assert same_fact("5.8", frozenset({"5.80"}))
    assert not same_fact("infinity", frozenset({"5"}))  # a name, though float() reads it


def test_a_coarser_figure_is_the_finer_one_rounded_not_one_unit_off():
    # "67 CTS" in one headline, "66.0 cents a pound" in the next price cut: 66.0 rounds to 66.
    assert not same_fact("66.0", frozenset({"67"}))
    assert same_fact("66.4", frozenset({"66"})) and same_fact("2.03", frozenset({"2"}))
    assert same_fact("413.6", frozenset({"413.5"}))  # equally fine: a re-issue's correction
    assert not same_fact("6.6", frozenset({"6.5"}))  # one unit, but 1.5%: another figure


def test_a_name_one_edit_away_is_found_as_edit_distance_says():
    """`same_fact`'s name lookup against a brute-force edit distance, on crowded random names.

    The distance counts a swap of two neighbouring letters as one edit (optimal string
    alignment), as a typist's slip is one.
    """
    import random

    def within_one_edit(a: str, b: str) -> bool:
        before, previous = None, list(range(len(b) + 1))
        for i, x in enumerate(a, 1):
            current = [i]
            for j, y in enumerate(b, 1):
                current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
                if before and j > 1 and x == b[j - 2] and a[i - 2] == y:
                    current[j] = min(current[j], before[j - 2] + 1)
            before, previous = previous, current
        return previous[-1] <= 1

    rng = random.Random(7)
    for _ in range(200):
        others = frozenset(
            "".join(rng.choices("abc", k=rng.randint(3, 7))) for _ in range(rng.randint(1, 12))
        )
        name = "".join(rng.choices("abc", k=rng.randint(5, 7)))
        expected = name in others or any(within_one_edit(name, o) for o in others)
        assert same_fact(name, others) == expected, (name, sorted(others))


def test_a_headline_names_its_company_after_a_pages_furniture_not_in_prose():
    page = lines(
        normalize(
            "The Metro Digest\nHome | World | Business\n\nSUN <SUN> RAISES CRUDE POSTINGS\n\n"
            "Sun Co <SUN> said it raised the price."
        )
    )
    assert headline_subject(page) == Subject(frozenset({"sun"}), frozenset({"sun"}))
    # A story's first line of hard-wrapped prose is no headline, capitals or not.
    prose = lines(
        normalize(
            "NISSAN TO BOOST LOCAL CONTENT\n\n<Nissan Motor Manufacturing (UK) Ltd> has\n"
            "reached agreement with <Lombard North Central Plc>."
        )
    )
    assert headline_subject(prose) is None
    # An HTML tag left in scraped text names no company.
    assert headline_subject(["APPLE UNVEILS<br>NEW PHONES", "Apple said."]) is None
    assert headline_subject(["APPLE UNVEILS<BR>NEW PHONES", "Apple said."]) is None


def test_one_company_under_two_tickers_or_another_exchanges_suffix():
    def subject(headline):
        return headline_subject([headline])

    macmillan = subject("MACMILLAN BLOEDEL <MMB> STOCK SPLIT APPROVED")
    assert same_company(macmillan, subject("MACMILLAN BLOEDEL <MMBLF> STOCK SPLIT APPROVED"))
    assert same_company(subject("BERKSHIRE GAS CO <BGAS> UPS PAYOUT"), subject("GAS <BGAS.O> UP"))
    assert not same_company(
        subject("FIRST INTERSTATE <I> RAISES PRIME RATE"),
        subject("MERIDIAN BANCORP <MRDN> RAISES PRIME RATE"),
    )
    # A typing slip is read from the longer ticker: the answer must not depend on the order.
    cpl, northern = subject("CPL REIT <CNTRS> SETS"), subject("NORTHERN TRUST <NTRS> SETS")
    assert same_company(cpl, northern) == same_company(northern, cpl)


def test_a_number_word_is_a_figure_where_it_counts_something():
    # The wire writes small numbers in words ("six pct", "three mln shares"), a rewrite or
    # the next day's report in digits; alone a number word is seldom a quantity.
    found = read(
        [
            "Federal funds were trading at six pct.",
            "Gulf barge basis levels jumped two to three cents.",
            "One of the two companies said it would buy back shares.",
        ]
    )
    assert [sorted(f.facts - {"federal", "gulf"}) for f in found] == [["6"], ["2", "3"], []]


def test_a_long_sentence_of_names_ending_as_prose_is_no_headline():
    # A retelling lists the ministers Baker meets: most words are capitalized, as in a headline,
    # but a headline is not 20 words long and does not end with a period. Read as one, its names
    # were no names (a headline's capitals say nothing) and the retelling matched no family.
    prose = (
        "Baker is expected to meet Kiichi Miyazawa, Japan's Finance Minister, Gerhard "
        "Stoltenberg, the West German Finance Minister, and Nigel Lawson, Britain's Chancellor."
    )
    headline = "BAKER TO MEET MIYAZAWA, STOLTENBERG AND LAWSON IN WASHINGTON"
    prose_read, headline_read = read([prose, headline])
    assert not prose_read.headline and headline_read.headline
    assert {"miyazawa", "stoltenberg", "lawson"} <= prose_read.facts
    # Short lines keep the rule of capitals, period or not ("Texaco Files for Chapter 11.").
    assert read(["Texaco Files for Chapter 11, But Says Business Is Safe."])[0].headline


def test_a_scale_or_unit_written_onto_a_number_leaves_the_figure():
    found = read(["Profits rose 76% to $1.13bn (£600m); shares 5p higher at 120p."])[0].facts
    assert {"76", "1.13", "600", "5", "120"} <= found and not found & {"13bn", "600m", "5p"}
    # Longer endings are codes or times, as before: "5pm", "100km", "4th", "3M".
    assert read(["At 5pm, 100km away, in the 4th quarter, 3M said."])[0].facts >= {
        "5pm", "100km", "4th", "3m"
    }  # fmt: skip
