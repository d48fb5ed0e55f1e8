"""An amount typed by hand is read the reader's way (``formatting.amount_read``, ``money_input.MoneyField``):
the French ``150,50 €`` is 150.50, never 15 050; what is no amount is refused, never guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from microreach.web.campaigns.models import Application
from microreach.web.formatting import amount_read
from microreach.web.money_input import money_form_field


@pytest.mark.parametrize(
    ("typed", "language", "read"),
    [
        ("150,50", "fr", "150.50"),
        ("150.50", "fr", "150.50"),
        ("150,50 €", "fr", "150.50"),
        ("€ 150,50", "fr", "150.50"),
        ("150,50 EUR", "fr", "150.50"),
        ("1 250", "fr", "1250"),
        ("1\u202f250,50", "fr", "1250.50"),
        ("1.250,50", "fr", "1250.50"),
        ("1.250", "fr", "1250"),  # a lone dot before three digits groups thousands in French
        ("1,250", "fr", "1.25"),  # and the comma is French's decimal mark
        ("1,250", "en", "1250"),
        ("1.250", "en", "1.25"),
        ("€1,250.50", "en", "1250.50"),
        ("150,50", "en", "150.50"),  # two digits after a comma: no thousands group, a decimal mark
        ("1.250,50", "de", "1250.50"),
        ("-0.01", "en", "-0.01"),
    ],
)
def test_an_amount_is_read_as_its_reader_writes_it(typed, language, read):
    assert amount_read(typed, "EUR", language) == Decimal(read)


@pytest.mark.parametrize("typed", ["abc", "150 50", "1e400", "NaN", "1,250,50.00", "1,2.50", "$150", "", "€"])
def test_what_is_no_amount_is_refused(typed):
    with pytest.raises(ValueError):
        amount_read(typed, "EUR", "fr")


def test_the_field_is_a_decimal_keypad_text_input_reading_the_readers_way():
    # given the proposed fee's field in EUR
    field = money_form_field(Application, "proposed_fee", currency="EUR")
    # then it is a text input opening the decimal keypad (a number input drops the French comma)
    rendered = field.widget.render("fee", None, attrs=field.widget_attrs(field.widget))
    assert rendered == '<input type="text" name="fee" inputmode="decimal" autocomplete="off">'
    with translation.override("fr"):
        # and it reads "150,50 €" as 150.50, shows a stored amount the French way
        assert field.clean("150,50 €") == Decimal("150.50")
        assert field.prepare_value(Decimal("1250.5")) == "1\u202f250,50"
        # and refuses what is no amount with an example written the reader's way
        with pytest.raises(forms.ValidationError) as french:
            field.clean("cent cinquante")
    with pytest.raises(forms.ValidationError) as english:
        field.clean("one hundred")
    assert english.value.messages == ["“one hundred” is not an amount: write it as 1,250.50, for instance."]
    assert "1\u202f250,50" in french.value.messages[0]
