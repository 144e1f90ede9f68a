"""The portal's language helpers: which of its two languages is active, the other one, and a page's address in it."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.urls.base import translate_url
from django.utils.translation import get_language, get_language_from_path, override

ENGLISH = "en"
WELSH = "cy"
OTHER_LANGUAGE = {ENGLISH: WELSH, WELSH: ENGLISH}


def active_language() -> str:
    """The active language as the portal names it ("en" or "cy"): English whenever something else is active."""
    language = (get_language() or ENGLISH)[:2]
    return language if language in OTHER_LANGUAGE else ENGLISH


def other_language(language: str | None = None) -> str:
    return OTHER_LANGUAGE[language or active_language()]


def home_url(language: str) -> str:
    with override(language):
        return reverse("portal:home")


def in_language(url: str, language: str) -> str:
    """The same page in another language (query string kept), or the URL unchanged when it is not one of the
    portal's pages."""
    source_language = get_language_from_path(url)
    if not source_language or source_language == language:
        return url
    return _translated(url, source_language, language, get_script_prefix(), settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _translated(url: str, source_language: str, language: str, _prefix: str, _urlconf: str) -> str:
    # Resolving and reversing every page's address for its language switch was a tenth of a guidance page's time; the
    # answer depends only on these arguments (the prefix and URLconf are there so a change of either is a new entry).
    with override(source_language):
        return translate_url(url, language)


def switched_url(url: str, language: str) -> str:
    """Where the language switch lands: the same page in ``language``, or that language's home page when the page
    is not one of the portal's."""
    if get_language_from_path(url):
        translated = in_language(url, language)
        if get_language_from_path(translated) == language:
            return translated
    return home_url(language)
