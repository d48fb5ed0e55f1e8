"""web/formatting.py: numbers, money, percentages, dates and CSV files in the reader's language (Babel)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from microreach.web import formatting

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["1,234,568", "0.13", "3", "5.6%", "2.83%", "€1,234.50", "CHF" + NBSP + "446.90", "1.50×"]),
        (
            "fr",
            [
                f"1{NNBSP}234{NNBSP}568",
                "0,13",
                "3",
                f"5,6{NBSP}%",
                f"2,83{NBSP}%",
                f"1{NNBSP}234,50{NBSP}€",
                f"446,90{NBSP}CHF",
                "1,50×",
            ],
        ),
    ],
)
def test_figures_read_the_readers_way_rounded_half_up(language, expected):
    with translation.override(language):
        shown = [
            formatting.number(1234567.5),
            formatting.number(0.125, 2),  # half up, not to even
            formatting.number(2.5),
            formatting.percent(0.0561),
            formatting.percent(0.0283, 2),
            formatting.money(Decimal("1234.5"), "EUR"),
            formatting.money(Decimal("446.895"), "CHF"),
            formatting.ratio(1.5),
        ]
    assert shown == expected


def test_compact_counts_and_dates_follow_the_language():
    moment = datetime(2026, 12, 5, 7, 5, tzinfo=UTC)
    assert [formatting.compact(v, "en") for v in (999, 1234, 12345, 2_400_000)] == [
        "999",
        "1.2K",
        "12K",
        "2.4M",
    ]
    assert [formatting.compact(v, "fr") for v in (1234, 2_400_000)] == [f"1,2{NBSP}k", f"2,4{NBSP}M"]
    assert formatting.day(date(2026, 12, 5), "en") == "Dec 5, 2026"
    assert formatting.day(date(2026, 12, 5), "fr") == "5 déc. 2026"
    assert formatting.moment(moment, "fr") == "5 déc. 2026, 07:05"
    assert formatting.moment(moment, "en").startswith("Dec 5, 2026, 7:05")


@pytest.mark.parametrize(
    "value", [None, float("nan"), float("inf"), float("-inf"), True, "abc", "nan", object()]
)
def test_what_has_no_value_reads_as_a_dash_never_zero(value):
    assert formatting.number(value) == "—"
    assert formatting.percent(value) == "—"
    assert formatting.money(value, "EUR") == "—"
    assert formatting.compact(value) == "—"
    assert formatting.day(value) == "—"
    assert formatting.csv_number(value) == ""


def test_huge_stored_numbers_show_instead_of_failing():
    # given numbers at the edge of what a column can hold, then each is written in full
    assert len(formatting.number(1.7976931348623157e308)) > 300
    assert formatting.money("1e300", "EUR").startswith("€1,000,000")
    assert formatting.csv_number(Decimal("1e30"), 2) == "1000000000000000000000000000000.00"


def test_an_unknown_currency_is_written_after_the_amount_neutralised():
    assert formatting.money(5, "=HYPERLINK(", language="en") == "5.00 '=HYPERLINK("


def test_template_filters_use_the_active_language():
    template = Template(
        "{% load formatting %}{{ n|number }} {{ f|percent:1 }} {{ m|money:'EUR' }} {{ d|day }} {{ c|compact }}"
    )
    values = {"n": 12345, "f": 0.5, "m": Decimal("9.99"), "d": date(2026, 1, 2), "c": 12345}
    with translation.override("fr"):
        assert template.render(Context(values)) == (
            f"12{NNBSP}345 50,0{NBSP}% 9,99{NBSP}€ 2 janv. 2026 12{NBSP}k"
        )
    with translation.override("en"):
        assert template.render(Context(values)) == "12,345 50.0% €9.99 Jan 2, 2026 12K"


def test_csv_in_french_has_semicolons_decimal_commas_and_a_byte_order_mark():
    rows = [["handle", "rate", "note"], ["léa", formatting.csv_number(0.0261, 4, "fr"), "a;b, c"]]
    text = formatting.csv_text(rows, "fr")
    assert text.startswith("\ufeff")
    assert text == '\ufeffhandle;rate;note\r\nléa;0,0261;"a;b, c"\r\n'
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))[1] == [
        "léa",
        "0,0261",
        "a;b, c",
    ]


def test_csv_in_english_is_plain_comma_separated_without_bom():
    text = formatting.csv_text([["a", formatting.csv_number(Decimal("1234.5"), 2, "en")]], "en")
    assert text == "a,1234.50\r\n"


@pytest.mark.parametrize(
    ("points", "english", "french"),
    [
        (12.3, "12.3%", f"12,3{NBSP}%"),
        (50, "50%", f"50{NBSP}%"),
        (31.0, "31.0%", f"31,0{NBSP}%"),
        (12.25, "12.25%", f"12,25{NBSP}%"),
        (Decimal("12.50"), "12.5%", f"12,5{NBSP}%"),
        (1250.5, "1,250.5%", f"1{NNBSP}250,5{NBSP}%"),
        (None, "—", "—"),
        ("n/a", "—", "—"),
    ],
)
def test_a_percentage_given_in_points_keeps_its_decimals_and_reads_the_readers_way(points, english, french):
    # the engine's parameters and a commission rate are in points (12.3 for 12.3 %), not fractions
    assert formatting.percent_points(points, language="en") == english
    assert formatting.percent_points(points, language="fr") == french
    with translation.override("fr"):
        assert (
            Template("{% load formatting %}{{ v|percent_points }}").render(Context({"v": points})) == french
        )


def test_whole_percent_parts_add_up_to_100_by_largest_remainder():
    # given an audience mix that, each part rounded alone, reads 34 % + 34 % + 33 % = 101 %
    # when it is shown as whole percentages
    # then the parts add up to 100, the missing point going to the largest remainder
    assert formatting.whole_percent_parts([0.335, 0.335, 0.33]) == [34, 33, 33]
    assert formatting.whole_percent_parts([0.905, 0.005, 0.045, 0.045]) == [91, 1, 4, 4]
    assert formatting.whole_percent_parts([0.91, 0.0, 0.0, 0.09]) == [91, 0, 0, 9]
    assert formatting.whole_percent_parts([0.0, 0.0]) == [0, 0] and formatting.whole_percent_parts([]) == []


@pytest.mark.parametrize(("language", "expected"), [("en", "Nov 3"), ("fr", "3 nov.")])
def test_short_day_is_the_readers_date_without_its_year(language, expected):
    assert formatting.short_day(date(2026, 11, 3), language) == expected
    assert formatting.short_day(None, language) == "—"


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (lambda: formatting.percent(-0.0004, 1, "fr"), f"0,0{NBSP}%"),
        (lambda: formatting.percent(-0.0004, 1, "en"), "0.0%"),
        (lambda: formatting.number(-0.04, 1, "en"), "0.0"),
        (lambda: formatting.money("-0.004", "EUR", language="en"), "€0.00"),
        (lambda: formatting.percent(-0.0006, 1, "en"), "-0.1%"),
    ],
)
def test_a_small_negative_value_rounded_to_zero_has_no_minus_sign(shown, expected):
    # a follower growth of -0.04 % over 30 days is "0.0 %", never "-0.0 %"; -0.06 % keeps its sign
    assert shown() == expected


def test_a_label_takes_its_colon_the_readers_way():
    with translation.override("fr"):
        assert formatting.label_colon("Pod") == f"Pod{NBSP}:"
    with translation.override("en"):
        assert formatting.label_colon("Pod") == "Pod:"


def test_clauses_take_their_semicolon_the_readers_way():
    reasons = ["pays : Belgique", "un profil sur Instagram"]
    with translation.override("fr"):
        assert formatting.clauses(reasons) == "pays : Belgique\u202f; un profil sur Instagram"
    with translation.override("en"):
        assert formatting.clauses(["country: Belgium", "a profile on Instagram"]) == (
            "country: Belgium; a profile on Instagram"
        )
    assert formatting.clauses([]) == ""
