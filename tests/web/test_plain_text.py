"""The rule on control characters in typed text (``web/plain_text.py``): what is refused, what stays."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from microreach.web.plain_text import control_character_problem, control_characters, text_form_field


def test_nul_escape_del_c1_and_a_lone_surrogate_are_refused_each_once_in_order():
    assert control_characters("a\x00b\x1b[0m\x00\x7f\x85\ud800", multiline=True) == [
        "U+0000",
        "U+001B",
        "U+007F",
        "U+0085",
        "U+D800",
    ]


def test_a_multi_line_text_keeps_its_line_breaks_and_tabs_a_single_line_does_not():
    assert control_characters("one\r\ntwo\tthree", multiline=True) == []
    assert control_characters("one\r\ntwo\tthree", multiline=False) == ["U+000D", "U+000A", "U+0009"]


def test_format_characters_are_text_an_emoji_sequence_and_a_right_to_left_mark_stay():
    assert control_characters("👩\u200d💻 \u200fשלום", multiline=False) == []


def test_the_problem_names_the_characters():
    assert control_character_problem("a\x00b", multiline=True) == (
        "The text holds a control character (U+0000): remove it."
    )
    assert control_character_problem("\x01\x02", multiline=True) == (
        "The text holds control characters (U+0001, U+0002): remove them."
    )
    assert control_character_problem("fine\n", multiline=True) is None


def test_the_form_field_refuses_control_characters_and_text_over_its_limit():
    field = text_form_field(max_length=5)
    assert field.clean("ab\ncd") == "ab\ncd"
    with pytest.raises(ValidationError) as err:
        field.clean("a\x07b")
    assert err.value.messages == ["The text holds a control character (U+0007): remove it."]
    with pytest.raises(ValidationError) as err:
        field.clean("abcdef")
    assert err.value.messages == ["Ensure this value has at most 5 characters (it has 6)."]
