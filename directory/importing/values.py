"""Turning the values HR type into what the portal stores, forgivingly, with a reason when a value cannot be used."""

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from portal.models import Language

LANGUAGES = {
    Language.ENGLISH: {"en", "eng", "english", "saesneg", "en-gb", "en-us", "en_gb"},
    Language.WELSH: {"cy", "cym", "welsh", "cymraeg", "cy-gb", "cy_gb"},
}
TRUE_VALUES = {"yes", "y", "true", "t", "1", "active", "enabled", "ie", "gwir", "gweithredol"}
FALSE_VALUES = {"no", "n", "false", "f", "0", "inactive", "disabled", "na", "nac ydy", "gau", "anweithredol"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d")
# A "?" with a letter straight after it stands where a legacy code page lost a letter it cannot hold (Llŷr saved as
# "Ll?r", Ŵyn as "?yn"): inside or at the start of a word. A "?" ending a word ("What?", "Why? Because") is punctuation.
LOST_LETTER = re.compile(r"\?[^\W\d_]")


class BadValue(ValueError):
    pass


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode's control characters (category Cc), exactly


def control_characters(value: str) -> list[str]:
    return sorted({f"U+{ord(character):04X}" for character in CONTROL.findall(value)})


def check_text(value: str, label: str) -> list[str]:
    """Problems no report should later trip over: control characters and letters lost to a code page."""
    if not CONTROL.search(value) and "?" not in value and "\ufffd" not in value:
        return []
    problems = []
    found = control_characters(value)
    if found:
        problems.append(
            _("%(field)s contains a control character (%(characters)s), which cannot be stored. Remove it.")
            % {"field": label, "characters": ", ".join(found)}
        )
    if "\ufffd" in value or LOST_LETTER.search(value):
        problems.append(
            _(
                "%(field)s “%(value)s” has a ? where a letter should be. The file was probably saved as “CSV (Comma "
                "delimited)”, which cannot hold ŵ and ŷ: save it as “CSV UTF-8 (Comma delimited)” and upload it again."
            )
            % {"field": label, "value": value}
        )
    return problems


def language(value: str, default: str = Language.ENGLISH) -> str:
    key = value.strip().lower()
    if not key:
        return default
    for code, spellings in LANGUAGES.items():
        if key in spellings:
            return code
    raise BadValue(
        _("“%(value)s” is not a language the portal knows. Use English or Welsh (en or cy).") % {"value": value}
    )


def yes_no(value: str, default: bool = True) -> bool:
    key = value.strip().lower()
    if not key:
        return default
    if key in TRUE_VALUES:
        return True
    if key in FALSE_VALUES:
        return False
    raise BadValue(_("“%(value)s” in Active must be yes or no.") % {"value": value})


def date(value: str) -> datetime.date | None:
    text = value.strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise BadValue(_("“%(value)s” is not a date. Write dates as 31/01/2026 or 2026-01-31.") % {"value": value})


STOP_WORDS = {"and", "of", "the", "for", "a", "an", "a'r", "ac", "y", "yr", "'r"}


def department_key(name: str) -> str:
    """A name compared the way a person would: case, accents, '&' for 'and' and punctuation ignored."""
    folded = unicodedata.normalize("NFKD", name.replace("&", " and ")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def derived_code(name: str, taken: set[str]) -> str:
    """A short code from a department's name (Health and Social Services: HSS), unique among ``taken``."""
    words = [word for word in department_key(name).split() if word not in STOP_WORDS]
    code = "".join(word[0] for word in words).upper() if len(words) >= 2 else "".join(words).upper()[:8]
    code = (code or "DEPT")[:16]
    candidate, number = code, 2
    while candidate.upper() in taken:
        candidate, number = f"{code}-{number}", number + 1
    taken.add(candidate.upper())
    return candidate
