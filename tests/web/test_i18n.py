from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "microreach" / "web" / "locale" / "fr" / "LC_MESSAGES"


def test_french_catalogue_is_complete_and_compiled():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    untranslated = re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n(?!")', po)
    assert untranslated == []
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
    assert (LOCALE / "django.mo").stat().st_mtime >= (LOCALE / "django.po").stat().st_mtime - 5


def test_compiled_catalogue_translates():
    with translation.override("fr"):
        assert translation.gettext("Log in") == "Se connecter"


@pytest.mark.django_db
def test_language_cookie_switches_the_page():
    c = Client()
    c.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    body = c.get("/").content.decode()
    assert "Travaillez avec de petits créateurs" in body
    assert '<html lang="fr">' in body
