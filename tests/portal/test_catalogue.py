import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def test_welsh_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 200
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert catalogue.percent_translated() == 100


def test_every_string_in_the_code_has_welsh(tmp_path):
    """`make messages` over a copy of the code adds nothing untranslated: no string was added without its Welsh."""
    base = Path(settings.BASE_DIR)
    shutil.copy(base / "manage.py", tmp_path)
    for name in ("portal", "guidance", "assessments", "directory", "cycles", "legal", "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "cy", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"},
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in extracted.untranslated_entries() + extracted.fuzzy_entries()]
    assert missing == [], "translate these in locale/cy/LC_MESSAGES/django.po (make messages)"


def test_welsh_plurals_fill_all_four_forms():
    catalogue = polib.pofile(str(CATALOGUE))
    assert "nplurals=4" in catalogue.metadata["Plural-Forms"]
    plurals = [entry for entry in catalogue if entry.msgid_plural]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == [0, 1, 2, 3], entry.msgid
        assert all(value.strip() for value in entry.msgstr_plural.values()), entry.msgid


def test_catalogue_uses_the_glossary_terms():
    translations = {entry.msgid: entry.msgstr for entry in polib.pofile(str(CATALOGUE))}
    assert translations["Skip to main content"] == "Neidio i'r prif gynnwys"
    assert translations["There is a problem"] == "Mae problem wedi codi"
    assert translations["Error:"] == "Gwall:"
    assert translations["Sign in"] == "Mewngofnodi"
    assert translations["Sign out"] == "Allgofnodi"
    assert translations["Continue"] == "Parhau"
    assert translations["Submit"] == "Cyflwyno"
    assert translations["Declaration"] == "Datganiad"
    assert translations["Try again"] == "Ceisiwch eto"
    assert translations["Social media guidance"] == "Canllawiau cyfryngau cymdeithasol"
