"""Countries offered as choices are named as people name them, in the reader's language."""

from __future__ import annotations

from django.utils import translation

from microreach.web.countries import country_choices


def test_countries_are_named_as_people_name_them_in_english_and_in_french():
    for language, names in {
        "en": ("Nauru", "Bahamas", "France"),
        "fr": ("Nauru", "Bahamas", "Suisse"),
    }.items():
        with translation.override(language):
            choices = dict(country_choices())
            assert (choices["NR"], choices["BS"]) == names[:2], language
            assert names[2] in choices.values()
            assert not {"Naoero", "Bahamas (The)"} & set(choices.values())
