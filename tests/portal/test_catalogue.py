import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import django
import polib
import pytest
import simple_history
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, time_format

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
SKIPPED = {"tests", "bench", "node_modules", "frontend"}


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
    # Every app (any top-level package), the project templates and the catalogue itself.
    names = [path.name for path in base.iterdir() if (path / "__init__.py").exists() and path.name not in SKIPPED]
    for name in [*names, "templates", "locale"]:
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "cy", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"},
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


# Django's own strings: the admin (with the user admin and the change history) and its JavaScript must read in Welsh
# for a Welsh-speaking editor or HR officer. The portal's catalogue supplies what Django's Welsh lacks.

DJANGO = Path(django.__file__).parent
SAME_IN_WELSH = {
    *("IPv4", "IPv6", "…", "%(truncated_text)s…", "%(class_name)s %(instance)s"),
    *("algorithm", "salt", "hash"),  # the parts of a stored password's hash, shown as they are named
    "S",  # the calendar's one-letter Sunday and Saturday: Sul, Sadwrn
}


def _english_entries(po_path):
    return [entry for entry in polib.pofile(str(po_path)) if entry.msgid and not entry.obsolete]


def _simple_history_entries(tmp_path):
    """simple-history ships no Welsh and no English catalogue: extract its strings the way `make messages` would."""
    package = Path(simple_history.__file__).parent
    shutil.copytree(package, tmp_path / "simple_history", ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "cy", "--no-location"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
        check=True,
        capture_output=True,
    )
    return _english_entries(tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.po")


def _untranslated(entries, translate):
    missing = []
    for entry in entries:
        for number, source in [(1, entry.msgid), (3, entry.msgid_plural)] if entry.msgid_plural else [(1, entry.msgid)]:
            welsh = translate(entry, number)
            if not welsh.strip() or (welsh == source and source not in SAME_IN_WELSH):
                missing.append(entry.msgid)
                break
    return missing


def _gettext(entry, number):
    if entry.msgctxt and entry.msgid_plural:
        return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, number)
    if entry.msgctxt:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    if entry.msgid_plural:
        return translation.ngettext(entry.msgid, entry.msgid_plural, number)
    return translation.gettext(entry.msgid)


def test_the_admin_reads_in_welsh_throughout(tmp_path):
    entries = (
        _english_entries(DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po")
        + _english_entries(DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po")
        + _english_entries(DJANGO / "contrib/contenttypes/locale/en/LC_MESSAGES/django.po")
        + _simple_history_entries(tmp_path)
    )
    assert len(entries) > 300
    with translation.override("cy"):
        missing = _untranslated(entries, _gettext)
    assert missing == [], "add these to portal/django_welsh.py and translate them (make messages)"


@pytest.fixture
def admin_javascript_catalogue(client, editor):
    """The catalogue the admin's calendar and selectors load, as a Welsh-speaking editor's browser gets it."""
    client.force_login(editor)
    response = client.get("/cy/admin/jsi18n/")
    assert response.status_code == 200
    source = response.content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", source, re.DOTALL).group(1))


@pytest.mark.django_db
def test_the_admin_javascript_reads_in_welsh(admin_javascript_catalogue):
    catalogue = admin_javascript_catalogue
    entries = _english_entries(DJANGO / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po")
    assert len(entries) > 60

    def lookup(entry, number):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        value = catalogue.get(key, "")
        if isinstance(value, list):  # plural forms, indexed by Welsh's four-form rule
            return value[2] if number != 1 else value[0]
        return value

    assert _untranslated(entries, lookup) == [], "translate these in locale/cy/LC_MESSAGES/djangojs.po"
    assert catalogue["July"] == "Gorffennaf"
    assert catalogue["abbrev. month July\x04Jul"] == "Gorff"
    assert catalogue["one letter Monday\x04M"] == "Ll"
    assert catalogue["6 p.m."] == "18:00"  # the clock's shortcuts use the 24-hour clock, as the portal does


WELSH_MONTHS = [
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
    "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
]  # fmt: skip
WELSH_DAYS = ["Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn", "Dydd Sul"]


def test_welsh_dates_name_every_month_and_day_correctly():
    with translation.override("cy"):
        for month, name in enumerate(WELSH_MONTHS, start=1):
            day = date(2026, month, 3)
            assert date_format(day, "DATE_FORMAT") == f"3 {name} 2026"
            assert date_format(day, "E") == name  # the "alt. month" form Django uses in some languages
            assert translation.pgettext("alt. month", date(2026, month, 1).strftime("%B")) == name
        for offset, name in enumerate(WELSH_DAYS):
            assert date_format(date(2026, 11, 30 + offset) if offset == 0 else date(2026, 12, offset), "l") == name


def test_times_use_the_24_hour_clock_in_both_languages():
    moment = datetime(2026, 7, 3, 23, 17)
    with translation.override("en"):
        assert date_format(moment, "DATETIME_FORMAT") == "3 July 2026, 23:17"
        assert time_format(moment, "TIME_FORMAT") == "23:17"
    with translation.override("cy"):
        assert date_format(moment, "DATETIME_FORMAT") == "3 Gorffennaf 2026, 23:17"
        assert time_format(moment, "TIME_FORMAT") == "23:17"


def test_welsh_reads_e_bost_wherever_django_says_email():
    """Django's Welsh writes "ebost"; the portal's style (and the glossary's) is "e-bost"."""
    entries = [
        entry
        for name in ("conf", "contrib/admin", "contrib/auth")
        for entry in _english_entries(DJANGO / name / "locale/en/LC_MESSAGES/django.po")
    ]
    with translation.override("cy"):
        spelt_ebost = [entry.msgid for entry in entries if "ebost" in _gettext(entry, 1).lower()]
    assert spelt_ebost == []
    with translation.override("cy"):
        assert translation.gettext("Enter a valid email address.") == "Rhowch gyfeiriad e-bost dilys."


def test_the_catalogue_keeps_one_welsh_style():
    """Issue 16's review: one apostrophe, one register ("maent", "gallant"), "Nid ydych wedi pasio", "Methu dechrau"."""
    welsh = [
        (entry.msgid, text)
        for entry in polib.pofile(str(CATALOGUE))
        for text in ([entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values()))
    ]
    assert [msgid for msgid, text in welsh if "’" in text] == []
    assert [msgid for msgid, text in welsh if re.search(r"\b(maen|gallan|byddan|dylen) nhw\b", text)] == []
    assert [msgid for msgid, text in welsh if "Rydych heb basio" in text] == []
    assert [msgid for msgid, text in welsh if "Ddim yn gallu dechrau" in text] == []
    assert [msgid for msgid, text in welsh if "ebost" in text.lower()] == []
    translations = {entry.msgid: entry.msgstr for entry in polib.pofile(str(CATALOGUE))}
    assert translations["Cannot start yet"] == "Methu dechrau eto"
    assert translations["Completed"] == "Wedi cwblhau"
    assert translations["In progress"] == "Yn mynd rhagddo"
